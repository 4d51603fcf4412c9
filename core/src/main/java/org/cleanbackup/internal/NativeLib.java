package org.cleanbackup.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: not part of the API. The one way this project binds C functions through the Foreign Function &amp;
 * Memory API (the C library's file calls, libxxhash, libheif, our own libcleanbackup_phash): find the library, make
 * the downcall handles, reach {@code errno}, and turn every failure into an empty {@link Optional} with a one-line
 * reason. A binding is a class whose constructor takes a {@code NativeLib} and makes its handles with
 * {@link #function}; it is built once, in a static field, with {@link #bind}:
 *
 * <pre>{@code
 * static Optional<SystemXxh3> load() {
 *     return NativeLib.bind("xxHash library", SystemXxh3.class,
 *             () -> new SystemXxh3(NativeLib.system("libxxhash.so.0", "libxxhash.so"))).value();
 * }
 * }</pre>
 *
 * <p>No method returns null. A missing library or symbol is a {@link Unavailable} inside the binder, and the
 * binding is then simply absent: callers keep their Java fallback.
 */
public final class NativeLib {

    private static final Logger LOG = LoggerFactory.getLogger(NativeLib.class);
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final SymbolLookup lookup;

    private NativeLib(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
    }

    /** Why a binding cannot be made: the message is what a user is told (one line, what to install). */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Makes a binding; may throw anything: a {@link Unavailable} says why in a user's words. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind() throws Throwable;
    }

    /**
     * A binding made once: the bound functions, or why there are none.
     *
     * @param value   the binding, when it could be made
     * @param failure why not, one line; empty when it could
     */
    public record Bound<T>(Optional<T> value, Optional<String> failure) {

        public Bound {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * Runs {@code binder} once, if {@code caller}'s module may call native code (else the JVM would warn; the
     * launcher passes {@code --enable-native-access}). A {@link Unavailable} keeps its message; any other failure
     * (a library that does not open, a symbol that is missing, a {@link LinkageError}) becomes
     * {@code what + ": " + message}. The reason is logged at debug level.
     */
    public static <T> Bound<T> bind(String what, Class<?> caller, Binder<T> binder) {
        String failure;
        if (!nativeAccessEnabled(caller)) {
            failure = what + ": native access is not enabled (start Java with --enable-native-access=ALL-UNNAMED)";
        } else {
            try {
                return new Bound<>(Optional.of(binder.bind()), Optional.empty());
            } catch (Unavailable e) {
                failure = e.getMessage();
            } catch (Throwable t) { // dlopen failures, missing symbols, an ABI mismatch: never fatal
                failure = what + ": " + (t.getMessage() == null ? t.toString() : t.getMessage());
            }
        }
        LOG.debug("{} not usable: {}", what, failure);
        return new Bound<>(Optional.empty(), Optional.of(failure));
    }

    /** Whether {@code caller}'s module may call native code without the JVM warning. */
    static boolean nativeAccessEnabled(Class<?> caller) {
        return caller.getModule().isNativeAccessEnabled();
    }

    /** The C library (and the other libraries the JVM already loaded). */
    public static NativeLib libc() {
        return new NativeLib("libc", LINKER.defaultLookup());
    }

    /**
     * The first of {@code names} the dynamic loader opens, for the life of the JVM.
     *
     * @throws Unavailable when none opens; the message names them
     */
    public static NativeLib system(String... names) throws Unavailable {
        StringBuilder why = new StringBuilder();
        for (String n : names) {
            try {
                return new NativeLib(n, SymbolLookup.libraryLookup(n, Arena.global()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                why.append(why.isEmpty() ? "" : "; ").append(e.getMessage());
            }
        }
        throw new Unavailable("cannot open " + String.join(" or ", List.of(names)) + " (" + why + ")");
    }

    /**
     * The library in {@code file}, for the life of the JVM (the file may be deleted once this returns: the mapping
     * stays).
     *
     * @throws IllegalArgumentException when it does not open (the dynamic loader's message)
     */
    public static NativeLib file(Path file) {
        return new NativeLib(file.getFileName().toString(), SymbolLookup.libraryLookup(file, Arena.global()));
    }

    /**
     * A downcall handle for {@code symbol}.
     *
     * @throws Unavailable when the library has no such symbol
     */
    public MethodHandle function(String symbol, FunctionDescriptor descriptor, Linker.Option... options)
            throws Unavailable {
        return LINKER.downcallHandle(find(symbol), descriptor, options);
    }

    /** A downcall handle for {@code symbol}, or empty when the library has no such symbol (an optional function). */
    public Optional<MethodHandle> optionalFunction(String symbol, FunctionDescriptor descriptor,
                                                   Linker.Option... options) {
        return lookup.find(symbol).map(s -> LINKER.downcallHandle(s, descriptor, options));
    }

    /**
     * The calling thread's {@code errno}, as memory to clear before a call that reports failure only through it
     * ({@code readdir}) and to read after. Valid as long as the thread lives; only for platform threads (a virtual
     * thread may move to another carrier between the calls).
     */
    public static MemorySegment errnoLocation() {
        try {
            return (MemorySegment) ErrnoLocation.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("__errno_location failed", t);
        }
    }

    private MemorySegment find(String symbol) throws Unavailable {
        return lookup.find(symbol).orElseThrow(() -> new Unavailable(name + " has no symbol " + symbol));
    }

    @Override
    public String toString() {
        return name;
    }

    /** glibc's {@code int *__errno_location(void)}, bound the first time it is needed. */
    private static final class ErrnoLocation {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().findOrThrow("__errno_location"),
                FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS.withTargetLayout(JAVA_INT)));
    }
}
