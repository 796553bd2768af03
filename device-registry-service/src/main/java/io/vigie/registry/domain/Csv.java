package io.vigie.registry.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma separated, fields optionally in double quotes (a quote doubled inside),
 * CRLF or LF line ends, a leading byte-order mark ignored. Blank lines are skipped.
 */
public final class Csv {
  private Csv() {}

  /** The records of {@code text}; {@link IllegalArgumentException} for an unterminated quoted field. */
  public static List<List<String>> parse(String text) {
    var records = new ArrayList<List<String>>();
    var record = new ArrayList<String>();
    var field = new StringBuilder();
    var quoted = false;
    var fieldStarted = false;
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        end(records, record, field, fieldStarted);
        record = new ArrayList<>();
        fieldStarted = false;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (quoted) throw new IllegalArgumentException("the CSV ends inside a quoted field");
    end(records, record, field, fieldStarted);
    return records;
  }

  private static void end(List<List<String>> records, List<String> record, StringBuilder field, boolean started) {
    if (!started && record.isEmpty()) return;
    record.add(field.toString());
    field.setLength(0);
    records.add(record);
  }
}
