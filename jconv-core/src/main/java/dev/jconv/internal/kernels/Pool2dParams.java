package dev.jconv.internal.kernels;

/**
 * Everything a windowed pooling kernel (max, average, LP) needs, already validated by the public
 * layer. The tensor is seen as {@code planes} independent {@code inH x inW} maps (N*C, or C when
 * unbatched), each producing one {@code outH x outW} map.
 *
 * @param divisorOverride the average-pooling divisor, or 0 for none (PyTorch refuses 0)
 */
public record Pool2dParams(
    int planes,
    int inH,
    int inW,
    int outH,
    int outW,
    int kH,
    int kW,
    int sH,
    int sW,
    int pH,
    int pW,
    int dH,
    int dW,
    boolean countIncludePad,
    int divisorOverride) {

  public Pool2dParams {
    assert planes >= 0 && inH >= 1 && inW >= 1 && outH >= 1 && outW >= 1 : "sizes";
    assert kH >= 1 && kW >= 1 && sH >= 1 && sW >= 1 && dH >= 1 && dW >= 1 : "kernel/stride/dilation";
    assert pH >= 0 && pW >= 0 && pH <= kH / 2 && pW <= kW / 2 : "padding";
    assert (long) planes * inH * inW <= Integer.MAX_VALUE : "input too large";
    assert (long) planes * outH * outW <= Integer.MAX_VALUE : "output too large";
  }

  /** Parameters for max pooling (average-only fields at their defaults). */
  public static Pool2dParams max(
      int planes, int inH, int inW, int outH, int outW,
      int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW) {
    return new Pool2dParams(planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW, true, 0);
  }

  /** Parameters for average pooling (no dilation in PyTorch's avg_pool2d). */
  public static Pool2dParams avg(
      int planes, int inH, int inW, int outH, int outW,
      int kH, int kW, int sH, int sW, int pH, int pW,
      boolean countIncludePad, int divisorOverride) {
    return new Pool2dParams(
        planes, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, 1, 1, countIncludePad, divisorOverride);
  }

  public int inPlane() {
    return inH * inW;
  }

  public int outPlane() {
    return outH * outW;
  }

  /**
   * The average divisor of window (oh, ow): PyTorch clips the window to the padded input
   * {@code [-p, in+p)} for count_include_pad (so a ceil-mode overhang past the padding does not
   * count), to the input itself otherwise; divisor_override wins over both.
   */
  public long divisor(int oh, int ow) {
    if (divisorOverride != 0) {
      return divisorOverride;
    }
    // long: a huge kernel over a tiny input can make the padded window exceed int.
    long h0 = (long) oh * sH - pH;
    long w0 = (long) ow * sW - pW;
    long h1 = Math.min(h0 + kH, (long) inH + pH);
    long w1 = Math.min(w0 + kW, (long) inW + pW);
    if (!countIncludePad) {
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, inH);
      w1 = Math.min(w1, inW);
    }
    return (h1 - h0) * (w1 - w0);
  }
}
