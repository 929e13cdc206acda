package dev.jconv.internal.random;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Double-precision {@code log}, {@code sin} and {@code cos} rounded correctly to nearest (barring
 * inputs within about 2^-70 ulp of a rounding boundary), for the float64 normal draws.
 *
 * <p>PyTorch's double Box–Muller calls glibc, whose {@code log}/{@code sin}/{@code cos} are
 * correctly rounded in practice; {@link StrictMath} (fdlibm) misses by an ulp for a few percent of
 * inputs, and {@link Math} differs by platform. Evaluating in double-double arithmetic and rounding
 * once gives glibc's bits, on every JVM.
 *
 * <p>Domains: {@link #log} takes positive normal doubles; {@link #sin} and {@link #cos} take
 * {@code |x| <= 8} (the kernels pass {@code 2 pi u} with {@code u} in [0, 1)). Other inputs fall
 * back to {@link StrictMath}.
 */
public final class RoundedMath {
  private RoundedMath() {}

  private static final MathContext MC = new MathContext(50);
  private static final BigDecimal PI = new BigDecimal(
      "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863");
  private static final BigDecimal LN2 = new BigDecimal(
      "0.693147180559945309417232121458176568075500134360255254120680009493393621969694715606");

  private static final double LN2_HI;
  private static final double LN2_LO;
  // log(j / 128) as double-doubles for the table points j / 128 in [sqrt(1/2), sqrt(2)]
  private static final int TABLE_FIRST = 90;
  private static final int TABLE_LAST = 182;
  private static final double[] LOG_HI = new double[TABLE_LAST - TABLE_FIRST + 1];
  private static final double[] LOG_LO = new double[TABLE_LAST - TABLE_FIRST + 1];
  // 1/n! as double-doubles, n = 0 .. 24
  private static final int TERMS = 25;
  private static final double[] INV_FACT_HI = new double[TERMS];
  private static final double[] INV_FACT_LO = new double[TERMS];
  // pi/2 = PIO2_1 + PIO2_2 + PIO2_3 to about 160 bits
  private static final double PIO2_1;
  private static final double PIO2_2;
  private static final double PIO2_3;
  private static final double THIRD_HI = 1.0 / 3.0;
  private static final double THIRD_LO = Math.fma(-THIRD_HI, 3.0, 1.0) / 3.0;

  static {
    LN2_HI = LN2.doubleValue();
    LN2_LO = LN2.subtract(new BigDecimal(LN2_HI)).doubleValue();
    for (int j = TABLE_FIRST; j <= TABLE_LAST; j++) {
      BigDecimal v = logOfRatio(j, 128);
      double hi = v.doubleValue();
      LOG_HI[j - TABLE_FIRST] = hi;
      LOG_LO[j - TABLE_FIRST] = v.subtract(new BigDecimal(hi)).doubleValue();
    }
    BigDecimal fact = BigDecimal.ONE;
    for (int n = 0; n < TERMS; n++) {
      if (n > 0) {
        fact = fact.multiply(BigDecimal.valueOf(n));
      }
      BigDecimal inv = BigDecimal.ONE.divide(fact, MC);
      double hi = inv.doubleValue();
      INV_FACT_HI[n] = hi;
      INV_FACT_LO[n] = inv.subtract(new BigDecimal(hi)).doubleValue();
    }
    BigDecimal pio2 = PI.divide(BigDecimal.valueOf(2), MC);
    PIO2_1 = pio2.doubleValue();
    BigDecimal rest = pio2.subtract(new BigDecimal(PIO2_1));
    PIO2_2 = rest.doubleValue();
    PIO2_3 = rest.subtract(new BigDecimal(PIO2_2)).doubleValue();
  }

  /** log(p / q) = 2 atanh((p - q) / (p + q)), to 50 digits. */
  private static BigDecimal logOfRatio(int p, int q) {
    BigDecimal t = BigDecimal.valueOf(p - q).divide(BigDecimal.valueOf(p + q), MC);
    BigDecimal t2 = t.multiply(t, MC);
    BigDecimal power = t;
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal eps = new BigDecimal("1e-52");
    for (int k = 1; power.abs().compareTo(eps) > 0; k += 2) {
      sum = sum.add(power.divide(BigDecimal.valueOf(k), MC), MC);
      power = power.multiply(t2, MC);
    }
    return sum.multiply(BigDecimal.valueOf(2), MC);
  }

  /** A double-double accumulator: the value is {@code hi + lo} with {@code |lo| <= ulp(hi) / 2}. */
  private static final class DD {
    double hi;
    double lo;

    DD(double hi, double lo) {
      this.hi = hi;
      this.lo = lo;
    }

    /** this += (bh, bl), with both error terms kept (the "accurate" double-double sum). */
    DD add(double bh, double bl) {
      double s = hi + bh;
      double bb = s - hi;
      double e = (hi - (s - bb)) + (bh - bb);
      double t = lo + bl;
      double tb = t - lo;
      double f = (lo - (t - tb)) + (bl - tb);
      e += t;
      double s2 = s + e;
      e = e - (s2 - s);
      e += f;
      hi = s2 + e;
      lo = e - (hi - s2);
      return this;
    }

    /** this *= (bh, bl). */
    DD mul(double bh, double bl) {
      double p = hi * bh;
      double e = Math.fma(hi, bh, -p);
      e += hi * bl + lo * bh;
      hi = p + e;
      lo = e - (hi - p);
      return this;
    }
  }

  /** The natural logarithm of a positive normal double, correctly rounded. */
  public static double log(double x) {
    if (!(x >= Double.MIN_NORMAL && x < Double.POSITIVE_INFINITY)) {
      return StrictMath.log(x);
    }
    long bits = Double.doubleToRawLongBits(x);
    int k = (int) (bits >>> 52) - 1023;
    double m = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
    if (m > 1.4142135623730951) {
      m *= 0.5;
      k++;
    }
    // m = F (1 + u) with F = j/128 the nearest table point; f = m - F is exact
    int j = (int) Math.rint(m * 128.0);
    double bigF = j / 128.0;
    double f = m - bigF;
    double uh = f / bigF;
    double ul = Math.fma(-uh, bigF, f) / bigF; // the division's remainder is exact

    // log1p(u) = u - u^2/2 + u^3/3 + u^4 (-1/4 + u/5 - ...), |u| < 2^-7.5: the tail in double
    double sqH = uh * uh;
    double sqL = Math.fma(uh, uh, -sqH) + 2.0 * uh * ul;
    DD cube = new DD(sqH, sqL).mul(uh, ul).mul(THIRD_HI, THIRD_LO);
    double tail = -1.0 / 12;
    for (int n = 11; n >= 4; n--) {
      tail = tail * uh + ((n & 1) == 0 ? -1.0 : 1.0) / n;
    }
    tail *= sqH * sqH;

    DD sum = new DD(LOG_HI[j - TABLE_FIRST], LOG_LO[j - TABLE_FIRST]);
    if (k != 0) {
      double kh = k * LN2_HI;
      sum.add(kh, Math.fma(k, LN2_HI, -kh) + k * LN2_LO);
    }
    sum.add(uh, ul);
    sum.add(-0.5 * sqH, -0.5 * sqL);
    sum.add(cube.hi, cube.lo);
    sum.add(tail, 0.0);
    return sum.hi + sum.lo;
  }

  /** The sine, correctly rounded, for {@code |x| <= 8}. */
  public static double sin(double x) {
    if (!(Math.abs(x) <= 8.0)) {
      return StrictMath.sin(x);
    }
    return sinCos(x, false);
  }

  /** The cosine, correctly rounded, for {@code |x| <= 8}. */
  public static double cos(double x) {
    if (!(Math.abs(x) <= 8.0)) {
      return StrictMath.cos(x);
    }
    return sinCos(x, true);
  }

  private static double sinCos(double x, boolean cosine) {
    // x = n pi/2 + r, |r| <= pi/4, r as a double-double
    int n = (int) Math.rint(x * (2.0 / Math.PI));
    double a = n * PIO2_1;
    double ea = Math.fma(n, PIO2_1, -a);
    DD r = new DD(x - a, 0.0); // exact: x and a are within a factor of 2 (Sterbenz), or n = 0
    r.add(-ea, 0.0);
    double b = n * PIO2_2;
    r.add(-b, -Math.fma(n, PIO2_2, -b));
    r.add(-n * PIO2_3, 0.0);

    int quadrant = n & 3;
    boolean useCosSeries = cosine ^ ((quadrant & 1) != 0);
    boolean negate = cosine ? (quadrant == 1 || quadrant == 2) : (quadrant >= 2);

    double zh = r.hi * r.hi;
    double zl = Math.fma(r.hi, r.hi, -zh) + 2.0 * r.hi * r.lo;
    double zn = zh + zl;
    zl = zl - (zn - zh);
    zh = zn;
    // sin r = r sum (-1)^k z^k / (2k+1)!, cos r = sum (-1)^k z^k / (2k)!, k = 0 .. 11; the terms
    // from k = 5 on are below 2^-28 of the result and are summed in double
    int odd = useCosSeries ? 0 : 1;
    double top = 0.0;
    for (int k = 11; k >= 5; k--) {
      top = top * zh + ((k & 1) == 0 ? 1.0 : -1.0) * INV_FACT_HI[2 * k + odd];
    }
    DD p = new DD(top, 0.0);
    for (int k = 4; k >= 0; k--) {
      double sign = (k & 1) == 0 ? 1.0 : -1.0;
      p.mul(zh, zl).add(sign * INV_FACT_HI[2 * k + odd], sign * INV_FACT_LO[2 * k + odd]);
    }
    if (!useCosSeries) {
      p.mul(r.hi, r.lo);
    }
    double v = p.hi + p.lo;
    return negate ? -v : v;
  }
}
