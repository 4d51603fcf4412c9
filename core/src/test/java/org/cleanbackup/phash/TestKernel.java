package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test kernel: core's reference kernel under any name and priority, with a decoder that serves blocks from a map,
 * so core's shared code can be tested without any real backend.
 */
public class TestKernel implements DctKernel {

    final Map<Path, Object> files = new ConcurrentHashMap<>();
    private final String name;
    private final int priority;

    /** Core's reference kernel named {@code name}, priority 0. */
    public TestKernel(String name) {
        this(name, 0);
    }

    TestKernel(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public void dct(float[] x, float[] out) {
        DctBasis.referenceDct(x, out);
    }

    /** This kernel with {@link #decoder()}. */
    PerceptualHasher hasher() {
        return PerceptualHasher.of(this, List.of(decoder()));
    }

    /** A decoder serving {@link #files}: a block, or the exception to throw; a file not in the map does not exist. */
    LumaDecoder decoder() {
        return new MapDecoder("map", 0, files);
    }

    record MapDecoder(String name, int priority, Map<Path, Object> files) implements LumaDecoder {

        @Override
        public String formats() {
            return "blocks from a map";
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Optional<LumaBlock> decode(Path file, long maxPixels) throws IOException {
            Object o = files.get(file);
            if (o instanceof LumaBlock b) {
                return Optional.of(b);
            }
            if (o instanceof IOException e) {
                throw e;
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
    }
}
