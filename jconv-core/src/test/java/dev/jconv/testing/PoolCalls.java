package dev.jconv.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Tensor;
import dev.jconv.nn.AdaptiveAvgPool2dOptions;
import dev.jconv.nn.AdaptiveMaxPool2dOptions;
import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.LPPool2dOptions;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.functional.F;

/**
 * The pooling calls of the random golden areas (fuzz_pool, fuzz_args), from their JSON arguments:
 * {@code kernel}, {@code stride} (null: the kernel), {@code padding}, {@code dilation}, {@code ceil},
 * {@code include}, {@code divisor} (null: none), {@code norm}, {@code out}; a size is an int or a pair.
 */
public final class PoolCalls {
  private PoolCalls() {}

  /** A max pooling's options from {@code kernel}, {@code stride}, {@code padding}, {@code dilation}, {@code ceil}. */
  public static MaxPool2dOptions maxOptions(JsonNode a) {
    int[] k = Golden.pair(a.get("kernel"));
    int[] p = Golden.pair(a.get("padding"));
    int[] d = Golden.pair(a.get("dilation"));
    MaxPool2dOptions o = MaxPool2dOptions.of(k[0], k[1]).padding(p[0], p[1]).dilation(d[0], d[1])
        .ceilMode(a.get("ceil").asBoolean());
    if (!a.get("stride").isNull()) {
      int[] s = Golden.pair(a.get("stride"));
      o = o.stride(s[0], s[1]);
    }
    return o;
  }

  /** {@code x} rounded half to even, as {@code torch.round} (the generators' tied max windows), as float32. */
  public static Tensor rounded(Tensor x) {
    double[] d = x.toDoubleArray();
    float[] v = new float[d.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.rint(d[i]);
    }
    return dev.jconv.Torch.fromFlat(v, x.shapeArray());
  }

  /** {@code op} ("max", "avg", "lp", "adaptive_avg", "adaptive_max") on {@code x} through {@link F}. */
  public static Tensor run(String op, JsonNode a, Tensor x) {
    return switch (op) {
      case "max" -> F.maxPool2d(x, maxOptions(a));
      case "avg" -> {
        int[] k = Golden.pair(a.get("kernel"));
        int[] p = Golden.pair(a.get("padding"));
        AvgPool2dOptions o = AvgPool2dOptions.of(k[0], k[1]).padding(p[0], p[1]).ceilMode(a.get("ceil").asBoolean())
            .countIncludePad(a.get("include").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = Golden.pair(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        if (!a.get("divisor").isNull()) {
          o = o.divisorOverride(a.get("divisor").asInt());
        }
        yield F.avgPool2d(x, o);
      }
      case "lp" -> {
        int[] k = Golden.pair(a.get("kernel"));
        LPPool2dOptions o = LPPool2dOptions.of(a.get("norm").asDouble(), k[0], k[1]).ceilMode(a.get("ceil").asBoolean());
        if (!a.get("stride").isNull()) {
          int[] s = Golden.pair(a.get("stride"));
          o = o.stride(s[0], s[1]);
        }
        yield F.lpPool2d(x, o);
      }
      case "adaptive_avg" -> {
        int[] out = Golden.pair(a.get("out"));
        yield F.adaptiveAvgPool2d(x, AdaptiveAvgPool2dOptions.of(out[0], out[1]));
      }
      case "adaptive_max" -> {
        int[] out = Golden.pair(a.get("out"));
        yield F.adaptiveMaxPool2d(x, AdaptiveMaxPool2dOptions.of(out[0], out[1]));
      }
      default -> throw new AssertionError(op);
    };
  }
}
