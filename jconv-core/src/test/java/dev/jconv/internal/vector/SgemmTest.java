package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.internal.parallel.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every provider's {@code sgemm} against a double-precision triple loop, on awkward sizes, both
 * transposes, beta 0 and 1, offsets and padded leading dimensions.
 */
class SgemmTest {

  private static final int[] SIZES = {1, 7, 13, 207};
  private static final int PAD = 3;
  private static final float GUARD = 12345.5f;

  /** One multiply: shape, flags, and the layout of the operands inside larger arrays. */
  record Case(int m, int n, int k, boolean transA, boolean transB, float beta) {
    int lda() {
      return (transA ? m : k) + PAD;
    }

    int ldb() {
      return (transB ? k : n) + PAD;
    }

    int ldc() {
      return n + PAD;
    }

    @Override
    public String toString() {
      return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "") + " beta=" + beta;
    }
  }

  /** The operands of a case, filled once, with the reference result. */
  static final class Data {
    static final int A_OFF = 5;
    static final int B_OFF = 2;
    static final int C_OFF = 7;
    final Case cs;
    final float[] a;
    final float[] b;
    final float[] c0;
    final double[] expected;
    final double[] tolerance;

    Data(Case cs, long seed) {
      this.cs = cs;
      SplittableRandom rnd = new SplittableRandom(seed);
      int aRows = cs.transA ? cs.k : cs.m;
      int bRows = cs.transB ? cs.n : cs.k;
      a = filled(rnd, A_OFF + aRows * cs.lda(), 1f);
      b = filled(rnd, B_OFF + bRows * cs.ldb(), 1f);
      c0 = new float[C_OFF + cs.m * cs.ldc() + PAD];
      java.util.Arrays.fill(c0, GUARD);
      expected = new double[cs.m * cs.n];
      tolerance = new double[cs.m * cs.n];
      for (int i = 0; i < cs.m; i++) {
        for (int j = 0; j < cs.n; j++) {
          int ci = C_OFF + i * cs.ldc() + j;
          // beta 0 must ignore C entirely, so C starts as NaN there; with beta 1 it starts random.
          c0[ci] = cs.beta == 0f ? Float.NaN : (float) (rnd.nextDouble() * 2 - 1);
          double sum = cs.beta == 0f ? 0 : c0[ci];
          double abs = Math.abs(sum);
          for (int p = 0; p < cs.k; p++) {
            double prod = (double) a(i, p) * b(p, j);
            sum += prod;
            abs += Math.abs(prod);
          }
          expected[i * cs.n + j] = sum;
          // Float summation of k+1 terms in any order errs by at most about (k+1) * 2^-24 * sum|terms|.
          tolerance[i * cs.n + j] = (cs.k + 2) * 0x1p-23 * abs + 1e-30;
        }
      }
    }

    float a(int i, int p) {
      return cs.transA ? a[A_OFF + p * cs.lda() + i] : a[A_OFF + i * cs.lda() + p];
    }

    float b(int p, int j) {
      return cs.transB ? b[B_OFF + j * cs.ldb() + p] : b[B_OFF + p * cs.ldb() + j];
    }

    private static float[] filled(SplittableRandom rnd, int size, float scale) {
      float[] x = new float[size];
      for (int i = 0; i < size; i++) {
        x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
      }
      return x;
    }

    /** Runs {@code provider} on a copy of C and fails with the first wrong element. */
    void check(KernelProvider provider) {
      check(provider, false);
    }

    /**
     * As {@link #check(KernelProvider)}; with {@code packed}, A goes through packA and
     * sgemmPacked, and A's array is overwritten in between (the packed copy must not see it).
     */
    void check(KernelProvider provider, boolean packed) {
      check(provider, packed ? 1 : 0);
    }

    /** Mode 0: sgemm; 1: A through packA and sgemmPacked. */
    void check(KernelProvider provider, int mode) {
      boolean packed = mode != 0;
      float[] c = c0.clone();
      float[] aCopy = a.clone();
      float[] bCopy = b.clone();
      if (packed) {
        float[] scratchA = a.clone();
        PackedMatrix pa = provider.packA(cs.transA, cs.m, cs.k, scratchA, A_OFF, cs.lda());
        assertEquals(cs.m, pa.rows());
        assertEquals(cs.k, pa.cols());
        java.util.Arrays.fill(scratchA, Float.NaN);
        provider.sgemmPacked(pa, cs.transB, cs.n, b, B_OFF, cs.ldb(), cs.beta, c, C_OFF, cs.ldc());
      } else {
        provider.sgemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, a, A_OFF, cs.lda(), b, B_OFF,
            cs.ldb(), cs.beta, c, C_OFF, cs.ldc());
      }
      String where = provider.name() + "/" + provider.vectorBits() + (packed ? " packed " : " ")
          + cs;
      assertTrue(java.util.Arrays.equals(aCopy, a) && java.util.Arrays.equals(bCopy, b),
          where + ": modified A or B");
      for (int idx = 0; idx < c.length; idx++) {
        int rel = idx - C_OFF;
        int i = Math.floorDiv(rel, cs.ldc());
        int j = Math.floorMod(rel, cs.ldc());
        boolean inside = rel >= 0 && i < cs.m && j < cs.n;
        if (!inside) {
          if (Float.floatToIntBits(c[idx]) != Float.floatToIntBits(c0[idx])) {
            fail(where + ": wrote outside C at array index " + idx);
          }
          continue;
        }
        double want = expected[i * cs.n + j];
        double err = Math.abs(c[idx] - want);
        if (!(err <= tolerance[i * cs.n + j])) {
          fail(where + ": C[" + i + "][" + j + "] = " + c[idx] + ", expected " + want + " +- "
              + tolerance[i * cs.n + j]);
        }
      }
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (int m : SIZES) {
      for (int n : SIZES) {
        for (int k : SIZES) {
          for (int flags = 0; flags < 4; flags++) {
            // Both betas on every shape would double the run time for no new path: alternate.
            float beta = ((m + n + k + flags) & 1) == 0 ? 0f : 1f;
            cases.add(new Case(m, n, k, (flags & 1) != 0, (flags & 2) != 0, beta));
          }
        }
      }
    }
    // Vectors on either side, several KC steps (k > 256), and more columns than one NC block.
    cases.add(new Case(1024, 1, 64, false, false, 0f));
    cases.add(new Case(1, 1024, 64, false, true, 1f));
    cases.add(new Case(64, 1024, 1, true, false, 0f));
    cases.add(new Case(97, 45, 600, false, false, 1f));
    cases.add(new Case(37, 61, 777, true, true, 0f));
    cases.add(new Case(9, 4100, 5, false, false, 0f));
    cases.add(new Case(150, 70, 3, true, false, 1f));
    return cases;
  }

  @Test
  void sgemm_everyNativeProvider_matchesTripleLoop() {
    List<KernelProvider> providers = KernelProviders.allNative();
    List<Case> cases = cases();
    int checked = 0;
    long seed = 1;
    for (Case cs : cases) {
      Data data = new Data(cs, seed++);
      for (KernelProvider provider : providers) {
        data.check(provider);
        checked++;
      }
    }
    int widths = 0;
    for (int bits : new int[] {128, 256, 512}) {
      if (bits <= KernelProviders.preferredBits()) {
        widths++;
      }
    }
    assertEquals(4 * SIZES.length * SIZES.length * SIZES.length + 7, cases.size());
    assertEquals(1 + widths, providers.size());
    assertEquals(cases.size() * (1 + widths), checked);
  }

  @Test
  void sgemmBias_everyNativeProviderAndWidth_matchesTripleLoopPlusBias() {
    // C starts as NaN (it must not be read); the bias, one value per row, sits at an offset.
    List<KernelProvider> providers = new ArrayList<>(KernelProviders.allNative());
    for (int bits : new int[] {128, 256, 512}) {
      if (bits > KernelProviders.preferredBits()) {
        providers.add(KernelProviders.panama(bits));
      }
    }
    int checked = 0;
    long seed = 700;
    for (int m : new int[] {1, 7, 13, 207}) {
      for (int n : new int[] {1, 13, 207}) {
        for (int k : new int[] {0, 1, 13, 300}) {
          Case cs = new Case(m, n, k, ((m + k) & 1) == 0, (n & 2) == 0, 0f);
          Data data = new Data(cs, seed++);
          float[] bias = new float[3 + m];
          SplittableRandom rnd = new SplittableRandom(seed);
          for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (rnd.nextDouble() * 8 - 4);
          }
          for (KernelProvider p : providers) {
            if (p.vectorBits() > KernelProviders.preferredBits() && m * n * k > 13 * 13 * 13) {
              continue; // emulated widths are slow: small shapes only
            }
            float[] c = data.c0.clone();
            p.sgemmBias(cs.transA, cs.transB, m, n, k, data.a, Data.A_OFF, cs.lda(), data.b,
                Data.B_OFF, cs.ldb(), bias, 3, c, Data.C_OFF, cs.ldc());
            String where = p.name() + "/" + p.vectorBits() + " bias " + cs;
            for (int idx = 0; idx < c.length; idx++) {
              int rel = idx - Data.C_OFF;
              int i = Math.floorDiv(rel, cs.ldc());
              int j = Math.floorMod(rel, cs.ldc());
              if (rel < 0 || i >= m || j >= n) {
                assertEquals(Float.floatToIntBits(data.c0[idx]), Float.floatToIntBits(c[idx]),
                    where + ": wrote outside C at array index " + idx);
                continue;
              }
              double want = data.expected[i * n + j] + bias[3 + i];
              double tol = data.tolerance[i * n + j] + 0x1p-22 * Math.abs(want);
              assertEquals(want, c[idx], tol, where + ": C[" + i + "][" + j + "]");
            }
            checked++;
          }
        }
      }
    }
    int emulated = 0;
    for (int bits : new int[] {128, 256, 512}) {
      if (bits > KernelProviders.preferredBits()) {
        emulated++;
      }
    }
    // 48 shapes on every native provider; emulated widths take the 29 with m*n*k <= 13^3.
    assertEquals(48 * KernelProviders.allNative().size() + 29 * emulated, checked);
  }

  @Test
  void sgemmPacked_everyNativeProvider_matchesTripleLoop() {
    // The same shapes as sgemm but k in {1, 13, 300, 777}: 300 and 777 take several KC steps,
    // whose packed panels sit one after another.
    assertEquals(4 * 3 * 4 * KernelProviders.allNative().size(), checkPackedShapes(1, 500));
  }

  /**
   * The shapes of the packed products on every native provider, {@link Data#check(KernelProvider, int)}
   * in {@code mode}: k in {1, 13, 300, 777} (300 and 777 take several KC steps, whose packed panels sit
   * one after another), n up to several panels, A transposed or not, beta 0 and 1. Returns the count.
   */
  private static int checkPackedShapes(int mode, long seed) {
    int checked = 0;
    for (int m : new int[] {1, 7, 13, 207}) {
      for (int n : new int[] {1, 13, 207}) {
        for (int k : new int[] {1, 13, 300, 777}) {
          Case cs = new Case(m, n, k, ((m + k) & 1) == 0, (n & 2) == 0, (m & 1) == 0 ? 0f : 1f);
          Data data = new Data(cs, seed++);
          for (KernelProvider p : KernelProviders.allNative()) {
            data.check(p, mode);
            checked++;
          }
        }
      }
    }
    return checked;
  }

  @Test
  void packA_reuse_overwritesOnlyWhenItFits() {
    int checked = 0;
    for (KernelProvider p : KernelProviders.allNative()) {
      Case cs = new Case(13, 9, 300, false, false, 0f);
      Data first = new Data(cs, 900);
      Data second = new Data(cs, 901);
      PackedMatrix pa = p.packA(false, cs.m, cs.k, first.a, Data.A_OFF, cs.lda());
      PackedMatrix again = p.packA(false, cs.m, cs.k, second.a, Data.A_OFF, cs.lda(), pa);
      assertTrue(again == pa, p + ": same shape, same provider: storage reused");
      float[] c = second.c0.clone();
      p.sgemmPacked(again, false, cs.n, second.b, Data.B_OFF, cs.ldb(), 0f, c, Data.C_OFF, cs.ldc());
      for (int i = 0; i < cs.m; i++) {
        for (int j = 0; j < cs.n; j++) {
          assertEquals(second.expected[i * cs.n + j], c[Data.C_OFF + i * cs.ldc() + j],
              second.tolerance[i * cs.n + j], p + " C[" + i + "][" + j + "]");
        }
      }
      // Another shape, or another provider's matrix, cannot be reused.
      assertFalse(p.packA(false, 7, cs.k, first.a, Data.A_OFF, cs.lda(), pa) == pa);
      PackedMatrix foreign = KernelProviders.plain().packA(false, cs.m, cs.k, first.a, Data.A_OFF, cs.lda());
      assertEquals(p == KernelProviders.plain(),
          p.packA(false, cs.m, cs.k, first.a, Data.A_OFF, cs.lda(), foreign) == foreign);
      checked++;
    }
    assertEquals(KernelProviders.allNative().size(), checked);
  }

  @Test
  void sgemm_everyWidthEvenEmulated_matchesTripleLoop() {
    // Widths wider than the CPU run emulated (slowly), so only small shapes: this makes sure every
    // width's kernel class is exercised on any machine.
    int checked = 0;
    long seed = 1000;
    for (int bits : new int[] {128, 256, 512}) {
      KernelProvider p = KernelProviders.panama(bits);
      assertEquals(bits, p.vectorBits());
      // 10 rows: a 6-row panel and the 4-row kernel.
      for (Case cs : List.of(new Case(13, 37, 7, false, false, 1f), new Case(7, 13, 13, true, true, 0f),
          new Case(10, 37, 9, false, false, 1f))) {
        new Data(cs, seed++).check(p);
        checked++;
      }
    }
    assertEquals(9, checked);
  }

  @Test
  void sgemm_weightGradientShapes_everyNativeProvider_matchesTripleLoop() {
    // The weight gradient's C (m x n) += A (m x k) B^T with a long, contiguous k: A read in place
    // (full panels of 6 rows, a packed last panel), B^T's full panels gathered, several KC steps.
    // Also a transposed A whose rows are 1024 floats apart, which is packed instead (lda = m + 3).
    List<Case> shapes = List.of(new Case(207, 13, 2050, false, true, 1f),
        new Case(7, 207, 3001, false, true, 0f), new Case(13, 7, 1111, false, true, 1f),
        new Case(1, 207, 513, false, true, 0f), new Case(207, 1, 700, false, true, 1f),
        new Case(13, 207, 1500, true, false, 1f), new Case(1021, 13, 20, true, false, 1f),
        new Case(1021, 37, 300, true, true, 0f));
    int checked = 0;
    long seed = 3000;
    for (Case cs : shapes) {
      Data data = new Data(cs, seed++);
      for (KernelProvider p : KernelProviders.allNative()) {
        data.check(p);
        checked++;
      }
    }
    assertEquals(8 * KernelProviders.allNative().size(), checked);
  }

  @Test
  void sgemm_bReadInPlaceShapes_everyNativeProvider_matchesTripleLoop() {
    // B read in place, not packed: a shallow B under many rows of A (several row blocks: 700 x 60
    // is more A than one block holds), and one row block of A over a deeper B, which goes in KC
    // steps of at most 64 on 512-column blocks (1100 columns: two full blocks and a ragged one; the
    // input gradient of a 1x1 convolution is W^T B with 64 rows and depth 256). 64 and 256 rows end
    // with a 4-row panel, which has its own kernel.
    List<Case> shapes = List.of(new Case(700, 45, 60, false, false, 1f),
        new Case(256, 100, 64, false, false, 0f), new Case(64, 1100, 256, true, false, 0f),
        new Case(100, 530, 129, false, false, 1f), new Case(30, 70, 65, true, false, 1f),
        new Case(144, 33, 300, false, false, 0f));
    int checked = 0;
    long seed = 5000;
    for (Case cs : shapes) {
      Data data = new Data(cs, seed++);
      for (KernelProvider p : KernelProviders.allNative()) {
        data.check(p);
        checked++;
      }
    }
    assertEquals(6 * KernelProviders.allNative().size(), checked);
  }

  @Test
  void rowsFitL1_rowLengthsOnFewCacheSets_areNotReadInPlace() {
    // 56 x 56 floats per row: 196 lines, rows on 16 sets, 64 rows 4 a set; 112 x 112: 4 sets.
    assertTrue(PanamaGemm.rowsFitL1(56 * 56, 64));
    assertFalse(PanamaGemm.rowsFitL1(112 * 112, 64));
    assertTrue(PanamaGemm.rowsFitL1(112 * 112, 16));
    // Rows that do not start on a cache line, or whose length is an odd number of lines, spread out.
    assertTrue(PanamaGemm.rowsFitL1(112 * 112 + 3, 64));
    assertTrue(PanamaGemm.rowsFitL1(16 * 63, 256));
    assertFalse(PanamaGemm.rowsFitL1(1024, 8));
  }

  @Test
  void sgemmBias_deepBReadInPlace_biasEntersOnce() {
    // Several KC steps add to C: the bias must come in with the first only.
    Case cs = new Case(64, 600, 200, false, false, 0f);
    Data data = new Data(cs, 6000);
    float[] bias = new float[cs.m()];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = i - 20.5f;
    }
    int checked = 0;
    for (KernelProvider p : KernelProviders.allNative()) {
      float[] c = data.c0.clone();
      p.sgemmBias(false, false, cs.m(), cs.n(), cs.k(), data.a, Data.A_OFF, cs.lda(), data.b, Data.B_OFF,
          cs.ldb(), bias, 0, c, Data.C_OFF, cs.ldc());
      for (int i = 0; i < cs.m(); i++) {
        for (int j = 0; j < cs.n(); j++) {
          double want = data.expected[i * cs.n() + j] + bias[i];
          double tol = data.tolerance[i * cs.n() + j] + 0x1p-22 * Math.abs(want);
          assertEquals(want, c[Data.C_OFF + i * cs.ldc() + j], tol, p.name() + "/" + p.vectorBits() + " C[" + i
              + "][" + j + "]");
        }
      }
      checked++;
    }
    assertEquals(KernelProviders.allNative().size(), checked);
  }

  @Test
  void sgemm_threeThreads_matchesTripleLoop() {
    // An odd thread count makes the split into rectangles uneven.
    int before = Parallel.getNumThreads();
    Parallel.setNumThreads(3);
    int checked = 0;
    try {
      List<Case> shapes = List.of(new Case(207, 207, 207, false, false, 1f),
          new Case(13, 1000, 70, false, true, 0f), new Case(500, 20, 70, true, false, 0f));
      for (Case cs : shapes) {
        Data data = new Data(cs, 77 + checked);
        for (KernelProvider p : KernelProviders.allNative()) {
          data.check(p);
          checked++;
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(3 * KernelProviders.allNative().size(), checked);
  }

  @Test
  void sgemm_kZero_appliesBetaOnly() {
    for (KernelProvider p : KernelProviders.allNative()) {
      float[] c = {Float.NaN, 2f, 3f, 4f};
      p.sgemm(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
      assertEquals(List.of(0f, 0f, 0f, 0f), List.of(c[0], c[1], c[2], c[3]), p.name());
      float[] d = {1f, 2f, 3f, 4f};
      p.sgemm(true, true, 2, 2, 0, new float[0], 0, 2, new float[0], 0, 1, 1f, d, 0, 2);
      assertEquals(List.of(1f, 2f, 3f, 4f), List.of(d[0], d[1], d[2], d[3]), p.name());
    }
  }

  @Test
  void sgemm_nanInA_propagates() {
    for (KernelProvider p : KernelProviders.allNative()) {
      float[] a = new float[20 * 30];
      float[] b = new float[30 * 40];
      java.util.Arrays.fill(a, 1f);
      java.util.Arrays.fill(b, 1f);
      a[3 * 30 + 4] = Float.NaN;
      float[] c = new float[20 * 40];
      p.sgemm(false, false, 20, 40, 30, a, 0, 30, b, 0, 40, 0f, c, 0, 40);
      for (int i = 0; i < 20; i++) {
        for (int j = 0; j < 40; j++) {
          assertEquals(i == 3, Float.isNaN(c[i * 40 + j]), p.name() + " C[" + i + "][" + j + "]");
          assertFalse(i != 3 && c[i * 40 + j] != 30f, p.name());
        }
      }
    }
  }
}
