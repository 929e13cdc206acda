package dev.jconv.internal.kernels;

/**
 * Work arrays kept by each calling thread from one call to the next, in numbered slots. A fresh
 * array is zeroed by the one thread that allocates it (and page-faulted, and collected later): on
 * mid-sized layers that costs more than the convolution, so the kernels reuse a slot's array
 * whenever it is long enough. Arrays longer than the bound are handed out fresh and not kept, so a
 * rare huge layer does not pin its memory. Contents are unspecified: callers write before they read.
 *
 * <pre>
 * private static final ThreadScratch SCRATCH = new ThreadScratch(2, 1 << 22);
 * float[] v = SCRATCH.get(0, floatsNeeded);
 * </pre>
 */
final class ThreadScratch {
  private final ThreadLocal<float[][]> kept;
  private final long maxKeptFloats;

  /** {@code slots} arrays per thread, each kept while at most {@code maxKeptFloats} long. */
  ThreadScratch(int slots, long maxKeptFloats) {
    this.kept = ThreadLocal.withInitial(() -> new float[slots][0]);
    this.maxKeptFloats = maxKeptFloats;
  }

  /**
   * Tests set this to hand out every array filled with NaN, so that a kernel that reads scratch it
   * has not written (a zero border it assumed) gives NaN instead of a right answer by luck.
   */
  static volatile boolean poison;

  /** An array of at least {@code length} floats for {@code slot} of the calling thread. */
  float[] get(int slot, int length) {
    float[][] k = kept.get();
    float[] a = k[slot];
    if (a.length < length) {
      a = new float[length];
      if (length <= maxKeptFloats) {
        k[slot] = a;
      }
    }
    if (poison) {
      java.util.Arrays.fill(a, Float.NaN);
    }
    return a;
  }
}
