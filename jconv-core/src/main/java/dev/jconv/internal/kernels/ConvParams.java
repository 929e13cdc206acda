package dev.jconv.internal.kernels;

/**
 * Everything a 2-D convolution kernel needs to know, already validated by the public layer: the
 * batched input {@code (n, cin, h, w)}, the weight {@code (cout, cin/groups, kh, kw)}, stride, the
 * four paddings (top/left/bottom/right, so 'same' with even kernels needs no special case),
 * dilation and the output size. Arrays are C-ordered {@code float[]}: input {@code n*cin*h*w},
 * weight {@code cout*(cin/groups)*kh*kw}, output {@code n*cout*outH*outW}.
 */
public record ConvParams(
    int n, int cin, int h, int w,
    int cout, int groups, int kh, int kw,
    int strideH, int strideW,
    int padTop, int padLeft, int padBottom, int padRight,
    int dilationH, int dilationW,
    int outH, int outW) {

  public ConvParams {
    assert n >= 0 && cin >= 0 && h >= 0 && w >= 0 && cout >= 0 : "negative size";
    assert groups >= 1 && cin % groups == 0 && cout % groups == 0 : "bad groups " + groups;
    assert kh >= 1 && kw >= 1 && strideH >= 1 && strideW >= 1 && dilationH >= 1 && dilationW >= 1;
    assert padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0;
    assert outH >= 0 && outW >= 0;
    assert (long) n * cin * h * w <= Integer.MAX_VALUE : "input too large";
    assert (long) n * cout * outH * outW <= Integer.MAX_VALUE : "output too large";
  }

  public int cinPerGroup() {
    return cin / groups;
  }

  public int coutPerGroup() {
    return cout / groups;
  }

  /** Rows of the im2col matrix (the GEMM depth): {@code cin/groups * kh * kw}. */
  public int patchSize() {
    return cinPerGroup() * kh * kw;
  }

  public int inputLength() {
    return n * cin * h * w;
  }

  public int weightLength() {
    return cout * cinPerGroup() * kh * kw;
  }

  public int outputLength() {
    return n * cout * outH * outW;
  }

  /** Multiply-adds times two, the usual convolution FLOP count. */
  public long flops() {
    return 2L * n * cout * outH * outW * cinPerGroup() * kh * kw;
  }
}
