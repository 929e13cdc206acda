package dev.jconv.internal.parallel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

  private int saved;

  @BeforeEach
  void save() {
    saved = Parallel.getNumThreads();
  }

  @AfterEach
  void restore() {
    Parallel.setNumThreads(saved);
  }

  /** Runs a region and returns its chunks as {start, end} pairs, sorted. */
  private static List<int[]> chunks(int n, int grain) {
    List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
    Parallel.forRange(n, grain, (s, e) -> seen.add(new int[] {s, e}));
    List<int[]> sorted = new ArrayList<>(seen);
    sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
    return sorted;
  }

  @Test
  void forRange_coversEveryIndexOnceInContiguousChunks() {
    int[] threadCounts = {1, 2, 3, 5};
    int[] sizes = {1, 2, 3, 7, 13, 207, 1000};
    int[] grains = {1, 4, 100};
    int regions = 0;
    for (int t : threadCounts) {
      Parallel.setNumThreads(t);
      for (int n : sizes) {
        for (int g : grains) {
          AtomicIntegerArray hits = new AtomicIntegerArray(n);
          Parallel.forRange(n, g, (s, e) -> {
            for (int i = s; i < e; i++) {
              hits.incrementAndGet(i);
            }
          });
          for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i + " of n=" + n + " grain=" + g + " threads=" + t);
          }
          List<int[]> c = chunks(n, g);
          int expected = (int) Math.min(t, ((long) n + g - 1) / g);
          assertEquals(expected, c.size(), "chunks for n=" + n + " grain=" + g + " threads=" + t);
          assertEquals(0, c.get(0)[0]);
          assertEquals(n, c.get(c.size() - 1)[1]);
          for (int i = 1; i < c.size(); i++) {
            assertEquals(c.get(i - 1)[1], c.get(i)[0], "chunks touch");
            assertTrue(c.get(i)[1] - c.get(i)[0] >= Math.min(g, n) / 2, "chunk not below half a grain");
          }
          regions++;
        }
      }
    }
    assertEquals(threadCounts.length * sizes.length * grains.length, regions);
  }

  @Test
  void setNumThreads_refusesCountsThatWouldExhaustTheMachine_beforeStartingAny() {
    int before = Parallel.getNumThreads();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(100_000_000));
    assertEquals("set_num_threads: jconv runs at most 1024 threads, but got 100000000", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(Parallel.MAX_THREADS + 1));
    assertEquals(before, Parallel.getNumThreads());
  }

  @Test
  void forRange_emptyRange_runsNothing() {
    AtomicInteger calls = new AtomicInteger();
    Parallel.forRange(0, 1, (s, e) -> calls.incrementAndGet());
    Parallel.forRange(-3, 1, (s, e) -> calls.incrementAndGet());
    assertEquals(0, calls.get());
  }

  @Test
  void forRange_exceptionInAChunk_isRethrownAndPoolStillWorks() {
    Parallel.setNumThreads(3);
    IllegalStateException boom = new IllegalStateException("boom");
    for (int failing = 0; failing < 3; failing++) {
      int f = failing;
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> Parallel.forRange(3, 1, (s, e) -> {
            if (s == f) {
              throw boom;
            }
          }));
      assertSame(boom, thrown);
    }
    AssertionError error = new AssertionError("error");
    assertSame(error, assertThrows(AssertionError.class,
        () -> Parallel.forRange(2, 1, (s, e) -> {
          throw error;
        })));
    AtomicInteger sum = new AtomicInteger();
    Parallel.forRange(100, 1, (s, e) -> sum.addAndGet(e - s));
    assertEquals(100, sum.get());
  }

  @Test
  void forRange_nestedCall_runsInlineOnTheSameThread() {
    Parallel.setNumThreads(2);
    List<String> inner = Collections.synchronizedList(new ArrayList<>());
    Parallel.forRange(2, 1, (s, e) -> {
      Thread outer = Thread.currentThread();
      Parallel.forRange(50, 1, (s2, e2) -> {
        assertSame(outer, Thread.currentThread());
        inner.add(s2 + ".." + e2);
      });
    });
    assertEquals(List.of("0..50", "0..50"), inner);
  }

  @Test
  void forRange_twoThreads_callerAndOneWorkerShareTheWork() throws InterruptedException {
    Parallel.setNumThreads(2);
    Set<Thread> ran = ConcurrentHashMap.newKeySet();
    // Each chunk waits for the other, so the region can only finish with two threads in it.
    CountDownLatch both = new CountDownLatch(2);
    Parallel.forRange(2, 1, (s, e) -> {
      ran.add(Thread.currentThread());
      both.countDown();
      try {
        assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS), "second thread never came");
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    });
    assertEquals(2, ran.size());
    assertTrue(ran.contains(Thread.currentThread()), "the caller runs a chunk itself");
    for (Thread t : ran) {
      if (t != Thread.currentThread()) {
        assertTrue(t.isDaemon(), "workers must not keep the JVM alive");
        assertTrue(t.getName().startsWith("jconv-worker-"), t.getName());
      }
    }
  }

  @Test
  void idleWorkers_parkInsteadOfSpinning() throws InterruptedException {
    Parallel.setNumThreads(2);
    Set<Thread> ran = ConcurrentHashMap.newKeySet();
    CountDownLatch both = new CountDownLatch(2);
    Parallel.forRange(2, 1, (s, e) -> {
      ran.add(Thread.currentThread());
      both.countDown();
      try {
        both.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    });
    ran.remove(Thread.currentThread());
    Thread worker = ran.iterator().next();
    // Spinning lasts SPIN_NANOS (0.1 ms); allow a generous margin on a loaded machine.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (worker.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Thread.State.WAITING, worker.getState());
    // And a parked worker still wakes for the next region.
    AtomicInteger sum = new AtomicInteger();
    Parallel.forRange(1000, 1, (s, e) -> sum.addAndGet(e - s));
    assertEquals(1000, sum.get());
  }

  @Test
  void setNumThreads_changesTheSplitAndRetiresOldWorkers() throws InterruptedException {
    Parallel.setNumThreads(4);
    assertEquals(4, Parallel.getNumThreads());
    assertEquals(4, chunks(100, 1).size());
    Parallel.setNumThreads(1);
    assertEquals(1, chunks(100, 1).size());
    Parallel.setNumThreads(3);
    assertEquals(3, chunks(100, 1).size());
    assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(0));
    assertEquals(3, Parallel.getNumThreads());
    // The 4-thread pool's workers exit; only the 3-thread pool's two remain.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (liveWorkers() > 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(2, liveWorkers());
  }

  private static long liveWorkers() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jconv-worker-") && t.isAlive())
        .count();
  }

  @Test
  void forRange_concurrentCallers_eachGetTheirWholeRange() throws InterruptedException {
    Parallel.setNumThreads(2);
    int callers = 4;
    int rounds = 200;
    AtomicInteger wrong = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int n = 37 + c;
      Thread t = new Thread(() -> {
        for (int r = 0; r < rounds; r++) {
          AtomicInteger sum = new AtomicInteger();
          Parallel.forRange(n, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
              sum.addAndGet(i);
            }
          });
          if (sum.get() != n * (n - 1) / 2) {
            wrong.incrementAndGet();
          }
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(30_000);
      assertTrue(!t.isAlive(), "caller hung");
    }
    assertEquals(0, wrong.get());
  }

  @Test
  void inRegion_isTrueInsideChunks_onEveryThread_andFalseOutside() {
    int before = Parallel.getNumThreads();
    try {
      Parallel.setNumThreads(2);
      assertFalse(Parallel.inRegion());
      java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
      Parallel.forRange(2, 1, (s0, s1) -> {
        if (Parallel.inRegion()) {
          inside.incrementAndGet();
        }
      });
      assertEquals(2, inside.get(), "both chunks, the caller's and the worker's, see the region");
      assertFalse(Parallel.inRegion(), "after the region");
    } finally {
      Parallel.setNumThreads(before);
    }
  }
}
