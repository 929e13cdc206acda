package dev.jconv.internal.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared thread pool of jconv, sized to the cores by default and settable like
 * {@code torch.set_num_threads}. Kernels split their outermost loop with {@link #forRange}.
 *
 * <p>A call made from inside a parallel region runs on the calling thread: nested parallelism
 * would only add scheduling cost on a machine with few cores. So does a call made while another
 * thread's region occupies the pool (it would otherwise wait for it).
 *
 * <p>Why not a ForkJoinPool: waking its parked workers took 15-50 us per region here, the time of
 * a whole small convolution (4x3x12x12 -> 64 takes about 40 us). This pool keeps {@code threads -
 * 1} workers that spin briefly ({@link Thread#onSpinWait}) after each region before they park, so
 * back-to-back regions (a network's layers, a benchmark loop) hand work over in well under a
 * microsecond; the caller runs chunks itself rather than waiting for a worker to wake. Idle
 * workers park after {@link #SPIN_NANOS}, so an idle pool costs no CPU.
 */
public final class Parallel {

  /** The body of a parallel loop: handles the indices {@code [start, end)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int start, int end);
  }

  /**
   * How long an idle worker, or a caller waiting for the last chunk, spins before parking. Long
   * enough to bridge the gap between two layers of a network, short enough that an idle library
   * burns no measurable CPU.
   */
  static final long SPIN_NANOS = 100_000;

  private static final Object LOCK = new Object();
  private static volatile Pool pool;
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

  /**
   * Whether the calling thread runs a chunk of a parallel region (so that regions it opens run on
   * it alone, while the other threads work on their own chunks).
   */
  public static boolean inRegion() {
    if (Thread.currentThread() instanceof Worker) {
      return true;
    }
    Pool p = pool;
    return p != null && p.lock.isHeldByCurrentThread();
  }

  /** The number of threads kernels use (like {@code torch.get_num_threads()}). */
  public static int getNumThreads() {
    return numThreads;
  }

  /**
   * The most threads {@link #setNumThreads} takes: the pool starts them all, and a count in the
   * millions would exhaust the machine's threads before it failed (PyTorch runs 1000).
   */
  public static final int MAX_THREADS = 1024;

  /**
   * Sets the number of threads kernels use (like {@code torch.set_num_threads}).
   *
   * @throws IllegalArgumentException if {@code n < 1} or {@code n > MAX_THREADS}
   */
  public static void setNumThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("set_num_threads expects a positive integer, but got " + n);
    }
    if (n > MAX_THREADS) {
      throw new IllegalArgumentException("set_num_threads: jconv runs at most " + MAX_THREADS + " threads, but got " + n);
    }
    synchronized (LOCK) {
      if (n != numThreads) {
        Pool old = pool;
        pool = null;
        numThreads = n;
        if (old != null) {
          old.shutdown();
        }
      }
    }
  }

  private static Pool pool(int threads) {
    Pool p = pool;
    if (p == null || p.threads != threads) {
      synchronized (LOCK) {
        p = pool;
        if (p == null || p.threads != numThreads) {
          if (p != null) {
            p.shutdown();
          }
          p = new Pool(numThreads);
          pool = p;
        }
      }
    }
    return p;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #getNumThreads()} contiguous
   * chunks of at least {@code grain} indices each. Returns when every chunk is done; an exception
   * in any chunk is rethrown here (the first one, once all chunks have finished).
   */
  public static void forRange(int n, int grain, RangeBody body) {
    if (n <= 0) {
      return;
    }
    int threads = numThreads;
    int g = Math.max(1, grain);
    int chunks = (int) Math.min(threads, ((long) n + g - 1) / g);
    if (chunks <= 1 || Thread.currentThread() instanceof Worker) {
      body.run(0, n);
      return;
    }
    Pool p = pool(threads);
    if (p.lock.isHeldByCurrentThread() || !p.lock.tryLock()) {
      // Nested in this thread's own region, or another thread's region has the workers.
      body.run(0, n);
      return;
    }
    try {
      p.run(new Job(body, n, chunks));
    } finally {
      p.lock.unlock();
    }
  }

  /** One parallel region: chunks are claimed through {@link #next} by the caller and the workers. */
  private static final class Job {
    final RangeBody body;
    final int n;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger pending;
    final Thread caller = Thread.currentThread();
    volatile Throwable error;

    Job(RangeBody body, int n, int chunks) {
      this.body = body;
      this.n = n;
      this.chunks = chunks;
      this.pending = new AtomicInteger(chunks);
    }

    /** Runs unclaimed chunks until none is left. */
    void work() {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        try {
          if (error == null) {
            body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
          }
        } catch (Throwable t) {
          synchronized (this) {
            if (error == null) {
              error = t;
            }
          }
        } finally {
          if (pending.decrementAndGet() == 0 && Thread.currentThread() != caller) {
            LockSupport.unpark(caller);
          }
        }
      }
    }
  }

  private static final class Pool {
    final int threads;
    final ReentrantLock lock = new ReentrantLock();
    final Worker[] workers;
    /** The current job, or null between jobs (so no finished job's arrays stay reachable). */
    volatile Job job;
    /** Counts published jobs: a worker looks at {@link #job} when this moves. */
    volatile long epoch;
    volatile boolean shutdown;

    Pool(int threads) {
      this.threads = threads;
      this.workers = new Worker[threads - 1];
      for (int i = 0; i < workers.length; i++) {
        workers[i] = new Worker(this, i + 1);
        workers[i].start();
      }
    }

    void run(Job j) {
      job = j;
      epoch++;
      for (Worker w : workers) {
        // Pairs with the worker's write of 'sleeping' then read of 'epoch': one of the two sides
        // sees the other, so no worker sleeps through a job.
        if (w.sleeping) {
          LockSupport.unpark(w);
        }
      }
      j.work();
      long deadline = 0;
      while (j.pending.get() != 0) {
        if (deadline == 0) {
          deadline = System.nanoTime() + SPIN_NANOS;
        }
        if (System.nanoTime() < deadline) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, SPIN_NANOS);
        }
      }
      job = null;
      Throwable t = j.error;
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }

    void shutdown() {
      shutdown = true;
      for (Worker w : workers) {
        LockSupport.unpark(w);
      }
    }
  }

  private static final class Worker extends Thread {
    private final Pool pool;
    volatile boolean sleeping;

    Worker(Pool pool, int index) {
      super("jconv-worker-" + index);
      this.pool = pool;
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (!pool.shutdown) {
        long e = pool.epoch;
        if (e != seen) {
          seen = e;
          // Null when the caller already finished every chunk; a later job seen here early is
          // harmless: its chunks are claimed, never run twice.
          Job j = pool.job;
          if (j != null) {
            j.work();
          }
          continue;
        }
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (pool.epoch == seen && !pool.shutdown && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        if (pool.epoch == seen && !pool.shutdown) {
          sleeping = true;
          if (pool.epoch == seen && !pool.shutdown) {
            LockSupport.park(pool);
          }
          sleeping = false;
        }
      }
    }
  }
}
