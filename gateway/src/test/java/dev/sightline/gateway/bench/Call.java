package dev.sightline.gateway.bench;

/** One request of one side, the i-th of its worker's sequence; whether it succeeded. */
@FunctionalInterface
interface Call {
    boolean call(int i) throws Exception;
}
