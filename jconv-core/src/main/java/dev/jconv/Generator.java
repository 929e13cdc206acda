package dev.jconv;

import dev.jconv.internal.random.CephesAvx2;
import dev.jconv.internal.random.RoundedMath;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * A random number generator that draws the same numbers as PyTorch's CPU generator
 * ({@code torch.Generator}, the Mersenne Twister {@code at::mt19937}), so that after the same seed
 * {@code rand}, {@code randn}, {@code uniform_}, {@code normal_}, {@code randint} and
 * {@code randperm} give the same values as PyTorch 1.13 on x86 (AVX2), in the same order.
 *
 * <pre>{@code
 * Generator g = new Generator(0);          // torch.Generator().manual_seed(0)
 * float[] x = new float[3];
 * g.fillRand(x, 0, 3);                     // torch.rand(3, generator=g): [0.4963, 0.7682, 0.0885]
 * Generator.defaultGenerator().manualSeed(42);   // torch.manual_seed(42)
 * }</pre>
 *
 * <p>What matches PyTorch bit for bit: the raw draws, {@code rand}, {@code uniform_} (float32 and
 * float64), {@code randint}/{@code random_}, {@code randperm}, and {@code randn}/{@code normal_} of
 * float32 of any size (below 16 elements they are computed in double and rounded to float, which
 * hides the rare last-bit differences of the double functions described below: none in 300,000
 * draws tested). {@code randn} of 16 or more float32 elements follows PyTorch's AVX2 kernel,
 * including its own polynomial {@code log}/{@code sincos} (ported in {@code internal.random.CephesAvx2}), so a PyTorch
 * running without AVX2 (or on Arm) rounds some of those normals differently in the last bit.
 * Float64 normals use correctly rounded {@code log}/{@code sin}/{@code cos} (see
 * {@code internal.random.RoundedMath}); glibc, which PyTorch calls, is an ulp off that for about 0.2% of inputs, so
 * about 0.2% of float64 normals differ from PyTorch's in the last bit.
 *
 * <p>Every method that draws is {@code synchronized}: one generator may be shared between threads
 * (each call takes its numbers as one block, as PyTorch holds the generator's mutex for a whole
 * kernel), but the order in which threads draw is up to them.
 *
 * <p>Seeds are 64-bit. Like PyTorch, a negative seed {@code s} stands for {@code 2^64 + s} (the same
 * bits in a Java {@code long}), {@link #initialSeed()} returns it, and only the low 32 bits seed the
 * Mersenne Twister.
 */
public final class Generator {
  /** The seed of {@code torch.Generator()} when none is given ({@code default_rng_seed_val}). */
  public static final long DEFAULT_SEED = 67280421310721L;

  /** Bytes of PyTorch's CPU generator state ({@code torch.get_rng_state().numel()}). */
  public static final int STATE_BYTES = 5056;

  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;

  private static final float FLOAT_UNIT = 0x1.0p-24f;
  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final long MASK_24 = (1L << 24) - 1;
  private static final long MASK_53 = (1L << 53) - 1;
  /** {@code 2.0f * c10::pi<double>} in the double Box–Muller kernels: a double, 2π. */
  private static final double TWO_PI = 2.0 * Math.PI;

  /** The block size of PyTorch's vectorised normal kernel: pairs are (j, j + 8). */
  private static final int NORMAL_BLOCK = 16;

  private static final class DefaultHolder {
    static final Generator INSTANCE = new Generator(nondeterministicSeed());
  }

  // at::mt19937's state, kept in its exact form so getState/setState interoperate with PyTorch
  private final int[] state = new int[N];
  private int left;
  private int next;
  private long initialSeed;
  // the second value of the last double Box–Muller pair (normal_distribution<double>)
  private boolean hasNextDoubleNormal;
  private double nextDoubleNormal;
  // PyTorch keeps a float cache too; no CPU kernel fills it, but get/setState carry it along
  private boolean hasNextFloatNormal;
  private float nextFloatNormal;

  /** A generator seeded with {@link #DEFAULT_SEED}, like {@code torch.Generator()}. */
  public Generator() {
    this(DEFAULT_SEED);
  }

  /** A generator seeded with {@code seed}, like {@code torch.Generator().manual_seed(seed)}. */
  public Generator(long seed) {
    manualSeed(seed);
  }

  /**
   * The process-wide generator behind {@code Torch.rand}, {@code Torch.manualSeed} and layer
   * initialisation ({@code torch.default_generator}). Like PyTorch's, it starts from a
   * non-deterministic 64-bit seed; call {@code manualSeed} for reproducible runs.
   */
  public static Generator defaultGenerator() {
    return DefaultHolder.INSTANCE;
  }

  private static long nondeterministicSeed() {
    // PyTorch reads 64 bits from /dev/urandom; SecureRandom does the same on Linux
    return new SecureRandom().nextLong();
  }

  // ---------------------------------------------------------------- seeding and state

  /**
   * Seeds the generator and forgets the cached normal sample ({@code manual_seed}). Returns this
   * generator, as PyTorch does.
   */
  public synchronized Generator manualSeed(long seed) {
    initialSeed = seed;
    hasNextDoubleNormal = false;
    hasNextFloatNormal = false;
    state[0] = (int) seed; // at::mt19937 keeps only the low 32 bits
    for (int j = 1; j < N; j++) {
      int prev = state[j - 1];
      state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
    }
    left = 1;
    next = 0;
    return this;
  }

  /**
   * Seeds the generator from a non-deterministic source and returns the seed ({@code seed()}).
   */
  public synchronized long seed() {
    long s = nondeterministicSeed();
    manualSeed(s);
    return s;
  }

  /**
   * The seed last given to {@link #manualSeed} (or chosen by {@link #seed}), as a 64-bit pattern:
   * read it with {@link Long#toUnsignedString(long)} to print what {@code initial_seed()} prints.
   */
  public synchronized long initialSeed() {
    return initialSeed;
  }

  /**
   * The generator's state in PyTorch's byte layout ({@code get_rng_state()}, 5056 bytes,
   * little-endian): it can be handed to {@code torch.set_rng_state(torch.tensor(bytes,
   * dtype=torch.uint8))} and back.
   */
  public synchronized byte[] getState() {
    ByteBuffer b = ByteBuffer.allocate(STATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(0, initialSeed);
    b.putInt(8, left);
    b.putInt(12, 1); // seeded
    b.putLong(16, next);
    for (int j = 0; j < N; j++) {
      b.putLong(24 + 8 * j, state[j] & 0xffffffffL);
    }
    // normal_x (5016) and normal_rho (5032) are legacy fields PyTorch writes as 0
    b.putDouble(5024, hasNextDoubleNormal ? nextDoubleNormal : 0.0);
    b.putInt(5040, hasNextDoubleNormal ? 1 : 0);
    b.putFloat(5048, hasNextFloatNormal ? nextFloatNormal : 0.0f);
    b.put(5052, (byte) (hasNextFloatNormal ? 1 : 0));
    return b.array();
  }

  /**
   * Restores a state from {@link #getState} or from PyTorch's {@code get_rng_state()} bytes.
   *
   * @throws IllegalArgumentException if the array is not 5056 bytes or holds an invalid state
   */
  public synchronized void setState(byte[] newState) {
    if (newState.length != STATE_BYTES) {
      throw new IllegalArgumentException("Expected a CPUGeneratorImplState of size " + STATE_BYTES
          + " but found the input RNG state size to be " + newState.length);
    }
    ByteBuffer b = ByteBuffer.wrap(newState).order(ByteOrder.LITTLE_ENDIAN);
    int newLeft = b.getInt(8);
    boolean seeded = b.get(12) != 0;
    long newNext = b.getLong(16) & 0xffffffffL; // PyTorch keeps it as uint32
    if (!seeded || newLeft <= 0 || newLeft > N || newNext > N) {
      throw new IllegalArgumentException("Invalid mt19937 state");
    }
    initialSeed = b.getLong(0);
    left = newLeft;
    next = (int) newNext;
    for (int j = 0; j < N; j++) {
      state[j] = (int) b.getLong(24 + 8 * j);
    }
    hasNextDoubleNormal = b.getInt(5040) != 0;
    nextDoubleNormal = hasNextDoubleNormal ? b.getDouble(5024) : 0.0;
    hasNextFloatNormal = b.get(5052) != 0;
    nextFloatNormal = hasNextFloatNormal ? b.getFloat(5048) : 0.0f;
  }

  // ---------------------------------------------------------------- raw draws

  /** The next 32-bit draw, in [0, 2^32) ({@code CPUGeneratorImpl::random()}). */
  public synchronized long nextUInt32() {
    return nextInt() & 0xffffffffL;
  }

  /**
   * The next 64-bit draw ({@code random64()}): two 32-bit draws, the first in the high half. Read
   * it as unsigned.
   */
  public synchronized long nextUInt64() {
    return nextLong();
  }

  private int nextInt() {
    if (--left == 0) {
      nextState();
    }
    int y = state[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  private long nextLong() {
    long hi = nextInt() & 0xffffffffL;
    long lo = nextInt() & 0xffffffffL;
    return (hi << 32) | lo;
  }

  private void nextState() {
    left = N;
    next = 0;
    int k = 0;
    for (; k < N - M; k++) {
      state[k] = state[k + M] ^ twist(state[k], state[k + 1]);
    }
    for (; k < N - 1; k++) {
      state[k] = state[k + M - N] ^ twist(state[k], state[k + 1]);
    }
    state[N - 1] = state[M - 1] ^ twist(state[N - 1], state[0]);
  }

  private static int twist(int u, int v) {
    int mixed = (u & UPPER_MASK) | (v & LOWER_MASK);
    return (mixed >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
  }

  /** A float in [0, 1): 24 bits of one draw. */
  private float nextFloat() {
    return (nextInt() & MASK_24) * FLOAT_UNIT;
  }

  /** A double in [0, 1): 53 bits of one 64-bit draw. */
  private double nextDouble() {
    return (nextLong() & MASK_53) * DOUBLE_UNIT;
  }

  // ---------------------------------------------------------------- uniform

  /**
   * Fills {@code out[off, off + len)} with uniform floats in [0, 1), like {@code torch.rand}: one
   * 32-bit draw per element, in order.
   */
  public synchronized void fillRand(float[] out, int off, int len) {
    checkRange(out.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = nextFloat();
    }
  }

  /**
   * Fills {@code out[off, off + len)} with uniform doubles in [0, 1), like
   * {@code torch.rand(..., dtype=torch.float64)}: one 64-bit draw per element.
   */
  public synchronized void fillRand(double[] out, int off, int len) {
    checkRange(out.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = nextDouble();
    }
  }

  /**
   * Fills {@code out[off, off + len)} with uniform floats in [from, to), like
   * {@code tensor.uniform_(from, to)} on float32 (the default {@code nn.Conv2d} initialisation):
   * the bounds are rounded to float, then each element is {@code fma(x, to - from, from)} in float
   * with {@code x} as in {@link #fillRand(float[], int, int)}.
   *
   * @throws IllegalArgumentException if a bound is outside the float range or NaN, if
   *     {@code from > to}, or if {@code to - from} overflows, with PyTorch's message
   */
  public synchronized void fillUniform(float[] out, int off, int len, double from, double to) {
    checkRange(out.length, off, len);
    checkUniform(from, to, -Float.MAX_VALUE, Float.MAX_VALUE, "float", "Float");
    float lo = (float) from;
    float width = (float) to - lo;
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = Math.fma(nextFloat(), width, lo);
    }
  }

  /**
   * Fills {@code out[off, off + len)} with uniform doubles in [from, to), like
   * {@code tensor.uniform_(from, to)} on float64: {@code fma(x, to - from, from)} in double.
   *
   * @throws IllegalArgumentException as {@link #fillUniform(float[], int, int, double, double)}
   */
  public synchronized void fillUniform(double[] out, int off, int len, double from, double to) {
    checkRange(out.length, off, len);
    checkUniform(from, to, -Double.MAX_VALUE, Double.MAX_VALUE, "double", "Double");
    double width = to - from;
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = Math.fma(nextDouble(), width, from);
    }
  }

  private static void checkUniform(double from, double to, double min, double max, String dtype,
      String scalarType) {
    // written so that NaN fails, as in PyTorch's CHECK_OUT_OF_BOUNDS
    if (!(from >= min && from <= max)) {
      throw new IllegalArgumentException("from is out of bounds for " + dtype);
    }
    if (!(to >= min && to <= max)) {
      throw new IllegalArgumentException("to is out of bounds for " + dtype);
    }
    if (from > to) {
      throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
          + cpp(from) + " > to=" + cpp(to));
    }
    if (!(to - from <= max)) {
      throw new IllegalArgumentException("uniform_ expects to-from <= std::numeric_limits<" + scalarType
          + ">::max(), but found to=" + cpp(to) + " and from=" + cpp(from)
          + " which result in to-from to exceed the limit");
    }
  }

  // ---------------------------------------------------------------- normal

  /**
   * Fills {@code out[off, off + len)} with normal floats, like {@code tensor.normal_(mean, std)}
   * and {@code torch.randn} (mean 0, std 1) on a contiguous float32 tensor.
   *
   * <p>PyTorch has two algorithms and so does this method. Below 16 elements, each element is
   * {@link #nextNormal}: a double Box–Muller pair whose second value is cached in the generator
   * for the next such draw. From 16 elements on, the range is first filled with uniforms, then
   * each block of 16 is transformed in float32, pairing element {@code j} with {@code j + 8}; when
   * the length is not a multiple of 16, the last 16 elements are drawn again and transformed
   * again. That path neither reads nor changes the cached value.
   *
   * <p>PyTorch takes the element-by-element path for every non-contiguous tensor: for one, call
   * {@link #nextNormal} per element in the tensor's logical order instead.
   *
   * @throws IllegalArgumentException if {@code std < 0} or NaN, with PyTorch's message
   */
  public synchronized void fillNormal(float[] out, int off, int len, double mean, double std) {
    checkRange(out.length, off, len);
    checkStd(std);
    if (len < NORMAL_BLOCK) {
      for (int i = off, end = off + len; i < end; i++) {
        out[i] = (float) normalSample(mean, std);
      }
      return;
    }
    float meanF = (float) mean;
    float stdF = (float) std;
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = nextFloat();
    }
    int end = off + len;
    for (int i = off; i + NORMAL_BLOCK <= end; i += NORMAL_BLOCK) {
      normalBlock(out, i, meanF, stdF);
    }
    if (len % NORMAL_BLOCK != 0) {
      int last = end - NORMAL_BLOCK;
      for (int i = last; i < end; i++) {
        out[i] = nextFloat();
      }
      normalBlock(out, last, meanF, stdF);
    }
  }

  /**
   * Fills {@code out[off, off + len)} with normal doubles, like {@code tensor.normal_(mean, std)}
   * and {@code torch.randn(..., dtype=torch.float64)} on a contiguous tensor: the same two paths as
   * {@link #fillNormal(float[], int, int, double, double)}, the block one in double with
   * {@code log}, {@code cos} and {@code sin}.
   *
   * @throws IllegalArgumentException if {@code std < 0} or NaN, with PyTorch's message
   */
  public synchronized void fillNormal(double[] out, int off, int len, double mean, double std) {
    checkRange(out.length, off, len);
    checkStd(std);
    if (len < NORMAL_BLOCK) {
      for (int i = off, end = off + len; i < end; i++) {
        out[i] = normalSample(mean, std);
      }
      return;
    }
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = nextDouble();
    }
    int end = off + len;
    for (int i = off; i + NORMAL_BLOCK <= end; i += NORMAL_BLOCK) {
      normalBlock(out, i, mean, std);
    }
    if (len % NORMAL_BLOCK != 0) {
      int last = end - NORMAL_BLOCK;
      for (int i = last; i < end; i++) {
        out[i] = nextDouble();
      }
      normalBlock(out, last, mean, std);
    }
  }

  /**
   * One normal sample as PyTorch's {@code at::normal_distribution<double>} draws it (the path of
   * small and non-contiguous tensors): the cached second value of the last pair if there is one,
   * otherwise two 53-bit uniforms {@code u1, u2}, {@code r = sqrt(-2 log(1 - u2))},
   * {@code theta = 2 pi u1}, returning {@code r cos(theta)} and caching {@code r sin(theta)}; then
   * {@code fma(z, std, mean)}. Cast the result to float for a float32 tensor.
   *
   * @throws IllegalArgumentException if {@code std < 0} or NaN, with PyTorch's message
   */
  public synchronized double nextNormal(double mean, double std) {
    checkStd(std);
    return normalSample(mean, std);
  }

  private double normalSample(double mean, double std) {
    if (hasNextDoubleNormal) {
      hasNextDoubleNormal = false;
      return Math.fma(nextDoubleNormal, std, mean);
    }
    double u1 = nextDouble();
    double u2 = nextDouble();
    double r = Math.sqrt(-2.0 * RoundedMath.log(1.0 - u2));
    double theta = TWO_PI * u1;
    nextDoubleNormal = r * RoundedMath.sin(theta);
    hasNextDoubleNormal = true;
    return Math.fma(r * RoundedMath.cos(theta), std, mean);
  }

  /** PyTorch's {@code normal_fill_16_AVX2} on {@code data[at, at + 16)}, which holds uniforms. */
  private static void normalBlock(float[] data, int at, float mean, float std) {
    for (int j = at; j < at + 8; j++) {
      float u1 = 1.0f - data[j]; // [0, 1) -> (0, 1] for the log
      float u2 = data[j + 8];
      float radius = (float) Math.sqrt(-2.0f * CephesAvx2.log(u1));
      long sc = CephesAvx2.sincos(CephesAvx2.TWO_PI * u2);
      data[j] = Math.fma(radius * CephesAvx2.cosOf(sc), std, mean);
      data[j + 8] = Math.fma(radius * CephesAvx2.sinOf(sc), std, mean);
    }
  }

  /** PyTorch's scalar {@code normal_fill_16<double>} on {@code data[at, at + 16)}. */
  private static void normalBlock(double[] data, int at, double mean, double std) {
    for (int j = at; j < at + 8; j++) {
      double u1 = 1.0 - data[j];
      double u2 = data[j + 8];
      double radius = Math.sqrt(-2.0 * RoundedMath.log(u1));
      double theta = TWO_PI * u2;
      data[j] = Math.fma(radius * RoundedMath.cos(theta), std, mean);
      data[j + 8] = Math.fma(radius * RoundedMath.sin(theta), std, mean);
    }
  }

  private static void checkStd(double std) {
    if (!(std >= 0.0)) {
      throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + cpp(std));
    }
  }

  // ---------------------------------------------------------------- integers

  /**
   * Fills {@code out[off, off + len)} with integers uniform in [low, high), like
   * {@code torch.randint(low, high, size)} and {@code tensor.random_(low, high)} for int64 (and for
   * float32/float64 tensors, whose values are these converted): {@code (draw % (high - low)) + low}
   * with a 32-bit draw when {@code high - low < 2^32} and a 64-bit one otherwise.
   *
   * @throws IllegalArgumentException if {@code low >= high}, with PyTorch's message
   */
  public synchronized void fillRandint(long[] out, int off, int len, long low, long high) {
    checkRange(out.length, off, len);
    if (low >= high) {
      throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from="
          + low + " >= to=" + high);
    }
    long range = high - low; // unsigned: may exceed Long.MAX_VALUE
    boolean wide = Long.compareUnsigned(range, 1L << 32) >= 0;
    for (int i = off, end = off + len; i < end; i++) {
      long draw = wide ? nextLong() : nextInt() & 0xffffffffL;
      out[i] = Long.remainderUnsigned(draw, range) + low;
    }
  }

  /**
   * Fills {@code out[off, off + len)} like {@code tensor.random_()} on int64: a 64-bit draw
   * modulo {@code 2^63}, so in [0, Long.MAX_VALUE].
   */
  public synchronized void fillRandom(long[] out, int off, int len) {
    checkRange(out.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = nextLong() & Long.MAX_VALUE;
    }
  }

  /**
   * Fills {@code out[off, off + len)} like {@code tensor.random_()} on float32: a 32-bit draw
   * modulo {@code 2^24 + 1}, so an integer in [0, 2^24].
   */
  public synchronized void fillRandom(float[] out, int off, int len) {
    checkRange(out.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = (float) ((nextInt() & 0xffffffffL) % ((1L << 24) + 1));
    }
  }

  /**
   * Fills {@code out[off, off + len)} like {@code tensor.random_()} on float64: a 64-bit draw
   * modulo {@code 2^53 + 1}, so an integer in [0, 2^53].
   */
  public synchronized void fillRandom(double[] out, int off, int len) {
    checkRange(out.length, off, len);
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = (double) Long.remainderUnsigned(nextLong(), (1L << 53) + 1);
    }
  }

  /**
   * A random permutation of {@code 0 .. n-1}, like {@code torch.randperm(n)}: PyTorch's CPU
   * Fisher–Yates, which for {@code i = 0 .. n-2} swaps element {@code i} with element
   * {@code i + draw % (n - i)}, one 32-bit draw each ({@code n - 1} draws; none for n of 0 or 1).
   *
   * <pre>{@code
   * new Generator(0).randperm(5);   // [4, 0, 1, 3, 2], as torch.randperm(5) after manual_seed(0)
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public synchronized long[] randperm(int n) {
    if (n < 0) {
      throw new IllegalArgumentException(
          "Trying to create tensor with negative dimension " + n + ": [" + n + "]");
    }
    long[] perm = (long[]) Tensor.newStorage(DType.INT64, n); // refuses n past a Java array's limit
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < n - 1; i++) {
      int z = (int) ((nextInt() & 0xffffffffL) % (n - i));
      long saved = perm[i];
      perm[i] = perm[z + i];
      perm[z + i] = saved;
    }
    return perm;
  }

  // ---------------------------------------------------------------- helpers

  private static void checkRange(int length, int off, int len) {
    if (off < 0 || len < 0 || off > length - len) {
      throw new IllegalArgumentException("range [" + off + ", " + ((long) off + len)
          + ") is out of bounds for an array of length " + length);
    }
  }

  /** A double as C++'s {@code operator<<} prints it in PyTorch's messages (like {@code %g}). */
  static String cpp(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      String e = String.format("%02d", Math.abs(exponent));
      return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    return d.stripTrailingZeros().toPlainString();
  }
}
