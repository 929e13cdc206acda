package dev.jconv.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

  @Override
  public void wideAccumulate(float[] g, int gOff, int ldg, int rows, float[] x, int xOff, int[] off, int k, int len,
      float[] part, int partOff) {
    int lanes = S.length();
    int ldp = k * lanes;
    int co = 0;
    // Blocks of three rows of gOut by four taps, then two rows, then one; taps left over one by one.
    // One small method per block shape, so that C2 inlines the Vector API calls of each. Larger
    // blocks (4 rows by 4 taps, 16 accumulators) measured 3x slower than 3 by 4 here (the register
    // allocation went wrong), 3 by 4 about 1.3x faster than 2 by 4.
    for (; co + 3 <= rows; co += 3) {
      int g0 = gOff + co * ldg;
      int t = 0;
      for (; t + 4 <= k; t += 4) {
        wide3x4(g, g0, g0 + ldg, g0 + 2 * ldg, x, xOff + off[t], xOff + off[t + 1], xOff + off[t + 2],
            xOff + off[t + 3], len, part, partOff + (co * k + t) * lanes, ldp);
      }
      for (; t < k; t++) {
        for (int i = 0; i < 3; i++) {
          wide1x1(g, g0 + i * ldg, x, xOff + off[t], len, part, partOff + ((co + i) * k + t) * lanes);
        }
      }
    }
    if (co + 2 <= rows) {
      int g0 = gOff + co * ldg;
      int t = 0;
      for (; t + 4 <= k; t += 4) {
        wide2x4(g, g0, g0 + ldg, x, xOff + off[t], xOff + off[t + 1], xOff + off[t + 2], xOff + off[t + 3], len, part,
            partOff + (co * k + t) * lanes, ldp);
      }
      for (; t < k; t++) {
        for (int i = 0; i < 2; i++) {
          wide1x1(g, g0 + i * ldg, x, xOff + off[t], len, part, partOff + ((co + i) * k + t) * lanes);
        }
      }
      co += 2;
    }
    // A leftover row (and depthwise layers, one row per group).
    for (; co < rows; co++) {
      int g0 = gOff + co * ldg;
      int t = 0;
      for (; t + 4 <= k; t += 4) {
        wide1x4(g, g0, x, xOff + off[t], xOff + off[t + 1], xOff + off[t + 2], xOff + off[t + 3], len, part,
            partOff + (co * k + t) * lanes);
      }
      for (; t < k; t++) {
        wide1x1(g, g0, x, xOff + off[t], len, part, partOff + (co * k + t) * lanes);
      }
    }
  }

  /**
   * Three rows of gOut by four taps: 12 accumulators, 7 loads for 12 FMAs (the x loads of
   * neighbouring taps overlap, so they mostly hit L1). Row r's tap i goes to {@code p + r*ldp + i*lanes}.
   */
  private static void wide3x4(float[] g, int g0, int g1, int g2, float[] x, int x0, int x1, int x2, int x3, int len,
      float[] part, int p, int ldp) {
    int l = S.length();
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    for (int j = 0; j < len; j += S.length()) {
      FloatVector v0 = FloatVector.fromArray(S, g, g0 + j);
      FloatVector v1 = FloatVector.fromArray(S, g, g1 + j);
      FloatVector v2 = FloatVector.fromArray(S, g, g2 + j);
      FloatVector b = FloatVector.fromArray(S, x, x0 + j);
      a00 = v0.fma(b, a00);
      a10 = v1.fma(b, a10);
      a20 = v2.fma(b, a20);
      b = FloatVector.fromArray(S, x, x1 + j);
      a01 = v0.fma(b, a01);
      a11 = v1.fma(b, a11);
      a21 = v2.fma(b, a21);
      b = FloatVector.fromArray(S, x, x2 + j);
      a02 = v0.fma(b, a02);
      a12 = v1.fma(b, a12);
      a22 = v2.fma(b, a22);
      b = FloatVector.fromArray(S, x, x3 + j);
      a03 = v0.fma(b, a03);
      a13 = v1.fma(b, a13);
      a23 = v2.fma(b, a23);
    }
    FloatVector.fromArray(S, part, p).add(a00).intoArray(part, p);
    FloatVector.fromArray(S, part, p + l).add(a01).intoArray(part, p + l);
    FloatVector.fromArray(S, part, p + 2 * l).add(a02).intoArray(part, p + 2 * l);
    FloatVector.fromArray(S, part, p + 3 * l).add(a03).intoArray(part, p + 3 * l);
    FloatVector.fromArray(S, part, p + ldp).add(a10).intoArray(part, p + ldp);
    FloatVector.fromArray(S, part, p + ldp + l).add(a11).intoArray(part, p + ldp + l);
    FloatVector.fromArray(S, part, p + ldp + 2 * l).add(a12).intoArray(part, p + ldp + 2 * l);
    FloatVector.fromArray(S, part, p + ldp + 3 * l).add(a13).intoArray(part, p + ldp + 3 * l);
    FloatVector.fromArray(S, part, p + 2 * ldp).add(a20).intoArray(part, p + 2 * ldp);
    FloatVector.fromArray(S, part, p + 2 * ldp + l).add(a21).intoArray(part, p + 2 * ldp + l);
    FloatVector.fromArray(S, part, p + 2 * ldp + 2 * l).add(a22).intoArray(part, p + 2 * ldp + 2 * l);
    FloatVector.fromArray(S, part, p + 2 * ldp + 3 * l).add(a23).intoArray(part, p + 2 * ldp + 3 * l);
  }

  /** Two rows of gOut by four taps, as {@link #wide3x4}. */
  private static void wide2x4(float[] g, int g0, int g1, float[] x, int x0, int x1, int x2, int x3, int len,
      float[] part, int p, int ldp) {
    int l = S.length();
    FloatVector a00 = FloatVector.zero(S);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    for (int j = 0; j < len; j += S.length()) {
      FloatVector v0 = FloatVector.fromArray(S, g, g0 + j);
      FloatVector v1 = FloatVector.fromArray(S, g, g1 + j);
      FloatVector b = FloatVector.fromArray(S, x, x0 + j);
      a00 = v0.fma(b, a00);
      a10 = v1.fma(b, a10);
      b = FloatVector.fromArray(S, x, x1 + j);
      a01 = v0.fma(b, a01);
      a11 = v1.fma(b, a11);
      b = FloatVector.fromArray(S, x, x2 + j);
      a02 = v0.fma(b, a02);
      a12 = v1.fma(b, a12);
      b = FloatVector.fromArray(S, x, x3 + j);
      a03 = v0.fma(b, a03);
      a13 = v1.fma(b, a13);
    }
    FloatVector.fromArray(S, part, p).add(a00).intoArray(part, p);
    FloatVector.fromArray(S, part, p + l).add(a01).intoArray(part, p + l);
    FloatVector.fromArray(S, part, p + 2 * l).add(a02).intoArray(part, p + 2 * l);
    FloatVector.fromArray(S, part, p + 3 * l).add(a03).intoArray(part, p + 3 * l);
    FloatVector.fromArray(S, part, p + ldp).add(a10).intoArray(part, p + ldp);
    FloatVector.fromArray(S, part, p + ldp + l).add(a11).intoArray(part, p + ldp + l);
    FloatVector.fromArray(S, part, p + ldp + 2 * l).add(a12).intoArray(part, p + ldp + 2 * l);
    FloatVector.fromArray(S, part, p + ldp + 3 * l).add(a13).intoArray(part, p + ldp + 3 * l);
  }

  private static void wide1x4(float[] g, int g0, float[] x, int x0, int x1, int x2, int x3, int len, float[] part,
      int p) {
    int l = S.length();
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    for (int j = 0; j < len; j += S.length()) {
      FloatVector v = FloatVector.fromArray(S, g, g0 + j);
      a0 = v.fma(FloatVector.fromArray(S, x, x0 + j), a0);
      a1 = v.fma(FloatVector.fromArray(S, x, x1 + j), a1);
      a2 = v.fma(FloatVector.fromArray(S, x, x2 + j), a2);
      a3 = v.fma(FloatVector.fromArray(S, x, x3 + j), a3);
    }
    FloatVector.fromArray(S, part, p).add(a0).intoArray(part, p);
    FloatVector.fromArray(S, part, p + l).add(a1).intoArray(part, p + l);
    FloatVector.fromArray(S, part, p + 2 * l).add(a2).intoArray(part, p + 2 * l);
    FloatVector.fromArray(S, part, p + 3 * l).add(a3).intoArray(part, p + 3 * l);
  }

  private static void wide1x1(float[] g, int g0, float[] x, int x0, int len, float[] part, int p) {
    FloatVector a0 = FloatVector.zero(S);
    for (int j = 0; j < len; j += S.length()) {
      a0 = FloatVector.fromArray(S, g, g0 + j).fma(FloatVector.fromArray(S, x, x0 + j), a0);
    }
    FloatVector.fromArray(S, part, p).add(a0).intoArray(part, p);
  }

  @Override
  public boolean allFinite(float[] a, int off, int len) {
    // v - v is 0 for every finite v and NaN for NaN and the infinities; one NaN makes the sum NaN.
    // Four accumulators: one would wait on the previous add's latency.
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    int l = S.length();
    int i = 0;
    for (int bound = len - 4 * l; i <= bound; i += 4 * l) {
      FloatVector v0 = FloatVector.fromArray(S, a, off + i);
      FloatVector v1 = FloatVector.fromArray(S, a, off + i + l);
      FloatVector v2 = FloatVector.fromArray(S, a, off + i + 2 * l);
      FloatVector v3 = FloatVector.fromArray(S, a, off + i + 3 * l);
      acc0 = acc0.add(v0.sub(v0));
      acc1 = acc1.add(v1.sub(v1));
      acc2 = acc2.add(v2.sub(v2));
      acc3 = acc3.add(v3.sub(v3));
    }
    float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    for (; i < len; i++) {
      s += a[off + i] - a[off + i];
    }
    return s == 0f;
  }

  @Override
  public float sum(float[] a, int off, int len) {
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = acc0;
    int l = S.length();
    int i = 0;
    for (int bound = len - 2 * l; i <= bound; i += 2 * l) {
      acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
      acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + l));
    }
    float s = acc0.add(acc1).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    for (; i < len; i++) {
      s += a[off + i];
    }
    return s;
  }

  @Override
  public void wideScatter(float[] w, int wOff, int k, float[] g, int gOff, int ldg, int coutG, int[] taps,
      int[] off, int len, float[] gx, int xOff) {
    int i = 0;
    for (; i + 4 <= k; i += 4) {
      scatter4(w, wOff, k, g, gOff, ldg, coutG, taps[i], taps[i + 1], taps[i + 2], taps[i + 3], off, len, gx, xOff);
    }
    for (; i < k; i++) {
      scatter1(w, wOff, k, g, gOff, ldg, coutG, taps[i], off, len, gx, xOff);
    }
  }

  /**
   * Four taps: per output vector, 4 accumulators over the gOut rows (one load and four broadcasts
   * per 4 FMAs), then added into the four shifted positions of the wide input gradient.
   */
  private static void scatter4(float[] w, int wOff, int k, float[] g, int gOff, int ldg, int coutG, int r0, int r1,
      int r2, int r3, int[] off, int len, float[] gx, int xOff) {
    int d0 = xOff + off[r0];
    int d1 = xOff + off[r1];
    int d2 = xOff + off[r2];
    int d3 = xOff + off[r3];
    int l = S.length();
    int j = 0;
    // Three output vectors at a time: each broadcast weight feeds three FMAs, and 12 accumulator
    // chains hide the FMA latency over the short channel loop (LeNet conv2's rows are 9 vectors).
    for (; j + 3 * l <= len; j += 3 * l) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      FloatVector b0 = a0;
      FloatVector b1 = a0;
      FloatVector b2 = a0;
      FloatVector b3 = a0;
      FloatVector c0 = a0;
      FloatVector c1 = a0;
      FloatVector c2 = a0;
      FloatVector c3 = a0;
      for (int co = 0, gr = gOff + j, wr = wOff; co < coutG; co++, gr += ldg, wr += k) {
        FloatVector v = FloatVector.fromArray(S, g, gr);
        FloatVector u = FloatVector.fromArray(S, g, gr + l);
        FloatVector t = FloatVector.fromArray(S, g, gr + 2 * l);
        FloatVector w0 = FloatVector.broadcast(S, w[wr + r0]);
        a0 = v.fma(w0, a0);
        b0 = u.fma(w0, b0);
        c0 = t.fma(w0, c0);
        FloatVector w1 = FloatVector.broadcast(S, w[wr + r1]);
        a1 = v.fma(w1, a1);
        b1 = u.fma(w1, b1);
        c1 = t.fma(w1, c1);
        FloatVector w2 = FloatVector.broadcast(S, w[wr + r2]);
        a2 = v.fma(w2, a2);
        b2 = u.fma(w2, b2);
        c2 = t.fma(w2, c2);
        FloatVector w3 = FloatVector.broadcast(S, w[wr + r3]);
        a3 = v.fma(w3, a3);
        b3 = u.fma(w3, b3);
        c3 = t.fma(w3, c3);
      }
      FloatVector.fromArray(S, gx, d0 + j).add(a0).intoArray(gx, d0 + j);
      FloatVector.fromArray(S, gx, d0 + j + l).add(b0).intoArray(gx, d0 + j + l);
      FloatVector.fromArray(S, gx, d0 + j + 2 * l).add(c0).intoArray(gx, d0 + j + 2 * l);
      FloatVector.fromArray(S, gx, d1 + j).add(a1).intoArray(gx, d1 + j);
      FloatVector.fromArray(S, gx, d1 + j + l).add(b1).intoArray(gx, d1 + j + l);
      FloatVector.fromArray(S, gx, d1 + j + 2 * l).add(c1).intoArray(gx, d1 + j + 2 * l);
      FloatVector.fromArray(S, gx, d2 + j).add(a2).intoArray(gx, d2 + j);
      FloatVector.fromArray(S, gx, d2 + j + l).add(b2).intoArray(gx, d2 + j + l);
      FloatVector.fromArray(S, gx, d2 + j + 2 * l).add(c2).intoArray(gx, d2 + j + 2 * l);
      FloatVector.fromArray(S, gx, d3 + j).add(a3).intoArray(gx, d3 + j);
      FloatVector.fromArray(S, gx, d3 + j + l).add(b3).intoArray(gx, d3 + j + l);
      FloatVector.fromArray(S, gx, d3 + j + 2 * l).add(c3).intoArray(gx, d3 + j + 2 * l);
    }
    for (; j + 2 * l <= len; j += 2 * l) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      FloatVector b0 = a0;
      FloatVector b1 = a0;
      FloatVector b2 = a0;
      FloatVector b3 = a0;
      for (int co = 0, gr = gOff + j, wr = wOff; co < coutG; co++, gr += ldg, wr += k) {
        FloatVector v = FloatVector.fromArray(S, g, gr);
        FloatVector u = FloatVector.fromArray(S, g, gr + l);
        FloatVector w0 = FloatVector.broadcast(S, w[wr + r0]);
        FloatVector w1 = FloatVector.broadcast(S, w[wr + r1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wr + r2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wr + r3]);
        a0 = v.fma(w0, a0);
        b0 = u.fma(w0, b0);
        a1 = v.fma(w1, a1);
        b1 = u.fma(w1, b1);
        a2 = v.fma(w2, a2);
        b2 = u.fma(w2, b2);
        a3 = v.fma(w3, a3);
        b3 = u.fma(w3, b3);
      }
      FloatVector.fromArray(S, gx, d0 + j).add(a0).intoArray(gx, d0 + j);
      FloatVector.fromArray(S, gx, d0 + j + l).add(b0).intoArray(gx, d0 + j + l);
      FloatVector.fromArray(S, gx, d1 + j).add(a1).intoArray(gx, d1 + j);
      FloatVector.fromArray(S, gx, d1 + j + l).add(b1).intoArray(gx, d1 + j + l);
      FloatVector.fromArray(S, gx, d2 + j).add(a2).intoArray(gx, d2 + j);
      FloatVector.fromArray(S, gx, d2 + j + l).add(b2).intoArray(gx, d2 + j + l);
      FloatVector.fromArray(S, gx, d3 + j).add(a3).intoArray(gx, d3 + j);
      FloatVector.fromArray(S, gx, d3 + j + l).add(b3).intoArray(gx, d3 + j + l);
    }
    for (; j < len; j += l) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int co = 0, gr = gOff + j, wr = wOff; co < coutG; co++, gr += ldg, wr += k) {
        FloatVector v = FloatVector.fromArray(S, g, gr);
        a0 = v.fma(FloatVector.broadcast(S, w[wr + r0]), a0);
        a1 = v.fma(FloatVector.broadcast(S, w[wr + r1]), a1);
        a2 = v.fma(FloatVector.broadcast(S, w[wr + r2]), a2);
        a3 = v.fma(FloatVector.broadcast(S, w[wr + r3]), a3);
      }
      FloatVector.fromArray(S, gx, d0 + j).add(a0).intoArray(gx, d0 + j);
      FloatVector.fromArray(S, gx, d1 + j).add(a1).intoArray(gx, d1 + j);
      FloatVector.fromArray(S, gx, d2 + j).add(a2).intoArray(gx, d2 + j);
      FloatVector.fromArray(S, gx, d3 + j).add(a3).intoArray(gx, d3 + j);
    }
  }

  private static void scatter1(float[] w, int wOff, int k, float[] g, int gOff, int ldg, int coutG, int r0,
      int[] off, int len, float[] gx, int xOff) {
    int d0 = xOff + off[r0];
    for (int j = 0; j < len; j += S.length()) {
      FloatVector a0 = FloatVector.zero(S);
      for (int co = 0, gr = gOff + j, wr = wOff; co < coutG; co++, gr += ldg, wr += k) {
        a0 = FloatVector.fromArray(S, g, gr).fma(FloatVector.broadcast(S, w[wr + r0]), a0);
      }
      FloatVector.fromArray(S, gx, d0 + j).add(a0).intoArray(gx, d0 + j);
    }
  }

  @Override
  public void copyRows(float[] src, int s, int lds, int cols, float[] dst, int d, int ldd, int rows) {
    int l = S.length();
    int bound = S.loopBound(cols);
    // LeNet's rows are 10 to 28 floats: a masked tail keeps each row to one or two vector moves, where
    // a scalar or System.arraycopy loop spent most of its time starting up.
    VectorMask<Float> tail = S.indexInRange(bound, cols);
    for (int r = 0; r < rows; r++, s += lds, d += ldd) {
      int i = 0;
      for (; i < bound; i += l) {
        FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
      }
      if (i < cols) {
        FloatVector.fromArray(S, src, s + i, tail).intoArray(dst, d + i, tail);
      }
    }
  }

  /** Lane l's offset in a run of 9-float groups: 9l. */
  private static final int[] NINES = nines();

  private static int[] nines() {
    int[] a = new int[S.length()];
    for (int l = 0; l < a.length; l++) {
      a[l] = 9 * l;
    }
    return a;
  }

  // F(4x4, 3x3)'s G (WinogradWeightGrad.G), by entry: G[r][a] is Gra.
  private static final float G00 = 0.25f;
  private static final float SIXTH = 1f / 6;
  private static final float TWELFTH = 1f / 12;
  private static final float TWENTYFOURTH = 1f / 24;

  @Override
  public void winogradFilterGrad(float[] m, int mBase, int ldm, int len, float[] gW, int dst) {
    int lanes = S.length();
    FloatVector vQuarter = FloatVector.broadcast(S, G00);
    FloatVector vSixth = FloatVector.broadcast(S, SIXTH);
    FloatVector vNegSixth = FloatVector.broadcast(S, -SIXTH);
    FloatVector vTwelfth = FloatVector.broadcast(S, TWELFTH);
    FloatVector vNegTwelfth = FloatVector.broadcast(S, -TWELFTH);
    FloatVector vTwentyFourth = FloatVector.broadcast(S, TWENTYFOURTH);
    int q = 0;
    for (; q + lanes <= len; q += lanes) {
      FloatVector o00 = FloatVector.zero(S);
      FloatVector o01 = o00;
      FloatVector o02 = o00;
      FloatVector o10 = o00;
      FloatVector o11 = o00;
      FloatVector o12 = o00;
      FloatVector o20 = o00;
      FloatVector o21 = o00;
      FloatVector o22 = o00;
      for (int c = 0; c < 6; c++) {
        int base = mBase + c * ldm + q;
        FloatVector m0 = FloatVector.fromArray(S, m, base);
        FloatVector m1 = FloatVector.fromArray(S, m, base + 6 * ldm);
        FloatVector m2 = FloatVector.fromArray(S, m, base + 12 * ldm);
        FloatVector m3 = FloatVector.fromArray(S, m, base + 18 * ldm);
        FloatVector m4 = FloatVector.fromArray(S, m, base + 24 * ldm);
        FloatVector m5 = FloatVector.fromArray(S, m, base + 30 * ldm);
        // t_a = sum_r G[r][a] m_r, in r order over the non-zero G[r][a] (as the plain form's axpys).
        FloatVector t0 = m0.mul(G00);
        t0 = m1.fma(vNegSixth, t0);
        t0 = m2.fma(vNegSixth, t0);
        t0 = m3.fma(vTwentyFourth, t0);
        t0 = m4.fma(vTwentyFourth, t0);
        FloatVector t1 = m1.mul(-SIXTH);
        t1 = m2.fma(vSixth, t1);
        t1 = m3.fma(vTwelfth, t1);
        t1 = m4.fma(vNegTwelfth, t1);
        FloatVector t2 = m1.mul(-SIXTH);
        t2 = m2.fma(vNegSixth, t2);
        t2 = m3.fma(vSixth, t2);
        t2 = m4.fma(vSixth, t2);
        t2 = m5.add(t2);
        // o[a][b] += t_a G[c][b], in c order.
        switch (c) {
          case 0 -> {
            o00 = t0.fma(vQuarter, o00);
            o10 = t1.fma(vQuarter, o10);
            o20 = t2.fma(vQuarter, o20);
          }
          case 1 -> {
            o00 = t0.fma(vNegSixth, o00);
            o01 = t0.fma(vNegSixth, o01);
            o02 = t0.fma(vNegSixth, o02);
            o10 = t1.fma(vNegSixth, o10);
            o11 = t1.fma(vNegSixth, o11);
            o12 = t1.fma(vNegSixth, o12);
            o20 = t2.fma(vNegSixth, o20);
            o21 = t2.fma(vNegSixth, o21);
            o22 = t2.fma(vNegSixth, o22);
          }
          case 2 -> {
            o00 = t0.fma(vNegSixth, o00);
            o01 = t0.fma(vSixth, o01);
            o02 = t0.fma(vNegSixth, o02);
            o10 = t1.fma(vNegSixth, o10);
            o11 = t1.fma(vSixth, o11);
            o12 = t1.fma(vNegSixth, o12);
            o20 = t2.fma(vNegSixth, o20);
            o21 = t2.fma(vSixth, o21);
            o22 = t2.fma(vNegSixth, o22);
          }
          case 3 -> {
            o00 = t0.fma(vTwentyFourth, o00);
            o01 = t0.fma(vTwelfth, o01);
            o02 = t0.fma(vSixth, o02);
            o10 = t1.fma(vTwentyFourth, o10);
            o11 = t1.fma(vTwelfth, o11);
            o12 = t1.fma(vSixth, o12);
            o20 = t2.fma(vTwentyFourth, o20);
            o21 = t2.fma(vTwelfth, o21);
            o22 = t2.fma(vSixth, o22);
          }
          case 4 -> {
            o00 = t0.fma(vTwentyFourth, o00);
            o01 = t0.fma(vNegTwelfth, o01);
            o02 = t0.fma(vSixth, o02);
            o10 = t1.fma(vTwentyFourth, o10);
            o11 = t1.fma(vNegTwelfth, o11);
            o12 = t1.fma(vSixth, o12);
            o20 = t2.fma(vTwentyFourth, o20);
            o21 = t2.fma(vNegTwelfth, o21);
            o22 = t2.fma(vSixth, o22);
          }
          default -> {
            o02 = t0.add(o02);
            o12 = t1.add(o12);
            o22 = t2.add(o22);
          }
        }
      }
      // Pair q + l's nine values are gW[d + 9l, d + 9l + 9): scattered, nine lanes apart.
      int d = dst + 9 * q;
      o00.intoArray(gW, d, NINES, 0);
      o01.intoArray(gW, d + 1, NINES, 0);
      o02.intoArray(gW, d + 2, NINES, 0);
      o10.intoArray(gW, d + 3, NINES, 0);
      o11.intoArray(gW, d + 4, NINES, 0);
      o12.intoArray(gW, d + 5, NINES, 0);
      o20.intoArray(gW, d + 6, NINES, 0);
      o21.intoArray(gW, d + 7, NINES, 0);
      o22.intoArray(gW, d + 8, NINES, 0);
    }
    if (q < len) {
      WinogradWeightGrad.filterGradPlain(m, mBase + q, ldm, len - q, gW, dst + 9 * q);
    }
  }

  @Override
  public void winogradInputLanes(float[] src, int base, int ld, float[] tmp, float[] v, int vOff, int vStride) {
    int lanes = S.length();
    // B^T along the columns (column c of the patch: rows r = 0..5), into tmp[(6k + c)*lanes] ...
    for (int c = 0, o = base; c < 6; c++, o += lanes) {
      inputColumn(FloatVector.fromArray(S, src, o), FloatVector.fromArray(S, src, o + ld),
          FloatVector.fromArray(S, src, o + 2 * ld), FloatVector.fromArray(S, src, o + 3 * ld),
          FloatVector.fromArray(S, src, o + 4 * ld), FloatVector.fromArray(S, src, o + 5 * ld),
          tmp, c * lanes, 6 * lanes);
    }
    // ... then along the rows, straight into v.
    for (int r = 0; r < 6; r++) {
      int t = 6 * r * lanes;
      inputColumn(FloatVector.fromArray(S, tmp, t), FloatVector.fromArray(S, tmp, t + lanes),
          FloatVector.fromArray(S, tmp, t + 2 * lanes), FloatVector.fromArray(S, tmp, t + 3 * lanes),
          FloatVector.fromArray(S, tmp, t + 4 * lanes), FloatVector.fromArray(S, tmp, t + 5 * lanes),
          v, vOff + 6 * r * vStride, vStride);
    }
  }

  /**
   * B^T applied to 6 vectors; result k goes to out[o + k*os]. The same arithmetic as the providers'
   * winogradInput (PlainWinograd.input1d), in the same order, so both forms give the same bits.
   */
  private static void inputColumn(FloatVector d0, FloatVector d1, FloatVector d2, FloatVector d3, FloatVector d4,
      FloatVector d5, float[] out, int o, int os) {
    FloatVector a = d4.sub(d2.mul(4f));
    FloatVector b = d3.sub(d1.mul(4f));
    FloatVector p = d4.sub(d2);
    FloatVector q = d3.sub(d1).mul(2f);
    d0.mul(4f).sub(d2.mul(5f)).add(d4).intoArray(out, o);
    a.add(b).intoArray(out, o + os);
    a.sub(b).intoArray(out, o + 2 * os);
    p.add(q).intoArray(out, o + 3 * os);
    p.sub(q).intoArray(out, o + 4 * os);
    d1.mul(4f).sub(d3.mul(5f)).add(d5).intoArray(out, o + 5 * os);
  }

  @Override
  public void winogradGradOutputLanes(float[] src, int base, int ld, float[] tmp, float[] u, int uOff,
      int uStride) {
    int lanes = S.length();
    // A along the columns (column c of the tile: rows r = 0..3): result k of column c to tmp[(4k + c)*lanes].
    for (int c = 0, o = base; c < 4; c++, o += lanes) {
      gradOutputColumn(FloatVector.fromArray(S, src, o), FloatVector.fromArray(S, src, o + ld),
          FloatVector.fromArray(S, src, o + 2 * ld), FloatVector.fromArray(S, src, o + 3 * ld), tmp, c * lanes,
          4 * lanes);
    }
    // Then along the rows, straight into u.
    for (int r = 0; r < 6; r++) {
      int t = 4 * r * lanes;
      gradOutputColumn(FloatVector.fromArray(S, tmp, t), FloatVector.fromArray(S, tmp, t + lanes),
          FloatVector.fromArray(S, tmp, t + 2 * lanes), FloatVector.fromArray(S, tmp, t + 3 * lanes),
          u, uOff + 6 * r * uStride, uStride);
    }
  }

  /** A (6x4) applied to 4 vectors; result k goes to out[o + k*os] (the providers' winogradGradOutput arithmetic). */
  private static void gradOutputColumn(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] out,
      int o, int os) {
    FloatVector even = s0.add(s2);
    FloatVector odd = s1.add(s3);
    FloatVector even4 = s0.add(s2.mul(4f));
    FloatVector odd8 = s1.mul(2f).add(s3.mul(8f));
    s0.intoArray(out, o);
    even.add(odd).intoArray(out, o + os);
    even.sub(odd).intoArray(out, o + 2 * os);
    even4.add(odd8).intoArray(out, o + 3 * os);
    even4.sub(odd8).intoArray(out, o + 4 * os);
    s3.intoArray(out, o + 5 * os);
  }

  /** Two-vector shuffles that zip the low (high) halves of two vectors: a0 b0 a1 b1 ... (16 lanes only). */
  private static final jdk.incubator.vector.VectorShuffle<Float> ZIP_LOW = S.length() == 16 ? zip(0) : null;
  private static final jdk.incubator.vector.VectorShuffle<Float> ZIP_HIGH = S.length() == 16 ? zip(8) : null;

  private static jdk.incubator.vector.VectorShuffle<Float> zip(int from) {
    int[] idx = new int[16];
    for (int j = 0; j < 16; j++) {
      // even lanes from this vector, odd lanes from the other (negative: the second vector's lane + 16)
      idx[j] = j % 2 == 0 ? from + j / 2 : from + j / 2 - 16;
    }
    return jdk.incubator.vector.VectorShuffle.fromArray(S, idx, 0);
  }

  @Override
  public void interleaveRows(float[] src, int s, int ld, float[] dst, int d, int n) {
    int x = 0;
    if (S.length() == 16) {
      // A short last block (rows of 14, say) still goes through the registers when its 16 loads stay
      // inside src (they read past the row, into values that are not stored).
      int lastRow = s + 15 * ld;
      for (; x < n && (x + 16 <= n || lastRow + x + 16 <= src.length); x += 16) {
        transpose16(src, s + x, ld, dst, d + x * 16, 16, Math.min(16, n - x));
      }
    }
    int lanes = S.length();
    for (; x < n; x++) {
      for (int l = 0, f = s + x, o = d + x * lanes; l < lanes; l++, f += ld) {
        dst[o + l] = src[f];
      }
    }
  }

  @Override
  public void deinterleaveRows(float[] src, int s, float[] dst, int d, int ld, int n) {
    int x = 0;
    if (S.length() == 16) {
      // A 16 x 16 transpose is its own inverse: the same as interleaveRows, strides swapped.
      for (; x + 16 <= n; x += 16) {
        transpose16(src, s + x * 16, 16, dst, d + x, ld, 16);
      }
    }
    int lanes = S.length();
    for (; x < n; x++) {
      for (int l = 0, f = s + x * lanes, o = d + x; l < lanes; l++, o += ld) {
        dst[o] = src[f + l];
      }
    }
  }

  /**
   * Loads 16 vectors {@code src[s + k*ss]}, transposes them in registers (four rounds of zipping
   * vector i with vector i + 8: a perfect shuffle applied log2(16) times turns rows into columns),
   * and stores the first {@code count} results at {@code dst[d + k*ds]}. 16 lanes only.
   */
  private static void transpose16(float[] src, int s, int ss, float[] dst, int d, int ds, int count) {
    FloatVector r0 = FloatVector.fromArray(S, src, s + 0 * ss);
    FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * ss);
    FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * ss);
    FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * ss);
    FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * ss);
    FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * ss);
    FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * ss);
    FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * ss);
    FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * ss);
    FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * ss);
    FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * ss);
    FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * ss);
    FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * ss);
    FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * ss);
    FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * ss);
    FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * ss);
    FloatVector z0_0 = r0.rearrange(ZIP_LOW, r8);
    FloatVector z0_1 = r0.rearrange(ZIP_HIGH, r8);
    FloatVector z0_2 = r1.rearrange(ZIP_LOW, r9);
    FloatVector z0_3 = r1.rearrange(ZIP_HIGH, r9);
    FloatVector z0_4 = r2.rearrange(ZIP_LOW, r10);
    FloatVector z0_5 = r2.rearrange(ZIP_HIGH, r10);
    FloatVector z0_6 = r3.rearrange(ZIP_LOW, r11);
    FloatVector z0_7 = r3.rearrange(ZIP_HIGH, r11);
    FloatVector z0_8 = r4.rearrange(ZIP_LOW, r12);
    FloatVector z0_9 = r4.rearrange(ZIP_HIGH, r12);
    FloatVector z0_10 = r5.rearrange(ZIP_LOW, r13);
    FloatVector z0_11 = r5.rearrange(ZIP_HIGH, r13);
    FloatVector z0_12 = r6.rearrange(ZIP_LOW, r14);
    FloatVector z0_13 = r6.rearrange(ZIP_HIGH, r14);
    FloatVector z0_14 = r7.rearrange(ZIP_LOW, r15);
    FloatVector z0_15 = r7.rearrange(ZIP_HIGH, r15);
    FloatVector z1_0 = z0_0.rearrange(ZIP_LOW, z0_8);
    FloatVector z1_1 = z0_0.rearrange(ZIP_HIGH, z0_8);
    FloatVector z1_2 = z0_1.rearrange(ZIP_LOW, z0_9);
    FloatVector z1_3 = z0_1.rearrange(ZIP_HIGH, z0_9);
    FloatVector z1_4 = z0_2.rearrange(ZIP_LOW, z0_10);
    FloatVector z1_5 = z0_2.rearrange(ZIP_HIGH, z0_10);
    FloatVector z1_6 = z0_3.rearrange(ZIP_LOW, z0_11);
    FloatVector z1_7 = z0_3.rearrange(ZIP_HIGH, z0_11);
    FloatVector z1_8 = z0_4.rearrange(ZIP_LOW, z0_12);
    FloatVector z1_9 = z0_4.rearrange(ZIP_HIGH, z0_12);
    FloatVector z1_10 = z0_5.rearrange(ZIP_LOW, z0_13);
    FloatVector z1_11 = z0_5.rearrange(ZIP_HIGH, z0_13);
    FloatVector z1_12 = z0_6.rearrange(ZIP_LOW, z0_14);
    FloatVector z1_13 = z0_6.rearrange(ZIP_HIGH, z0_14);
    FloatVector z1_14 = z0_7.rearrange(ZIP_LOW, z0_15);
    FloatVector z1_15 = z0_7.rearrange(ZIP_HIGH, z0_15);
    FloatVector z2_0 = z1_0.rearrange(ZIP_LOW, z1_8);
    FloatVector z2_1 = z1_0.rearrange(ZIP_HIGH, z1_8);
    FloatVector z2_2 = z1_1.rearrange(ZIP_LOW, z1_9);
    FloatVector z2_3 = z1_1.rearrange(ZIP_HIGH, z1_9);
    FloatVector z2_4 = z1_2.rearrange(ZIP_LOW, z1_10);
    FloatVector z2_5 = z1_2.rearrange(ZIP_HIGH, z1_10);
    FloatVector z2_6 = z1_3.rearrange(ZIP_LOW, z1_11);
    FloatVector z2_7 = z1_3.rearrange(ZIP_HIGH, z1_11);
    FloatVector z2_8 = z1_4.rearrange(ZIP_LOW, z1_12);
    FloatVector z2_9 = z1_4.rearrange(ZIP_HIGH, z1_12);
    FloatVector z2_10 = z1_5.rearrange(ZIP_LOW, z1_13);
    FloatVector z2_11 = z1_5.rearrange(ZIP_HIGH, z1_13);
    FloatVector z2_12 = z1_6.rearrange(ZIP_LOW, z1_14);
    FloatVector z2_13 = z1_6.rearrange(ZIP_HIGH, z1_14);
    FloatVector z2_14 = z1_7.rearrange(ZIP_LOW, z1_15);
    FloatVector z2_15 = z1_7.rearrange(ZIP_HIGH, z1_15);
    FloatVector z3_0 = z2_0.rearrange(ZIP_LOW, z2_8);
    FloatVector z3_1 = z2_0.rearrange(ZIP_HIGH, z2_8);
    FloatVector z3_2 = z2_1.rearrange(ZIP_LOW, z2_9);
    FloatVector z3_3 = z2_1.rearrange(ZIP_HIGH, z2_9);
    FloatVector z3_4 = z2_2.rearrange(ZIP_LOW, z2_10);
    FloatVector z3_5 = z2_2.rearrange(ZIP_HIGH, z2_10);
    FloatVector z3_6 = z2_3.rearrange(ZIP_LOW, z2_11);
    FloatVector z3_7 = z2_3.rearrange(ZIP_HIGH, z2_11);
    FloatVector z3_8 = z2_4.rearrange(ZIP_LOW, z2_12);
    FloatVector z3_9 = z2_4.rearrange(ZIP_HIGH, z2_12);
    FloatVector z3_10 = z2_5.rearrange(ZIP_LOW, z2_13);
    FloatVector z3_11 = z2_5.rearrange(ZIP_HIGH, z2_13);
    FloatVector z3_12 = z2_6.rearrange(ZIP_LOW, z2_14);
    FloatVector z3_13 = z2_6.rearrange(ZIP_HIGH, z2_14);
    FloatVector z3_14 = z2_7.rearrange(ZIP_LOW, z2_15);
    FloatVector z3_15 = z2_7.rearrange(ZIP_HIGH, z2_15);
    if (count > 0) {
      z3_0.intoArray(dst, d + 0 * ds);
    }
    if (count > 1) {
      z3_1.intoArray(dst, d + 1 * ds);
    }
    if (count > 2) {
      z3_2.intoArray(dst, d + 2 * ds);
    }
    if (count > 3) {
      z3_3.intoArray(dst, d + 3 * ds);
    }
    if (count > 4) {
      z3_4.intoArray(dst, d + 4 * ds);
    }
    if (count > 5) {
      z3_5.intoArray(dst, d + 5 * ds);
    }
    if (count > 6) {
      z3_6.intoArray(dst, d + 6 * ds);
    }
    if (count > 7) {
      z3_7.intoArray(dst, d + 7 * ds);
    }
    if (count > 8) {
      z3_8.intoArray(dst, d + 8 * ds);
    }
    if (count > 9) {
      z3_9.intoArray(dst, d + 9 * ds);
    }
    if (count > 10) {
      z3_10.intoArray(dst, d + 10 * ds);
    }
    if (count > 11) {
      z3_11.intoArray(dst, d + 11 * ds);
    }
    if (count > 12) {
      z3_12.intoArray(dst, d + 12 * ds);
    }
    if (count > 13) {
      z3_13.intoArray(dst, d + 13 * ds);
    }
    if (count > 14) {
      z3_14.intoArray(dst, d + 14 * ds);
    }
    if (count > 15) {
      z3_15.intoArray(dst, d + 15 * ds);
    }
  }

  @Override
  public void winogradInputAdjointLanes(float[] z, int zOff, int zStride, float[] tmp, float[] dst, int base,
      int ld) {
    int lanes = S.length();
    // B along k2 (T[k1][c] = sum_k2 B^T[k2][c] Z[k1][k2]) into tmp[(6*k1 + c)*lanes] ...
    for (int k1 = 0; k1 < 6; k1++) {
      adjointColumn(z, zOff + 6 * k1 * zStride, zStride, tmp, 6 * k1 * lanes, lanes);
    }
    // ... then along k1 (d[r][c] = sum_k1 B^T[k1][r] T[k1][c]), added into the block.
    for (int c = 0; c < 6; c++) {
      adjointColumnAdd(tmp, c * lanes, 6 * lanes, dst, base + c * lanes, ld);
    }
  }

  /*
   * B (the transpose of the input transform's B^T) applied to the 6 vectors in[i + k*is]: result r
   * goes to out[o + r*os] (or is added there). Arrays in, arrays out: vectors passed between
   * methods that C2 does not inline are boxed, and these ran 3x slower so.
   */
  private static void adjointColumn(float[] in, int i, int is, float[] out, int o, int os) {
    FloatVector z0 = FloatVector.fromArray(S, in, i);
    FloatVector z1 = FloatVector.fromArray(S, in, i + is);
    FloatVector z2 = FloatVector.fromArray(S, in, i + 2 * is);
    FloatVector z3 = FloatVector.fromArray(S, in, i + 3 * is);
    FloatVector z4 = FloatVector.fromArray(S, in, i + 4 * is);
    FloatVector z5 = FloatVector.fromArray(S, in, i + 5 * is);
    FloatVector sum12 = z1.add(z2);
    FloatVector dif12 = z2.sub(z1);
    FloatVector sum34 = z3.add(z4);
    FloatVector dif34 = z3.sub(z4);
    z0.mul(4f).intoArray(out, o);
    // -4 z1 + 4 z2 - 2 z3 + 2 z4 + 4 z5
    dif12.mul(4f).sub(dif34.mul(2f)).add(z5.mul(4f)).intoArray(out, o + os);
    // -5 z0 - 4 (z1 + z2) - (z3 + z4)
    z0.mul(-5f).sub(sum12.mul(4f)).sub(sum34).intoArray(out, o + 2 * os);
    // (z1 - z2) + 2 (z3 - z4) - 5 z5
    dif34.mul(2f).sub(dif12).sub(z5.mul(5f)).intoArray(out, o + 3 * os);
    // z0 + z1 + z2 + z3 + z4
    z0.add(sum12).add(sum34).intoArray(out, o + 4 * os);
    z5.intoArray(out, o + 5 * os);
  }

  private static void adjointColumnAdd(float[] in, int i, int is, float[] out, int o, int os) {
    FloatVector z0 = FloatVector.fromArray(S, in, i);
    FloatVector z1 = FloatVector.fromArray(S, in, i + is);
    FloatVector z2 = FloatVector.fromArray(S, in, i + 2 * is);
    FloatVector z3 = FloatVector.fromArray(S, in, i + 3 * is);
    FloatVector z4 = FloatVector.fromArray(S, in, i + 4 * is);
    FloatVector z5 = FloatVector.fromArray(S, in, i + 5 * is);
    FloatVector sum12 = z1.add(z2);
    FloatVector dif12 = z2.sub(z1);
    FloatVector sum34 = z3.add(z4);
    FloatVector dif34 = z3.sub(z4);
    FloatVector.fromArray(S, out, o).add(z0.mul(4f)).intoArray(out, o);
    FloatVector.fromArray(S, out, o + os).add(dif12.mul(4f).sub(dif34.mul(2f)).add(z5.mul(4f)))
        .intoArray(out, o + os);
    FloatVector.fromArray(S, out, o + 2 * os).add(z0.mul(-5f).sub(sum12.mul(4f)).sub(sum34))
        .intoArray(out, o + 2 * os);
    FloatVector.fromArray(S, out, o + 3 * os).add(dif34.mul(2f).sub(dif12).sub(z5.mul(5f)))
        .intoArray(out, o + 3 * os);
    FloatVector.fromArray(S, out, o + 4 * os).add(z0.add(sum12).add(sum34)).intoArray(out, o + 4 * os);
    FloatVector.fromArray(S, out, o + 5 * os).add(z5).intoArray(out, o + 5 * os);
  }

  @Override
  public void winogradFiltersLanes(float[] w, int wOff, int fs, float[] tmp, float[] u, int uOff, int uStride) {
    // Filter l's taps are fs floats apart from filter l - 1's: transposed through tmp by plain copies
    // (hardware gathers, one vector per tap, took twice the time of the scalar transform).
    int lanes = S.length();
    for (int l = 0; l < lanes; l++) {
      for (int k = 0; k < 9; k++) {
        tmp[k * lanes + l] = w[wOff + fs * l + k];
      }
    }
    FloatVector w0 = FloatVector.fromArray(S, tmp, 0);
    FloatVector w1 = FloatVector.fromArray(S, tmp, lanes);
    FloatVector w2 = FloatVector.fromArray(S, tmp, 2 * lanes);
    FloatVector w3 = FloatVector.fromArray(S, tmp, 3 * lanes);
    FloatVector w4 = FloatVector.fromArray(S, tmp, 4 * lanes);
    FloatVector w5 = FloatVector.fromArray(S, tmp, 5 * lanes);
    FloatVector w6 = FloatVector.fromArray(S, tmp, 6 * lanes);
    FloatVector w7 = FloatVector.fromArray(S, tmp, 7 * lanes);
    FloatVector w8 = FloatVector.fromArray(S, tmp, 8 * lanes);
    int rs = 6 * uStride;
    // Rows of G g (6x3) into tmp[(9 + 3r + j)*lanes], then each expanded by G^T into six values, as
    // transformFilters does.
    int g = 9 * lanes;
    w0.mul(0.25f).intoArray(tmp, g);
    w1.mul(0.25f).intoArray(tmp, g + lanes);
    w2.mul(0.25f).intoArray(tmp, g + 2 * lanes);
    FloatVector a0 = w0.add(w6).mul(-SIXTH);
    FloatVector a1 = w1.add(w7).mul(-SIXTH);
    FloatVector a2 = w2.add(w8).mul(-SIXTH);
    FloatVector b0 = w3.mul(-SIXTH);
    FloatVector b1 = w4.mul(-SIXTH);
    FloatVector b2 = w5.mul(-SIXTH);
    a0.add(b0).intoArray(tmp, g + 3 * lanes);
    a1.add(b1).intoArray(tmp, g + 4 * lanes);
    a2.add(b2).intoArray(tmp, g + 5 * lanes);
    a0.sub(b0).intoArray(tmp, g + 6 * lanes);
    a1.sub(b1).intoArray(tmp, g + 7 * lanes);
    a2.sub(b2).intoArray(tmp, g + 8 * lanes);
    FloatVector c0 = w0.mul(TWENTYFOURTH).add(w6.mul(SIXTH));
    FloatVector c1 = w1.mul(TWENTYFOURTH).add(w7.mul(SIXTH));
    FloatVector c2 = w2.mul(TWENTYFOURTH).add(w8.mul(SIXTH));
    FloatVector d0 = w3.mul(TWELFTH);
    FloatVector d1 = w4.mul(TWELFTH);
    FloatVector d2 = w5.mul(TWELFTH);
    c0.add(d0).intoArray(tmp, g + 9 * lanes);
    c1.add(d1).intoArray(tmp, g + 10 * lanes);
    c2.add(d2).intoArray(tmp, g + 11 * lanes);
    c0.sub(d0).intoArray(tmp, g + 12 * lanes);
    c1.sub(d1).intoArray(tmp, g + 13 * lanes);
    c2.sub(d2).intoArray(tmp, g + 14 * lanes);
    w6.intoArray(tmp, g + 15 * lanes);
    w7.intoArray(tmp, g + 16 * lanes);
    w8.intoArray(tmp, g + 17 * lanes);
    for (int r = 0; r < 6; r++) {
      filterRow(tmp, g + 3 * r * lanes, lanes, u, uOff + r * rs, uStride);
    }
  }

  /**
   * G^T along one row of G g (three vectors in[i + j*is]): six values, os apart (transformFilters'
   * filter1d). Arrays in and out: vectors passed to a method C2 does not inline are boxed.
   */
  private static void filterRow(float[] in, int i, int is, float[] out, int o, int os) {
    FloatVector g0 = FloatVector.fromArray(S, in, i);
    FloatVector g1 = FloatVector.fromArray(S, in, i + is);
    FloatVector g2 = FloatVector.fromArray(S, in, i + 2 * is);
    FloatVector a = g0.add(g2).mul(-SIXTH);
    FloatVector b = g1.mul(-SIXTH);
    FloatVector c = g0.mul(TWENTYFOURTH).add(g2.mul(SIXTH));
    FloatVector d = g1.mul(TWELFTH);
    g0.mul(0.25f).intoArray(out, o);
    a.add(b).intoArray(out, o + os);
    a.sub(b).intoArray(out, o + 2 * os);
    c.add(d).intoArray(out, o + 3 * os);
    c.sub(d).intoArray(out, o + 4 * os);
    g2.intoArray(out, o + 5 * os);
  }

  @Override
  public void winogradOutputLanes(float[] m, int mOff, int eStride, float[] tmp, float[] bias, int biasOff,
      float[] dst, int base, int ld) {
    int lanes = S.length();
    // A^T along the columns (column c: M[r][c], r = 0..5) into tmp[(6k + c)*lanes], k < 4 ...
    for (int c = 0; c < 6; c++) {
      outputColumn(m, mOff + c * eStride, 6 * eStride, tmp, c * lanes, 6 * lanes, null, 0);
    }
    // ... then along the rows, with the bias, into the block.
    for (int r = 0; r < 4; r++) {
      outputColumn(tmp, 6 * r * lanes, lanes, dst, base + r * ld, lanes, bias, biasOff);
    }
  }

  /**
   * A^T (4x6) applied to the 6 vectors in[i + k*is]: result k goes to out[o + k*os], plus the bias
   * vector at {@code bias[biasOff]} when not null (added last, as the providers' output and
   * scatter do). Arrays in and out: vectors passed between methods C2 does not inline are boxed.
   */
  private static void outputColumn(float[] in, int i, int is, float[] out, int o, int os, float[] bias, int biasOff) {
    FloatVector m0 = FloatVector.fromArray(S, in, i);
    FloatVector m1 = FloatVector.fromArray(S, in, i + is);
    FloatVector m2 = FloatVector.fromArray(S, in, i + 2 * is);
    FloatVector m3 = FloatVector.fromArray(S, in, i + 3 * is);
    FloatVector m4 = FloatVector.fromArray(S, in, i + 4 * is);
    FloatVector m5 = FloatVector.fromArray(S, in, i + 5 * is);
    FloatVector sum12 = m1.add(m2);
    FloatVector dif12 = m1.sub(m2);
    FloatVector sum34 = m3.add(m4);
    FloatVector dif34 = m3.sub(m4);
    FloatVector y0 = m0.add(sum12).add(sum34);
    FloatVector y1 = dif12.add(dif34.mul(2f));
    FloatVector y2 = sum12.add(sum34.mul(4f));
    FloatVector y3 = dif12.add(dif34.mul(8f)).add(m5);
    if (bias != null) {
      FloatVector b = FloatVector.fromArray(S, bias, biasOff);
      y0 = y0.add(b);
      y1 = y1.add(b);
      y2 = y2.add(b);
      y3 = y3.add(b);
    }
    y0.intoArray(out, o);
    y1.intoArray(out, o + os);
    y2.intoArray(out, o + 2 * os);
    y3.intoArray(out, o + 3 * os);
  }
}
