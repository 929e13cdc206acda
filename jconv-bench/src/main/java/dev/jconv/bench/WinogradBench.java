package dev.jconv.bench;

import dev.jconv.internal.kernels.WinogradConv;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.internal.vector.KernelProvider;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 3x3 stride-1 cases of the suite (names as in the design notes) through
 * {@link WinogradConv} directly, bias included. GFLOP/s in {@link BenchMain} count the direct
 * convolution's flops, {@code 2*N*Cout*Hout*Wout*Cin*9}, as PyTorch's figures do, so Winograd's
 * saving shows as throughput.
 *
 * <p>Params: {@code conv} case; {@code threads}; {@code provider}/{@code bits} as in
 * {@link GemmBench}; {@code prepared} = true passes filters from {@code WinogradConv.prepare},
 * false passes the weight array (then {@code WinogradConv}'s filter cache checks the weights
 * against its copy on every call and transforms them only when they changed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
    "-XX:+UseParallelGC"})
public class WinogradBench {

  /** The suite's 3x3 stride-1 cases: N, Cin, H(=W), Cout; all padding 1. */
  static int[] shape(String name) {
    return switch (name) {
      case "res3x3_56" -> new int[] {8, 64, 56, 64};
      case "res3x3_28" -> new int[] {8, 128, 28, 128};
      case "res3x3_14" -> new int[] {8, 256, 14, 256};
      default -> throw new IllegalArgumentException("unknown 3x3 case " + name);
    };
  }

  static double flops(String name) {
    int[] s = shape(name);
    return 2.0 * s[0] * s[3] * s[2] * s[2] * s[1] * 9;
  }

  @Param({"res3x3_56", "res3x3_28", "res3x3_14"})
  public String conv;

  @Param({"1", "2"})
  public int threads;

  @Param({"panama"})
  public String provider;

  @Param({"0"})
  public int bits;

  @Param({"false"})
  public boolean prepared;

  private KernelProvider kernels;
  private int n;
  private int cin;
  private int size;
  private int cout;
  private float[] x;
  private float[] weight;
  private float[] bias;
  private float[] out;
  private WinogradConv.Filters filters;

  @Setup(Level.Trial)
  public void setUp() {
    int[] s = shape(conv);
    n = s[0];
    cin = s[1];
    size = s[2];
    cout = s[3];
    Parallel.setNumThreads(threads);
    kernels = GemmBench.provider(provider, bits);
    SplittableRandom rnd = new SplittableRandom(7);
    x = new float[n * cin * size * size];
    weight = new float[cout * cin * 9];
    bias = new float[cout];
    out = new float[n * cout * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) (rnd.nextDouble() - 0.5);
    }
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) rnd.nextDouble();
    }
    filters = WinogradConv.prepare(kernels, weight, cout, cin);
    run();
    // A fast wrong answer is worth nothing: check sampled outputs against a direct sum.
    for (int k = 0; k < 64; k++) {
      int b = rnd.nextInt(n);
      int co = rnd.nextInt(cout);
      int oy = rnd.nextInt(size);
      int ox = rnd.nextInt(size);
      double want = bias[co];
      double abs = Math.abs(want);
      for (int ci = 0; ci < cin; ci++) {
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            int iy = oy - 1 + ky;
            int ix = ox - 1 + kx;
            if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
              double p = (double) x[((b * cin + ci) * size + iy) * size + ix]
                  * weight[((co * cin + ci) * 3 + ky) * 3 + kx];
              want += p;
              abs += Math.abs(p);
            }
          }
        }
      }
      float got = out[((b * cout + co) * size + oy) * size + ox];
      if (!(Math.abs(got - want) <= 2e-5 * abs)) {
        throw new IllegalStateException(conv + " " + kernels + ": out[" + b + "," + co + "," + oy
            + "," + ox + "] = " + got + ", expected " + want);
      }
    }
  }

  @Benchmark
  public float[] run() {
    if (prepared) {
      WinogradConv.forward(filters, n, size, size, 1, 1, size, size, x, bias, out);
    } else {
      WinogradConv.forward(kernels, n, cin, size, size, cout, 1, 1, size, size, x, weight, bias, out);
    }
    return out;
  }
}
