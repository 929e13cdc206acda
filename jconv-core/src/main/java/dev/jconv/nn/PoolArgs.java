package dev.jconv.nn;

/**
 * Shared bits of the pooling options records: Python-style printing and null checks. The value
 * checks are not here but in {@code F}, at the call: PyTorch checks at the call too, and its
 * messages depend on the whole set of arguments (a kernel of 0 reports "stride should not be zero"
 * only while the stride is left to default to it), which a record built wither by wither cannot
 * know until it is used.
 */
final class PoolArgs {
  private PoolArgs() {}

  static String pyBool(boolean b) {
    return b ? "True" : "False";
  }

  static IntPair nonNull(IntPair p, String name) {
    if (p == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return p;
  }

  static String adaptiveRepr(Integer h, Integer w, boolean single) {
    return "output_size=" + (single ? none(h) : "(" + none(h) + ", " + none(w) + ")");
  }

  private static String none(Integer v) {
    return v == null ? "None" : v.toString();
  }
}
