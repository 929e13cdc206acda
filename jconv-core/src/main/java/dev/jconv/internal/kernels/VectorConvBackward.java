package dev.jconv.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a small convolution as a register-blocked Vector API kernel (loaded only
 * when {@code jdk.incubator.vector} is present): {@code gWT (K x cp) += B (K x cols) · A^T}, where A is
 * {@code gOut} (coutG x cols) transposed into rows of {@code cp} (coutG rounded up to whole vectors,
 * zero-padded). Vectors run over output channels; four kernel taps share each load of A.
 */
final class VectorConvBackward implements ConvBackward.WeightKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  @Override
  public int lanes() {
    return S.length();
  }

  @Override
  public void accumulate(float[] at, int cp, float[] b, int bOff, int ldb, int k, int cols, float[] gwT, int gOff) {
    int r = 0;
    for (; r + 4 <= k; r += 4) {
      int b0 = bOff + r * ldb;
      int b1 = b0 + ldb;
      int b2 = b1 + ldb;
      int b3 = b2 + ldb;
      for (int cb = 0; cb < cp; cb += S.length()) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        for (int j = 0, a = cb; j < cols; j++, a += cp) {
          FloatVector v = FloatVector.fromArray(S, at, a);
          acc0 = v.fma(FloatVector.broadcast(S, b[b0 + j]), acc0);
          acc1 = v.fma(FloatVector.broadcast(S, b[b1 + j]), acc1);
          acc2 = v.fma(FloatVector.broadcast(S, b[b2 + j]), acc2);
          acc3 = v.fma(FloatVector.broadcast(S, b[b3 + j]), acc3);
        }
        int o = gOff + r * cp + cb;
        FloatVector.fromArray(S, gwT, o).add(acc0).intoArray(gwT, o);
        FloatVector.fromArray(S, gwT, o + cp).add(acc1).intoArray(gwT, o + cp);
        FloatVector.fromArray(S, gwT, o + 2 * cp).add(acc2).intoArray(gwT, o + 2 * cp);
        FloatVector.fromArray(S, gwT, o + 3 * cp).add(acc3).intoArray(gwT, o + 3 * cp);
      }
    }
    for (; r < k; r++) {
      int b0 = bOff + r * ldb;
      for (int cb = 0; cb < cp; cb += S.length()) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0, a = cb; j < cols; j++, a += cp) {
          acc = FloatVector.fromArray(S, at, a).fma(FloatVector.broadcast(S, b[b0 + j]), acc);
        }
        int o = gOff + r * cp + cb;
        FloatVector.fromArray(S, gwT, o).add(acc).intoArray(gwT, o);
      }
    }
  }

  @Override
  public void columnGrad(float[] w, int wOff, int k, float[] g, int gOff, int ldg, int coutG, int cols, float[] col) {
    int bound = S.loopBound(cols);
    int r = 0;
    for (; r + 4 <= k; r += 4) {
      int j = 0;
      for (; j < bound; j += S.length()) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        for (int co = 0; co < coutG; co++) {
          FloatVector v = FloatVector.fromArray(S, g, gOff + co * ldg + j);
          int wr = wOff + co * k + r;
          acc0 = v.fma(FloatVector.broadcast(S, w[wr]), acc0);
          acc1 = v.fma(FloatVector.broadcast(S, w[wr + 1]), acc1);
          acc2 = v.fma(FloatVector.broadcast(S, w[wr + 2]), acc2);
          acc3 = v.fma(FloatVector.broadcast(S, w[wr + 3]), acc3);
        }
        acc0.intoArray(col, r * cols + j);
        acc1.intoArray(col, (r + 1) * cols + j);
        acc2.intoArray(col, (r + 2) * cols + j);
        acc3.intoArray(col, (r + 3) * cols + j);
      }
      for (; j < cols; j++) {
        for (int i = 0; i < 4; i++) {
          float acc = 0f;
          for (int co = 0; co < coutG; co++) {
            acc = Math.fma(g[gOff + co * ldg + j], w[wOff + co * k + r + i], acc);
          }
          col[(r + i) * cols + j] = acc;
        }
      }
    }
    for (; r < k; r++) {
      for (int j = 0; j < cols; j++) {
        float acc = 0f;
        for (int co = 0; co < coutG; co++) {
          acc = Math.fma(g[gOff + co * ldg + j], w[wOff + co * k + r], acc);
        }
        col[r * cols + j] = acc;
      }
    }
  }

  @Override
  public void addInto(float[] src, int s, float[] dst, int d, int len) {
    int i = 0;
    for (int bound = S.loopBound(len); i < bound; i += S.length()) {
      FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
    }
    for (; i < len; i++) {
      dst[d + i] += src[s + i];
    }
  }

  @Override
  public void accumulateDot(float[] g, int gOff, int ldg, int coutG, float[] b, int bOff, int ldb, int k, int cols,
      float[] gw, int wOff) {
    int bound = S.loopBound(cols);
    for (int co = 0; co < coutG; co++) {
      int gr = gOff + co * ldg;
      int r = 0;
      for (; r + 4 <= k; r += 4) {
        int b0 = bOff + r * ldb;
        int b1 = b0 + ldb;
        int b2 = b1 + ldb;
        int b3 = b2 + ldb;
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += S.length()) {
          FloatVector v = FloatVector.fromArray(S, g, gr + j);
          acc0 = v.fma(FloatVector.fromArray(S, b, b0 + j), acc0);
          acc1 = v.fma(FloatVector.fromArray(S, b, b1 + j), acc1);
          acc2 = v.fma(FloatVector.fromArray(S, b, b2 + j), acc2);
          acc3 = v.fma(FloatVector.fromArray(S, b, b3 + j), acc3);
        }
        float s0 = acc0.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        float s1 = acc1.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        float s2 = acc2.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        float s3 = acc3.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; j < cols; j++) {
          float gv = g[gr + j];
          s0 = Math.fma(gv, b[b0 + j], s0);
          s1 = Math.fma(gv, b[b1 + j], s1);
          s2 = Math.fma(gv, b[b2 + j], s2);
          s3 = Math.fma(gv, b[b3 + j], s3);
        }
        int o = wOff + co * k + r;
        gw[o] += s0;
        gw[o + 1] += s1;
        gw[o + 2] += s2;
        gw[o + 3] += s3;
      }
      for (; r < k; r++) {
        int b0 = bOff + r * ldb;
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += S.length()) {
          acc = FloatVector.fromArray(S, g, gr + j).fma(FloatVector.fromArray(S, b, b0 + j), acc);
        }
        float s0 = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; j < cols; j++) {
          s0 = Math.fma(g[gr + j], b[b0 + j], s0);
        }
        gw[wOff + co * k + r] += s0;
      }
    }
  }
}
