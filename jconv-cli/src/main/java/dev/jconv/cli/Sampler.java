package dev.jconv.cli;

import java.util.function.Supplier;

/**
 * The timing method of {@code ./jconv bench}, the same as {@code tools/bench/torch_bench.py}'s so
 * that both sides are measured alike: calls are batched so that one sample lasts at least a given
 * time (short calls are not swamped by timer resolution), and a sample's figure is its time per call.
 */
final class Sampler {
  /** Keeps results observable so that the JIT cannot drop the calls. */
  private static volatile Object sink;

  private Sampler() {}

  /** Calls per sample so that a sample lasts at least {@code sampleMs}: two untimed calls, then one timed. */
  static int calibrate(Supplier<?> fn, double sampleMs) {
    sink = fn.get();
    sink = fn.get();
    long t0 = System.nanoTime();
    sink = fn.get();
    return reps(Math.max(System.nanoTime() - t0, 100) / 1e6, sampleMs);
  }

  /** Calls per sample so that a sample lasts at least {@code sampleMs} when one call takes {@code onceMs}. */
  static int reps(double onceMs, double sampleMs) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(sampleMs / Math.max(onceMs, 1e-4))));
  }

  /** Milliseconds per call over one sample of {@code reps} calls. */
  static double sample(Supplier<?> fn, int reps) {
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      sink = fn.get();
    }
    return (System.nanoTime() - t0) / 1e6 / reps;
  }

  /** The median of {@code values} (the upper one of the middle two for an even count, as the script's). */
  static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
