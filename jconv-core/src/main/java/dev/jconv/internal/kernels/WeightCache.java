package dev.jconv.internal.kernels;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Values prepared from weight arrays (transformed filters), kept so that inference, which passes
 * the same weights on every call, prepares them once. An entry is used only while the array's
 * contents are still equal, element for element, to a copy taken when it was made, and only for
 * the same form (the provider and shape it was prepared for): a weight updated in place (training)
 * is prepared again, never served stale. Keys are weak (a dropped layer's entry goes with it) and
 * the entries together hold at most the budget's floats (the copies and the values).
 *
 * <pre>
 * static final WeightCache&lt;float[]&gt; CACHE = new WeightCache&lt;&gt;(16L &lt;&lt; 20);
 * float[] u = CACHE.get(weight, len, List.of(cout, cin), () -&gt; transform(weight), uFloats);
 * </pre>
 */
final class WeightCache<T> {
  private record Entry<T>(Object form, float[] copy, T value, long floats) {}

  private final Map<float[], Entry<T>> entries = new WeakHashMap<>();
  private final long budgetFloats;
  private long held;

  WeightCache(long budgetFloats) {
    this.budgetFloats = budgetFloats;
  }

  /** How many weight arrays have values kept (for tests). */
  synchronized int size() {
    return entries.size();
  }

  /** Drops every entry (for tests that count entries). */
  synchronized void clear() {
    entries.clear();
    held = 0;
  }

  /**
   * The value for {@code weight[0, length)} in {@code form}: the kept one while the contents are
   * unchanged, else {@code prepare}'s (outside the lock), kept when {@code floats} (its size)
   * fits the budget.
   */
  T get(float[] weight, int length, Object form, Supplier<T> prepare, long floats) {
    synchronized (this) {
      Entry<T> e = entries.get(weight);
      if (e != null && Objects.equals(e.form, form) && Arrays.equals(e.copy, 0, length, weight, 0, length)) {
        return e.value;
      }
    }
    T value = prepare.get();
    long total = length + floats;
    synchronized (this) {
      Entry<T> old = entries.remove(weight);
      if (old != null) {
        held -= old.floats;
      }
      if (held + total > budgetFloats) {
        // Collected keys leave their floats counted until this clear; the budget is a bound.
        entries.clear();
        held = 0;
      }
      if (total <= budgetFloats) {
        entries.put(weight, new Entry<>(form, Arrays.copyOf(weight, length), value, total));
        held += total;
      }
    }
    return value;
  }
}
