package dev.sightline.embed.inference;

import dev.sightline.embed.config.EmbedConfig.Device;

/** How ONNX Runtime sessions are created. */
public record RuntimeOptions(int intraOpThreads, int interOpThreads, boolean allowSpinning, Device device,
        int gpuDeviceId) {
}
