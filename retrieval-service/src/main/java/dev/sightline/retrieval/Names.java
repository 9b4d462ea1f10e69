package dev.sightline.retrieval;

import java.util.regex.Pattern;

/** The strict patterns for tenant, collection and item names. */
public final class Names {

    /** Tenants and collections: lower-case letters, digits, '-' and '_', 1 to 63 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Item ids: printable ASCII without spaces, slashes or quotes, 1 to 128 characters. */
    public static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:@+=~-]{1,128}");

    private Names() {
    }

    public static String tenant(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new RetrievalException(ErrorCode.MISSING_TENANT, "The X-Sightline-Tenant header is required.");
        }
        if (!NAME.matcher(tenant).matches()) {
            throw new RetrievalException(ErrorCode.MISSING_TENANT, "Invalid tenant: must match " + NAME.pattern() + ".");
        }
        return tenant;
    }

    public static String collection(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RetrievalException(ErrorCode.INVALID_REQUEST,
                    "Invalid collection name: must match " + NAME.pattern() + ".");
        }
        return name;
    }

    public static String item(String id) {
        if (id == null || !ITEM_ID.matcher(id).matches()) {
            throw new RetrievalException(ErrorCode.INVALID_REQUEST, "Invalid item id: must match " + ITEM_ID.pattern() + ".");
        }
        return id;
    }
}
