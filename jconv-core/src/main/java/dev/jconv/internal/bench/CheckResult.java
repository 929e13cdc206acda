package dev.jconv.internal.bench;

/**
 * The outcome of comparing a kernel's output with the slow reference.
 *
 * @param ok whether every checked element is within tolerance
 * @param checked how many output elements were compared
 * @param total how many output elements there are
 * @param maxRelError the largest error seen, divided by its element's tolerance scale
 * @param detail empty when ok; otherwise the first bad element, its position, the expected and
 *     actual values and the tolerance
 */
public record CheckResult(boolean ok, long checked, long total, double maxRelError, String detail) {

  /** One line: {@code ok (3136 of 401408 elements)} or the first bad element. */
  public String summary() {
    return ok ? "ok (" + checked + " of " + total + " elements)" : detail;
  }
}
