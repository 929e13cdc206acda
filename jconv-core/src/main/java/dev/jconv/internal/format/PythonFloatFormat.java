package dev.jconv.internal.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code '{:.Nf}'} and {@code '{:.Ne}'} formatting of a Python float (a double), which
 * PyTorch uses to print tensors.
 *
 * <p>Python rounds the exact binary value of the double, half to even ({@code '{:.4f}'.format(0.03125)}
 * is {@code 0.0312}). {@link String#format} rounds half up, so it would print {@code 0.0313}; the
 * exact value is taken from {@link BigDecimal#BigDecimal(double)} instead. The sign comes from the sign
 * bit, because Python keeps it when a value rounds to zero ({@code -0.0} gives {@code -0.0000}), while
 * a {@link BigDecimal} has no negative zero. NaN prints as {@code nan} whatever its sign bit.
 */
final class PythonFloatFormat {

  private PythonFloatFormat() {}

  /** {@code '{:.<precision>f}'.format(value)}: e.g. {@code fixed(19.0, 0)} is {@code "19"}. */
  static String fixed(double value, int precision) {
    assert precision >= 0;
    String special = nonFinite(value);
    if (special != null) {
      return special;
    }
    String digits = new BigDecimal(Math.abs(value)).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    return sign(value) + digits;
  }

  /**
   * {@code '{:.<precision>e}'.format(value)}: e.g. {@code scientific(12344.5, 4)} is {@code "1.2344e+04"}.
   * The exponent has at least two digits, as in C's printf.
   */
  static String scientific(double value, int precision) {
    assert precision >= 0;
    String special = nonFinite(value);
    if (special != null) {
      return special;
    }
    int significant = precision + 1;
    String digits;
    int exponent;
    if (value == 0) {
      digits = "0";
      exponent = 0;
    } else {
      BigDecimal rounded = new BigDecimal(Math.abs(value)).round(new MathContext(significant, RoundingMode.HALF_EVEN));
      digits = rounded.unscaledValue().toString();
      exponent = digits.length() - 1 - rounded.scale();
      // a carry (9.99995 -> 10.000) can leave one trailing zero too many; the exponent already counts it
      if (digits.length() > significant) {
        digits = digits.substring(0, significant);
      }
    }
    StringBuilder out = new StringBuilder(precision + 8);
    out.append(sign(value)).append(digits.charAt(0));
    if (precision > 0) {
      out.append('.').append(digits, 1, digits.length());
      out.repeat('0', significant - digits.length());
    }
    out.append(exponent < 0 ? "e-" : "e+");
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      out.append('0');
    }
    return out.append(magnitude).toString();
  }

  private static String nonFinite(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return null;
  }

  private static String sign(double value) {
    return (Double.doubleToRawLongBits(value) < 0) ? "-" : "";
  }
}
