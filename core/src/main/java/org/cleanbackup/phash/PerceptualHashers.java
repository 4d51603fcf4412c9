package org.cleanbackup.phash;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@link DctKernel}s and {@link LumaDecoder}s on the class path and builds the backends from them: one
 * {@link PerceptualHasher} per kernel, named after it, with the decoders that serve it, highest priority first.
 *
 * <p>{@link #fastest()} takes the kernel of highest {@linkplain DctKernel#priority() priority} ({@code native}, then
 * {@code vector}, then {@code scalar}) that is available and passes a known-answer self-test; one that does not is
 * skipped with a logged reason. A decoder that is unavailable, or decodes a known JPEG wrongly, is left out of every
 * chain, with a logged reason. The system property {@value #BACKEND_PROPERTY} forces a backend by name. Providers
 * are loaded and tested once per class loader.
 *
 * <pre>{@code
 * PerceptualHasher hasher = PerceptualHashers.fastest();
 * PerceptualHash hash = hasher.hash(Path.of("IMG_1234.jpg"));
 * }</pre>
 *
 * @since 0.1
 */
public final class PerceptualHashers {

    /** System property naming the backend {@link #fastest()} must return, e.g. {@code -Dcleanbackup.phash.backend=scalar}. */
    public static final String BACKEND_PROPERTY = "cleanbackup.phash.backend";

    /** System property overriding the {@linkplain #maxPixels() pixel limit}. */
    public static final String MAX_PIXELS_PROPERTY = "cleanbackup.phash.maxPixels";

    /**
     * The default largest image, in pixels (width times height), that a decoder accepts: 150 million, above any
     * camera sensor of today (the largest are around 100 megapixels) and well below what would exhaust memory.
     * Decompression bombs (a small file whose header claims, say, 100,000 x 100,000 pixels) are refused from the
     * header, before any pixel memory is allocated.
     */
    public static final long DEFAULT_MAX_PIXELS = 150_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(PerceptualHashers.class);

    private PerceptualHashers() {
    }

    /**
     * The backend to use: the one named by {@value #BACKEND_PROPERTY} when set, else the first of native, vector,
     * scalar that is available and passes its self-test.
     *
     * @throws IllegalStateException when the forced backend cannot be used, or none can (the message says why)
     */
    public static PerceptualHasher fastest() {
        return Registry.INSTANCE.fastest();
    }

    /**
     * The backend with that name (case-insensitive), after checking it is available and passes its self-test.
     *
     * @throws IllegalArgumentException when no backend has that name (the message lists the names there are)
     * @throws IllegalStateException    when it is unavailable or failed its self-test (the message says why)
     */
    public static PerceptualHasher get(String name) {
        return Registry.INSTANCE.get(name);
    }

    /**
     * Every backend found, the built-in ones first in order of preference, with whether it is usable and why not,
     * and which one {@link #fastest()} returns. Never throws: a backend that failed to load is listed with the
     * reason.
     */
    public static List<BackendStatus> backends() {
        return Registry.INSTANCE.statuses();
    }

    /** The largest image in pixels a decoder accepts: {@value #MAX_PIXELS_PROPERTY} or {@link #DEFAULT_MAX_PIXELS}. */
    public static long maxPixels() {
        String value = System.getProperty(MAX_PIXELS_PROPERTY);
        if (value != null) {
            try {
                long parsed = Long.parseLong(value.strip().replace("_", ""));
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // fall through to the warning
            }
            LOG.warn("ignoring {}={}: not a positive whole number", MAX_PIXELS_PROPERTY, value);
        }
        return DEFAULT_MAX_PIXELS;
    }

    /** The providers found, each checked once; lazily built so merely loading this class does no work. */
    static final class Registry {

        static final Registry INSTANCE = new Registry(loadKernels(), Registry::loadDecoders);

        /** A backend's standing, known once it has been checked. */
        private record Entry(String name, String implementation, PerceptualHasher hasher, boolean available,
                             boolean selfTestPassed, String reason) {
        }

        /**
         * A backend whose check (availability and known-answer self-test) runs the first time someone needs to
         * know, and only once: {@code fastest()} stops at the first backend that passes, so a run on a machine
         * with a working native library never pays for the Java kernels' self-tests.
         */
        private static final class Candidate {
            private final String name;
            private final int priority;
            private final Supplier<Entry> check;
            private Entry entry;

            Candidate(String name, int priority, Supplier<Entry> check) {
                this.name = name;
                this.priority = priority;
                this.check = check;
            }

            synchronized Entry entry() {
                if (entry == null) {
                    entry = check.get();
                }
                return entry;
            }
        }

        private final Map<String, Candidate> candidates;
        private final Supplier<List<LumaDecoder>> decoders;

        /**
         * @param kernels  every kernel found (or a placeholder for one that failed to load: no kernel)
         * @param decoders the decoders found, loaded the first time a backend is checked
         */
        Registry(List<Found> kernels, Supplier<List<LumaDecoder>> decoders) {
            this.decoders = memoize(decoders);
            Map<String, Candidate> byName = new LinkedHashMap<>();
            for (Found f : kernels) {
                Candidate c = new Candidate(f.name, f.priority, () -> check(f));
                Candidate previous = byName.putIfAbsent(c.name, c);
                if (previous != null) {
                    // two providers claim the same name: refuse to guess, and say who they are
                    String first = previous.entry().implementation;
                    String second = c.entry().implementation;
                    byName.put(c.name, new Candidate(c.name, Math.max(c.priority, previous.priority),
                            () -> new Entry(c.name, first, null, false, false,
                                    "ambiguous: provided by both " + first + " and " + second)));
                }
            }
            List<Candidate> ordered = new ArrayList<>(byName.values());
            ordered.sort(Comparator.comparingInt((Candidate c) -> -c.priority).thenComparing(c -> c.name));
            Map<String, Candidate> sorted = new LinkedHashMap<>();
            ordered.forEach(c -> sorted.put(c.name, c));
            this.candidates = sorted;
        }

        /** A kernel as found: built, or the reason it could not be ({@code failure}, empty when built). */
        record Found(String name, int priority, String type, Optional<DctKernel> kernel, String failure) {
            static Found of(DctKernel k) {
                return new Found(k.name(), k.priority(), k.getClass().getName(), Optional.of(k), "");
            }
        }

        static Registry of(List<? extends DctKernel> kernels, List<? extends LumaDecoder> decoders) {
            List<LumaDecoder> d = List.copyOf(decoders);
            return new Registry(kernels.stream().map(k -> Found.of((DctKernel) k)).toList(), () -> usable(d));
        }

        private static List<Found> loadKernels() {
            List<Found> found = new ArrayList<>();
            for (ServiceLoader.Provider<DctKernel> provider : providers(DctKernel.class)) {
                String type = provider.type().getName();
                try {
                    found.add(Found.of(provider.get()));
                } catch (Throwable t) { // a provider that cannot even be built is listed, never fatal (as lz4-java)
                    String name = type.substring(type.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    found.add(new Found(name, 0, type, Optional.empty(), "failed to load: " + t));
                }
            }
            return found;
        }

        /** The decoders on the class path that can run here and pass the known-answer self-test. */
        private static List<LumaDecoder> loadDecoders() {
            List<LumaDecoder> found = new ArrayList<>();
            for (ServiceLoader.Provider<LumaDecoder> provider : providers(LumaDecoder.class)) {
                try {
                    found.add(provider.get());
                } catch (Throwable t) {
                    LOG.warn("image decoder {} failed to load and will not be used: {}", provider.type().getName(), t);
                }
            }
            List<LumaDecoder> tested = new ArrayList<>();
            for (LumaDecoder d : usable(found)) {
                Optional<String> failure = KnownAnswers.checkDecoder(d);
                if (failure.isPresent()) {
                    LOG.warn("image decoder '{}' failed its self-test and will not be used: {}", d.name(), failure.get());
                } else {
                    tested.add(d);
                }
            }
            return List.copyOf(tested);
        }

        private static <T> List<ServiceLoader.Provider<T>> providers(Class<T> type) {
            return ServiceLoader.load(type, type.getClassLoader()).stream().toList();
        }

        /** The decoders that can run here, highest priority first; the others are logged and left out. */
        private static List<LumaDecoder> usable(List<LumaDecoder> decoders) {
            List<LumaDecoder> out = new ArrayList<>();
            for (LumaDecoder d : decoders) {
                Optional<String> why = unavailable(d::unavailableReason);
                if (why.isPresent()) {
                    LOG.debug("image decoder '{}' left out: {}", d.name(), why.get());
                } else {
                    out.add(d);
                }
            }
            out.sort(Comparator.comparingInt(LumaDecoder::priority).reversed());
            return List.copyOf(out);
        }

        /** A provider's reason not to run; one that throws while saying so cannot run either. */
        private static Optional<String> unavailable(Supplier<Optional<String>> reason) {
            try {
                return reason.get();
            } catch (Throwable t) {
                return Optional.of("failed to load: " + t);
            }
        }

        private static <T> Supplier<T> memoize(Supplier<T> s) {
            return new Supplier<>() {
                private T value;

                @Override
                public synchronized T get() {
                    if (value == null) {
                        value = s.get();
                    }
                    return value;
                }
            };
        }

        private Entry check(Found f) {
            if (f.kernel.isEmpty()) {
                return new Entry(f.name, f.type, null, false, false, f.failure);
            }
            DctKernel k = f.kernel.get();
            Optional<String> unavailable = unavailable(k::unavailableReason);
            if (unavailable.isPresent()) {
                return new Entry(f.name, f.type, null, false, false, unavailable.get());
            }
            PerceptualHasher h = PerceptualHasher.of(k,
                    decoders.get().stream().filter(d -> d.servesKernel(k)).toList());
            Optional<String> failure = KnownAnswers.check(h);
            if (failure.isPresent()) {
                LOG.warn("pHash backend '{}' failed its self-test and will not be used: {}", f.name, failure.get());
                return new Entry(f.name, f.type, h, true, false, failure.get());
            }
            return new Entry(f.name, f.type, h, true, true, "");
        }

        PerceptualHasher fastest() {
            String forced = System.getProperty(BACKEND_PROPERTY);
            if (forced != null && !forced.isBlank()) {
                return get(forced.strip());
            }
            Entry chosen = chosen();
            if (chosen == null) {
                throw new IllegalStateException("no perceptual-hash backend can run here: " + describeAll());
            }
            return chosen.hasher;
        }

        private Entry chosen() {
            for (Candidate c : candidates.values()) {
                Entry e = c.entry();
                if (e.available && e.selfTestPassed) {
                    return e;
                }
                LOG.debug("pHash backend '{}' skipped: {}", e.name, e.reason);
            }
            return null;
        }

        PerceptualHasher get(String name) {
            Candidate c = candidates.get(name.toLowerCase(Locale.ROOT));
            if (c == null) {
                throw new IllegalArgumentException("unknown perceptual-hash backend '" + name + "' (known: "
                        + String.join(", ", candidates.keySet()) + ")");
            }
            Entry e = c.entry();
            if (!(e.available && e.selfTestPassed)) {
                throw new IllegalStateException("perceptual-hash backend '" + e.name + "' cannot be used: " + e.reason);
            }
            return e.hasher;
        }

        List<BackendStatus> statuses() {
            String active;
            try {
                active = fastest().name();
            } catch (RuntimeException e) {
                active = null;
            }
            List<BackendStatus> out = new ArrayList<>();
            for (Candidate c : candidates.values()) {
                Entry e = c.entry();
                List<String> chain = e.hasher == null ? List.of()
                        : e.hasher.decoders().stream().map(LumaDecoder::name).toList();
                out.add(new BackendStatus(e.name, e.implementation, e.available, e.selfTestPassed, e.reason,
                        e.name.equals(active), chain));
            }
            return out;
        }

        private String describeAll() {
            if (candidates.isEmpty()) {
                return "none on the class path (add cleanbackup-phash-java or cleanbackup-phash-native)";
            }
            StringBuilder sb = new StringBuilder();
            candidates.values().forEach(c -> sb.append(sb.isEmpty() ? "" : "; ").append(c.name).append(": ")
                    .append(c.entry().reason));
            return sb.toString();
        }
    }
}
