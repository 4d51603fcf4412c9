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
 * Finds {@link PerceptualHasher} backends and picks the fastest one that works here.
 *
 * <p>{@link #fastest()} tries {@code native}, then {@code vector}, then {@code scalar}; each must be available and
 * pass a known-answer self-test, and one that does not is skipped with a logged reason. The system property
 * {@value #BACKEND_PROPERTY} forces a backend by name. Backends are loaded and tested once per class loader.
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

    /** The built-in backends, fastest first. */
    static final List<String> PREFERENCE = List.of("native", "vector", "scalar");

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

        static final Registry INSTANCE = new Registry(load());

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
            private final Supplier<Entry> check;
            private Entry entry;

            Candidate(String name, Supplier<Entry> check) {
                this.name = name;
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

        Registry(List<Candidate> found) {
            Map<String, Candidate> byName = new LinkedHashMap<>();
            for (Candidate c : found) {
                Candidate previous = byName.putIfAbsent(c.name, c);
                if (previous != null) {
                    // two providers claim the same name: refuse to guess, and say who they are
                    String first = previous.entry().implementation;
                    String second = c.entry().implementation;
                    byName.put(c.name, new Candidate(c.name, () -> new Entry(c.name, first, null, false, false,
                            "ambiguous: provided by both " + first + " and " + second)));
                }
            }
            List<Candidate> ordered = new ArrayList<>(byName.values());
            ordered.sort(Comparator.comparingInt(c -> {
                int i = PREFERENCE.indexOf(c.name);
                return i < 0 ? PREFERENCE.size() : i;
            }));
            Map<String, Candidate> sorted = new LinkedHashMap<>();
            ordered.forEach(c -> sorted.put(c.name, c));
            this.candidates = sorted;
        }

        static Registry of(List<PerceptualHasher> hashers) {
            return new Registry(hashers.stream().map(h -> new Candidate(h.name(), () -> check(h))).toList());
        }

        private static List<Candidate> load() {
            List<Candidate> found = new ArrayList<>();
            ServiceLoader<PerceptualHasher> loader =
                    ServiceLoader.load(PerceptualHasher.class, PerceptualHasher.class.getClassLoader());
            for (ServiceLoader.Provider<PerceptualHasher> provider : loader.stream().toList()) {
                String type = provider.type().getName();
                try {
                    PerceptualHasher h = provider.get();
                    found.add(new Candidate(h.name(), () -> check(h)));
                } catch (Throwable t) { // a provider that cannot even be built is listed, never fatal (as lz4-java)
                    String name = type.substring(type.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    found.add(new Candidate(name, () -> new Entry(name, type, null, false, false, "failed to load: " + t)));
                }
            }
            return found;
        }

        private static Entry check(PerceptualHasher h) {
            String impl = h.getClass().getName();
            Optional<String> unavailable;
            try {
                unavailable = h.unavailableReason();
            } catch (Throwable t) {
                unavailable = Optional.of("failed to load: " + t);
            }
            if (unavailable.isPresent()) {
                return new Entry(h.name(), impl, h, false, false, unavailable.get());
            }
            Optional<String> failure = KnownAnswers.check(h);
            if (failure.isPresent()) {
                LOG.warn("pHash backend '{}' failed its self-test and will not be used: {}", h.name(), failure.get());
                return new Entry(h.name(), impl, h, true, false, failure.get());
            }
            return new Entry(h.name(), impl, h, true, true, "");
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
                out.add(new BackendStatus(e.name, e.implementation, e.available, e.selfTestPassed, e.reason,
                        e.name.equals(active)));
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
