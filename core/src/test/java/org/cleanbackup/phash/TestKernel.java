package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test backend: the prescribed accumulation order in plain loops (what {@link DctBasis} documents), with a
 * decoder that serves blocks from a map, so core's shared code can be tested without any real backend.
 */
class TestKernel implements PerceptualHasher {

    private static final float[] C = DctBasis.matrix();

    final Map<Path, Object> files = new ConcurrentHashMap<>();
    private final String name;

    TestKernel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public LumaBlock decode(Path file) throws IOException {
        Object o = files.get(file);
        if (o instanceof LumaBlock b) {
            return b;
        }
        if (o instanceof IOException e) {
            throw e;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        throw new java.nio.file.NoSuchFileException(file.toString());
    }

    @Override
    public void dct(float[] x, float[] out) {
        float[] t = new float[8 * 32];
        for (int u = 0; u < 8; u++) {
            for (int j = 0; j < 32; j++) {
                float acc = 0f;
                for (int i = 0; i < 32; i++) {
                    acc += C[u * 32 + i] * x[i * 32 + j];
                }
                t[u * 32 + j] = acc;
            }
        }
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                float acc = 0f;
                for (int j = 0; j < 32; j++) {
                    acc += t[u * 32 + j] * C[v * 32 + j];
                }
                out[u * 8 + v] = acc;
            }
        }
    }
}
