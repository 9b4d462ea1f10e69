package dev.sightline.retrieval.support;

import static io.restassured.RestAssured.given;

import dev.sightline.testsupport.TestCredential;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A fresh tenant per test, so tests never see each other's data in the shared test database. */
public final class Tenants {

    private Tenants() {
    }

    public static String fresh() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A request with the internal credential and nothing else (test-support's InternalCalls adds it too). */
    public static RequestSpecification internal() {
        return given().header("Authorization", TestCredential.AUTHORIZATION);
    }

    public static RequestSpecification as(String tenant) {
        return internal().header("X-Sightline-Tenant", tenant).contentType(ContentType.JSON);
    }

    public static void collection(String tenant, String name, int dimension) {
        as(tenant).body(Map.of("dimension", dimension, "model", "test")).put("/collections/" + name).then()
                .statusCode(201);
    }

    public static void collection(String tenant, String name, int dimension, String precision) {
        as(tenant).body(Map.of("dimension", dimension, "model", "test", "precision", precision))
                .put("/collections/" + name).then().statusCode(201);
    }

    public static Map<String, Object> item(String id, float[] vector, String modality) {
        return Map.of("id", id, "vector", vector, "modality", modality);
    }

    public static Map<String, Object> item(String id, float[] vector, String modality, Map<String, Object> metadata) {
        return Map.of("id", id, "vector", vector, "modality", modality, "metadata", metadata);
    }

    /** The ids a search of the collection by vector answers, best first (status 200 asserted). */
    public static List<String> searchIds(String tenant, String name, float[] vector, int topK) {
        return as(tenant).body(Map.of("vector", vector, "top_k", topK)).post("/collections/" + name + "/search").then()
                .statusCode(200).extract().jsonPath().getList("results.id", String.class);
    }

    public static void upsert(String tenant, String name, List<Map<String, Object>> items) {
        as(tenant).body(Map.of("items", items)).post("/collections/" + name + "/items").then().statusCode(200);
    }
}
