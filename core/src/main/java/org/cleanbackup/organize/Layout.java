package org.cleanbackup.organize;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an organized file goes, as a pattern of date tokens: {@code {yyyy}/{MM}} (the default),
 * {@code {yyyy}/{MM}-{MMMM}}, {@code {yyyy}/{MM}/{dd}}, {@code {yyyy}-{MM}-{dd}}. Tokens: {@code {yyyy}} year,
 * {@code {MM}} month 01-12, {@code {MMMM}} month name, {@code {dd}} day 01-31. Anything else in braces is refused.
 *
 * @param pattern the pattern
 * @param locale  the language of month names
 */
public record Layout(String pattern, Locale locale) {

    /** The default: {@code {yyyy}/{MM}}. */
    public static final String DEFAULT = "{yyyy}/{MM}";

    private static final Pattern TOKEN = Pattern.compile("\\{([^}]*)}");

    public Layout {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(locale, "locale");
        Matcher m = TOKEN.matcher(pattern);
        while (m.find()) {
            if (!m.group(1).matches("yyyy|MM|MMMM|dd")) {
                throw new IllegalArgumentException("unknown token {" + m.group(1) + "} in layout '" + pattern
                        + "' (known: {yyyy} {MM} {MMMM} {dd})");
            }
        }
        String literal = TOKEN.matcher(pattern).replaceAll("");
        if (literal.contains("{") || literal.contains("}") || pattern.startsWith("/") || pattern.contains("..")) {
            throw new IllegalArgumentException("bad layout '" + pattern + "': use tokens like {yyyy}/{MM}, relative");
        }
    }

    /** The default layout with month names in the given language. */
    public static Layout of(String pattern) {
        return new Layout(pattern, Locale.getDefault(Locale.Category.FORMAT));
    }

    /** The folder, relative to the destination, for a file taken at {@code time}. */
    public Path folderFor(LocalDateTime time) {
        String month = time.getMonth().getDisplayName(TextStyle.FULL_STANDALONE, locale);
        // Some locales (or a JDK without their data) give the number back: English then reads better.
        if (month.chars().allMatch(Character::isDigit)) {
            month = time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        }
        String folder = pattern
                .replace("{yyyy}", String.format(Locale.ROOT, "%04d", time.getYear()))
                .replace("{MMMM}", month)
                .replace("{MM}", String.format(Locale.ROOT, "%02d", time.getMonthValue()))
                .replace("{dd}", String.format(Locale.ROOT, "%02d", time.getDayOfMonth()));
        return Path.of(folder);
    }
}
