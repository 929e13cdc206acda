package dev.jconv.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.io.Npy;
import dev.jconv.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

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

  /**
   * The cases of one area as test arguments (display name, case, dtype): each case that PyTorch ran
   * twice, in float32 and float64, and each refused one once, in {@code refusedAs}.
   */
  public static Stream<Arguments> inBothFloats(String area, Function<JsonNode, String> name, DType refusedAs) {
    return cases(area).stream().flatMap(c -> c.get("error").isNull()
        ? Stream.of(Arguments.of(name.apply(c) + " float32", c, DType.FLOAT32),
            Arguments.of(name.apply(c) + " float64", c, DType.FLOAT64))
        : Stream.of(Arguments.of(name.apply(c) + " refused", c, refusedAs)));
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

  /**
   * Asserts that {@code actual} has the shape of the float array {@code file} of {@code area} and lies
   * within {@code tol * |expected| + tol} of it everywhere (compared in float64), naming how many
   * elements do not and the largest difference.
   */
  public static void assertWithin(String area, String file, Tensor actual, double tol, String what) {
    assertWithin(area, file, actual, tol, false, what);
  }

  /**
   * {@link #assertWithin}, the absolute part scaled by the largest magnitude of the expected array
   * when above 1 ({@code tol * (|expected| + max(1, max|expected|))}): for results of long chains,
   * where an element that cancels (a gradient that is zero in exact arithmetic) keeps the rounding
   * of the terms it cancels.
   */
  public static void assertWithinScale(String area, String file, Tensor actual, double tol, String what) {
    assertWithin(area, file, actual, tol, true, what);
  }

  private static void assertWithin(String area, String file, Tensor actual, double tol, boolean scaled,
      String what) {
    Tensor expected = Npy.toTensor(array(area, file)).to(DType.FLOAT64);
    if (!Arrays.equals(expected.shapeArray(), actual.shapeArray())) {
      throw new AssertionError(what + ": shape " + Arrays.toString(actual.shapeArray()) + ", expected "
          + Arrays.toString(expected.shapeArray()));
    }
    Tensor a = actual.to(DType.FLOAT64);
    Tensor diff = a.sub(expected).abs();
    double floor = scaled && expected.numel() > 0 ? Math.max(1, expected.abs().max().item()) * tol : tol;
    long bad = (long) diff.gt(expected.abs().mul(tol).add(floor)).sum().item();
    if (bad != 0) {
      throw new AssertionError(what + ": " + bad + " of " + a.numel() + " elements differ; largest difference "
          + diff.max().item());
    }
  }

  /**
   * Asserts that a tensor drawn again with jconv's generator sums to what PyTorch's draw summed to
   * (a case that keeps a seed instead of its input): the two generators agree.
   */
  public static Tensor drawnAs(Tensor drawn, double sum, String what) {
    double got = drawn.to(DType.FLOAT64).sum().item();
    if (Math.abs(got - sum) > 1e-9 * (1 + Math.abs(sum))) {
      throw new AssertionError(what + ": jconv's generator drew other values than PyTorch's (sum " + got
          + ", expected " + sum + ")");
    }
    return drawn;
  }

  /** Copies a file of an area (a safetensors file, say) into {@code dir}; returns its path there. */
  public static java.nio.file.Path copyTo(String area, String file, java.nio.file.Path dir) {
    java.nio.file.Path to = dir.resolve(file);
    try (InputStream in = open(area, file)) {
      java.nio.file.Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }

  /** A JSON list of ints. */
  public static int[] ints(JsonNode v) {
    int[] r = new int[v.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = v.get(i).asInt();
    }
    return r;
  }

  /** A size given as one int (for both sides) or a pair. */
  public static int[] pair(JsonNode v) {
    return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
  }

  /**
   * A random case's outcome: the output shape {@code case.out} when {@code case.error} is null, else
   * an IllegalArgumentException with PyTorch's message (its Python exception class dropped).
   */
  public static void assertShapeOrRefusal(JsonNode c, java.util.function.Supplier<Tensor> call) {
    if (c.get("error").isNull()) {
      int[] want = ints(c.get("out"));
      int[] got = call.get().shapeArray();
      if (!Arrays.equals(want, got)) {
        throw new AssertionError("shape " + Arrays.toString(got) + ", expected " + Arrays.toString(want));
      }
      return;
    }
    assertRefused(words(c.get("error")), call);
  }

  /**
   * PyTorch's message as jconv words it: without the Python exception class ("RuntimeError: ") and
   * without PyTorch's hint about anomaly detection, which jconv does not have.
   */
  public static String words(JsonNode error) {
    return error.asText().replaceFirst("^[A-Za-z]+Error: ", "").replaceFirst(" Hint: enable anomaly detection .*$", "");
  }

  /**
   * {@link #words} of an autograd engine message, with jconv's parameter for PyTorch's
   * ({@code retainGraph=true} for {@code retain_graph=True}) and without {@code autograd.grad()},
   * which jconv does not have.
   */
  public static String engineWords(JsonNode error) {
    return words(error).replace(" or autograd.grad()", "").replace("retain_graph=True", "retainGraph=true");
  }

  /** A float kept in a manifest: a number, or "inf", "-inf" or "nan" (JSON has none of these); a bool as 0 or 1. */
  public static double number(JsonNode v) {
    if (v.isTextual()) {
      return switch (v.asText()) {
        case "inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        case "nan" -> Double.NaN;
        default -> throw new AssertionError("not a number: " + v);
      };
    }
    return v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asDouble();
  }

  /** {@code call} throws an IllegalArgumentException with exactly {@code message}. */
  public static void assertRefused(String message, java.util.function.Supplier<Tensor> call) {
    try {
      call.get();
    } catch (IllegalArgumentException e) {
      if (!message.equals(e.getMessage())) {
        throw new AssertionError("refused with\n  " + e.getMessage() + "\nexpected\n  " + message, e);
      }
      return;
    }
    throw new AssertionError("not refused; expected: " + message);
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
