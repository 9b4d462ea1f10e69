package dev.sightline.gateway.api;

import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import dev.sightline.common.text.StorableText;
import dev.sightline.gateway.service.Upload;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.List;

/** Multipart file parts (spooled to the uploads directory by the body handler) read back as bytes, off the loop. */
@ApplicationScoped
public class Uploads {

    private final Vertx vertx;

    public Uploads(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Every file part of that name, in order. */
    Uni<List<Upload>> all(RoutingContext rc, String part) {
        List<FileUpload> files = rc.fileUploads().stream().filter(f -> f.name().equals(part)).toList();
        if (files.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(files.stream().map(f -> vertx.fileSystem().readFile(f.uploadedFileName())
                .map(b -> new Upload(f.fileName(), b.getBytes()))).toList()).andFailFast();
    }

    /** The one file part of that name, base64-encoded as the embed API takes images. */
    Uni<String> base64(RoutingContext rc, String part) {
        FileUpload file = rc.fileUploads().stream().filter(f -> f.name().equals(part)).findFirst()
                .orElseThrow(() -> new ProblemException(CommonProblem.INVALID_REQUEST,
                        "Send the image as a file part named '" + part + "'."));
        return vertx.fileSystem().readFile(file.uploadedFileName())
                .map(b -> Base64.getEncoder().encodeToString(b.getBytes()));
    }

    /** Every value of a text form field, each checked as JSON strings are. */
    static List<String> textFields(RoutingContext rc, String name) {
        List<String> values = rc.request().formAttributes().getAll(name);
        for (String v : values) {
            String problem = StorableText.problem(v);
            if (problem != null) {
                throw new ProblemException(CommonProblem.INVALID_REQUEST, "Unstorable text: the form field '" + name
                        + "' " + problem + ".");
            }
        }
        return values;
    }

    /** An optional text form field. */
    static String textField(RoutingContext rc, String name) {
        List<String> values = textFields(rc, name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** An optional integer form field. */
    static Integer intField(RoutingContext rc, String name) {
        String s = rc.request().getFormAttribute(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, name + " must be an integer.");
        }
    }

    /** An optional number form field. */
    static Double doubleField(RoutingContext rc, String name) {
        String s = rc.request().getFormAttribute(name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST, name + " must be a number.");
        }
    }
}
