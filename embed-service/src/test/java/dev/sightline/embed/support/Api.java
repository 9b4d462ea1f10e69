package dev.sightline.embed.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Small helpers for calling embed-service over real HTTP in tests. */
public final class Api {

    private Api() {
    }

    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** POSTs JSON, asserts the status, returns the body. */
    public static JsonPath post(String path, Object body, int status) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then().statusCode(status)
                .extract().jsonPath();
    }

    public static float[] textEmbedding(String text) {
        return row(post("/embed/text", Map.of("texts", List.of(text)), 200), 0);
    }

    public static float[] imageEmbedding(byte[] image) {
        return row(post("/embed/image", Map.of("images", List.of(base64(image))), 200), 0);
    }

    public static float[] row(JsonPath body, int i) {
        List<Float> list = body.getList("embeddings[" + i + "]", Float.class);
        float[] v = new float[list.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = list.get(j);
        }
        return v;
    }
}
