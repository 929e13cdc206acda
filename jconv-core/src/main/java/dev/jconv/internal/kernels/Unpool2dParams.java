package dev.jconv.internal.kernels;

/**
 * Max unpooling of {@code planes} maps of {@code inPlane} values each into zeroed
 * {@code outH x outW} maps; every index has been checked to lie in {@code [0, outH*outW)}.
 */
public record Unpool2dParams(int planes, int inPlane, int outH, int outW) {

  public Unpool2dParams {
    assert planes >= 0 && inPlane >= 0 && outH >= 0 && outW >= 0 : "sizes";
    assert (long) planes * inPlane <= Integer.MAX_VALUE : "input too large";
    assert (long) planes * outH * outW <= Integer.MAX_VALUE : "output too large";
  }

  public int outPlane() {
    return outH * outW;
  }
}
