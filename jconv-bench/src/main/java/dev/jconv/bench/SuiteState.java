package dev.jconv.bench;

import dev.jconv.Tensor;
import dev.jconv.internal.bench.BenchCase;
import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.CheckResult;
import dev.jconv.internal.parallel.Parallel;

/** What ConvBench and PoolBench share: a suite case's inputs, checked against the reference once per trial. */
final class SuiteState {
  private SuiteState() {}

  /** The case's inputs with {@code threads} threads, after one call whose result matches the slow reference. */
  static BenchCase.Instance checked(String name, int threads) {
    BenchCase c = BenchSuite.byName(name).orElseThrow(() -> new IllegalArgumentException(
        "no case named " + name + "; the cases: " + BenchSuite.names()));
    Parallel.setNumThreads(threads);
    BenchCase.Instance instance = c.instance();
    Tensor out = instance.run();
    CheckResult check = instance.check(out);
    // A fast wrong answer is worth nothing: refuse to time it.
    if (!check.ok()) {
      throw new IllegalStateException(name + " gives a wrong result: " + check.detail());
    }
    return instance;
  }
}
