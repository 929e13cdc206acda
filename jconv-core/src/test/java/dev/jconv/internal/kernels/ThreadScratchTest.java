package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadScratchTest {
  @Test
  void get_reusesASlotsArrayWhileLongEnough_andKeepsNothingPastTheBound() throws InterruptedException {
    ThreadScratch s = new ThreadScratch(2, 100);
    float[] a = s.get(0, 50);
    assertTrue(a.length >= 50);
    assertSame(a, s.get(0, 40), "shorter request: the same array");
    assertNotSame(a, s.get(1, 40), "another slot: its own array");
    float[] b = s.get(0, 80);
    assertNotSame(a, b, "longer request: a new array");
    assertSame(b, s.get(0, 80), "which is kept");
    float[] huge = s.get(0, 101);
    assertNotSame(huge, s.get(0, 101), "past the bound: fresh every time");
    assertSame(b, s.get(0, 80), "and the kept one stays");
    AtomicReference<float[]> other = new AtomicReference<>();
    Thread t = new Thread(() -> other.set(s.get(0, 80)));
    t.start();
    t.join();
    assertNotSame(b, other.get(), "another thread: its own arrays");
  }

  @Test
  void get_whenPoisoned_handsOutNaN_andKeepsTheArray() {
    ThreadScratch s = new ThreadScratch(1, 100);
    float[] a = s.get(0, 10);
    a[3] = 1f;
    ThreadScratch.poison = true;
    try {
      float[] b = s.get(0, 10);
      org.junit.jupiter.api.Assertions.assertSame(a, b);
      for (float v : b) {
        org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(v), "poisoned scratch holds " + v);
      }
    } finally {
      ThreadScratch.poison = false;
    }
    org.junit.jupiter.api.Assertions.assertEquals(Float.NaN, s.get(0, 10)[3]);
  }
}
