package dev.sightline.testsupport;

import java.util.ArrayList;
import java.util.List;

/** The benchmarks' text workload: a CLIP prompt for every colour and shape the bundled model knows (40). */
public final class ShapePrompts {

    private static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "orange", "purple", "white",
            "black");
    private static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross");

    private ShapePrompts() {
    }

    /** "a photo of a red circle.", … in colour-major order. */
    public static List<String> all() {
        List<String> t = new ArrayList<>();
        for (String c : COLOURS) {
            for (String s : SHAPES) {
                t.add("a photo of a " + c + " " + s + ".");
            }
        }
        return List.copyOf(t);
    }
}
