package dev.sightline.common.naming;

import java.util.regex.Pattern;

/** The names every service agrees on: the pattern of tenant, collection and classifier names, the tenant header. */
public final class Names {

    /** Tenants, collections and classifiers: lower-case letters, digits, '-' and '_', 1 to 63 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** Item ids: printable ASCII without spaces, slashes or quotes, 1 to 128 characters. */
    public static final Pattern ITEM_ID = Pattern.compile("[A-Za-z0-9._:@+=~-]{1,128}");

    /** The header that carries the tenant from the gateway to the internal services. */
    public static final String TENANT_HEADER = "X-Sightline-Tenant";

    private Names() {
    }

    /** Whether a string is a valid name. */
    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }
}
