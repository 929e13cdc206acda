package dev.jconv.internal.random;

/**
 * A scalar twin of the float32 log and sincos that PyTorch's AVX2 {@code randn} kernel uses
 * ({@code avx_mathfun.h}: Julien Pommier's cephes-based polynomials, 8 lanes at a time), so that
 * {@code randn} of 16 or more float32 elements comes out with the same bits as PyTorch's.
 *
 * <p>Every step is one float32 operation in PyTorch's order. Where GCC contracted a multiply whose
 * only use is an add into one fused multiply-add (PyTorch is built with {@code -mfma} and GCC's
 * default {@code -ffp-contract=fast}), this code calls {@link Math#fma(float, float, float)}; the
 * places were confirmed against PyTorch's output, not guessed: an unfused version differs in the
 * last bit for a few elements in a thousand.
 */
public final class CephesAvx2 {
  private CephesAvx2() {}

  private static final float SQRTHF = 0.707106781186547524f;
  private static final float LOG_P0 = 7.0376836292E-2f;
  private static final float LOG_P1 = -1.1514610310E-1f;
  private static final float LOG_P2 = 1.1676998740E-1f;
  private static final float LOG_P3 = -1.2420140846E-1f;
  private static final float LOG_P4 = 1.4249322787E-1f;
  private static final float LOG_P5 = -1.6668057665E-1f;
  private static final float LOG_P6 = 2.0000714765E-1f;
  private static final float LOG_P7 = -2.4999993993E-1f;
  private static final float LOG_P8 = 3.3333331174E-1f;
  private static final float LOG_Q1 = -2.12194440e-4f;
  private static final float LOG_Q2 = 0.693359375f;

  private static final float MINUS_DP1 = -0.78515625f;
  private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
  private static final float MINUS_DP3 = -3.77489497744594108e-8f;
  private static final float SINCOF_P0 = -1.9515295891E-4f;
  private static final float SINCOF_P1 = 8.3321608736E-3f;
  private static final float SINCOF_P2 = -1.6666654611E-1f;
  private static final float COSCOF_P0 = 2.443315711809948E-005f;
  private static final float COSCOF_P1 = -1.388731625493765E-003f;
  private static final float COSCOF_P2 = 4.166664568298827E-002f;
  private static final float FOPI = 1.27323954473516f; // 4 / pi

  /** {@code (float) (2.0f * c10::pi<double>)}, as the kernel broadcasts it. */
  public static final float TWO_PI = (float) (2.0 * Math.PI);

  /**
   * PyTorch's {@code log256_ps} for one lane. Only positive normal inputs are supported (the
   * kernel feeds it {@code 1 - u} with {@code u} in [0, 1)); the NaN and denormal handling of the
   * vector version is left out.
   */
  public static float log(float x) {
    assert x > 0 && x >= Float.MIN_NORMAL : x;
    int bits = Float.floatToRawIntBits(x);
    int exponent = (bits >>> 23) - 0x7f;
    // keep the mantissa, with the exponent of 0.5: m in [0.5, 1)
    float m = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
    float e = (float) exponent + 1.0f;
    boolean small = m < SQRTHF;
    float tmp = small ? m : 0.0f;
    m = m - 1.0f;
    e = e - (small ? 1.0f : 0.0f);
    m = m + tmp;

    float z = m * m;
    float y = Math.fma(LOG_P0, m, LOG_P1);
    y = Math.fma(y, m, LOG_P2);
    y = Math.fma(y, m, LOG_P3);
    y = Math.fma(y, m, LOG_P4);
    y = Math.fma(y, m, LOG_P5);
    y = Math.fma(y, m, LOG_P6);
    y = Math.fma(y, m, LOG_P7);
    y = Math.fma(y, m, LOG_P8);
    y = y * m;
    // GCC fuses the first of the two products feeding this add; e * q1 is rounded on its own
    y = Math.fma(y, z, e * LOG_Q1);
    y = Math.fma(-z, 0.5f, y);
    m = m + y;
    return Math.fma(e, LOG_Q2, m);
  }

  /**
   * PyTorch's {@code sincos256_ps} for one lane: the sine in the high 32 bits of the result, the
   * cosine in the low 32 bits (as raw float bits), to return both without allocating.
   */
  public static long sincos(float x) {
    int signSin = Float.floatToRawIntBits(x) & 0x80000000;
    x = Math.abs(x);
    float y = x * FOPI;
    int j = (int) y; // cvttps: truncation toward zero
    j = (j + 1) & ~1;
    y = (float) j;
    int swapSignSin = (j & 4) << 29;
    boolean polyMask = (j & 2) == 0;
    // extended precision modular arithmetic: x = ((x - y * DP1) - y * DP2) - y * DP3
    x = Math.fma(y, MINUS_DP1, x);
    x = Math.fma(y, MINUS_DP2, x);
    x = Math.fma(y, MINUS_DP3, x);
    int signCos = (~(j - 2) & 4) << 29;
    signSin ^= swapSignSin;

    float z = x * x;
    float yc = Math.fma(COSCOF_P0, z, COSCOF_P1);
    yc = Math.fma(yc, z, COSCOF_P2);
    yc = yc * z;
    float half = z * 0.5f;
    yc = Math.fma(yc, z, -half);
    yc = yc + 1.0f;

    float ys = Math.fma(SINCOF_P0, z, SINCOF_P1);
    ys = Math.fma(ys, z, SINCOF_P2);
    ys = ys * z;
    ys = Math.fma(ys, x, x);

    // the vector code selects with masks and adds a zero; a select gives the same bits
    float sin = polyMask ? ys : yc;
    float cos = polyMask ? yc : ys;
    int sinBits = Float.floatToRawIntBits(sin) ^ signSin;
    int cosBits = Float.floatToRawIntBits(cos) ^ signCos;
    return ((long) sinBits << 32) | (cosBits & 0xffffffffL);
  }

  /** The sine half of a {@link #sincos} result. */
  public static float sinOf(long sincos) {
    return Float.intBitsToFloat((int) (sincos >>> 32));
  }

  /** The cosine half of a {@link #sincos} result. */
  public static float cosOf(long sincos) {
    return Float.intBitsToFloat((int) sincos);
  }
}
