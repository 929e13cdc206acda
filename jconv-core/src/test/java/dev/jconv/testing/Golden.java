package dev.jconv.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jconv.io.Npy;
import dev.jconv.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the golden files written by {@code tools/golden/gen_*.py} from real PyTorch:
 * {@code golden/<area>/manifest.json} and the {@code .npy} arrays beside it.
 */
public final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  /** The cases of one area, in the order the generator wrote them. */
  public static List<JsonNode> cases(String area) {
    JsonNode root = manifest(area);
    List<JsonNode> out = new ArrayList<>();
    root.get("cases").forEach(out::add);
    if (out.isEmpty()) {
      throw new AssertionError("golden area " + area + " has no cases");
    }
    return out;
  }

  /** The whole manifest of one area. */
  public static JsonNode manifest(String area) {
    try (InputStream in = open(area, "manifest.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One array of an area, by the file name a case gives. */
  public static NpyArray array(String area, String file) {
    try (InputStream in = open(area, file)) {
      return Npy.readArray(in, area + "/" + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String area, String file) {
    String path = "/golden/" + area + "/" + file;
    InputStream in = Golden.class.getResourceAsStream(path);
    if (in == null) {
      throw new AssertionError("missing golden file " + path + " (run tools/golden/gen_all.py)");
    }
    return in;
  }
}
