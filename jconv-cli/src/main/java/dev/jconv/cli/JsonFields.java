package dev.jconv.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads top-level fields of the flat, one-line JSON objects that {@code tools/bench/torch_bench.py}
 * prints, and writes JSON strings. Not a general JSON parser: the core library has no dependencies
 * and the CLI needs only numbers and strings from lines it asked for.
 */
final class JsonFields {
  private JsonFields() {}

  private static Pattern field(String key) {
    return Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[-+0-9.eE]+|true|false|null)");
  }

  /** The number in field {@code key}, if the line has one. */
  static Optional<Double> number(String line, String key) {
    Matcher m = field(key).matcher(line);
    if (!m.find() || m.group(1).startsWith("\"") || !Character.isDigit(m.group(1).charAt(m.group(1).length() - 1))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Double.parseDouble(m.group(1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The string in field {@code key}, unescaped, if the line has one. */
  static Optional<String> string(String line, String key) {
    Matcher m = field(key).matcher(line);
    if (!m.find() || !m.group(1).startsWith("\"")) {
      return Optional.empty();
    }
    String s = m.group(1);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return Optional.of(out.toString());
  }

  /** {@code s} as a JSON string literal, quotes included. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
