package dev.jconv.internal.vector;

import dev.jconv.internal.kernels.Pool2dParams;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link PanamaPooling} for 256-bit vectors. The classes of the other widths
 * are this file with its width changed and nothing else (PanamaPoolCopiesTest checks it): edit
 * this one and regenerate them with {@code tools/gen_panama_pool.sh}.
 */
final class PanamaPool256 extends PanamaPooling {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_256;
  private static final VectorSpecies<Long> LS = LongVector.SPECIES_256;
  private static final int L = S.length();
  private static final int HALF = L / 2;
  /** ATen's sum runs on 8-float vectors, so the mean uses at most 8 lanes (see planeSum). */
  private static final VectorSpecies<Float> MS = L > 8 ? FloatVector.SPECIES_256 : S;
  private static final int ML = MS.length();

  private static final FloatVector EVEN = FloatVector.fromArray(S, ramp(L, 0, 2), 0);
  private static final FloatVector ODD = FloatVector.fromArray(S, ramp(L, 1, 2), 0);
  private static final FloatVector NEG_INF = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
  private static final FloatVector ZERO = FloatVector.zero(S);
  private static final IntVector IOTA = IntVector.fromArray(IS, iota(L), 0);

  PanamaPool256() {
    super(L * 32);
  }

  // ---------------------------------------------------------------- taps

  /** Lanes {@code x[at + i*sW]}: contiguous, the even lanes of two vectors, or gathered. */
  private static FloatVector tap(float[] x, int at, int sW, Gathers g) {
    if (sW == 1) {
      return FloatVector.fromArray(S, x, at);
    }
    if (sW == 2) {
      return even(x, at);
    }
    return FloatVector.fromArray(S, x, at, g.full(), 0);
  }

  /**
   * Lanes {@code x[at + 2i]}. The second vector's last element is one past the last one used, so
   * it is loaded under a mask where that element would be past the end of {@code x}.
   */
  private static FloatVector even(float[] x, int at) {
    FloatVector a = FloatVector.fromArray(S, x, at);
    FloatVector b = at <= x.length - 2 * L
        ? FloatVector.fromArray(S, x, at + L)
        : FloatVector.fromArray(S, x, at + L, S.indexInRange(at + L, x.length));
    return EVEN.selectFrom(a, b);
  }

  /** {@link #tap} for the first {@code n < L} lanes; the other lanes hold anything. */
  private static FloatVector tapPart(float[] x, int at, int sW, int n, Gathers g) {
    if (sW == 1) {
      return FloatVector.fromArray(S, x, at, S.indexInRange(0, n));
    }
    if (sW == 2) {
      int end = at + 2 * n - 1; // one past the last element used
      FloatVector a = FloatVector.fromArray(S, x, at, S.indexInRange(at, end));
      FloatVector b = FloatVector.fromArray(S, x, at + L, S.indexInRange(at + L, end));
      return EVEN.selectFrom(a, b);
    }
    return FloatVector.fromArray(S, x, at, g.tail(), 0);
  }

  /** Where ATen's max step takes the tap: {@code v > max || isnan(v)}. */
  private static VectorMask<Float> takes(FloatVector max, FloatVector v) {
    return v.compare(VectorOperators.GT, max).or(v.test(VectorOperators.IS_NAN));
  }

  private static FloatVector maxStep(FloatVector max, FloatVector v) {
    return max.blend(v, takes(max, v));
  }

  /** Stores int lanes as longs at {@code idx[i ..]}: the first {@code n} lanes only when {@code n < L}. */
  private static void storeIndices(IntVector at, long[] idx, int i, int n) {
    LongVector lo = (LongVector) at.convertShape(VectorOperators.I2L, LS, 0);
    LongVector hi = (LongVector) at.convertShape(VectorOperators.I2L, LS, 1);
    if (n >= L) {
      lo.intoArray(idx, i);
      hi.intoArray(idx, i + HALF);
    } else {
      lo.intoArray(idx, i, LS.indexInRange(0, n));
      hi.intoArray(idx, i + HALF, LS.indexInRange(HALF, n));
    }
  }

  // ---------------------------------------------------------------- max

  @Override
  void maxRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float[] out, int orow, long[] idx, int irow, Gathers g) {
    if (idx == null) {
      maxValues(x, xo, p, h0, h1, lo, hi, out, orow, g);
    } else {
      maxIndices(x, xo, p, h0, h1, lo, hi, out, orow, idx, irow, g);
    }
  }

  private static void maxValues(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float[] out, int orow, Gathers g) {
    final int inW = p.inW();
    final int sW = p.sW();
    final int kW = p.kW();
    final int dH = p.dH();
    final int dW = p.dW();
    final int col0 = xo - p.pW();
    int ow = lo;
    if (sW == 2 && dW == 1 && kW == 3) {
      // ResNet's stem pool: three taps from two loads and one more pair.
      for (; ow <= hi - L; ow += L) {
        FloatVector m = NEG_INF;
        for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
          FloatVector a = FloatVector.fromArray(S, x, at);
          FloatVector b = FloatVector.fromArray(S, x, at + L);
          m = maxStep(m, EVEN.selectFrom(a, b));
          m = maxStep(m, ODD.selectFrom(a, b));
          m = maxStep(m, even(x, at + 2));
        }
        m.intoArray(out, orow + ow);
      }
    } else if (sW == 2 && dW == 1 && kW == 2) {
      for (; ow <= hi - L; ow += L) {
        FloatVector m = NEG_INF;
        for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
          FloatVector a = FloatVector.fromArray(S, x, at);
          FloatVector b = FloatVector.fromArray(S, x, at + L);
          m = maxStep(m, EVEN.selectFrom(a, b));
          m = maxStep(m, ODD.selectFrom(a, b));
        }
        m.intoArray(out, orow + ow);
      }
    }
    for (; ow <= hi - L; ow += L) {
      FloatVector m = NEG_INF;
      for (int h = h0; h < h1; h += dH) {
        int at = col0 + ow * sW + h * inW;
        for (int j = 0; j < kW; j++, at += dW) {
          m = maxStep(m, tap(x, at, sW, g));
        }
      }
      m.intoArray(out, orow + ow);
    }
    if (ow < hi) {
      int n = hi - ow;
      FloatVector m = NEG_INF;
      for (int h = h0; h < h1; h += dH) {
        int at = col0 + ow * sW + h * inW;
        for (int j = 0; j < kW; j++, at += dW) {
          m = maxStep(m, tapPart(x, at, sW, n, g));
        }
      }
      m.intoArray(out, orow + ow, S.indexInRange(0, n));
    }
  }

  /**
   * Max with indices: each lane keeps the tap offset {@code h*inW + j*dW} of its maximum (starting
   * at the first tap, as ATen's kernel does), and its own column start is added at the end.
   */
  private static void maxIndices(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float[] out, int orow, long[] idx, int irow, Gathers g) {
    final int inW = p.inW();
    final int sW = p.sW();
    final int kW = p.kW();
    final int dH = p.dH();
    final int dW = p.dW();
    final int pW = p.pW();
    final int col0 = xo - pW;
    final IntVector laneCols = IOTA.mul(sW);
    final IntVector first = IntVector.broadcast(IS, h0 * inW);
    int ow = lo;
    if (sW == 2 && dW == 1 && kW == 3) {
      for (; ow <= hi - L; ow += L) {
        FloatVector m = NEG_INF;
        IntVector t = first;
        for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
          int row = h * inW;
          FloatVector a = FloatVector.fromArray(S, x, at);
          FloatVector b = FloatVector.fromArray(S, x, at + L);
          FloatVector v = EVEN.selectFrom(a, b);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(row, take.cast(IS));
          v = ODD.selectFrom(a, b);
          take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(row + 1, take.cast(IS));
          v = even(x, at + 2);
          take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(row + 2, take.cast(IS));
        }
        m.intoArray(out, orow + ow);
        storeIndices(t.add(laneCols).add(ow * 2 - pW), idx, irow + ow, L);
      }
    } else if (sW == 2 && dW == 1 && kW == 2) {
      for (; ow <= hi - L; ow += L) {
        FloatVector m = NEG_INF;
        IntVector t = first;
        for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
          int row = h * inW;
          FloatVector a = FloatVector.fromArray(S, x, at);
          FloatVector b = FloatVector.fromArray(S, x, at + L);
          FloatVector v = EVEN.selectFrom(a, b);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(row, take.cast(IS));
          v = ODD.selectFrom(a, b);
          take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(row + 1, take.cast(IS));
        }
        m.intoArray(out, orow + ow);
        storeIndices(t.add(laneCols).add(ow * 2 - pW), idx, irow + ow, L);
      }
    }
    for (; ow < hi; ow += L) {
      int n = Math.min(L, hi - ow);
      FloatVector m = NEG_INF;
      IntVector t = first;
      for (int h = h0; h < h1; h += dH) {
        int at = col0 + ow * sW + h * inW;
        for (int j = 0, tapAt = h * inW; j < kW; j++, at += dW, tapAt += dW) {
          FloatVector v = n == L ? tap(x, at, sW, g) : tapPart(x, at, sW, n, g);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(tapAt, take.cast(IS));
        }
      }
      if (n == L) {
        m.intoArray(out, orow + ow);
      } else {
        m.intoArray(out, orow + ow, S.indexInRange(0, n));
      }
      storeIndices(t.add(laneCols).add(ow * sW - pW), idx, irow + ow, n);
    }
  }

  // ---------------------------------------------------------------- sums

  @Override
  void sumRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float div1, float div2, float[] out, int orow, Gathers g) {
    final int inW = p.inW();
    final int sW = p.sW();
    final int kW = p.kW();
    final int col0 = xo - p.pW();
    final boolean twice = div2 != 1f;
    int ow = lo;
    if (sW == 2 && kW == 2) {
      for (; ow <= hi - L; ow += L) {
        FloatVector s = ZERO;
        for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h++, at += inW) {
          FloatVector a = FloatVector.fromArray(S, x, at);
          FloatVector b = FloatVector.fromArray(S, x, at + L);
          s = s.add(EVEN.selectFrom(a, b)).add(ODD.selectFrom(a, b));
        }
        s = s.div(div1);
        (twice ? s.div(div2) : s).intoArray(out, orow + ow);
      }
    }
    for (; ow < hi; ow += L) {
      int n = Math.min(L, hi - ow);
      FloatVector s = ZERO;
      for (int h = h0; h < h1; h++) {
        int at = col0 + ow * sW + h * inW;
        for (int j = 0; j < kW; j++, at++) {
          s = s.add(n == L ? tap(x, at, sW, g) : tapPart(x, at, sW, n, g));
        }
      }
      s = s.div(div1);
      if (twice) {
        s = s.div(div2);
      }
      if (n == L) {
        s.intoArray(out, orow + ow);
      } else {
        s.intoArray(out, orow + ow, S.indexInRange(0, n));
      }
    }
  }

  // ---------------------------------------------------------------- irregular adaptive bins

  @Override
  void binSumRow(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow) {
    final float kh = h1 - h0;
    for (int ow = 0; ow < b.outW(); ow += L) {
      IntVector widths = IntVector.fromArray(IS, b.widths(), ow);
      FloatVector s = ZERO;
      for (int h = h0; h < h1; h++) {
        int row = xo + h * inW;
        for (int j = 0; j < b.kmax(); j++) {
          VectorMask<Float> live = widths.compare(VectorOperators.GT, j).cast(S);
          s = s.add(FloatVector.fromArray(S, x, row, b.maps()[j], ow, live), live);
        }
      }
      s = s.div(kh).div(FloatVector.fromArray(S, b.divisors(), ow));
      if (ow + L <= b.outW()) {
        s.intoArray(out, orow + ow);
      } else {
        s.intoArray(out, orow + ow, S.indexInRange(ow, b.outW()));
      }
    }
  }

  @Override
  void binMaxRow(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow,
      long[] idx, int irow) {
    for (int ow = 0; ow < b.outW(); ow += L) {
      IntVector widths = IntVector.fromArray(IS, b.widths(), ow);
      FloatVector m = NEG_INF;
      IntVector t = IntVector.fromArray(IS, b.maps()[0], ow).add(h0 * inW);
      for (int h = h0; h < h1; h++) {
        int row = xo + h * inW;
        for (int j = 0; j < b.kmax(); j++) {
          VectorMask<Float> live = widths.compare(VectorOperators.GT, j).cast(S);
          FloatVector v = FloatVector.fromArray(S, x, row, b.maps()[j], ow, live);
          VectorMask<Float> take = takes(m, v).and(live);
          m = m.blend(v, take);
          if (idx != null) {
            t = t.blend(IntVector.fromArray(IS, b.maps()[j], ow).add(h * inW), take.cast(IS));
          }
        }
      }
      int n = Math.min(L, b.outW() - ow);
      if (n == L) {
        m.intoArray(out, orow + ow);
      } else {
        m.intoArray(out, orow + ow, S.indexInRange(0, n));
      }
      if (idx != null) {
        storeIndices(t, idx, irow + ow, n);
      }
    }
  }

  // ---------------------------------------------------------------- global mean

  /**
   * ATen's vectorised sum (see {@code PlaneMean}): lanes of its 8-float vectors never mix until
   * the end, so they are computed {@link #ML} at a time, each in ATen's order, and summed one by
   * one after the scalar tail, as ATen does.
   */
  @Override
  float planeSum(float[] x, int off, int n, float[] acc) {
    if (n < 8) {
      float s = 0;
      for (int i = 0; i < n; i++) {
        s += x[off + i];
      }
      return s;
    }
    final int vectors = n / 8;
    final int rows = vectors / 4;
    for (int lane = 0; lane < 8; lane += ML) {
      int base = off + lane;
      FloatVector a0 = FloatVector.zero(MS);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int i = 0;
      if (rows >= 16) {
        // ATen's multi_row_sum: every 2^levelPower rows, level 0 is folded into level 1, and so on
        // up (see PlaneMean.multiRowSum).
        int levelPower = Math.max(4, ceilLog2(rows) / 4);
        int levelStep = 1 << levelPower;
        int levelMask = levelStep - 1;
        FloatVector b0 = FloatVector.zero(MS);
        FloatVector b1 = b0;
        FloatVector b2 = b0;
        FloatVector b3 = b0;
        FloatVector c0 = b0;
        FloatVector c1 = b0;
        FloatVector c2 = b0;
        FloatVector c3 = b0;
        FloatVector d0 = b0;
        FloatVector d1 = b0;
        FloatVector d2 = b0;
        FloatVector d3 = b0;
        while (i + levelStep <= rows) {
          for (int j = 0; j < levelStep; j++, i++) {
            int at = base + i * 32;
            a0 = a0.add(FloatVector.fromArray(MS, x, at));
            a1 = a1.add(FloatVector.fromArray(MS, x, at + 8));
            a2 = a2.add(FloatVector.fromArray(MS, x, at + 16));
            a3 = a3.add(FloatVector.fromArray(MS, x, at + 24));
          }
          b0 = b0.add(a0);
          b1 = b1.add(a1);
          b2 = b2.add(a2);
          b3 = b3.add(a3);
          a0 = FloatVector.zero(MS);
          a1 = a0;
          a2 = a0;
          a3 = a0;
          if ((i & (levelMask << levelPower)) != 0) {
            continue;
          }
          c0 = c0.add(b0);
          c1 = c1.add(b1);
          c2 = c2.add(b2);
          c3 = c3.add(b3);
          b0 = FloatVector.zero(MS);
          b1 = b0;
          b2 = b0;
          b3 = b0;
          if ((i & (levelMask << (2 * levelPower))) != 0) {
            continue;
          }
          d0 = d0.add(c0);
          d1 = d1.add(c1);
          d2 = d2.add(c2);
          d3 = d3.add(c3);
          c0 = FloatVector.zero(MS);
          c1 = c0;
          c2 = c0;
          c3 = c0;
        }
        for (; i < rows; i++) {
          int at = base + i * 32;
          a0 = a0.add(FloatVector.fromArray(MS, x, at));
          a1 = a1.add(FloatVector.fromArray(MS, x, at + 8));
          a2 = a2.add(FloatVector.fromArray(MS, x, at + 16));
          a3 = a3.add(FloatVector.fromArray(MS, x, at + 24));
        }
        a0 = a0.add(b0).add(c0).add(d0);
        a1 = a1.add(b1).add(c1).add(d1);
        a2 = a2.add(b2).add(c2).add(d2);
        a3 = a3.add(b3).add(c3).add(d3);
      } else {
        for (; i < rows; i++) {
          int at = base + i * 32;
          a0 = a0.add(FloatVector.fromArray(MS, x, at));
          a1 = a1.add(FloatVector.fromArray(MS, x, at + 8));
          a2 = a2.add(FloatVector.fromArray(MS, x, at + 16));
          a3 = a3.add(FloatVector.fromArray(MS, x, at + 24));
        }
      }
      // row_sum: leftover vectors go into the first partial, then the others join it in order.
      for (int v = rows * 4; v < vectors; v++) {
        a0 = a0.add(FloatVector.fromArray(MS, x, base + v * 8));
      }
      a0.add(a1).add(a2).add(a3).intoArray(acc, lane);
    }
    // vectorized_inner_sum: the scalar tail first, then the lanes in order.
    float total = 0;
    for (int i = vectors * 8; i < n; i++) {
      total += x[off + i];
    }
    for (int l = 0; l < 8; l++) {
      total += acc[l];
    }
    return total;
  }

  /** c10's {@code CeilLog2}: 1 for x <= 2, else the bit length of x - 1. */
  private static int ceilLog2(int x) {
    return x <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
