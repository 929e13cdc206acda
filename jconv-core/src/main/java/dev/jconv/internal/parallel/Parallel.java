package dev.jconv.internal.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The one shared thread pool of jconv, sized to the cores by default and settable like
 * {@code torch.set_num_threads}. Kernels split their outermost loop with {@link #forRange}.
 *
 * <p>A call made from inside a parallel region runs on the calling thread: nested parallelism
 * would only add scheduling cost on a machine with few cores.
 */
public final class Parallel {

  /** The body of a parallel loop: handles the indices {@code [start, end)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int start, int end);
  }

  private static final Object LOCK = new Object();
  private static volatile ForkJoinPool pool;
  private static volatile int numThreads = initialThreads();

  private Parallel() {}

  private static int initialThreads() {
    String prop = System.getProperty("jconv.threads");
    if (prop != null && !prop.isBlank()) {
      try {
        int n = Integer.parseInt(prop.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the default
      }
      System.err.println("jconv: ignoring -Djconv.threads=" + prop + " (expected a positive integer)");
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** The number of threads kernels use (like {@code torch.get_num_threads()}). */
  public static int getNumThreads() {
    return numThreads;
  }

  /**
   * Sets the number of threads kernels use (like {@code torch.set_num_threads}).
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static void setNumThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("set_num_threads expects a positive integer, but got " + n);
    }
    synchronized (LOCK) {
      if (n != numThreads) {
        ForkJoinPool old = pool;
        pool = null;
        numThreads = n;
        if (old != null) {
          old.shutdown();
        }
      }
    }
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (LOCK) {
        p = pool;
        if (p == null) {
          p = new ForkJoinPool(numThreads, Parallel::newThread, null, false);
          pool = p;
        }
      }
    }
    return p;
  }

  private static ForkJoinWorkerThread newThread(ForkJoinPool p) {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
    t.setDaemon(true);
    t.setName("jconv-worker-" + t.getPoolIndex());
    return t;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #getNumThreads()} contiguous
   * chunks of at least {@code grain} indices each. Returns when every chunk is done; an exception
   * in any chunk is rethrown here.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    if (n <= 0) {
      return;
    }
    int threads = numThreads;
    int chunks = Math.min(threads, (int) Math.min(Integer.MAX_VALUE, ((long) n + Math.max(1, grain) - 1) / Math.max(1, grain)));
    if (chunks <= 1 || inWorker()) {
      body.run(0, n);
      return;
    }
    ForkJoinPool p = pool();
    p.invoke(new Chunks(body, n, chunks, 0, chunks));
  }

  private static boolean inWorker() {
    return Thread.currentThread() instanceof ForkJoinWorkerThread w
        && w.getName().startsWith("jconv-worker-");
  }

  private static final class Chunks extends RecursiveAction {
    private final RangeBody body;
    private final int n;
    private final int chunks;
    private final int lo;
    private final int hi;

    Chunks(RangeBody body, int n, int chunks, int lo, int hi) {
      this.body = body;
      this.n = n;
      this.chunks = chunks;
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    protected void compute() {
      if (hi - lo == 1) {
        int start = (int) ((long) n * lo / chunks);
        int end = (int) ((long) n * (lo + 1) / chunks);
        body.run(start, end);
        return;
      }
      int mid = (lo + hi) >>> 1;
      ForkJoinTask.invokeAll(new Chunks(body, n, chunks, lo, mid), new Chunks(body, n, chunks, mid, hi));
    }
  }
}
