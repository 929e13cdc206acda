package dev.jconv.internal.vector;

import dev.jconv.internal.kernels.Pool2dParams;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link PanamaPooling} for 512-bit vectors. The classes of the other widths
 * are this file with its width changed and nothing else (PanamaWidthCopiesTest checks it): edit
 * this one and regenerate them with {@code tools/gen_panama_widths.sh}.
 *
 * <p>How the loops are cut, and why (each point measured: breaking one makes C2 box vectors,
 * megabytes of garbage per call and several times slower, or leave bounds checks out of line):
 * <ul>
 *   <li>one small method per kind of row (stride 2 with 3 or 2 taps, stride 1, stride 2, gathered
 *       strides), chosen once per row, and tiny helpers: C2 stops inlining in a method that grows
 *       too big (or into a helper it has already compiled big), and a vector merged from two
 *       kinds of load inside a loop is boxed;
 *   <li>a row of at least one vector ends with a vector that overlaps the one before (its lanes
 *       are recomputed, same values), so there is no partial vector; a row narrower than a vector
 *       reads past its end (those lanes are never stored: masked store) and runs a whole plane
 *       per call, since such rows do little work each;
 *   <li>loads are never guarded: {@link PanamaPooling} sends the few rows whose loads would pass
 *       the end of the input array down the per-window path instead;
 *   <li>indices are kept as int lanes and widened to long outside the vector loops;
 *   <li>no vector constants in static fields (lane patterns are arrays, loaded where used);
 *   <li>no more than one output vector per loop iteration (two made C2 box everything).
 * </ul>
 * Stride-2 taps are the even (or odd) lanes of two vectors: one two-vector permute, indexed by an
 * int vector (a float index vector measured 1.5-2.5x slower). The taps of one window row are
 * folded first, then the row into the window's running maximum: ATen's step applied to
 * consecutive runs of taps and then to the runs' results, in order, is the same as tap by tap
 * (the later run wins exactly when its maximum is greater or NaN), and the shorter dependency
 * chain measured about 15% faster.
 */
final class PanamaPool512 extends PanamaPooling {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_512;
  private static final int L = S.length();
  /** ATen's sum runs on 8-float vectors, so the mean uses at most 8 lanes (see planeSum). */
  private static final VectorSpecies<Float> MS = L > 8 ? FloatVector.SPECIES_256 : S;
  private static final int ML = MS.length();
  /** Lane j of an ATen-lane vector to row j of a lanes-wide table ({@link #planeSumsOneRow}). */
  private static final int[] LANE_ROWS = ramp(ML, 0, L);

  private static final int[] EVEN = ramp(L, 0, 2);
  private static final int[] ODD = ramp(L, 1, 2);
  private static final int[] IOTA = ramp(L, 0, 1);

  PanamaPool512() {
    super(L * 32);
  }

  // ---------------------------------------------------------------- helpers

  /** Lanes {@code a ++ b} at {@code idx} (0 to 2L-1): one two-vector permute. */
  private static FloatVector pick(IntVector idx, FloatVector a, FloatVector b) {
    return idx.selectFrom(a.reinterpretAsInts(), b.reinterpretAsInts()).reinterpretAsFloats();
  }

  /**
   * Lanes {@code x[at + 2i]}: the even lanes of two vectors. The second one reads one element past
   * the last one used (and a narrow row reads past its end): {@link PanamaPooling} runs a row
   * through these loops only where that stays inside {@code x}.
   */
  private static FloatVector even(float[] x, int at, IntVector evenIdx) {
    return pick(evenIdx, FloatVector.fromArray(S, x, at), FloatVector.fromArray(S, x, at + L));
  }

  /** Where ATen's max step takes the tap: {@code v > max || isnan(v)}. */
  private static VectorMask<Float> takes(FloatVector max, FloatVector v) {
    return v.compare(VectorOperators.GT, max).or(v.compare(VectorOperators.NE, v));
  }

  private static FloatVector maxStep(FloatVector max, FloatVector v) {
    return max.blend(v, takes(max, v));
  }

  private static FloatVector negInf() {
    return FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
  }

  private static IntVector lanes(int step) {
    return IntVector.fromArray(IS, IOTA, 0).mul(step);
  }

  // ---------------------------------------------------------------- max

  @Override
  void maxRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float[] out, int orow, long[] idx, int irow, Gathers g, int[] rows) {
    final int sW = p.sW();
    final int kW = p.kW();
    final int dW = p.dW();
    final int col0 = xo - p.pW();
    final int inW = p.inW();
    final int dH = p.dH();
    final boolean narrow = hi - lo < L;
    if (idx == null) {
      assert !narrow : "narrow rows without indices go through maxNarrowRows";
      if (sW == 2 && dW == 1 && kW == 3) {
        maxK3S2(x, col0, inW, h0, h1, dH, lo, hi, out, orow);
      } else if (sW == 2 && dW == 1 && kW == 2) {
        maxK2S2(x, col0, inW, h0, h1, dH, lo, hi, out, orow);
      } else if (sW == 1) {
        maxS1(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow);
      } else if (sW == 2) {
        maxS2(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow);
      } else {
        maxGather(x, col0, inW, h0, h1, dH, kW, dW, sW, lo, hi, out, orow, g.full());
      }
      return;
    }
    // Each lane keeps the tap offset h*inW + j*dW of its maximum (starting at the first tap, as
    // ATen's kernel does); the lane's own first column ow*sW - pW is added when it is stored, as
    // ints into the row scratch, widened to longs below: converting and storing longs inside the
    // vector loop made C2 stop inlining there (its node-count cutoff) and box every vector.
    final int colOff = -p.pW();
    if (narrow) {
      maxNarrowIdx(x, col0, inW, h0, h1, dH, kW, dW, sW, lo, hi, out, orow, rows, colOff, g.narrow());
    } else if (sW == 2 && dW == 1 && kW == 3) {
      maxK3S2Idx(x, col0, inW, h0, h1, dH, lo, hi, out, orow, rows, colOff);
    } else if (sW == 2 && dW == 1 && kW == 2) {
      maxK2S2Idx(x, col0, inW, h0, h1, dH, lo, hi, out, orow, rows, colOff);
    } else if (sW == 1) {
      maxS1Idx(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow, rows, colOff);
    } else if (sW == 2) {
      maxS2Idx(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow, rows, colOff);
    } else {
      maxGatherIdx(x, col0, inW, h0, h1, dH, kW, dW, sW, lo, hi, out, orow, rows, colOff, g.full());
    }
    for (int ow = lo; ow < hi; ow++) {
      idx[irow + ow] = rows[ow];
    }
  }

  /** ResNet's stem pool (3 taps, stride 2): taps 0 and 1 from one pair of vectors, tap 2 from the next. */
  private static void maxK3S2(float[] x, int col0, int inW, int h0, int h1, int dH, int lo, int hi,
      float[] out, int orow) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector oddIdx = IntVector.fromArray(IS, ODD, 0);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L); // the last vector overlaps the one before
      FloatVector m = negInf();
      for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
        FloatVector a = FloatVector.fromArray(S, x, at);
        FloatVector b = FloatVector.fromArray(S, x, at + L);
        FloatVector r = maxStep(pick(evenIdx, a, b), pick(oddIdx, a, b));
        m = maxStep(m, maxStep(r, even(x, at + 2, evenIdx)));
      }
      m.intoArray(out, orow + ow);
    }
  }

  private static void maxK2S2(float[] x, int col0, int inW, int h0, int h1, int dH, int lo, int hi,
      float[] out, int orow) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector oddIdx = IntVector.fromArray(IS, ODD, 0);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
        FloatVector a = FloatVector.fromArray(S, x, at);
        FloatVector b = FloatVector.fromArray(S, x, at + L);
        m = maxStep(m, maxStep(pick(evenIdx, a, b), pick(oddIdx, a, b)));
      }
      m.intoArray(out, orow + ow);
    }
  }

  private static void maxS1(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow) {
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + ow + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, FloatVector.fromArray(S, x, at));
        }
      }
      m.intoArray(out, orow + ow);
    }
  }

  private static void maxS2(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + 2 * ow + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, even(x, at, evenIdx));
        }
      }
      m.intoArray(out, orow + ow);
    }
  }

  private static void maxGather(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int sW, int lo, int hi, float[] out, int orow, int[] map) {
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + ow * sW + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, FloatVector.fromArray(S, x, at, map, 0));
        }
      }
      m.intoArray(out, orow + ow);
    }
  }




  private static void maxK3S2Idx(float[] x, int col0, int inW, int h0, int h1, int dH, int lo, int hi,
      float[] out, int orow, int[] rows, int colOff) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector oddIdx = IntVector.fromArray(IS, ODD, 0);
    final IntVector laneCols = lanes(2);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      IntVector t = IntVector.broadcast(IS, h0 * inW);
      for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
        int row = h * inW;
        FloatVector a = FloatVector.fromArray(S, x, at);
        FloatVector b = FloatVector.fromArray(S, x, at + L);
        FloatVector v = pick(evenIdx, a, b);
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(row, take.cast(IS));
        v = pick(oddIdx, a, b);
        take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(row + 1, take.cast(IS));
        v = even(x, at + 2, evenIdx);
        take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(row + 2, take.cast(IS));
      }
      m.intoArray(out, orow + ow);
      t.add(laneCols).add(2 * ow + colOff).intoArray(rows, ow);
    }
  }

  private static void maxK2S2Idx(float[] x, int col0, int inW, int h0, int h1, int dH, int lo, int hi,
      float[] out, int orow, int[] rows, int colOff) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector oddIdx = IntVector.fromArray(IS, ODD, 0);
    final IntVector laneCols = lanes(2);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      IntVector t = IntVector.broadcast(IS, h0 * inW);
      for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h += dH, at += dH * inW) {
        int row = h * inW;
        FloatVector a = FloatVector.fromArray(S, x, at);
        FloatVector b = FloatVector.fromArray(S, x, at + L);
        FloatVector v = pick(evenIdx, a, b);
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(row, take.cast(IS));
        v = pick(oddIdx, a, b);
        take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(row + 1, take.cast(IS));
      }
      m.intoArray(out, orow + ow);
      t.add(laneCols).add(2 * ow + colOff).intoArray(rows, ow);
    }
  }

  private static void maxS1Idx(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow, int[] rows, int colOff) {
    final IntVector laneCols = lanes(1);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      IntVector t = IntVector.broadcast(IS, h0 * inW);
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + ow + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
          FloatVector v = FloatVector.fromArray(S, x, at);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(tap, take.cast(IS));
        }
      }
      m.intoArray(out, orow + ow);
      t.add(laneCols).add(ow + colOff).intoArray(rows, ow);
    }
  }

  private static void maxS2Idx(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow, int[] rows, int colOff) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector laneCols = lanes(2);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      IntVector t = IntVector.broadcast(IS, h0 * inW);
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + 2 * ow + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
          FloatVector v = even(x, at, evenIdx);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(tap, take.cast(IS));
        }
      }
      m.intoArray(out, orow + ow);
      t.add(laneCols).add(2 * ow + colOff).intoArray(rows, ow);
    }
  }

  private static void maxGatherIdx(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int sW, int lo, int hi, float[] out, int orow, int[] rows, int colOff, int[] map) {
    final IntVector laneCols = lanes(sW);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector m = negInf();
      IntVector t = IntVector.broadcast(IS, h0 * inW);
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + ow * sW + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
          FloatVector v = FloatVector.fromArray(S, x, at, map, 0);
          VectorMask<Float> take = takes(m, v);
          m = m.blend(v, take);
          t = t.blend(tap, take.cast(IS));
        }
      }
      m.intoArray(out, orow + ow);
      t.add(laneCols).add(ow * sW + colOff).intoArray(rows, ow);
    }
  }

  private static void maxNarrowIdx(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int sW, int lo, int hi, float[] out, int orow, int[] rows, int colOff, int[] map) {
    if (sW == 1) {
      maxNarrowIdxS1(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow, rows, colOff);
    } else if (sW == 2) {
      maxNarrowIdxS2(x, col0, inW, h0, h1, dH, kW, dW, lo, hi, out, orow, rows, colOff);
    } else {
      maxNarrowIdxGather(x, col0, inW, h0, h1, dH, kW, dW, sW, lo, hi, out, orow, rows, colOff, map);
    }
  }

  private static void maxNarrowIdxS1(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow, int[] rows, int colOff) {
    FloatVector m = negInf();
    IntVector t = IntVector.broadcast(IS, h0 * inW);
    for (int h = h0; h < h1; h += dH) {
      for (int j = 0, at = col0 + lo + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
        FloatVector v = FloatVector.fromArray(S, x, at);
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(tap, take.cast(IS));
      }
    }
    m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    t.add(lanes(1)).add(lo + colOff).intoArray(rows, lo, IS.indexInRange(0, hi - lo));
  }

  private static void maxNarrowIdxS2(float[] x, int col0, int inW, int h0, int h1, int dH, int kW, int dW,
      int lo, int hi, float[] out, int orow, int[] rows, int colOff) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    FloatVector m = negInf();
    IntVector t = IntVector.broadcast(IS, h0 * inW);
    for (int h = h0; h < h1; h += dH) {
      for (int j = 0, at = col0 + 2 * lo + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
        FloatVector v = even(x, at, evenIdx);
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(tap, take.cast(IS));
      }
    }
    m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    t.add(lanes(2)).add(2 * lo + colOff).intoArray(rows, lo, IS.indexInRange(0, hi - lo));
  }

  private static void maxNarrowIdxGather(float[] x, int col0, int inW, int h0, int h1, int dH, int kW,
      int dW, int sW, int lo, int hi, float[] out, int orow, int[] rows, int colOff, int[] map) {
    FloatVector m = negInf();
    IntVector t = IntVector.broadcast(IS, h0 * inW);
    for (int h = h0; h < h1; h += dH) {
      for (int j = 0, at = col0 + lo * sW + h * inW, tap = h * inW; j < kW; j++, at += dW, tap += dW) {
        FloatVector v = FloatVector.fromArray(S, x, at, map, 0);
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        t = t.blend(tap, take.cast(IS));
      }
    }
    m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    t.add(lanes(sW)).add(lo * sW + colOff).intoArray(rows, lo, IS.indexInRange(0, hi - lo));
  }

  // ---------------------------------------------------------------- sums

  @Override
  void sumRow(float[] x, int xo, Pool2dParams p, int h0, int h1, int lo, int hi,
      float div1, float div2, float[] out, int orow, Gathers g) {
    final int sW = p.sW();
    final int kW = p.kW();
    final int col0 = xo - p.pW();
    final int inW = p.inW();
    final boolean narrow = hi - lo < L;
    assert !narrow : "narrow rows go through sumNarrowRows";
    if (sW == 2 && kW == 2) {
      sumK2S2(x, col0, inW, h0, h1, lo, hi, div1, div2, out, orow);
    } else if (sW == 1) {
      sumS1(x, col0, inW, h0, h1, kW, lo, hi, div1, div2, out, orow);
    } else if (sW == 2) {
      sumS2(x, col0, inW, h0, h1, kW, lo, hi, div1, div2, out, orow);
    } else {
      sumGather(x, col0, inW, h0, h1, kW, sW, lo, hi, div1, div2, out, orow, g.full());
    }
  }

  /** The window sum divided by div1 and then, unless it is 1, by div2 (x / 1 = x anyway). */
  private static FloatVector divide(FloatVector s, float div1, float div2) {
    return div2 == 1f ? s.div(div1) : s.div(div1).div(div2);
  }

  private static void sumK2S2(float[] x, int col0, int inW, int h0, int h1, int lo, int hi,
      float div1, float div2, float[] out, int orow) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    final IntVector oddIdx = IntVector.fromArray(IS, ODD, 0);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector s = FloatVector.zero(S);
      for (int h = h0, at = col0 + 2 * ow + h0 * inW; h < h1; h++, at += inW) {
        FloatVector a = FloatVector.fromArray(S, x, at);
        FloatVector b = FloatVector.fromArray(S, x, at + L);
        s = s.add(pick(evenIdx, a, b)).add(pick(oddIdx, a, b));
      }
      divide(s, div1, div2).intoArray(out, orow + ow);
    }
  }

  private static void sumS1(float[] x, int col0, int inW, int h0, int h1, int kW, int lo, int hi,
      float div1, float div2, float[] out, int orow) {
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + ow + h * inW; j < kW; j++, at++) {
          s = s.add(FloatVector.fromArray(S, x, at));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + ow);
    }
  }

  private static void sumS2(float[] x, int col0, int inW, int h0, int h1, int kW, int lo, int hi,
      float div1, float div2, float[] out, int orow) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + 2 * ow + h * inW; j < kW; j++, at++) {
          s = s.add(even(x, at, evenIdx));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + ow);
    }
  }

  private static void sumGather(float[] x, int col0, int inW, int h0, int h1, int kW, int sW, int lo,
      int hi, float div1, float div2, float[] out, int orow, int[] map) {
    for (int ow = lo; ow < hi; ow += L) {
      ow = Math.min(ow, hi - L);
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + ow * sW + h * inW; j < kW; j++, at++) {
          s = s.add(FloatVector.fromArray(S, x, at, map, 0));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + ow);
    }
  }




  // ---------------------------------------------------------------- narrow rows, a plane per call

  // Rows narrower than a vector do little work each, so the row loop runs inside the kernel (one
  // call per plane): measured 1.9x faster than a call per row. (Wide rows keep a call per row: with
  // the row loop inside, C2 compiled them worse.)

  @Override
  void maxNarrowRows(float[] x, int xo, Pool2dParams p, int oh0, int oh1, int lo, int hi, float[] out,
      int oo, Gathers g) {
    final int sW = p.sW();
    final int col0 = xo - p.pW();
    if (sW == 1) {
      maxNarrowPlaneS1(x, col0, p.inW(), p, oh0, oh1, p.dH(), p.kW(), p.dW(), lo, hi, out, oo);
    } else if (sW == 2) {
      maxNarrowPlaneS2(x, col0, p.inW(), p, oh0, oh1, p.dH(), p.kW(), p.dW(), lo, hi, out, oo);
    } else {
      maxNarrowPlaneGather(x, col0, p.inW(), p, oh0, oh1, p.dH(), p.kW(), p.dW(), sW, lo, hi, out, oo,
          g.narrow());
    }
  }

  @Override
  void sumNarrowRows(float[] x, int xo, Pool2dParams p, int oh0, int oh1, int lo, int hi,
      boolean adaptive, float[] out, int oo, Gathers g) {
    final int sW = p.sW();
    final int col0 = xo - p.pW();
    if (sW == 1) {
      sumNarrowPlaneS1(x, col0, p.inW(), p, oh0, oh1, p.kW(), lo, hi, adaptive, out, oo);
    } else if (sW == 2) {
      sumNarrowPlaneS2(x, col0, p.inW(), p, oh0, oh1, p.kW(), lo, hi, adaptive, out, oo);
    } else {
      sumNarrowPlaneGather(x, col0, p.inW(), p, oh0, oh1, p.kW(), sW, lo, hi, adaptive, out, oo, g.narrow());
    }
  }

  /**
   * A row of {@code n = hi - lo < L} windows, stride 1: the lanes past the row read the next one
   * (inside {@code x}, see {@link #even}) and are not stored.
   */
  private static void maxNarrowPlaneS1(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int dH, int kW, int dW,
      int lo, int hi, float[] out, int oo) {
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + lo + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, FloatVector.fromArray(S, x, at));
        }
      }
      m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  private static void maxNarrowPlaneS2(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int dH, int kW, int dW,
      int lo, int hi, float[] out, int oo) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + 2 * lo + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, even(x, at, evenIdx));
        }
      }
      m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  /** A narrow row of a larger stride: gathered through a map that repeats the last column. */
  private static void maxNarrowPlaneGather(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int dH, int kW, int dW,
      int sW, int lo, int hi, float[] out, int oo, int[] map) {
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      FloatVector m = negInf();
      for (int h = h0; h < h1; h += dH) {
        for (int j = 0, at = col0 + lo * sW + h * inW; j < kW; j++, at += dW) {
          m = maxStep(m, FloatVector.fromArray(S, x, at, map, 0));
        }
      }
      m.intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  private static void sumNarrowPlaneS1(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int kW, int lo, int hi,
      boolean adaptive, float[] out, int oo) {
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      final float div1 = adaptive ? p.kH() : (float) p.divisor(oh, lo);
      final float div2 = adaptive ? p.kW() : 1f;
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + lo + h * inW; j < kW; j++, at++) {
          s = s.add(FloatVector.fromArray(S, x, at));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  private static void sumNarrowPlaneS2(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int kW, int lo, int hi,
      boolean adaptive, float[] out, int oo) {
    final IntVector evenIdx = IntVector.fromArray(IS, EVEN, 0);
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      final float div1 = adaptive ? p.kH() : (float) p.divisor(oh, lo);
      final float div2 = adaptive ? p.kW() : 1f;
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + 2 * lo + h * inW; j < kW; j++, at++) {
          s = s.add(even(x, at, evenIdx));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  private static void sumNarrowPlaneGather(float[] x, int col0, int inW, Pool2dParams p, int oh0, int oh1,
      int kW, int sW, int lo,
      int hi, boolean adaptive, float[] out, int oo, int[] map) {
    for (int oh = oh0; oh < oh1; oh++) {
      final int h0 = firstRow(p, oh);
      final int h1 = endRow(p, oh);
      final int orow = oo + oh * p.outW();
      final float div1 = adaptive ? p.kH() : (float) p.divisor(oh, lo);
      final float div2 = adaptive ? p.kW() : 1f;
      FloatVector s = FloatVector.zero(S);
      for (int h = h0; h < h1; h++) {
        for (int j = 0, at = col0 + lo * sW + h * inW; j < kW; j++, at++) {
          s = s.add(FloatVector.fromArray(S, x, at, map, 0));
        }
      }
      divide(s, div1, div2).intoArray(out, orow + lo, S.indexInRange(0, hi - lo));
    }
  }

  // ---------------------------------------------------------------- irregular adaptive bins

  @Override
  void binSumRow(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow) {
    final float kh = h1 - h0;
    for (int ow = 0; ow < b.outW(); ow += L) {
      IntVector widths = IntVector.fromArray(IS, b.widths(), ow);
      FloatVector s = FloatVector.zero(S);
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
      long[] idx, int irow, int[] rows) {
    if (idx == null) {
      binMaxValues(x, xo, inW, h0, h1, b, out, orow);
    } else {
      binMaxIndices(x, xo, inW, h0, h1, b, out, orow, rows);
      for (int ow = 0; ow < b.outW(); ow++) {
        idx[irow + ow] = rows[ow];
      }
    }
  }

  private static void binMaxValues(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow) {
    for (int ow = 0; ow < b.outW(); ow += L) {
      IntVector widths = IntVector.fromArray(IS, b.widths(), ow);
      FloatVector m = negInf();
      for (int h = h0; h < h1; h++) {
        int row = xo + h * inW;
        for (int j = 0; j < b.kmax(); j++) {
          VectorMask<Float> live = widths.compare(VectorOperators.GT, j).cast(S);
          FloatVector v = FloatVector.fromArray(S, x, row, b.maps()[j], ow, live);
          m = m.blend(v, takes(m, v).and(live));
        }
      }
      m.intoArray(out, orow + ow, S.indexInRange(ow, b.outW()));
    }
  }

  private static void binMaxIndices(float[] x, int xo, int inW, int h0, int h1, Bins b, float[] out, int orow,
      int[] rows) {
    for (int ow = 0; ow < b.outW(); ow += L) {
      IntVector widths = IntVector.fromArray(IS, b.widths(), ow);
      FloatVector m = negInf();
      IntVector t = IntVector.fromArray(IS, b.maps()[0], ow).add(h0 * inW);
      for (int h = h0; h < h1; h++) {
        int row = xo + h * inW;
        for (int j = 0; j < b.kmax(); j++) {
          VectorMask<Float> live = widths.compare(VectorOperators.GT, j).cast(S);
          FloatVector v = FloatVector.fromArray(S, x, row, b.maps()[j], ow, live);
          VectorMask<Float> take = takes(m, v).and(live);
          m = m.blend(v, take);
          t = t.blend(IntVector.fromArray(IS, b.maps()[j], ow).add(h * inW), take.cast(IS));
        }
      }
      int n = Math.min(L, b.outW() - ow);
      m.intoArray(out, orow + ow, S.indexInRange(0, n));
      t.intoArray(rows, ow, IS.indexInRange(0, n));
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
    if (rows == 1) {
      return sumOneRow(x, off, n);
    }
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

  /**
   * {@link #planeSum} for {@code 32 <= n < 64} (one row of four vectors, e.g. ResNet's 7x7 maps):
   * the same additions in straight lines, and the lanes read from the register, not stored and
   * reloaded (measured ~1.6x faster on 49 floats).
   */
  private static float sumOneRow(float[] x, int off, int n) {
    final int vectors = n / 8;
    float total = 0;
    for (int i = vectors * 8; i < n; i++) {
      total += x[off + i];
    }
    for (int lane = 0; lane < 8; lane += ML) {
      FloatVector a0 = oneRowLanes(x, off + lane, vectors);
      for (int l = 0; l < ML; l++) {
        total += a0.lane(l);
      }
    }
    return total;
  }

  /**
   * ATen's lanes {@code [lane, lane + ML)} of a one-row plane of {@code vectors} 8-float vectors
   * starting at {@code base - lane}: vector 0, then 4.., then 1, 2, 3, each added to a zero first.
   */
  private static FloatVector oneRowLanes(float[] x, int base, int vectors) {
    FloatVector zero = FloatVector.zero(MS);
    FloatVector a0 = zero.add(FloatVector.fromArray(MS, x, base));
    for (int v = 4; v < vectors; v++) {
      a0 = a0.add(FloatVector.fromArray(MS, x, base + v * 8));
    }
    return a0.add(zero.add(FloatVector.fromArray(MS, x, base + 8)))
        .add(zero.add(FloatVector.fromArray(MS, x, base + 16)))
        .add(zero.add(FloatVector.fromArray(MS, x, base + 24)));
  }

  @Override
  void planeSumsOneRow(float[] x, int off, int n, int[] planeMap, float[] sums, float[] scratch) {
    final int vectors = n / 8;
    for (int p = 0; p < L; p++) {
      for (int lane = 0; lane < 8; lane += ML) {
        // ATen lane `lane + j` of plane p goes to scratch[(lane + j) * L + p]: one row per ATen lane.
        oneRowLanes(x, off + p * n + lane, vectors).intoArray(scratch, lane * L + p, LANE_ROWS, 0);
      }
    }
    FloatVector total = FloatVector.zero(S);
    for (int i = vectors * 8; i < n; i++) {
      total = total.add(FloatVector.fromArray(S, x, off + i, planeMap, 0));
    }
    for (int l = 0; l < 8; l++) {
      total = total.add(FloatVector.fromArray(S, scratch, l * L));
    }
    total.intoArray(sums, 0);
  }

  /** c10's {@code CeilLog2}: 1 for x <= 2, else the bit length of x - 1. */
  private static int ceilLog2(int x) {
    return x <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(x - 1);
  }
}
