package dev.sightline.common.internal;

import io.smallrye.config.ConfigMapping;

/** How the Sightline services prove to each other that a call comes from inside the platform. */
@ConfigMapping(prefix = "sightline.internal")
public interface InternalConfig {

    /**
     * The shared secret every call to an internal service carries as {@code Authorization: Bearer <token>}, at least
     * 32 characters; no default, so a service without one does not start. {@code ./sightline up} writes one to
     * {@code .sightline/internal-token} (mode 0600); in Kubernetes it comes from the Secret
     * {@code sightline-internal-token}. Environment: {@code SIGHTLINE_INTERNAL_TOKEN}.
     */
    String token();
}
