package org.cleanbackup.phash.nativ;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.cleanbackup.phash.DctKernel;
import org.cleanbackup.phash.LumaBlock;

/**
 * The {@code native} kernel: the DCT in C ({@code cb_phash_dct}), called through the Foreign Function and Memory API
 * as a critical downcall that reads the Java arrays in place. Available when the jar carries
 * {@code libcleanbackup_phash.so} for this platform and the system has libjpeg-turbo ({@code libjpeg62-turbo} on
 * Debian), which the library links to.
 *
 * @since 0.1
 */
public final class NativeDctKernel implements DctKernel {

    private final Optional<NativeLibrary> lib;

    /** Loads the native library if it is not loaded yet; never throws. */
    public NativeDctKernel() {
        this.lib = NativeLibrary.instance();
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public Optional<String> unavailableReason() {
        return NativeLibrary.failure();
    }

    @Override
    public void dct(float[] block, float[] coefficients) {
        if (block.length != LumaBlock.LENGTH || coefficients.length < 64) {
            // the C code trusts the sizes: check them here, where a mistake is an exception and not a crash
            throw new IllegalArgumentException("need 1024 inputs and room for 64 outputs, got " + block.length
                    + " and " + coefficients.length);
        }
        try {
            NativeLibrary.require(lib, "native pHash kernel").dct
                    .invokeExact(MemorySegment.ofArray(block), MemorySegment.ofArray(coefficients));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel call failed", t);
        }
    }

    @Override
    public String toString() {
        return lib.isEmpty() ? "native (unavailable)" : "native (C, " + NativeLibrary.platform() + ")";
    }
}
