package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeightCacheTest {

  @Test
  void get_keepsTheValue_whileContentsAndFormAreTheSame() {
    WeightCache<Object> cache = new WeightCache<>(1000);
    AtomicInteger made = new AtomicInteger();
    float[] w = {1, 2, 3, 4};
    Object first = cache.get(w, 4, "a", () -> new Object[] {made.incrementAndGet()}, 10);
    assertSame(first, cache.get(w, 4, "a", () -> new Object[] {made.incrementAndGet()}, 10), "unchanged");
    assertEquals(1, made.get());
    w[2] = 5; // updated in place
    Object second = cache.get(w, 4, "a", () -> new Object[] {made.incrementAndGet()}, 10);
    assertNotSame(first, second);
    assertNotSame(second, cache.get(w, 4, "b", () -> new Object[] {made.incrementAndGet()}, 10), "another form");
    assertEquals(3, made.get());
    assertEquals(1, cache.size(), "one entry per array");
  }

  @Test
  void get_keepsNothingPastTheBudget_andClearsWhenFull() {
    WeightCache<Object> cache = new WeightCache<>(100);
    float[] big = new float[50];
    Object v = cache.get(big, 50, "a", Object::new, 60);
    assertNotSame(v, cache.get(big, 50, "a", Object::new, 60), "110 floats past a budget of 100: not kept");
    assertEquals(0, cache.size());
    float[] a = new float[30];
    float[] b = new float[30];
    cache.get(a, 30, "a", Object::new, 21);
    assertEquals(1, cache.size());
    cache.get(b, 30, "a", Object::new, 21); // 51 + 51 > 100: the cache is cleared first
    assertEquals(1, cache.size());
    cache.clear();
    assertEquals(0, cache.size());
  }
}
