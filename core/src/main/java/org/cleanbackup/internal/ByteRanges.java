package org.cleanbackup.internal;

import java.util.Arrays;

/**
 * Internal: not part of the API. Some byte ranges of a file, in file order, not overlapping: the part of the file
 * that counts (an audio file's sound without its tags). Immutable. Adjacent ranges are merged as they are added, so
 * the count stays as small as the layout allows.
 */
public final class ByteRanges {

    /** The most ranges one file may have; a parser that needs more refuses the file instead of allocating. */
    public static final int MAX_RANGES = 1 << 20;

    private final long[] offsets;
    private final long[] lengths;
    private final int count;
    private final long total;

    private ByteRanges(long[] offsets, long[] lengths, int count) {
        this.offsets = offsets;
        this.lengths = lengths;
        this.count = count;
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += lengths[i];
        }
        this.total = sum;
    }

    /** The whole of a file of {@code size} bytes. */
    public static ByteRanges whole(long size) {
        return new Builder().add(0, size).build();
    }

    /** How many ranges. */
    public int count() {
        return count;
    }

    /** Where range {@code i} starts in the file. */
    public long offset(int i) {
        return offsets[i];
    }

    /** How long range {@code i} is. */
    public long length(int i) {
        return lengths[i];
    }

    /** The bytes of all ranges together. */
    public long length() {
        return total;
    }

    /** The file bytes from {@code from} to {@code from + length} of these ranges taken together. */
    public ByteRanges slice(long from, long length) {
        if (from < 0 || length < 0 || from > total - length) {
            throw new IllegalArgumentException("slice " + from + "+" + length + " of " + total + " bytes");
        }
        Builder b = new Builder();
        long skip = from;
        long want = length;
        for (int i = 0; i < count && want > 0; i++) {
            if (skip >= lengths[i]) {
                skip -= lengths[i];
                continue;
            }
            long n = Math.min(lengths[i] - skip, want);
            b.add(offsets[i] + skip, n);
            want -= n;
            skip = 0;
        }
        return b.build();
    }

    /** The bytes of a file of {@code size} bytes that lie in none of these ranges (an audio file's tags). */
    public ByteRanges complement(long size) {
        Builder b = new Builder();
        long pos = 0;
        for (int i = 0; i < count; i++) {
            b.add(pos, offsets[i] - pos);
            pos = offsets[i] + lengths[i];
        }
        b.add(pos, size - pos);
        return b.build();
    }

    /** Whether this is all of a file of {@code size} bytes. */
    public boolean isWhole(long size) {
        return count == 1 && offsets[0] == 0 && lengths[0] == size || count == 0 && size == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRanges r && r.count == count && Arrays.equals(offsets, 0, count, r.offsets, 0, count)
                && Arrays.equals(lengths, 0, count, r.lengths, 0, count);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.copyOf(offsets, count)) * 31 + Long.hashCode(total);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(count, 8); i++) {
            s.append(i > 0 ? ", " : "").append(offsets[i]).append('+').append(lengths[i]);
        }
        return s.append(count > 8 ? ", ... " + count + " ranges]" : "]").toString();
    }

    /** Collects ranges in file order. */
    public static final class Builder {
        private long[] offsets = new long[4];
        private long[] lengths = new long[4];
        private int count;

        /** Adds {@code length} bytes at {@code offset}, after the ranges added so far; an empty range is ignored. */
        public Builder add(long offset, long length) {
            if (length == 0) {
                return this;
            }
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("a range " + offset + "+" + length);
            }
            if (count > 0) {
                long end = offsets[count - 1] + lengths[count - 1];
                if (offset < end) {
                    throw new IllegalArgumentException("ranges out of order or overlapping at " + offset);
                }
                if (offset == end) {
                    lengths[count - 1] += length;
                    return this;
                }
            }
            if (count == MAX_RANGES) {
                throw new IllegalStateException("more than " + MAX_RANGES + " ranges");
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, Math.min(MAX_RANGES, count * 2));
                lengths = Arrays.copyOf(lengths, offsets.length);
            }
            offsets[count] = offset;
            lengths[count] = length;
            count++;
            return this;
        }

        /** How many ranges so far. */
        public int count() {
            return count;
        }

        /** The ranges added. */
        public ByteRanges build() {
            return new ByteRanges(Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count), count);
        }
    }
}
