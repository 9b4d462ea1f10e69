package dev.sightline.retrieval.media;

/** The two kinds of kept media an item can be asked for. */
public enum MediaKind {
    THUMBNAIL("thumbnail_sha256"), ORIGINAL("original_sha256");

    private final String column;

    MediaKind(String column) {
        this.column = column;
    }

    /** The items column that names this kind's blob. */
    public String column() {
        return column;
    }

    /** "thumbnail" or "original". */
    public String wire() {
        return name().toLowerCase();
    }
}
