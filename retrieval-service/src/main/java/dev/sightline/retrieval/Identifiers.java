package dev.sightline.retrieval;

import dev.sightline.common.naming.Names;
import dev.sightline.common.problem.CommonProblem;
import dev.sightline.common.problem.ProblemException;
import java.util.regex.Pattern;

/** Checks of the tenant, collection and item identifiers a request names. */
public final class Identifiers {

    /** Item ids: {@link Names#ITEM_ID}. */
    public static final Pattern ITEM_ID = Names.ITEM_ID;

    private Identifiers() {
    }

    public static String tenant(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            throw new ProblemException(RetrievalProblem.MISSING_TENANT,
                    "The " + Names.TENANT_HEADER + " header is required.");
        }
        if (!Names.isName(tenant)) {
            throw new ProblemException(RetrievalProblem.MISSING_TENANT,
                    "Invalid tenant: must match " + Names.NAME.pattern() + ".");
        }
        return tenant;
    }

    public static String collection(String name) {
        if (!Names.isName(name)) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "Invalid name: must match " + Names.NAME.pattern() + ".");
        }
        return name;
    }

    public static String item(String id) {
        if (id == null || !ITEM_ID.matcher(id).matches()) {
            throw new ProblemException(CommonProblem.INVALID_REQUEST,
                    "Invalid item id: must match " + ITEM_ID.pattern() + ".");
        }
        return id;
    }
}
