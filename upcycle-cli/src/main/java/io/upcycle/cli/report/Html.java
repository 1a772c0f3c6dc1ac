package io.upcycle.cli.report;

import java.util.List;

/** Small helpers to write HTML by hand: escaping and table rows. */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and quoted attribute values. */
    static String esc(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A header row of escaped cells. */
    static String head(List<String> cells) {
        StringBuilder out = new StringBuilder("<tr>");
        cells.forEach(c -> out.append("<th>").append(esc(c)).append("</th>"));
        return out.append("</tr>\n").toString();
    }

    /** A row of escaped cells; numbers right-aligned by the stylesheet's td.n. */
    static String row(List<String> cells) {
        StringBuilder out = new StringBuilder("<tr>");
        for (String c : cells) {
            boolean numeric = !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '+' || c.charAt(0) == '-'
                    || c.startsWith("n/a"));
            out.append(numeric ? "<td class=\"n\">" : "<td>").append(esc(c)).append("</td>");
        }
        return out.append("</tr>\n").toString();
    }
}
