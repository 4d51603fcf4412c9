package org.cleanbackup.model;

/**
 * File names as a person reads them on a terminal. A name may hold any byte but '/' and NUL: a newline that would
 * split a report line in two, or an escape sequence that clears the screen or recolours it. Control characters are
 * shown escaped ({@code \n}, {@code \r}, {@code \t}, {@code \e}, else {@code \xHH}), so one file is one line and a
 * name can never act on the terminal. JSON output needs none of this: JSON escapes what it must, and stays exact.
 *
 * @since 0.2
 */
public final class DisplayNames {

    private DisplayNames() {
    }

    /** {@code value.toString()} with its control characters (C0, DEL and C1) escaped. */
    public static String of(Object value) {
        String s = String.valueOf(value);
        int i = 0;
        while (i < s.length() && !isControl(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s; // the usual case: nothing to escape, nothing copied
        }
        StringBuilder out = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isControl(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x1B -> out.append("\\e");
                default -> out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out.toString();
    }

    /** C0 controls, DEL and the C1 controls (0x80-0x9F, among them CSI, which some terminals obey). */
    static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F;
    }
}
