package dev.arcsim.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the Markdown the reports write into HTML, so the HTML report says exactly what report.md says. It knows
 * the subset the reports use: headings, paragraphs, pipe tables, bold, code spans and images; not Markdown at large.
 */
final class MarkdownHtml {

    static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
            + "vertical-align:top}th{background:#f4f4f4}code,pre{background:#f6f6f6;padding:1px 4px}pre{padding:1em;"
            + "overflow:auto}img{max-width:100%}";

    private static final Pattern IMAGE = Pattern.compile("!\\[([^]]*)]\\(([^)]+)\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^]]+)]\\(([^)]+)\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private MarkdownHtml() {
    }

    static String render(String markdown) {
        StringBuilder html = new StringBuilder();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                int level = (int) line.chars().takeWhile(c -> c == '#').count();
                html.append("<h").append(level).append('>').append(inline(line.substring(level).trim()))
                        .append("</h").append(level).append(">\n");
            } else if (line.startsWith("|")) {
                html.append("<table>\n");
                boolean header = true;
                for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                    String row = lines.get(i);
                    if (row.matches("\\|[-| :]+\\|")) {
                        continue;
                    }
                    html.append("<tr>");
                    for (String cell : cells(row)) {
                        html.append(header ? "<th>" : "<td>").append(inline(cell.trim())).append(header ? "</th>" : "</td>");
                    }
                    html.append("</tr>\n");
                    header = false;
                }
                i--;
                html.append("</table>\n");
            } else {
                html.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        return html.toString();
    }

    /** A table row's cells; {@code \|} is a pipe inside a cell. */
    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") ? row.length() - 1 : row.length());
        return java.util.Arrays.stream(inner.split("(?<!\\\\)\\|")).map(c -> c.replace("\\|", "|")).toList();
    }

    private static String inline(String text) {
        String out = escape(text);
        out = replace(IMAGE, out, m -> "<img alt=\"" + m.group(1) + "\" src=\"" + m.group(2) + "\">");
        out = replace(LINK, out, m -> "<a href=\"" + m.group(2) + "\">" + m.group(1) + "</a>");
        out = replace(BOLD, out, m -> "<strong>" + m.group(1) + "</strong>");
        return replace(CODE, out, m -> "<code>" + m.group(1) + "</code>");
    }

    private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
