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

  /** An array of at least {@code length} floats for {@code slot} of the calling thread. */
  float[] get(int slot, int length) {
    float[][] k = kept.get();
    if (k[slot].length >= length) {
      return k[slot];
    }
    float[] a = new float[length];
    if (length <= maxKeptFloats) {
      k[slot] = a;
    }
    return a;
  }
}
