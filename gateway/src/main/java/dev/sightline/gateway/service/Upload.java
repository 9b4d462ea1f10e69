package dev.sightline.gateway.service;

/** An uploaded file: the client's file name and its bytes. */
public record Upload(String fileName, byte[] bytes) {

    /** The file name without its extension: the item id of an uploaded image. */
    public String baseName() {
        String name = fileName == null ? "" : fileName;
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }
}
