package dev.jconv.internal.kernels;

/**
 * Adaptive pooling of {@code planes} independent {@code inH x inW} maps to {@code outH x outW};
 * bin i covers {@code [floor(i*in/out), ceil((i+1)*in/out))} (see {@code PoolShapes}).
 */
public record AdaptivePool2dParams(int planes, int inH, int inW, int outH, int outW) {

  public AdaptivePool2dParams {
    assert planes >= 0 && inH >= 1 && inW >= 1 && outH >= 0 && outW >= 0 : "sizes";
    assert (long) planes * inH * inW <= Integer.MAX_VALUE : "input too large";
    assert (long) planes * outH * outW <= Integer.MAX_VALUE : "output too large";
  }

  public int inPlane() {
    return inH * inW;
  }

  public int outPlane() {
    return outH * outW;
  }
}
