package org.cleanbackup.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Formatting and parsing of sizes and durations for people. */
final class Units {

    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Units() {
    }

    /** 1536 gives "1.5 KiB". */
    static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /** "1 file", "2 files". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** Parses an age: "30d", "12h", "90m"; a bare number is days. */
    static final class AgeConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(d|h|m)?");

        @Override
        public Duration convert(String value) {
            Matcher m = matching(AGE, value, "an age (e.g. 30d, 12h)");
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "d" : m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofDays(n);
            };
        }
    }

    /** Parses "500ms", "1s", "1.5s", "2m", "1h"; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = matching(DURATION, value, "a duration (e.g. 500ms, 1s, 2m)");
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 1000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
    }

    /** {@code value} (trimmed, in lower case) matched by {@code pattern}; else picocli's "'value' is not WHAT". */
    private static Matcher matching(Pattern pattern, String value, String what) {
        Matcher m = pattern.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not " + what);
        }
        return m;
    }
}
