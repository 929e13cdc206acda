package dev.jconv.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanamaKernels} for 128-bit vectors. The Panama classes of each width hold the same code
 * and differ only in {@link #S} and {@link #L} (see {@link PanamaKernels} for why they are copies):
 * edit this one and regenerate the others with {@code tools/gen_panama_widths.sh};
 * PanamaWidthCopiesTest fails when they drift apart.
 */
final class Panama128 extends PanamaKernels {
  private static final VectorSpecies<Float> S = PanamaConstants.F128;
  private static final int L = 128 / 32;

  /** Patch depth from which directChannels uses its four-vector block (see there). */
  private static final int DEEP_TAPS = 64;

  @Override
  int lanes() {
    return L;
  }

  @Override
  void gemmMicro(float[] ap, int aIdx, int aRow, int aStep, float[] bp, int bIdx, int bStep, int kc, float[] c,
      int cIdx, int ldc, boolean accumulate, float[] bias, int biasIdx) {
    // 6 rows x 2 vectors = 12 accumulators + 2 B vectors + 1 broadcast: fits the 16 registers of
    // AVX2 and leaves room on CPUs with 32. Each step issues 12 FMAs for 2 vector loads and 6
    // broadcasts, enough to keep two FMA pipes busy.
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = c00;
    FloatVector c20 = c00;
    FloatVector c30 = c00;
    FloatVector c40 = c00;
    FloatVector c50 = c00;
    if (bias != null) {
      // A convolution's bias: in the registers from the start, not in a pass over C.
      c00 = FloatVector.broadcast(S, bias[biasIdx]);
      c10 = FloatVector.broadcast(S, bias[biasIdx + 1]);
      c20 = FloatVector.broadcast(S, bias[biasIdx + 2]);
      c30 = FloatVector.broadcast(S, bias[biasIdx + 3]);
      c40 = FloatVector.broadcast(S, bias[biasIdx + 4]);
      c50 = FloatVector.broadcast(S, bias[biasIdx + 5]);
    }
    FloatVector c01 = c00;
    FloatVector c11 = c10;
    FloatVector c21 = c20;
    FloatVector c31 = c30;
    FloatVector c41 = c40;
    FloatVector c51 = c50;
    int ai = aIdx;
    int bi = bIdx;
    int a1 = aRow;
    int a2 = 2 * aRow;
    int a3 = 3 * aRow;
    int a4 = 4 * aRow;
    int a5 = 5 * aRow;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x = FloatVector.broadcast(S, ap[ai]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[ai + a1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[ai + a2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[ai + a3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(S, ap[ai + a4]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(S, ap[ai + a5]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
    }
    store(c00, c01, c, cIdx, accumulate);
    store(c10, c11, c, cIdx + ldc, accumulate);
    store(c20, c21, c, cIdx + 2 * ldc, accumulate);
    store(c30, c31, c, cIdx + 3 * ldc, accumulate);
    store(c40, c41, c, cIdx + 4 * ldc, accumulate);
    store(c50, c51, c, cIdx + 5 * ldc, accumulate);
  }

  @Override
  void gemmMicro4(float[] ap, int aIdx, int aRow, int aStep, float[] bp, int bIdx, int bStep, int kc, float[] c,
      int cIdx, int ldc, boolean accumulate, float[] bias, int biasIdx) {
    // The last 4 rows of 64, 256 or 1024 (6-row panels leave 4): 8 accumulators, which still
    // cover the FMA latency of two pipes.
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = c00;
    FloatVector c20 = c00;
    FloatVector c30 = c00;
    if (bias != null) {
      c00 = FloatVector.broadcast(S, bias[biasIdx]);
      c10 = FloatVector.broadcast(S, bias[biasIdx + 1]);
      c20 = FloatVector.broadcast(S, bias[biasIdx + 2]);
      c30 = FloatVector.broadcast(S, bias[biasIdx + 3]);
    }
    FloatVector c01 = c00;
    FloatVector c11 = c10;
    FloatVector c21 = c20;
    FloatVector c31 = c30;
    int ai = aIdx;
    int bi = bIdx;
    int a1 = aRow;
    int a2 = 2 * aRow;
    int a3 = 3 * aRow;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x = FloatVector.broadcast(S, ap[ai]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, ap[ai + a1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, ap[ai + a2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, ap[ai + a3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    store(c00, c01, c, cIdx, accumulate);
    store(c10, c11, c, cIdx + ldc, accumulate);
    store(c20, c21, c, cIdx + 2 * ldc, accumulate);
    store(c30, c31, c, cIdx + 3 * ldc, accumulate);
  }

  @Override
  void gemmMicroRows(float[] ap, int aIdx, int aRow, int aStep, int aRowStep, float[] bp, int bIdx, int bRowStep,
      int cols, int rows, float[] c, int cIdx, int ldc) {
    // gemmMicro's block, its steps in rows of steps: the strided weight gradient's A is the input
    // read in place (a row of outputs reads every sx-th element of an input row, the next row of
    // outputs sy input rows down), its B the output gradient packed in 2L-wide panels.
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    int a1 = aRow;
    int a2 = 2 * aRow;
    int a3 = 3 * aRow;
    int a4 = 4 * aRow;
    int a5 = 5 * aRow;
    for (int r = 0; r < rows; r++, aIdx += aRowStep, bIdx += bRowStep) {
      int ai = aIdx;
      int bi = bIdx;
      for (int q = 0; q < cols; q++, ai += aStep, bi += 2 * L) {
        FloatVector b0 = FloatVector.fromArray(S, bp, bi);
        FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
        FloatVector x = FloatVector.broadcast(S, ap[ai]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        x = FloatVector.broadcast(S, ap[ai + a1]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        x = FloatVector.broadcast(S, ap[ai + a2]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        x = FloatVector.broadcast(S, ap[ai + a3]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
        x = FloatVector.broadcast(S, ap[ai + a4]);
        c40 = x.fma(b0, c40);
        c41 = x.fma(b1, c41);
        x = FloatVector.broadcast(S, ap[ai + a5]);
        c50 = x.fma(b0, c50);
        c51 = x.fma(b1, c51);
      }
    }
    store(c00, c01, c, cIdx, true);
    store(c10, c11, c, cIdx + ldc, true);
    store(c20, c21, c, cIdx + 2 * ldc, true);
    store(c30, c31, c, cIdx + 3 * ldc, true);
    store(c40, c41, c, cIdx + 4 * ldc, true);
    store(c50, c51, c, cIdx + 5 * ldc, true);
  }

  @Override
  void gemmMicroRows4(float[] ap, int aIdx, int aRow, int aStep, int aRowStep, float[] bp, int bIdx, int bRowStep,
      int cols, int rows, float[] c, int cIdx, int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int a1 = aRow;
    int a2 = 2 * aRow;
    int a3 = 3 * aRow;
    for (int r = 0; r < rows; r++, aIdx += aRowStep, bIdx += bRowStep) {
      int ai = aIdx;
      int bi = bIdx;
      for (int q = 0; q < cols; q++, ai += aStep, bi += 2 * L) {
        FloatVector b0 = FloatVector.fromArray(S, bp, bi);
        FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
        FloatVector x = FloatVector.broadcast(S, ap[ai]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        x = FloatVector.broadcast(S, ap[ai + a1]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        x = FloatVector.broadcast(S, ap[ai + a2]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        x = FloatVector.broadcast(S, ap[ai + a3]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
      }
    }
    store(c00, c01, c, cIdx, true);
    store(c10, c11, c, cIdx + ldc, true);
    store(c20, c21, c, cIdx + 2 * ldc, true);
    store(c30, c31, c, cIdx + 3 * ldc, true);
  }

  /** Interleaves the low halves of two vectors (even lanes from the first). */
  private static final VectorShuffle<Float> INTERLEAVE_LO = interleave(0);

  /** Interleaves the high halves of two vectors. */
  private static final VectorShuffle<Float> INTERLEAVE_HI = interleave(L / 2);

  private static VectorShuffle<Float> interleave(int from) {
    int[] idx = new int[L];
    for (int i = 0; i < L / 2; i++) {
      idx[2 * i] = from + i;
      // an index past the lanes (here, counted down from 0) takes the second vector's lane
      idx[2 * i + 1] = from + i - L;
    }
    return VectorShuffle.fromValues(S, idx);
  }

  @Override
  void stride2Tile(float[] ap, int a, int cout, int aStep, int r0, int r1, float[] gp, int planeP, int f0,
      boolean[] mask, float[] acc) {
    // 4 input channels x 2 vectors of phase positions x 2 column parities: even columns take tap
    // v = 1 at the position itself, odd ones v = 0 one position on (masked at a row's end) and v = 2
    // at the position itself. One or two taps u per output channel (r1 < 0: one).
    // One loop per method: with both loops in one method, C2 kept the vectors in boxes (over 100x slower).
    if (r1 < 0) {
      stride2Tile1(ap, a, cout, aStep, r0, gp, planeP, f0, mask, acc);
    } else {
      stride2Tile2(ap, a, cout, aStep, r0, r1, gp, planeP, f0, mask, acc);
    }
  }

  private static void stride2Tile1(float[] ap, int a, int cout, int aStep, int r0, float[] gp, int planeP, int f0,
      boolean[] mask, float[] acc) {
    FloatVector e00 = FloatVector.zero(S);
    FloatVector e01 = e00;
    FloatVector o00 = e00;
    FloatVector o01 = e00;
    FloatVector e10 = e00;
    FloatVector e11 = e00;
    FloatVector o10 = e00;
    FloatVector o11 = e00;
    FloatVector e20 = e00;
    FloatVector e21 = e00;
    FloatVector o20 = e00;
    FloatVector o21 = e00;
    FloatVector e30 = e00;
    FloatVector e31 = e00;
    FloatVector o30 = e00;
    FloatVector o31 = e00;
    VectorMask<Float> m0 = VectorMask.fromArray(S, mask, f0);
    VectorMask<Float> m1 = VectorMask.fromArray(S, mask, f0 + L);
    for (int co = 0, b = f0; co < cout; co++, a += aStep, b += planeP) {
      FloatVector b0 = FloatVector.fromArray(S, gp, b + r0);
      FloatVector b1 = FloatVector.fromArray(S, gp, b + r0 + L);
      FloatVector s0 = FloatVector.fromArray(S, gp, b + r0 + 1, m0);
      FloatVector s1 = FloatVector.fromArray(S, gp, b + r0 + 1 + L, m1);
      FloatVector w = FloatVector.broadcast(S, ap[a]);
      o00 = w.fma(s0, o00);
      o01 = w.fma(s1, o01);
      w = FloatVector.broadcast(S, ap[a + 1]);
      e00 = w.fma(b0, e00);
      e01 = w.fma(b1, e01);
      w = FloatVector.broadcast(S, ap[a + 2]);
      o00 = w.fma(b0, o00);
      o01 = w.fma(b1, o01);
      w = FloatVector.broadcast(S, ap[a + 3]);
      o10 = w.fma(s0, o10);
      o11 = w.fma(s1, o11);
      w = FloatVector.broadcast(S, ap[a + 4]);
      e10 = w.fma(b0, e10);
      e11 = w.fma(b1, e11);
      w = FloatVector.broadcast(S, ap[a + 5]);
      o10 = w.fma(b0, o10);
      o11 = w.fma(b1, o11);
      w = FloatVector.broadcast(S, ap[a + 6]);
      o20 = w.fma(s0, o20);
      o21 = w.fma(s1, o21);
      w = FloatVector.broadcast(S, ap[a + 7]);
      e20 = w.fma(b0, e20);
      e21 = w.fma(b1, e21);
      w = FloatVector.broadcast(S, ap[a + 8]);
      o20 = w.fma(b0, o20);
      o21 = w.fma(b1, o21);
      w = FloatVector.broadcast(S, ap[a + 9]);
      o30 = w.fma(s0, o30);
      o31 = w.fma(s1, o31);
      w = FloatVector.broadcast(S, ap[a + 10]);
      e30 = w.fma(b0, e30);
      e31 = w.fma(b1, e31);
      w = FloatVector.broadcast(S, ap[a + 11]);
      o30 = w.fma(b0, o30);
      o31 = w.fma(b1, o31);
    }
    e00.rearrange(INTERLEAVE_LO, o00).intoArray(acc, 0);
    e00.rearrange(INTERLEAVE_HI, o00).intoArray(acc, L);
    e01.rearrange(INTERLEAVE_LO, o01).intoArray(acc, 2 * L);
    e01.rearrange(INTERLEAVE_HI, o01).intoArray(acc, 3 * L);
    e10.rearrange(INTERLEAVE_LO, o10).intoArray(acc, 4 * L);
    e10.rearrange(INTERLEAVE_HI, o10).intoArray(acc, 5 * L);
    e11.rearrange(INTERLEAVE_LO, o11).intoArray(acc, 6 * L);
    e11.rearrange(INTERLEAVE_HI, o11).intoArray(acc, 7 * L);
    e20.rearrange(INTERLEAVE_LO, o20).intoArray(acc, 8 * L);
    e20.rearrange(INTERLEAVE_HI, o20).intoArray(acc, 9 * L);
    e21.rearrange(INTERLEAVE_LO, o21).intoArray(acc, 10 * L);
    e21.rearrange(INTERLEAVE_HI, o21).intoArray(acc, 11 * L);
    e30.rearrange(INTERLEAVE_LO, o30).intoArray(acc, 12 * L);
    e30.rearrange(INTERLEAVE_HI, o30).intoArray(acc, 13 * L);
    e31.rearrange(INTERLEAVE_LO, o31).intoArray(acc, 14 * L);
    e31.rearrange(INTERLEAVE_HI, o31).intoArray(acc, 15 * L);
  }

  private static void stride2Tile2(float[] ap, int a, int cout, int aStep, int r0, int r1, float[] gp, int planeP,
      int f0, boolean[] mask, float[] acc) {
    FloatVector e00 = FloatVector.zero(S);
    FloatVector e01 = e00;
    FloatVector o00 = e00;
    FloatVector o01 = e00;
    FloatVector e10 = e00;
    FloatVector e11 = e00;
    FloatVector o10 = e00;
    FloatVector o11 = e00;
    FloatVector e20 = e00;
    FloatVector e21 = e00;
    FloatVector o20 = e00;
    FloatVector o21 = e00;
    FloatVector e30 = e00;
    FloatVector e31 = e00;
    FloatVector o30 = e00;
    FloatVector o31 = e00;
    VectorMask<Float> m0 = VectorMask.fromArray(S, mask, f0);
    VectorMask<Float> m1 = VectorMask.fromArray(S, mask, f0 + L);
    for (int co = 0, b = f0; co < cout; co++, a += aStep, b += planeP) {
      FloatVector b0 = FloatVector.fromArray(S, gp, b + r0);
      FloatVector b1 = FloatVector.fromArray(S, gp, b + r0 + L);
      FloatVector s0 = FloatVector.fromArray(S, gp, b + r0 + 1, m0);
      FloatVector s1 = FloatVector.fromArray(S, gp, b + r0 + 1 + L, m1);
      FloatVector w = FloatVector.broadcast(S, ap[a]);
      o00 = w.fma(s0, o00);
      o01 = w.fma(s1, o01);
      w = FloatVector.broadcast(S, ap[a + 1]);
      e00 = w.fma(b0, e00);
      e01 = w.fma(b1, e01);
      w = FloatVector.broadcast(S, ap[a + 2]);
      o00 = w.fma(b0, o00);
      o01 = w.fma(b1, o01);
      w = FloatVector.broadcast(S, ap[a + 3]);
      o10 = w.fma(s0, o10);
      o11 = w.fma(s1, o11);
      w = FloatVector.broadcast(S, ap[a + 4]);
      e10 = w.fma(b0, e10);
      e11 = w.fma(b1, e11);
      w = FloatVector.broadcast(S, ap[a + 5]);
      o10 = w.fma(b0, o10);
      o11 = w.fma(b1, o11);
      w = FloatVector.broadcast(S, ap[a + 6]);
      o20 = w.fma(s0, o20);
      o21 = w.fma(s1, o21);
      w = FloatVector.broadcast(S, ap[a + 7]);
      e20 = w.fma(b0, e20);
      e21 = w.fma(b1, e21);
      w = FloatVector.broadcast(S, ap[a + 8]);
      o20 = w.fma(b0, o20);
      o21 = w.fma(b1, o21);
      w = FloatVector.broadcast(S, ap[a + 9]);
      o30 = w.fma(s0, o30);
      o31 = w.fma(s1, o31);
      w = FloatVector.broadcast(S, ap[a + 10]);
      e30 = w.fma(b0, e30);
      e31 = w.fma(b1, e31);
      w = FloatVector.broadcast(S, ap[a + 11]);
      o30 = w.fma(b0, o30);
      o31 = w.fma(b1, o31);
      b0 = FloatVector.fromArray(S, gp, b + r1);
      b1 = FloatVector.fromArray(S, gp, b + r1 + L);
      s0 = FloatVector.fromArray(S, gp, b + r1 + 1, m0);
      s1 = FloatVector.fromArray(S, gp, b + r1 + 1 + L, m1);
      w = FloatVector.broadcast(S, ap[a + 12]);
      o00 = w.fma(s0, o00);
      o01 = w.fma(s1, o01);
      w = FloatVector.broadcast(S, ap[a + 13]);
      e00 = w.fma(b0, e00);
      e01 = w.fma(b1, e01);
      w = FloatVector.broadcast(S, ap[a + 14]);
      o00 = w.fma(b0, o00);
      o01 = w.fma(b1, o01);
      w = FloatVector.broadcast(S, ap[a + 15]);
      o10 = w.fma(s0, o10);
      o11 = w.fma(s1, o11);
      w = FloatVector.broadcast(S, ap[a + 16]);
      e10 = w.fma(b0, e10);
      e11 = w.fma(b1, e11);
      w = FloatVector.broadcast(S, ap[a + 17]);
      o10 = w.fma(b0, o10);
      o11 = w.fma(b1, o11);
      w = FloatVector.broadcast(S, ap[a + 18]);
      o20 = w.fma(s0, o20);
      o21 = w.fma(s1, o21);
      w = FloatVector.broadcast(S, ap[a + 19]);
      e20 = w.fma(b0, e20);
      e21 = w.fma(b1, e21);
      w = FloatVector.broadcast(S, ap[a + 20]);
      o20 = w.fma(b0, o20);
      o21 = w.fma(b1, o21);
      w = FloatVector.broadcast(S, ap[a + 21]);
      o30 = w.fma(s0, o30);
      o31 = w.fma(s1, o31);
      w = FloatVector.broadcast(S, ap[a + 22]);
      e30 = w.fma(b0, e30);
      e31 = w.fma(b1, e31);
      w = FloatVector.broadcast(S, ap[a + 23]);
      o30 = w.fma(b0, o30);
      o31 = w.fma(b1, o31);
    }
    e00.rearrange(INTERLEAVE_LO, o00).intoArray(acc, 0);
    e00.rearrange(INTERLEAVE_HI, o00).intoArray(acc, L);
    e01.rearrange(INTERLEAVE_LO, o01).intoArray(acc, 2 * L);
    e01.rearrange(INTERLEAVE_HI, o01).intoArray(acc, 3 * L);
    e10.rearrange(INTERLEAVE_LO, o10).intoArray(acc, 4 * L);
    e10.rearrange(INTERLEAVE_HI, o10).intoArray(acc, 5 * L);
    e11.rearrange(INTERLEAVE_LO, o11).intoArray(acc, 6 * L);
    e11.rearrange(INTERLEAVE_HI, o11).intoArray(acc, 7 * L);
    e20.rearrange(INTERLEAVE_LO, o20).intoArray(acc, 8 * L);
    e20.rearrange(INTERLEAVE_HI, o20).intoArray(acc, 9 * L);
    e21.rearrange(INTERLEAVE_LO, o21).intoArray(acc, 10 * L);
    e21.rearrange(INTERLEAVE_HI, o21).intoArray(acc, 11 * L);
    e30.rearrange(INTERLEAVE_LO, o30).intoArray(acc, 12 * L);
    e30.rearrange(INTERLEAVE_HI, o30).intoArray(acc, 13 * L);
    e31.rearrange(INTERLEAVE_LO, o31).intoArray(acc, 14 * L);
    e31.rearrange(INTERLEAVE_HI, o31).intoArray(acc, 15 * L);
  }

  @Override
  void addTransposed(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd) {
    // Gathers of L rows' values of one column, in blocks of 16L rows whose cache lines (one per
    // row) stay in L1 across the columns.
    int[] idx = new int[L];
    for (int j = 0; j < L; j++) {
      idx[j] = j * lds;
    }
    int full = rows - rows % L;
    for (int r0 = 0; r0 < full; r0 += 16 * L) {
      int r1 = Math.min(full, r0 + 16 * L);
      for (int c = 0; c < cols; c++) {
        int d = dstOff + c * ldd;
        for (int r = r0; r < r1; r += L) {
          FloatVector v = FloatVector.fromArray(S, src, srcOff + r * lds + c, idx, 0);
          v.add(FloatVector.fromArray(S, dst, d + r)).intoArray(dst, d + r);
        }
      }
    }
    for (int c = 0; c < cols; c++) {
      for (int r = full; r < rows; r++) {
        dst[dstOff + c * ldd + r] += src[srcOff + r * lds + c];
      }
    }
  }

  @Override
  void packPanelT(float[] b, int bOff, int ldb, int kc, float[] bp, int base) {
    int dst = base;
    if (L >= 8) {
      // A step's 2L values lie ldb apart in B: two gathers read them, two contiguous stores
      // write them (twice the speed of a scalar copy). Not at 128 bits: NEON has no gather.
      int[] idx = new int[2 * L];
      for (int j = 0; j < 2 * L; j++) {
        idx[j] = j * ldb;
      }
      for (int p = 0; p < kc; p++, dst += 2 * L) {
        FloatVector.fromArray(S, b, bOff + p, idx, 0).intoArray(bp, dst);
        FloatVector.fromArray(S, b, bOff + p, idx, L).intoArray(bp, dst + L);
      }
      return;
    }
    for (int j = 0; j < 2 * L; j++) {
      int src = bOff + j * ldb;
      for (int p = 0; p < kc; p++) {
        bp[base + p * 2 * L + j] = b[src + p];
      }
    }
  }

  private static void store(FloatVector v0, FloatVector v1, float[] c, int idx, boolean accumulate) {
    if (accumulate) {
      v0 = v0.add(FloatVector.fromArray(S, c, idx));
      v1 = v1.add(FloatVector.fromArray(S, c, idx + L));
    }
    v0.intoArray(c, idx);
    v1.intoArray(c, idx + L);
  }

  @Override
  float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    int i = 0;
    float sum = 0f;
    if (n >= 4 * L) {
      // Four independent accumulators hide the FMA latency (4 cycles, 2 pipes).
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      int bound = n - n % (4 * L);
      for (; i < bound; i += 4 * L) {
        s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
        s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
        s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
      }
      sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      sum = Math.fma(x[xOff + i], y[yOff + i], sum);
    }
    return sum;
  }

  @Override
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    FloatVector va = FloatVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      va.fma(FloatVector.fromArray(S, x, xOff + i), FloatVector.fromArray(S, y, yOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  void winogradInput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride) {
    // One lane per tile. Hardware gathers of the stride-4 patches measured slower than plain
    // Java, so the patches of L tiles are first copied, scalar, into d (36 rows of L lanes); the
    // arithmetic and the stores to v then run on whole vectors.
    float[] d = new float[36 * L];
    float[] tmp = new float[36 * L];
    int bound = S.loopBound(count);
    for (int j = 0; j < bound; j += L) {
      for (int l = 0; l < L; l++) {
        int base = srcOff + offsets[offOff + j + l];
        for (int r = 0; r < 6; r++) {
          int row = base + r * ld;
          int dr = 6 * r * L + l;
          d[dr] = src[row];
          d[dr + L] = src[row + 1];
          d[dr + 2 * L] = src[row + 2];
          d[dr + 3 * L] = src[row + 3];
          d[dr + 4 * L] = src[row + 4];
          d[dr + 5 * L] = src[row + 5];
        }
      }
      // B^T along the columns: column c of the patch is d[(6r + c)*L], r = 0..5.
      for (int c = 0; c < 6; c++) {
        int o = c * L;
        inputColumn(FloatVector.fromArray(S, d, o), FloatVector.fromArray(S, d, o + 6 * L),
            FloatVector.fromArray(S, d, o + 12 * L), FloatVector.fromArray(S, d, o + 18 * L),
            FloatVector.fromArray(S, d, o + 24 * L), FloatVector.fromArray(S, d, o + 30 * L),
            tmp, o, 6 * L);
      }
      // Then along the rows, straight into v.
      for (int r = 0; r < 6; r++) {
        int t = 6 * r * L;
        inputColumn(FloatVector.fromArray(S, tmp, t), FloatVector.fromArray(S, tmp, t + L),
            FloatVector.fromArray(S, tmp, t + 2 * L), FloatVector.fromArray(S, tmp, t + 3 * L),
            FloatVector.fromArray(S, tmp, t + 4 * L), FloatVector.fromArray(S, tmp, t + 5 * L),
            v, vOff + 6 * r * vStride + j, vStride);
      }
    }
    if (bound < count) {
      PlainWinograd.input(src, srcOff, ld, offsets, offOff + bound, count - bound, v, vOff + bound,
          vStride);
    }
  }

  /** B^T applied to 6 vectors (one per patch row or column); result k goes to out[o + k*os]. */
  private static void inputColumn(FloatVector d0, FloatVector d1, FloatVector d2, FloatVector d3,
      FloatVector d4, FloatVector d5, float[] out, int o, int os) {
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
  void winogradGradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] u, int uOff, int uStride) {
    // One lane per tile, as winogradInput: the 16 values of L tiles are first copied, scalar, into
    // d (16 rows of L lanes), then both passes and the 36 stores to u run on whole vectors.
    float[] d = new float[16 * L];
    float[] tmp = new float[24 * L];
    int bound = S.loopBound(count);
    for (int j = 0; j < bound; j += L) {
      for (int l = 0; l < L; l++) {
        int base = srcOff + offsets[offOff + j + l];
        for (int r = 0; r < 4; r++) {
          int row = base + r * ld;
          int dr = 4 * r * L + l;
          d[dr] = src[row];
          d[dr + L] = src[row + 1];
          d[dr + 2 * L] = src[row + 2];
          d[dr + 3 * L] = src[row + 3];
        }
      }
      // A along the columns: column c of the tile is d[(4r + c)*L], r = 0..3; result k of
      // column c goes to tmp[(4k + c)*L].
      for (int c = 0; c < 4; c++) {
        int o = c * L;
        gradOutputColumn(FloatVector.fromArray(S, d, o), FloatVector.fromArray(S, d, o + 4 * L),
            FloatVector.fromArray(S, d, o + 8 * L), FloatVector.fromArray(S, d, o + 12 * L),
            tmp, o, 4 * L);
      }
      // Then along the rows, straight into u.
      for (int r = 0; r < 6; r++) {
        int t = 4 * r * L;
        gradOutputColumn(FloatVector.fromArray(S, tmp, t), FloatVector.fromArray(S, tmp, t + L),
            FloatVector.fromArray(S, tmp, t + 2 * L), FloatVector.fromArray(S, tmp, t + 3 * L),
            u, uOff + 6 * r * uStride + j, uStride);
      }
    }
    if (bound < count) {
      PlainWinograd.gradOutput(src, srcOff, ld, offsets, offOff + bound, count - bound, u,
          uOff + bound, uStride);
    }
  }

  /** A (6x4) applied to 4 vectors (one per tile row or column); result k goes to out[o + k*os]. */
  private static void gradOutputColumn(FloatVector s0, FloatVector s1, FloatVector s2,
      FloatVector s3, float[] out, int o, int os) {
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

  @Override
  void winogradOutput(float[] m, int mOff, int mStride, int count, float[] y, int yStride) {
    // One lane per tile: the 36 values of L tiles are contiguous in each plane of m, and so are
    // the 16 results in each plane of y. Whole vectors only, the tail in plain Java: masked
    // loads here sometimes compiled to the slow fallback (7x slower runs).
    float[] tmp = new float[24 * L];
    int bound = S.loopBound(count);
    for (int j = 0; j < bound; j += L) {
      for (int c = 0; c < 6; c++) {
        int o = mOff + c * mStride + j;
        FloatVector m0 = FloatVector.fromArray(S, m, o);
        FloatVector m1 = FloatVector.fromArray(S, m, o + 6 * mStride);
        FloatVector m2 = FloatVector.fromArray(S, m, o + 12 * mStride);
        FloatVector m3 = FloatVector.fromArray(S, m, o + 18 * mStride);
        FloatVector m4 = FloatVector.fromArray(S, m, o + 24 * mStride);
        FloatVector m5 = FloatVector.fromArray(S, m, o + 30 * mStride);
        FloatVector sum12 = m1.add(m2);
        FloatVector dif12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector dif34 = m3.sub(m4);
        m0.add(sum12).add(sum34).intoArray(tmp, c * L);
        dif12.add(dif34.mul(2f)).intoArray(tmp, (6 + c) * L);
        sum12.add(sum34.mul(4f)).intoArray(tmp, (12 + c) * L);
        dif12.add(dif34.mul(8f)).add(m5).intoArray(tmp, (18 + c) * L);
      }
      for (int r = 0; r < 4; r++) {
        int t = 6 * r * L;
        FloatVector m0 = FloatVector.fromArray(S, tmp, t);
        FloatVector m1 = FloatVector.fromArray(S, tmp, t + L);
        FloatVector m2 = FloatVector.fromArray(S, tmp, t + 2 * L);
        FloatVector m3 = FloatVector.fromArray(S, tmp, t + 3 * L);
        FloatVector m4 = FloatVector.fromArray(S, tmp, t + 4 * L);
        FloatVector m5 = FloatVector.fromArray(S, tmp, t + 5 * L);
        FloatVector sum12 = m1.add(m2);
        FloatVector dif12 = m1.sub(m2);
        FloatVector sum34 = m3.add(m4);
        FloatVector dif34 = m3.sub(m4);
        int o = 4 * r * yStride + j;
        m0.add(sum12).add(sum34).intoArray(y, o);
        dif12.add(dif34.mul(2f)).intoArray(y, o + yStride);
        sum12.add(sum34.mul(4f)).intoArray(y, o + 2 * yStride);
        dif12.add(dif34.mul(8f)).add(m5).intoArray(y, o + 3 * yStride);
      }
    }
    if (bound < count) {
      PlainWinograd.output(m, mOff + bound, mStride, count - bound, y, bound, yStride);
    }
  }

  @Override
  void depthwiseRow(float[] src, int[] rowOff, int kh, int kw, int dw, float[] w, int wOff,
      float bias, float[] out, int outOff, int n) {
    int bound = S.loopBound(n);
    if (kh == 3 && kw == 3) {
      // The common 3x3 case: the nine weights stay in registers, one load per FMA.
      FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
      FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
      FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
      FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
      FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
      FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
      FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
      FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
      FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
      FloatVector vb = FloatVector.broadcast(S, bias);
      int r0 = rowOff[0];
      int r1 = rowOff[1];
      int r2 = rowOff[2];
      for (int j = 0; j < bound; j += L) {
        FloatVector acc = vb;
        acc = w0.fma(FloatVector.fromArray(S, src, r0 + j), acc);
        acc = w1.fma(FloatVector.fromArray(S, src, r0 + j + dw), acc);
        acc = w2.fma(FloatVector.fromArray(S, src, r0 + j + 2 * dw), acc);
        acc = w3.fma(FloatVector.fromArray(S, src, r1 + j), acc);
        acc = w4.fma(FloatVector.fromArray(S, src, r1 + j + dw), acc);
        acc = w5.fma(FloatVector.fromArray(S, src, r1 + j + 2 * dw), acc);
        acc = w6.fma(FloatVector.fromArray(S, src, r2 + j), acc);
        acc = w7.fma(FloatVector.fromArray(S, src, r2 + j + dw), acc);
        acc = w8.fma(FloatVector.fromArray(S, src, r2 + j + 2 * dw), acc);
        acc.intoArray(out, outOff + j);
      }
    } else {
      for (int j = 0; j < bound; j += L) {
        FloatVector acc = FloatVector.broadcast(S, bias);
        for (int ky = 0; ky < kh; ky++) {
          int row = rowOff[ky] + j;
          int wr = wOff + ky * kw;
          for (int kx = 0; kx < kw; kx++) {
            acc = FloatVector.broadcast(S, w[wr + kx]).fma(FloatVector.fromArray(S, src, row + kx * dw), acc);
          }
        }
        acc.intoArray(out, outOff + j);
      }
    }
    for (int j = bound; j < n; j++) {
      float sum = bias;
      for (int ky = 0; ky < kh; ky++) {
        int row = rowOff[ky] + j;
        int wr = wOff + ky * kw;
        for (int kx = 0; kx < kw; kx++) {
          sum = Math.fma(w[wr + kx], src[row + kx * dw], sum);
        }
      }
      out[outOff + j] = sum;
    }
  }

  @Override
  void depthwise3x3Rows2(float[] src, int r0, int wp, int dw, float[] w, int wOff, float bias,
      float[] out, int outOff, int outW, int n) {
    int bound = S.loopBound(n);
    FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
    FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
    FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
    FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
    FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
    FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
    FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
    FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
    FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
    FloatVector vb = FloatVector.broadcast(S, bias);
    int r1 = r0 + wp;
    int r2 = r1 + wp;
    int r3 = r2 + wp;
    int o1 = outOff + outW;
    for (int j = 0; j < bound; j += L) {
      // Row by row, each loaded vector feeds both sums: 12 loads for 18 products instead of 18.
      FloatVector a = vb;
      FloatVector b = vb;
      FloatVector s0 = FloatVector.fromArray(S, src, r0 + j);
      FloatVector s1 = FloatVector.fromArray(S, src, r0 + j + dw);
      FloatVector s2 = FloatVector.fromArray(S, src, r0 + j + 2 * dw);
      a = w0.fma(s0, a);
      a = w1.fma(s1, a);
      a = w2.fma(s2, a);
      s0 = FloatVector.fromArray(S, src, r1 + j);
      s1 = FloatVector.fromArray(S, src, r1 + j + dw);
      s2 = FloatVector.fromArray(S, src, r1 + j + 2 * dw);
      a = w3.fma(s0, a);
      b = w0.fma(s0, b);
      a = w4.fma(s1, a);
      b = w1.fma(s1, b);
      a = w5.fma(s2, a);
      b = w2.fma(s2, b);
      s0 = FloatVector.fromArray(S, src, r2 + j);
      s1 = FloatVector.fromArray(S, src, r2 + j + dw);
      s2 = FloatVector.fromArray(S, src, r2 + j + 2 * dw);
      a = w6.fma(s0, a);
      b = w3.fma(s0, b);
      a = w7.fma(s1, a);
      b = w4.fma(s1, b);
      a = w8.fma(s2, a);
      b = w5.fma(s2, b);
      a.intoArray(out, outOff + j);
      s0 = FloatVector.fromArray(S, src, r3 + j);
      s1 = FloatVector.fromArray(S, src, r3 + j + dw);
      s2 = FloatVector.fromArray(S, src, r3 + j + 2 * dw);
      b = w6.fma(s0, b);
      b = w7.fma(s1, b);
      b = w8.fma(s2, b);
      b.intoArray(out, o1 + j);
    }
    for (int r = 0; r < 2; r++) {
      for (int j = bound; j < n; j++) {
        float sum = bias;
        for (int ky = 0; ky < 3; ky++) {
          int row = r0 + (r + ky) * wp + j;
          for (int kx = 0; kx < 3; kx++) {
            sum = Math.fma(w[wOff + ky * 3 + kx], src[row + kx * dw], sum);
          }
        }
        out[outOff + r * outW + j] = sum;
      }
    }
  }

  @Override
  void directRow6(float[] src, int[] tapOff, int taps, float[] w6, float[] bias6, float[] out,
      int outOff, int outStride, int rows, int n) {
    // Six accumulators (one per output channel) over L pixels; each tap loads one input vector
    // and feeds six FMAs. The last, partial vector is computed whole (src has slack) and only its
    // first lanes are stored.
    float[] tail = null;
    for (int j = 0; j < n; j += L) {
      FloatVector a0 = FloatVector.broadcast(S, bias6[0]);
      FloatVector a1 = FloatVector.broadcast(S, bias6[1]);
      FloatVector a2 = FloatVector.broadcast(S, bias6[2]);
      FloatVector a3 = FloatVector.broadcast(S, bias6[3]);
      FloatVector a4 = FloatVector.broadcast(S, bias6[4]);
      FloatVector a5 = FloatVector.broadcast(S, bias6[5]);
      for (int t = 0, wi = 0; t < taps; t++, wi += 6) {
        FloatVector xv = FloatVector.fromArray(S, src, tapOff[t] + j);
        a0 = FloatVector.broadcast(S, w6[wi]).fma(xv, a0);
        a1 = FloatVector.broadcast(S, w6[wi + 1]).fma(xv, a1);
        a2 = FloatVector.broadcast(S, w6[wi + 2]).fma(xv, a2);
        a3 = FloatVector.broadcast(S, w6[wi + 3]).fma(xv, a3);
        a4 = FloatVector.broadcast(S, w6[wi + 4]).fma(xv, a4);
        a5 = FloatVector.broadcast(S, w6[wi + 5]).fma(xv, a5);
      }
      if (j + L <= n) {
        int o = outOff + j;
        a0.intoArray(out, o);
        if (rows > 1) {
          a1.intoArray(out, o + outStride);
        }
        if (rows > 2) {
          a2.intoArray(out, o + 2 * outStride);
        }
        if (rows > 3) {
          a3.intoArray(out, o + 3 * outStride);
        }
        if (rows > 4) {
          a4.intoArray(out, o + 4 * outStride);
        }
        if (rows > 5) {
          a5.intoArray(out, o + 5 * outStride);
        }
      } else {
        if (tail == null) {
          tail = new float[6 * L];
        }
        a0.intoArray(tail, 0);
        a1.intoArray(tail, L);
        a2.intoArray(tail, 2 * L);
        a3.intoArray(tail, 3 * L);
        a4.intoArray(tail, 4 * L);
        a5.intoArray(tail, 5 * L);
        for (int r = 0; r < rows; r++) {
          System.arraycopy(tail, r * L, out, outOff + r * outStride + j, n - j);
        }
      }
    }
  }

  @Override
  void blockToPlanes(float[] block, int np, int cpad, int cout, float[] out, int outOff,
      int plane) {
    // A gather per vector of one channel's pixels (L loads in one instruction), then one
    // contiguous store: about twice the scalar copy's speed on res_stem's 256 x 64 blocks.
    int[] map = new int[L];
    for (int l = 0; l < L; l++) {
      map[l] = l * cpad;
    }
    int full = np / L * L;
    for (int c = 0; c < cout; c++) {
      int dst = outOff + c * plane;
      int i = 0;
      for (; i < full; i += L) {
        FloatVector.fromArray(S, block, i * cpad + c, map, 0).intoArray(out, dst + i);
      }
      // The last pixels one by one: a masked gather and store ran no faster (LeNet's 10-pixel
      // rows are all tail).
      for (; i < np; i++) {
        out[dst + i] = block[i * cpad + c];
      }
    }
  }

  @Override
  void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    // (The register blocks below are written by tools/gen_direct_channels.py.)
    // One method per register block, and one more per block of pixels: as one method the blocks
    // were too large for C1 ("out of virtual registers"), and a loop over all pixels made C2
    // compile it on-stack-replacement first, which took 0.5 s on a busy machine (the
    // per-block method compiles in 0.07 s); until then the kernel runs 40x slower.
    // The four-vector block only for deep patches: a small layer such as seed hardly gains from
    // it and would wait longest for its compile.
    int cv = taps >= DEEP_TAPS
        ? gather4x6(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, 0) : 0;
    cv = gather2x6(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    gather1x8(src, pixOff, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
  }

  @Override
  void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff) {
    // Pixel i of every tap reads src[q + i] from one index q: the JIT checks a block's bounds once
    // and each broadcast is a single load, where directChannels pays an offset and a check per
    // pixel (measured: 1v x 12 pixels runs at 78% of peak this way).
    // (DirectChannelsConv uses it below four vectors of channels: no four-vector block here.)
    int cv = row2x6(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, 0);
    // A single vector of channels takes rows of whole 10-pixel blocks as they are (LeNet's
    // 10-wide maps, which 12-pixel blocks would compute as 12), anything else in 12-pixel blocks.
    if (np % 10 == 0 && np % 12 != 0) {
      row1x10(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    } else {
      row1x12(src, base, np, tapOff, taps, w, bias, cpad, out, outOff, cv);
    }
  }

  // Four vectors of channels x six pixels = 24 accumulators, with 32 vector registers (AVX-128,
  // the only 16-lane case): each broadcast input value feeds four FMAs (measured 1.2-1.3x the
  // two-vector block on a strided 3x3 with 128 channels, and 1.2-1.4x four vectors x 4 pixels).
  private static int gather4x6(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; L == 16 && cv + 4 * L <= cpad; cv += 4 * L) {
      int i = 0;
      for (; i + 6 <= np; i += 6) {
        gather4x6Block(src, pixOff, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        FloatVector a1 = FloatVector.fromArray(S, bias, cv + 1 * L);
        FloatVector a2 = FloatVector.fromArray(S, bias, cv + 2 * L);
        FloatVector a3 = FloatVector.fromArray(S, bias, cv + 3 * L);
        int q = pixOff[i];
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
          a1 = x.fma(FloatVector.fromArray(S, w, wi + 1 * L), a1);
          a2 = x.fma(FloatVector.fromArray(S, w, wi + 2 * L), a2);
          a3 = x.fma(FloatVector.fromArray(S, w, wi + 3 * L), a3);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
        a1.intoArray(out, outOff + i * cpad + cv + 1 * L);
        a2.intoArray(out, outOff + i * cpad + cv + 2 * L);
        a3.intoArray(out, outOff + i * cpad + cv + 3 * L);
      }
    }
    return cv;
  }

  /** Pixels i .. i+5, channels cv .. cv + 4L - 1 (see the caller). */
  private static void gather4x6Block(float[] src, int[] pixOff, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    int p0 = pixOff[i + 0];
    int p1 = pixOff[i + 1];
    int p2 = pixOff[i + 2];
    int p3 = pixOff[i + 3];
    int p4 = pixOff[i + 4];
    int p5 = pixOff[i + 5];
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector vb1 = FloatVector.fromArray(S, bias, cv + 1 * L);
    FloatVector vb2 = FloatVector.fromArray(S, bias, cv + 2 * L);
    FloatVector vb3 = FloatVector.fromArray(S, bias, cv + 3 * L);
    FloatVector a0_0 = vb0;
    FloatVector a0_1 = vb1;
    FloatVector a0_2 = vb2;
    FloatVector a0_3 = vb3;
    FloatVector a1_0 = vb0;
    FloatVector a1_1 = vb1;
    FloatVector a1_2 = vb2;
    FloatVector a1_3 = vb3;
    FloatVector a2_0 = vb0;
    FloatVector a2_1 = vb1;
    FloatVector a2_2 = vb2;
    FloatVector a2_3 = vb3;
    FloatVector a3_0 = vb0;
    FloatVector a3_1 = vb1;
    FloatVector a3_2 = vb2;
    FloatVector a3_3 = vb3;
    FloatVector a4_0 = vb0;
    FloatVector a4_1 = vb1;
    FloatVector a4_2 = vb2;
    FloatVector a4_3 = vb3;
    FloatVector a5_0 = vb0;
    FloatVector a5_1 = vb1;
    FloatVector a5_2 = vb2;
    FloatVector a5_3 = vb3;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + 1 * L);
      FloatVector w2 = FloatVector.fromArray(S, w, wi + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wi + 3 * L);
      int o = tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[p0 + o]);
      a0_0 = x.fma(w0, a0_0);
      a0_1 = x.fma(w1, a0_1);
      a0_2 = x.fma(w2, a0_2);
      a0_3 = x.fma(w3, a0_3);
      x = FloatVector.broadcast(S, src[p1 + o]);
      a1_0 = x.fma(w0, a1_0);
      a1_1 = x.fma(w1, a1_1);
      a1_2 = x.fma(w2, a1_2);
      a1_3 = x.fma(w3, a1_3);
      x = FloatVector.broadcast(S, src[p2 + o]);
      a2_0 = x.fma(w0, a2_0);
      a2_1 = x.fma(w1, a2_1);
      a2_2 = x.fma(w2, a2_2);
      a2_3 = x.fma(w3, a2_3);
      x = FloatVector.broadcast(S, src[p3 + o]);
      a3_0 = x.fma(w0, a3_0);
      a3_1 = x.fma(w1, a3_1);
      a3_2 = x.fma(w2, a3_2);
      a3_3 = x.fma(w3, a3_3);
      x = FloatVector.broadcast(S, src[p4 + o]);
      a4_0 = x.fma(w0, a4_0);
      a4_1 = x.fma(w1, a4_1);
      a4_2 = x.fma(w2, a4_2);
      a4_3 = x.fma(w3, a4_3);
      x = FloatVector.broadcast(S, src[p5 + o]);
      a5_0 = x.fma(w0, a5_0);
      a5_1 = x.fma(w1, a5_1);
      a5_2 = x.fma(w2, a5_2);
      a5_3 = x.fma(w3, a5_3);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a0_1.intoArray(out, oi + L);
    a0_2.intoArray(out, oi + 2 * L);
    a0_3.intoArray(out, oi + 3 * L);
    a1_0.intoArray(out, oi + cpad);
    a1_1.intoArray(out, oi + cpad + L);
    a1_2.intoArray(out, oi + cpad + 2 * L);
    a1_3.intoArray(out, oi + cpad + 3 * L);
    a2_0.intoArray(out, oi + 2 * cpad);
    a2_1.intoArray(out, oi + 2 * cpad + L);
    a2_2.intoArray(out, oi + 2 * cpad + 2 * L);
    a2_3.intoArray(out, oi + 2 * cpad + 3 * L);
    a3_0.intoArray(out, oi + 3 * cpad);
    a3_1.intoArray(out, oi + 3 * cpad + L);
    a3_2.intoArray(out, oi + 3 * cpad + 2 * L);
    a3_3.intoArray(out, oi + 3 * cpad + 3 * L);
    a4_0.intoArray(out, oi + 4 * cpad);
    a4_1.intoArray(out, oi + 4 * cpad + L);
    a4_2.intoArray(out, oi + 4 * cpad + 2 * L);
    a4_3.intoArray(out, oi + 4 * cpad + 3 * L);
    a5_0.intoArray(out, oi + 5 * cpad);
    a5_1.intoArray(out, oi + 5 * cpad + L);
    a5_2.intoArray(out, oi + 5 * cpad + 2 * L);
    a5_3.intoArray(out, oi + 5 * cpad + 3 * L);
  }

  // Two vectors of channels x six pixels = 12 accumulators: fits the 16 registers of AVX2.
  private static int gather2x6(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; cv + 2 * L <= cpad; cv += 2 * L) {
      int i = 0;
      for (; i + 6 <= np; i += 6) {
        gather2x6Block(src, pixOff, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        FloatVector a1 = FloatVector.fromArray(S, bias, cv + 1 * L);
        int q = pixOff[i];
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
          a1 = x.fma(FloatVector.fromArray(S, w, wi + 1 * L), a1);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
        a1.intoArray(out, outOff + i * cpad + cv + 1 * L);
      }
    }
    return cv;
  }

  /** Pixels i .. i+5, channels cv .. cv + 2L - 1 (see the caller). */
  private static void gather2x6Block(float[] src, int[] pixOff, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    int p0 = pixOff[i + 0];
    int p1 = pixOff[i + 1];
    int p2 = pixOff[i + 2];
    int p3 = pixOff[i + 3];
    int p4 = pixOff[i + 4];
    int p5 = pixOff[i + 5];
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector vb1 = FloatVector.fromArray(S, bias, cv + 1 * L);
    FloatVector a0_0 = vb0;
    FloatVector a0_1 = vb1;
    FloatVector a1_0 = vb0;
    FloatVector a1_1 = vb1;
    FloatVector a2_0 = vb0;
    FloatVector a2_1 = vb1;
    FloatVector a3_0 = vb0;
    FloatVector a3_1 = vb1;
    FloatVector a4_0 = vb0;
    FloatVector a4_1 = vb1;
    FloatVector a5_0 = vb0;
    FloatVector a5_1 = vb1;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + 1 * L);
      int o = tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[p0 + o]);
      a0_0 = x.fma(w0, a0_0);
      a0_1 = x.fma(w1, a0_1);
      x = FloatVector.broadcast(S, src[p1 + o]);
      a1_0 = x.fma(w0, a1_0);
      a1_1 = x.fma(w1, a1_1);
      x = FloatVector.broadcast(S, src[p2 + o]);
      a2_0 = x.fma(w0, a2_0);
      a2_1 = x.fma(w1, a2_1);
      x = FloatVector.broadcast(S, src[p3 + o]);
      a3_0 = x.fma(w0, a3_0);
      a3_1 = x.fma(w1, a3_1);
      x = FloatVector.broadcast(S, src[p4 + o]);
      a4_0 = x.fma(w0, a4_0);
      a4_1 = x.fma(w1, a4_1);
      x = FloatVector.broadcast(S, src[p5 + o]);
      a5_0 = x.fma(w0, a5_0);
      a5_1 = x.fma(w1, a5_1);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a0_1.intoArray(out, oi + L);
    a1_0.intoArray(out, oi + cpad);
    a1_1.intoArray(out, oi + cpad + L);
    a2_0.intoArray(out, oi + 2 * cpad);
    a2_1.intoArray(out, oi + 2 * cpad + L);
    a3_0.intoArray(out, oi + 3 * cpad);
    a3_1.intoArray(out, oi + 3 * cpad + L);
    a4_0.intoArray(out, oi + 4 * cpad);
    a4_1.intoArray(out, oi + 4 * cpad + L);
    a5_0.intoArray(out, oi + 5 * cpad);
    a5_1.intoArray(out, oi + 5 * cpad + L);
  }

  // One vector of channels (LeNet's 16 outputs) x eight pixels.
  private static int gather1x8(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; cv < cpad; cv += L) {
      int i = 0;
      for (; i + 8 <= np; i += 8) {
        gather1x8Block(src, pixOff, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        int q = pixOff[i];
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
      }
    }
    return cv;
  }

  /** Pixels i .. i+7, channels cv .. cv + L - 1 (see the caller). */
  private static void gather1x8Block(float[] src, int[] pixOff, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    int p0 = pixOff[i + 0];
    int p1 = pixOff[i + 1];
    int p2 = pixOff[i + 2];
    int p3 = pixOff[i + 3];
    int p4 = pixOff[i + 4];
    int p5 = pixOff[i + 5];
    int p6 = pixOff[i + 6];
    int p7 = pixOff[i + 7];
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector a0_0 = vb0;
    FloatVector a1_0 = vb0;
    FloatVector a2_0 = vb0;
    FloatVector a3_0 = vb0;
    FloatVector a4_0 = vb0;
    FloatVector a5_0 = vb0;
    FloatVector a6_0 = vb0;
    FloatVector a7_0 = vb0;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      int o = tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[p0 + o]);
      a0_0 = x.fma(w0, a0_0);
      x = FloatVector.broadcast(S, src[p1 + o]);
      a1_0 = x.fma(w0, a1_0);
      x = FloatVector.broadcast(S, src[p2 + o]);
      a2_0 = x.fma(w0, a2_0);
      x = FloatVector.broadcast(S, src[p3 + o]);
      a3_0 = x.fma(w0, a3_0);
      x = FloatVector.broadcast(S, src[p4 + o]);
      a4_0 = x.fma(w0, a4_0);
      x = FloatVector.broadcast(S, src[p5 + o]);
      a5_0 = x.fma(w0, a5_0);
      x = FloatVector.broadcast(S, src[p6 + o]);
      a6_0 = x.fma(w0, a6_0);
      x = FloatVector.broadcast(S, src[p7 + o]);
      a7_0 = x.fma(w0, a7_0);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a1_0.intoArray(out, oi + cpad);
    a2_0.intoArray(out, oi + 2 * cpad);
    a3_0.intoArray(out, oi + 3 * cpad);
    a4_0.intoArray(out, oi + 4 * cpad);
    a5_0.intoArray(out, oi + 5 * cpad);
    a6_0.intoArray(out, oi + 6 * cpad);
    a7_0.intoArray(out, oi + 7 * cpad);
  }

  // Two vectors of channels x six pixels = 12 accumulators: fits the 16 registers of AVX2.
  private static int row2x6(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; cv + 2 * L <= cpad; cv += 2 * L) {
      int i = 0;
      for (; i + 6 <= np; i += 6) {
        row2x6Block(src, base, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        FloatVector a1 = FloatVector.fromArray(S, bias, cv + 1 * L);
        int q = base + i;
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
          a1 = x.fma(FloatVector.fromArray(S, w, wi + 1 * L), a1);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
        a1.intoArray(out, outOff + i * cpad + cv + 1 * L);
      }
    }
    return cv;
  }

  /** Pixels i .. i+5, channels cv .. cv + 2L - 1 (see the caller). */
  private static void row2x6Block(float[] src, int base, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector vb1 = FloatVector.fromArray(S, bias, cv + 1 * L);
    FloatVector a0_0 = vb0;
    FloatVector a0_1 = vb1;
    FloatVector a1_0 = vb0;
    FloatVector a1_1 = vb1;
    FloatVector a2_0 = vb0;
    FloatVector a2_1 = vb1;
    FloatVector a3_0 = vb0;
    FloatVector a3_1 = vb1;
    FloatVector a4_0 = vb0;
    FloatVector a4_1 = vb1;
    FloatVector a5_0 = vb0;
    FloatVector a5_1 = vb1;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      FloatVector w1 = FloatVector.fromArray(S, w, wi + 1 * L);
      int q = base + i + tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[q]);
      a0_0 = x.fma(w0, a0_0);
      a0_1 = x.fma(w1, a0_1);
      x = FloatVector.broadcast(S, src[q + 1]);
      a1_0 = x.fma(w0, a1_0);
      a1_1 = x.fma(w1, a1_1);
      x = FloatVector.broadcast(S, src[q + 2]);
      a2_0 = x.fma(w0, a2_0);
      a2_1 = x.fma(w1, a2_1);
      x = FloatVector.broadcast(S, src[q + 3]);
      a3_0 = x.fma(w0, a3_0);
      a3_1 = x.fma(w1, a3_1);
      x = FloatVector.broadcast(S, src[q + 4]);
      a4_0 = x.fma(w0, a4_0);
      a4_1 = x.fma(w1, a4_1);
      x = FloatVector.broadcast(S, src[q + 5]);
      a5_0 = x.fma(w0, a5_0);
      a5_1 = x.fma(w1, a5_1);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a0_1.intoArray(out, oi + L);
    a1_0.intoArray(out, oi + cpad);
    a1_1.intoArray(out, oi + cpad + L);
    a2_0.intoArray(out, oi + 2 * cpad);
    a2_1.intoArray(out, oi + 2 * cpad + L);
    a3_0.intoArray(out, oi + 3 * cpad);
    a3_1.intoArray(out, oi + 3 * cpad + L);
    a4_0.intoArray(out, oi + 4 * cpad);
    a4_1.intoArray(out, oi + 4 * cpad + L);
    a5_0.intoArray(out, oi + 5 * cpad);
    a5_1.intoArray(out, oi + 5 * cpad + L);
  }

  // One vector of channels (LeNet's 16 outputs) x twelve pixels.
  private static int row1x12(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; cv < cpad; cv += L) {
      int i = 0;
      for (; i + 12 <= np; i += 12) {
        row1x12Block(src, base, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        int q = base + i;
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
      }
    }
    return cv;
  }

  /** Pixels i .. i+11, channels cv .. cv + L - 1 (see the caller). */
  private static void row1x12Block(float[] src, int base, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector a0_0 = vb0;
    FloatVector a1_0 = vb0;
    FloatVector a2_0 = vb0;
    FloatVector a3_0 = vb0;
    FloatVector a4_0 = vb0;
    FloatVector a5_0 = vb0;
    FloatVector a6_0 = vb0;
    FloatVector a7_0 = vb0;
    FloatVector a8_0 = vb0;
    FloatVector a9_0 = vb0;
    FloatVector a10_0 = vb0;
    FloatVector a11_0 = vb0;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      int q = base + i + tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[q]);
      a0_0 = x.fma(w0, a0_0);
      x = FloatVector.broadcast(S, src[q + 1]);
      a1_0 = x.fma(w0, a1_0);
      x = FloatVector.broadcast(S, src[q + 2]);
      a2_0 = x.fma(w0, a2_0);
      x = FloatVector.broadcast(S, src[q + 3]);
      a3_0 = x.fma(w0, a3_0);
      x = FloatVector.broadcast(S, src[q + 4]);
      a4_0 = x.fma(w0, a4_0);
      x = FloatVector.broadcast(S, src[q + 5]);
      a5_0 = x.fma(w0, a5_0);
      x = FloatVector.broadcast(S, src[q + 6]);
      a6_0 = x.fma(w0, a6_0);
      x = FloatVector.broadcast(S, src[q + 7]);
      a7_0 = x.fma(w0, a7_0);
      x = FloatVector.broadcast(S, src[q + 8]);
      a8_0 = x.fma(w0, a8_0);
      x = FloatVector.broadcast(S, src[q + 9]);
      a9_0 = x.fma(w0, a9_0);
      x = FloatVector.broadcast(S, src[q + 10]);
      a10_0 = x.fma(w0, a10_0);
      x = FloatVector.broadcast(S, src[q + 11]);
      a11_0 = x.fma(w0, a11_0);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a1_0.intoArray(out, oi + cpad);
    a2_0.intoArray(out, oi + 2 * cpad);
    a3_0.intoArray(out, oi + 3 * cpad);
    a4_0.intoArray(out, oi + 4 * cpad);
    a5_0.intoArray(out, oi + 5 * cpad);
    a6_0.intoArray(out, oi + 6 * cpad);
    a7_0.intoArray(out, oi + 7 * cpad);
    a8_0.intoArray(out, oi + 8 * cpad);
    a9_0.intoArray(out, oi + 9 * cpad);
    a10_0.intoArray(out, oi + 10 * cpad);
    a11_0.intoArray(out, oi + 11 * cpad);
  }

  // One vector of channels (LeNet's 16 outputs) x ten pixels.
  private static int row1x10(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff, int cv) {
    for (; cv < cpad; cv += L) {
      int i = 0;
      for (; i + 10 <= np; i += 10) {
        row1x10Block(src, base, i, tapOff, taps, w, bias, cpad, cv, out, outOff);
      }
      for (; i < np; i++) {
        FloatVector a0 = FloatVector.fromArray(S, bias, cv);
        int q = base + i;
        for (int t = 0; t < taps; t++) {
          FloatVector x = FloatVector.broadcast(S, src[q + tapOff[t]]);
          int wi = t * cpad + cv;
          a0 = x.fma(FloatVector.fromArray(S, w, wi), a0);
        }
        a0.intoArray(out, outOff + i * cpad + cv);
      }
    }
    return cv;
  }

  /** Pixels i .. i+9, channels cv .. cv + L - 1 (see the caller). */
  private static void row1x10Block(float[] src, int base, int i, int[] tapOff, int taps,
      float[] w, float[] bias, int cpad, int cv, float[] out, int outOff) {
    FloatVector vb0 = FloatVector.fromArray(S, bias, cv);
    FloatVector a0_0 = vb0;
    FloatVector a1_0 = vb0;
    FloatVector a2_0 = vb0;
    FloatVector a3_0 = vb0;
    FloatVector a4_0 = vb0;
    FloatVector a5_0 = vb0;
    FloatVector a6_0 = vb0;
    FloatVector a7_0 = vb0;
    FloatVector a8_0 = vb0;
    FloatVector a9_0 = vb0;
    for (int t = 0; t < taps; t++) {
      int wi = t * cpad + cv;
      FloatVector w0 = FloatVector.fromArray(S, w, wi);
      int q = base + i + tapOff[t];
      FloatVector x = FloatVector.broadcast(S, src[q]);
      a0_0 = x.fma(w0, a0_0);
      x = FloatVector.broadcast(S, src[q + 1]);
      a1_0 = x.fma(w0, a1_0);
      x = FloatVector.broadcast(S, src[q + 2]);
      a2_0 = x.fma(w0, a2_0);
      x = FloatVector.broadcast(S, src[q + 3]);
      a3_0 = x.fma(w0, a3_0);
      x = FloatVector.broadcast(S, src[q + 4]);
      a4_0 = x.fma(w0, a4_0);
      x = FloatVector.broadcast(S, src[q + 5]);
      a5_0 = x.fma(w0, a5_0);
      x = FloatVector.broadcast(S, src[q + 6]);
      a6_0 = x.fma(w0, a6_0);
      x = FloatVector.broadcast(S, src[q + 7]);
      a7_0 = x.fma(w0, a7_0);
      x = FloatVector.broadcast(S, src[q + 8]);
      a8_0 = x.fma(w0, a8_0);
      x = FloatVector.broadcast(S, src[q + 9]);
      a9_0 = x.fma(w0, a9_0);
    }
    int oi = outOff + i * cpad + cv;
    a0_0.intoArray(out, oi);
    a1_0.intoArray(out, oi + cpad);
    a2_0.intoArray(out, oi + 2 * cpad);
    a3_0.intoArray(out, oi + 3 * cpad);
    a4_0.intoArray(out, oi + 4 * cpad);
    a5_0.intoArray(out, oi + 5 * cpad);
    a6_0.intoArray(out, oi + 6 * cpad);
    a7_0.intoArray(out, oi + 7 * cpad);
    a8_0.intoArray(out, oi + 8 * cpad);
    a9_0.intoArray(out, oi + 9 * cpad);
  }
}
