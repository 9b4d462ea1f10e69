package dev.sightline.gateway.client;

/**
 * A backend's answer of bytes (kept media): 200 with the body, or 304 without one, and the headers that travel
 * with it to the client.
 */
public record BackendBytes(int status, byte[] body, String contentType, String etag, String cacheControl) {
}
