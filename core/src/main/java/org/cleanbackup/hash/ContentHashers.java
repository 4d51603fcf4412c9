package org.cleanbackup.hash;

import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds {@link ContentHasher} implementations by name. The built-in ones are {@code xxh3} (XXH3-128, the default:
 * fast and plenty strong against accidental collisions), {@code md5} and {@code sha256}.
 */
public final class ContentHashers {

    /** The name of the default algorithm. */
    public static final String DEFAULT = "xxh3";

    private ContentHashers() {
    }

    /** The default hasher, XXH3-128. */
    public static ContentHasher defaultHasher() {
        return byName(DEFAULT);
    }

    /**
     * The hasher with the given name (case-insensitive).
     *
     * @throws IllegalArgumentException when none has that name, listing the names there are
     */
    public static ContentHasher byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<ContentHasher> all = all();
        return all.stream().filter(h -> h.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown hash algorithm '" + name + "' (available: "
                        + String.join(", ", all.stream().map(ContentHasher::name).toList()) + ")"));
    }

    /** Every hasher on the class path. */
    public static List<ContentHasher> all() {
        return ServiceLoader.load(ContentHasher.class, ContentHasher.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }
}
