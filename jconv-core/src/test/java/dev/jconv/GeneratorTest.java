package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Unit tests and properties of {@link Generator}; the PyTorch comparisons are in the golden test. */
class GeneratorTest {

  // ---------------------------------------------------------------- the Mersenne Twister

  @Test
  void mt19937_seed5489_firstAnd10000thOutputs_matchTheStandard() {
    // the C++ standard ([rand.predef]) requires the 10000th output of a default std::mt19937
    // (seed 5489) to be 4123659995; 3499211612 is its well-known first output
    Generator g = new Generator(5489);
    assertEquals(3499211612L, g.nextUInt32());
    long v = 0;
    for (int i = 2; i <= 10000; i++) {
      v = g.nextUInt32();
    }
    assertEquals(4123659995L, v);
  }

  @Test
  void randperm_pastAJavaArraysLimit_isRefused_notAnOutOfMemoryError() {
    Generator g = new Generator(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.randperm(Integer.MAX_VALUE));
    assertEquals("a tensor of 2147483647 elements is past the 2147483645 a Java array can hold (jconv's storage)",
        e.getMessage());
    assertEquals(new Generator(3).nextUInt32(), g.nextUInt32()); // nothing drawn
  }

  @Test
  void nextUInt64_isTwo32BitDrawsFirstHigh() {
    Generator a = new Generator(77);
    Generator b = new Generator(77);
    for (int i = 0; i < 5; i++) {
      long hi = b.nextUInt32();
      long lo = b.nextUInt32();
      assertEquals((hi << 32) | lo, a.nextUInt64());
    }
  }

  @Test
  void manualSeed_usesOnlyTheLow32Bits_butInitialSeedKeepsAll64() {
    Generator wide = new Generator((1L << 32) + 5);
    Generator narrow = new Generator(5);
    for (int i = 0; i < 1000; i++) {
      assertEquals(narrow.nextUInt32(), wide.nextUInt32());
    }
    assertEquals((1L << 32) + 5, wide.initialSeed());
    assertEquals(5, narrow.initialSeed());
  }

  @Test
  void manualSeed_negative_isTwosComplement() {
    // torch.manual_seed(-1): initial_seed() is 2^64 - 1 and the draws are those of 0xffffffff
    Generator neg = new Generator(-1);
    Generator pos = new Generator(0xffffffffL);
    assertEquals("18446744073709551615", Long.toUnsignedString(neg.initialSeed()));
    for (int i = 0; i < 100; i++) {
      assertEquals(pos.nextUInt32(), neg.nextUInt32());
    }
  }

  @Test
  void manualSeed_returnsThis_andRestartsTheSequence() {
    Generator g = new Generator(3);
    long first = g.nextUInt32();
    g.nextUInt32();
    assertSame(g, g.manualSeed(3));
    assertEquals(first, g.nextUInt32());
  }

  @Test
  void defaultConstructor_usesTorchGeneratorDefaultSeed() {
    assertEquals(67280421310721L, new Generator().initialSeed());
    float[] a = new float[2];
    new Generator().fillRand(a, 0, 2);
    // torch.rand(2, generator=torch.Generator()) prints tensor([0.2673, 0.8725])
    assertEquals(0.2673, a[0], 5e-5);
    assertEquals(0.8725, a[1], 5e-5);
  }

  // ---------------------------------------------------------------- uniform

  @Test
  void fillRand_afterSeed0_isTheDocumentedTorchRand3() {
    float[] x = new float[3];
    new Generator(0).fillRand(x, 0, 3);
    assertEquals(0.4963, x[0], 5e-5);
    assertEquals(0.7682, x[1], 5e-5);
    assertEquals(0.0885, x[2], 5e-5);
  }

  @Test
  void fillRand_float_takes24BitsOfOneDrawPerElement() {
    Generator g = new Generator(11);
    Generator raw = new Generator(11);
    float[] x = new float[700]; // crosses a 624-word state refresh
    g.fillRand(x, 0, x.length);
    for (float v : x) {
      assertEquals((raw.nextUInt32() & 0xFFFFFF) / 16777216.0, v, 0.0);
    }
  }

  @Test
  void fillRand_double_takes53BitsOfOne64BitDraw() {
    Generator g = new Generator(12);
    Generator raw = new Generator(12);
    double[] x = new double[400];
    g.fillRand(x, 0, x.length);
    for (double v : x) {
      assertEquals((raw.nextUInt64() & ((1L << 53) - 1)) * 0x1.0p-53, v, 0.0);
    }
  }

  @Test
  void fill_writesOnlyItsRange() {
    float[] x = new float[8];
    Arrays.fill(x, -7f);
    new Generator(0).fillRand(x, 2, 3);
    float[] fresh = new float[3];
    new Generator(0).fillRand(fresh, 0, 3);
    assertArrayEquals(new float[] {-7f, -7f, fresh[0], fresh[1], fresh[2], -7f, -7f, -7f}, x);
  }

  @Test
  void fill_rangeOutsideArray_throwsWithoutDrawing() {
    Generator g = new Generator(0);
    byte[] before = g.getState();
    float[] x = new float[4];
    assertThrows(IllegalArgumentException.class, () -> g.fillRand(x, -1, 2));
    assertThrows(IllegalArgumentException.class, () -> g.fillRand(x, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> g.fillRand(x, 0, -1));
    // off + len overflows int: must be refused, not wrap around
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> g.fillNormal(x, 2, Integer.MAX_VALUE, 0, 1));
    assertTrue(e.getMessage().contains("2147483649"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.fillRandint(new long[2], 1, 2, 0, 5));
    assertArrayEquals(before, g.getState());
  }

  @Test
  void fillUniform_float_isFusedMultiplyAddInFloat() {
    Generator g = new Generator(21);
    Generator raw = new Generator(21);
    float[] x = new float[1000];
    double from = -0.2;
    double to = 0.2;
    g.fillUniform(x, 0, x.length, from, to);
    float lo = (float) from;
    float width = (float) to - lo;
    int differsFromUnfused = 0;
    for (float v : x) {
      float u = (raw.nextUInt32() & 0xFFFFFF) * 0x1.0p-24f;
      assertEquals(Math.fma(u, width, lo), v, 0.0f);
      if (u * width + lo != v) {
        differsFromUnfused++;
      }
    }
    // the reason fma matters: a plain multiply-add is a bit off for a good share of the values
    assertTrue(differsFromUnfused > 50, "unfused differs in only " + differsFromUnfused);
  }

  @Test
  void fillUniform_equalBounds_givesTheBound() {
    float[] x = new float[5];
    new Generator(1).fillUniform(x, 0, 5, 0.25, 0.25);
    assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, x);
  }

  @Property(tries = 200)
  void fillUniform_staysWithinBounds(@ForAll @DoubleRange(min = -1e6, max = 1e6) double a,
      @ForAll @DoubleRange(min = 0, max = 1e6) double width, @ForAll @IntRange(max = 1000) int seed) {
    double b = a + width;
    float[] x = new float[64];
    new Generator(seed).fillUniform(x, 0, x.length, a, b);
    for (float v : x) {
      // PyTorch's [from, to) can round up to `to` itself in float; never past it
      assertTrue(v >= (float) a && v <= (float) b, v + " not in [" + a + ", " + b + "]");
    }
  }

  // ---------------------------------------------------------------- normal

  @Test
  void fillNormal_small_cachesTheSecondValueOfEachPair() {
    Generator g = new Generator(4);
    float[] one = new float[1];
    float[] two = new float[2];
    g.fillNormal(one, 0, 1, 0, 1);
    g.fillNormal(one, 0, 1, 0, 1); // served from the cache: no draw
    new Generator(4).fillNormal(two, 0, 2, 0, 1);
    Generator h = new Generator(4);
    h.fillNormal(new float[1], 0, 1, 0, 1);
    h.fillNormal(new float[1], 0, 1, 0, 1);
    assertEquals(two[1], one[0], 0.0f);
    // the pair used two 64-bit draws (four 32-bit ones), the cached value none
    Generator raw = new Generator(4);
    for (int i = 0; i < 4; i++) {
      raw.nextUInt32();
    }
    assertEquals(raw.nextUInt32(), h.nextUInt32());
  }

  @Test
  void manualSeed_forgetsTheCachedNormal() {
    Generator g = new Generator(8);
    double first = g.nextNormal(0, 1);
    g.manualSeed(8);
    assertEquals(first, g.nextNormal(0, 1), 0.0);
  }

  @Test
  void fillNormal_blockPath_neitherUsesNorClearsTheCache() {
    Generator g = new Generator(9);
    double a = g.nextNormal(0, 1);
    float[] block = new float[16];
    g.fillNormal(block, 0, 16, 0, 1);
    double cached = g.nextNormal(0, 1);
    Generator h = new Generator(9);
    h.nextNormal(0, 1);
    assertEquals(h.nextNormal(0, 1), cached, 0.0);
    assertNotEquals(a, cached);
  }

  @Test
  void fillNormal_notMultipleOf16_redrawsTheLast16() {
    // 17 elements: 17 uniforms, block [0, 16), then 16 fresh uniforms for block [1, 17)
    Generator g = new Generator(10);
    float[] x = new float[17];
    g.fillNormal(x, 0, 17, 0, 1);
    Generator raw = new Generator(10);
    for (int i = 0; i < 33; i++) {
      raw.nextUInt32();
    }
    assertEquals(raw.nextUInt32(), g.nextUInt32());
    // the last 16 are exactly a fresh block of the second 16 uniforms
    Generator skip = new Generator(10);
    float[] discard = new float[17];
    skip.fillRand(discard, 0, 17);
    float[] block = new float[16];
    skip.fillNormal(block, 0, 16, 0, 1);
    assertArrayEquals(block, Arrays.copyOfRange(x, 1, 17));
  }

  @Test
  void fillNormal_meanAndStd_scaleTheStandardDraws() {
    float[] z = new float[32];
    float[] x = new float[32];
    new Generator(3).fillNormal(z, 0, 32, 0, 1);
    new Generator(3).fillNormal(x, 0, 32, 2.0, 0.5);
    for (int i = 0; i < 32; i++) {
      assertEquals(Math.fma(z[i], 0.5f, 2.0f), x[i], 0.0f);
    }
  }

  @Test
  void fillNormal_moments_lookStandardNormal() {
    for (int n : new int[] {15, 100_000}) { // both algorithms
      double sum = 0;
      double sumSq = 0;
      int count = 0;
      Generator g = new Generator(5);
      float[] x = new float[n];
      for (int rep = 0; count < 100_000; rep++) {
        g.fillNormal(x, 0, n, 0, 1);
        for (float v : x) {
          sum += v;
          sumSq += (double) v * v;
        }
        count += n;
      }
      double mean = sum / count;
      double var = sumSq / count - mean * mean;
      assertEquals(0.0, mean, 0.02, "n=" + n);
      assertEquals(1.0, var, 0.02, "n=" + n);
    }
  }

  @Test
  void fillNormal_zeroStd_givesTheMean() {
    float[] x = new float[20];
    new Generator(0).fillNormal(x, 0, 20, 1.5, 0.0);
    for (float v : x) {
      assertEquals(1.5f, v, 0.0f);
    }
  }

  // ---------------------------------------------------------------- integers and permutations

  @Test
  void randperm_smallN_drawsNMinus1TimesAndSwapsForward() {
    // torch.manual_seed(0); torch.randperm(5) -> tensor([4, 0, 1, 3, 2])
    Generator g = new Generator(0);
    assertArrayEquals(new long[] {4, 0, 1, 3, 2}, g.randperm(5));
    Generator raw = new Generator(0);
    for (int i = 0; i < 4; i++) {
      raw.nextUInt32();
    }
    assertEquals(raw.nextUInt32(), g.nextUInt32());
  }

  @Test
  void randperm_zeroAndOne_drawNothing() {
    Generator g = new Generator(6);
    assertArrayEquals(new long[0], g.randperm(0));
    assertArrayEquals(new long[] {0}, g.randperm(1));
    assertEquals(new Generator(6).nextUInt32(), g.nextUInt32());
  }

  @Property(tries = 50)
  void randperm_isAPermutation(@ForAll @IntRange(max = 3000) int n, @ForAll long seed) {
    long[] p = new Generator(seed).randperm(n);
    boolean[] seen = new boolean[n];
    for (long v : p) {
      assertTrue(v >= 0 && v < n && !seen[(int) v]);
      seen[(int) v] = true;
    }
    assertEquals(n, p.length);
  }

  @Test
  void fillRandint_narrowRangeUses32BitDraws_wideRange64() {
    Generator g = new Generator(2);
    Generator raw = new Generator(2);
    long[] x = new long[4];
    g.fillRandint(x, 0, 4, -5, 5);
    for (long v : x) {
      assertEquals(raw.nextUInt32() % 10 - 5, v);
    }
    long wide = 1L << 32;
    g.fillRandint(x, 0, 4, 0, wide);
    for (long v : x) {
      assertEquals(Long.remainderUnsigned(raw.nextUInt64(), wide), v);
    }
  }

  @Test
  void fillRandint_fullLongRange_staysInRangeWithoutOverflow() {
    long[] x = new long[1000];
    new Generator(1).fillRandint(x, 0, x.length, Long.MIN_VALUE, Long.MAX_VALUE);
    int negative = 0;
    for (long v : x) {
      assertTrue(v < Long.MAX_VALUE);
      if (v < 0) {
        negative++;
      }
    }
    assertTrue(negative > 400 && negative < 600, "negatives: " + negative);
  }

  @Test
  void fillRandom_int64_isNonNegative() {
    long[] x = new long[500];
    new Generator(3).fillRandom(x, 0, x.length);
    for (long v : x) {
      assertTrue(v >= 0);
    }
  }

  // ---------------------------------------------------------------- state

  @Test
  void getStateSetState_roundTrip_resumesTheSameSequence() {
    Generator g = new Generator(13);
    g.fillRand(new float[100], 0, 100);
    g.nextNormal(0, 1); // leaves a cached value, which the state carries
    byte[] s = g.getState();
    assertEquals(Generator.STATE_BYTES, s.length);
    Generator h = new Generator(99);
    h.setState(s);
    assertEquals(g.initialSeed(), h.initialSeed());
    assertEquals(g.nextNormal(0, 1), h.nextNormal(0, 1), 0.0);
    for (int i = 0; i < 1000; i++) {
      assertEquals(g.nextUInt32(), h.nextUInt32());
    }
  }

  @Test
  void setState_wrongSizeOrInvalid_throws() {
    Generator g = new Generator(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.setState(new byte[10]));
    assertEquals("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10",
        e.getMessage());
    byte[] s = g.getState();
    s[8] = 0; // left = 0 is not a valid mt19937 position
    s[9] = 0;
    e = assertThrows(IllegalArgumentException.class, () -> g.setState(s));
    assertEquals("Invalid mt19937 state", e.getMessage());
  }

  @Test
  void seed_isNondeterministicAndReported() {
    Generator g = new Generator(0);
    long s = g.seed();
    assertEquals(s, g.initialSeed());
    assertNotEquals(s, new Generator(0).seed()); // equal with probability 2^-64
  }

  // ---------------------------------------------------------------- the default generator

  @Test
  void defaultGenerator_sharedByThreads_handsOutWholeBlocks() throws Exception {
    int threads = 4;
    int calls = 50;
    int block = 100;
    Generator g = Generator.defaultGenerator();
    assertSame(g, Generator.defaultGenerator());
    g.manualSeed(123);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<float[]>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          start.await();
          List<float[]> mine = new ArrayList<>();
          for (int c = 0; c < calls; c++) {
            float[] x = new float[block];
            g.fillRand(x, 0, block);
            mine.add(x);
          }
          return mine;
        }));
      }
      start.countDown();
      // every call must get one whole aligned block of the single-threaded sequence, each once
      float[] reference = new float[threads * calls * block];
      new Generator(123).fillRand(reference, 0, reference.length);
      Map<Float, Integer> blockStart = new HashMap<>();
      for (int b = 0; b < threads * calls; b++) {
        blockStart.put(reference[b * block], b);
      }
      boolean[] used = new boolean[threads * calls];
      for (Future<List<float[]>> f : results) {
        for (float[] x : f.get()) {
          Integer b = blockStart.get(x[0]);
          assertTrue(b != null && !used[b], "a call did not get a fresh aligned block");
          used[b] = true;
          assertArrayEquals(Arrays.copyOfRange(reference, b * block, (b + 1) * block), x);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- messages

  @Test
  void cpp_formatsLikeCppStreams() {
    // printf("%g") semantics, as C++'s operator<< prints doubles in PyTorch's messages
    assertEquals("1", Generator.cpp(1.0));
    assertEquals("-0.25", Generator.cpp(-0.25));
    assertEquals("3e+38", Generator.cpp(3e38));
    assertEquals("1.7e+308", Generator.cpp(1.7e308));
    assertEquals("1e-05", Generator.cpp(1e-5));
    assertEquals("0.0001", Generator.cpp(1e-4));
    assertEquals("100000", Generator.cpp(1e5));
    assertEquals("1e+06", Generator.cpp(1e6));
    assertEquals("1.23457e+08", Generator.cpp(123456789.0));
    assertEquals("0.333333", Generator.cpp(1.0 / 3));
    assertEquals("nan", Generator.cpp(Double.NaN));
    assertEquals("-inf", Generator.cpp(Double.NEGATIVE_INFINITY));
  }
}
