package dev.jconv.internal.bench;

import dev.jconv.Tensor;

/**
 * One case of the benchmark suite of the design notes ("Benchmark cases"): a fixed name, a fixed
 * shape, the work one forward call does (flops for a convolution, bytes moved for a pooling), and
 * a way to make its inputs, run it through the public API and check the result against the slow
 * reference. {@code ./jconv bench}, the JMH benchmarks and {@code tools/bench/torch_bench.py} all
 * measure these same cases.
 */
public sealed interface BenchCase extends Workload permits ConvCase, PoolCase {

  /** Fresh inputs, made after {@code Torch.manualSeed(0)} so that every run sees the same values. */
  Instance instance();

  /** A suite case times its forward; {@link ConvBackwardCase} times a convolution's backward. */
  @Override
  default Pass pass() {
    return Pass.FORWARD;
  }

  @Override
  default Trial<Tensor> trial() {
    return instance();
  }

  /** Throughput units of the suite. */
  enum Unit {
    GFLOPS("GFLOP/s", 1e9),
    GBPS("GB/s", 1e9);

    private final String label;
    private final double scale;

    Unit(String label, double scale) {
      this.label = label;
      this.scale = scale;
    }

    public String label() {
      return label;
    }

    /** Throughput in this unit for {@code work} done in {@code seconds}. */
    public double throughput(double work, double seconds) {
      return work / seconds / scale;
    }
  }

  /** A case's inputs, ready to run. */
  interface Instance extends Trial<Tensor> {
    /** One forward call through the public API ({@code F}), the output freshly allocated as a user's would be. */
    @Override
    Tensor run();

    /**
     * Compares {@code out} (what a forward call returned) with the slow reference on a sample of
     * the output (whole planes: the first and last image, several channels spread over the range).
     * Does not modify {@code out}.
     */
    @Override
    CheckResult check(Tensor out);
  }
}
