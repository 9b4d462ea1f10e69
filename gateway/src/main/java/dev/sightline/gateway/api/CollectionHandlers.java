package dev.sightline.gateway.api;

import static dev.sightline.gateway.auth.Authenticator.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.common.query.QueryFlag;
import dev.sightline.gateway.service.BulkIngestService;
import dev.sightline.gateway.service.CollectionService.CreateCollection;
import dev.sightline.gateway.service.CollectionService.Duplicates;
import dev.sightline.gateway.service.CollectionService;
import dev.sightline.gateway.service.IngestService.DuplicateHandling;
import dev.sightline.gateway.service.IngestService.ItemsRequest;
import dev.sightline.gateway.service.IngestService;
import dev.sightline.gateway.service.MigrationService.StartMigration;
import dev.sightline.gateway.service.MigrationService;
import dev.sightline.gateway.service.SearchService.ImageToText;
import dev.sightline.gateway.service.SearchService.Search;
import dev.sightline.gateway.service.SearchService.TextToImage;
import dev.sightline.gateway.service.SearchService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Collections, their items (JSON, uploaded files or NDJSON in bulk) and search. */
@ApplicationScoped
public class CollectionHandlers {

    /** The bulk write, whose body the router reads with a limit and deadline of its own. */
    static final String BULK_ITEMS = "/v1/collections/:name/items/bulk";

    private final CollectionService collections;
    private final IngestService ingest;
    private final BulkIngestService bulk;
    private final SearchService search;
    private final MigrationService migrations;
    private final Uploads uploads;

    public CollectionHandlers(CollectionService collections, IngestService ingest, BulkIngestService bulk,
            SearchService search, MigrationService migrations, Uploads uploads) {
        this.migrations = migrations;
        this.collections = collections;
        this.ingest = ingest;
        this.bulk = bulk;
        this.search = search;
        this.uploads = uploads;
    }

    void register(Router r) {
        r.post("/v1/collections").handler(rc -> Http.relay(rc, () -> collections.create(tenant(rc),
                Http.body(rc, CreateCollection.class, Http.STRICT))));
        r.get("/v1/collections").handler(rc -> Http.ok(rc, () -> collections.list(tenant(rc))));
        r.get("/v1/collections/:name").handler(rc -> Http.ok(rc, () -> collections.get(tenant(rc), name(rc))));
        r.patch("/v1/collections/:name").handler(rc -> Http.ok(rc, () -> collections.patch(tenant(rc), name(rc),
                Http.body(rc, JsonNode.class, Http.STRICT))));
        r.delete("/v1/collections/:name").handler(rc -> Http.noContent(rc,
                () -> collections.delete(tenant(rc), name(rc))));
        r.post("/v1/collections/:name/items").handler(this::upsert);
        r.get("/v1/collections/:name/items").handler(rc -> Http.ok(rc, () -> collections.items(tenant(rc), name(rc),
                rc.request().getParam("after"), rc.request().getParam("limit"))));
        r.post("/v1/collections/:name/migrations").handler(rc -> Http.relay(rc, () -> migrations.start(tenant(rc),
                name(rc), Http.body(rc, StartMigration.class, Http.STRICT))));
        r.get("/v1/collections/:name/migrations/:id").handler(rc -> Http.ok(rc, () -> migrations.get(tenant(rc),
                name(rc), rc.pathParam("id"))));
        r.delete("/v1/collections/:name/migrations/:id").handler(rc -> Http.ok(rc, () -> migrations.cancel(
                tenant(rc), name(rc), rc.pathParam("id"))));
        r.post(BULK_ITEMS).handler(rc -> Http.ok(rc, () -> bulk.upsert(tenant(rc), name(rc), Http.ndjson(rc),
                QueryFlag.of("more", rc.request().getParam("more")))));
        r.get("/v1/collections/:name/items/:id").handler(rc -> Http.ok(rc, () -> collections.item(tenant(rc),
                name(rc), rc.pathParam("id"), rc.request().getParam("include"))));
        for (String kind : new String[] {"thumbnail", "original"}) {
            r.get("/v1/collections/:name/items/:id/" + kind).handler(rc -> Http.bytes(rc, () -> collections.media(
                    tenant(rc), name(rc), rc.pathParam("id"), kind, rc.request().getHeader("If-None-Match"))));
        }
        r.delete("/v1/collections/:name/items/:id").handler(rc -> Http.noContent(rc,
                () -> collections.deleteItem(tenant(rc), name(rc), rc.pathParam("id"))));
        r.post("/v1/collections/:name/duplicates").handler(rc -> Http.ok(rc, () -> collections.duplicates(
                tenant(rc), name(rc), rc.body() == null || rc.body().length() == 0 ? null
                        : Http.body(rc, Duplicates.class, Http.STRICT))));
        r.post("/v1/collections/:name/search").handler(rc -> Http.ok(rc, () -> search.search(tenant(rc), name(rc),
                Http.body(rc, Search.class, Http.STRICT))));
        r.post("/v1/collections/:name/text-to-image").handler(rc -> Http.ok(rc, () -> search.textToImage(tenant(rc),
                name(rc), Http.body(rc, TextToImage.class, Http.STRICT))));
        r.post("/v1/collections/:name/image-to-text").handler(rc -> Http.ok(rc, () -> search.imageToText(tenant(rc),
                name(rc), Http.body(rc, ImageToText.class, Http.STRICT))));
    }

    private void upsert(RoutingContext rc) {
        if (Http.multipart(rc)) {
            Http.ok(rc, () -> {
                DuplicateHandling dedup = new DuplicateHandling(Uploads.textField(rc, "on_duplicate"),
                        Uploads.doubleField(rc, "duplicate_threshold"));
                return uploads.all(rc, "file").flatMap(files -> ingest.upsertUploads(tenant(rc), name(rc), files,
                        Uploads.textField(rc, "metadata"), dedup));
            });
        } else {
            Http.ok(rc, () -> ingest.upsert(tenant(rc), name(rc), Http.body(rc, ItemsRequest.class, Http.STRICT)));
        }
    }

    private static String name(RoutingContext rc) {
        return rc.pathParam("name");
    }
}
