package dev.jconv.nn;

import dev.jconv.DType;
import dev.jconv.Generator;
import dev.jconv.Tensor;
import dev.jconv.autograd.NoGrad;
import dev.jconv.internal.Raw;

/**
 * Parameter initialisation, as PyTorch's {@code torch.nn.init}: each function fills a tensor in place
 * (without recording it for autograd) from the default {@link Generator}, drawing exactly the numbers
 * PyTorch draws, so that after the same {@code manualSeed} the weights are equal bit for bit. Each
 * returns the tensor it filled. Zero-element tensors are left alone, as in PyTorch.
 *
 * <pre>{@code
 * net.apply(m -> {
 *   if (m instanceof Linear l) Init.xavierUniform(l.weight());   // the book's init_weights
 * });
 * }</pre>
 */
public final class Init {
  private Init() {}

  /** Which fan kaiming initialisation scales by (PyTorch's {@code mode='fan_in'} or {@code 'fan_out'}). */
  public enum FanMode {
    FAN_IN,
    FAN_OUT
  }

  /**
   * PyTorch's {@code calculate_gain(nonlinearity, param)}: 1 for linear, conv and sigmoid, 5/3 for
   * tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope {@code param}, NaN meaning
   * the default 0.01), 3/4 for selu.
   *
   * @throws IllegalArgumentException for an unknown nonlinearity
   */
  public static double calculateGain(String nonlinearity, double param) {
    return switch (nonlinearity) {
      case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
          "sigmoid" -> 1;
      case "tanh" -> 5.0 / 3;
      case "relu" -> Math.sqrt(2.0);
      case "leaky_relu" -> {
        double slope = Double.isNaN(param) ? 0.01 : param;
        yield Math.sqrt(2.0 / (1 + slope * slope));
      }
      case "selu" -> 3.0 / 4;
      default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
    };
  }

  /** {@code calculateGain(nonlinearity, NaN)}: the default parameter. */
  public static double calculateGain(String nonlinearity) {
    return calculateGain(nonlinearity, Double.NaN);
  }

  /** Fills {@code t} with U(a, b), PyTorch's {@code uniform_(t, a, b)}. */
  public static Tensor uniform(Tensor t, double a, double b) {
    requireFloat(t);
    Generator gen = Generator.defaultGenerator();
    int n = t.numel();
    if (t.dtype() == DType.FLOAT32) {
      float[] v = new float[n];
      gen.fillUniform(v, 0, n, a, b);
      return copyInto(t, Raw.wrap(v, t.shapeArray()));
    }
    double[] v = new double[n];
    gen.fillUniform(v, 0, n, a, b);
    return copyInto(t, Raw.wrap(v, t.shapeArray()));
  }

  /** Fills {@code t} with N(mean, std^2), PyTorch's {@code normal_(t, mean, std)}. */
  public static Tensor normal(Tensor t, double mean, double std) {
    requireFloat(t);
    Generator gen = Generator.defaultGenerator();
    int n = t.numel();
    if (t.dtype() == DType.FLOAT32) {
      float[] v = new float[n];
      gen.fillNormal(v, 0, n, mean, std);
      return copyInto(t, Raw.wrap(v, t.shapeArray()));
    }
    double[] v = new double[n];
    gen.fillNormal(v, 0, n, mean, std);
    return copyInto(t, Raw.wrap(v, t.shapeArray()));
  }

  /** Fills {@code t} with {@code value}, PyTorch's {@code constant_}. */
  public static Tensor constant(Tensor t, double value) {
    try (var g = NoGrad.enter()) {
      return t.fillInPlace(value);
    }
  }

  /** Fills {@code t} with zeros. */
  public static Tensor zeros(Tensor t) {
    return constant(t, 0);
  }

  /** Fills {@code t} with ones. */
  public static Tensor ones(Tensor t) {
    return constant(t, 1);
  }

  /**
   * Glorot/Xavier uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))}, PyTorch's
   * {@code xavier_uniform_}.
   *
   * @throws IllegalArgumentException for a tensor of fewer than 2 dimensions
   */
  public static Tensor xavierUniform(Tensor t, double gain) {
    long[] fans = fans(t);
    double std = gain * Math.sqrt(2.0 / (double) (fans[0] + fans[1]));
    double a = Math.sqrt(3.0) * std;
    return uniform(t, -a, a);
  }

  /** {@code xavierUniform(t, 1)}. */
  public static Tensor xavierUniform(Tensor t) {
    return xavierUniform(t, 1.0);
  }

  /** Glorot/Xavier normal: N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
  public static Tensor xavierNormal(Tensor t, double gain) {
    long[] fans = fans(t);
    double std = gain * Math.sqrt(2.0 / (double) (fans[0] + fans[1]));
    return normal(t, 0, std);
  }

  /** {@code xavierNormal(t, 1)}. */
  public static Tensor xavierNormal(Tensor t) {
    return xavierNormal(t, 1.0);
  }

  /**
   * He/Kaiming uniform: U(-b, b) with {@code b = sqrt(3) * gain / sqrt(fan)}, PyTorch's
   * {@code kaiming_uniform_(t, a, mode, nonlinearity)}; {@code a} is the leaky_relu slope.
   * PyTorch's layers use {@code a = sqrt(5)} for their default weights.
   */
  public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity) {
    if (t.numel() == 0) {
      return t;
    }
    double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
    double bound = Math.sqrt(3.0) * std;
    return uniform(t, -bound, bound);
  }

  /** {@code kaimingUniform(t, 0, FAN_IN, "leaky_relu")}, PyTorch's defaults. */
  public static Tensor kaimingUniform(Tensor t) {
    return kaimingUniform(t, 0, FanMode.FAN_IN, "leaky_relu");
  }

  /** He/Kaiming normal: N(0, std^2) with {@code std = gain / sqrt(fan)}. */
  public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity) {
    if (t.numel() == 0) {
      return t;
    }
    double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
    return normal(t, 0, std);
  }

  /** {@code kaimingNormal(t, 0, FAN_IN, "leaky_relu")}. */
  public static Tensor kaimingNormal(Tensor t) {
    return kaimingNormal(t, 0, FanMode.FAN_IN, "leaky_relu");
  }

  /**
   * {@code [fan_in, fan_out]} of a weight {@code [out, in, *kernel]}: in and out times the kernel's
   * element count (PyTorch's {@code _calculate_fan_in_and_fan_out}).
   *
   * @throws IllegalArgumentException for fewer than 2 dimensions
   */
  public static long[] fans(Tensor t) {
    if (t.dim() < 2) {
      throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
          + "dimensions");
    }
    long receptive = 1;
    for (int d = 2; d < t.dim(); d++) {
      receptive *= t.size(d);
    }
    return new long[] {t.size(1) * receptive, t.size(0) * receptive};
  }

  private static long fan(Tensor t, FanMode mode) {
    long[] f = fans(t);
    return mode == FanMode.FAN_IN ? f[0] : f[1];
  }

  private static void requireFloat(Tensor t) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException("initialisation needs a floating-point tensor, but got " + t.dtype());
    }
  }

  private static Tensor copyInto(Tensor t, Tensor values) {
    try (var g = NoGrad.enter()) {
      return t.copyInPlace(values);
    }
  }
}
