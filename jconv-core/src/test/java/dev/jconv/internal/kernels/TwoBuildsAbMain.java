package dev.jconv.internal.kernels;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * By-hand A/B timing (not a unit test) of two builds of jconv in one JVM: each build's classes get
 * their own class loader (own statics, own thread pool, own JIT profile), and the calls alternate,
 * so both see the same machine load; on these shared 2-core machines, runs in separate JVMs a
 * minute apart differed by 2x. Times one suite case's input gradient ({@code -Dmode=input}, the
 * default), weight gradient ({@code weight}), all three gradients as the bench times them ({@code both}, the weight
 * and bias gradients in fresh arrays too) or forward ({@code forward}, the selected algorithm,
 * weights reused) with each build.
 *
 * <pre>
 * # build B here, and A (say main) elsewhere: git archive main | tar -x -C /tmp/a; mvn test-compile there
 * java --add-modules jdk.incubator.vector -Dthreads=2 -cp jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.TwoBuildsAbMain /tmp/a/jconv-core/target jconv-core/target res3x3_14
 * </pre>
 *
 * Prints medians and quartiles (ms) of {@code -Drounds} (61) pairs after 3 s of warm-up, and the
 * median of the per-pair ratios B/A.
 */
public final class TwoBuildsAbMain {
  private TwoBuildsAbMain() {}

  /** One build: its loader, the case, and the call to time. */
  private static final class Build {
    private final Method call;
    private final Object params;
    private final float[][] data;
    private final int outLength;
    private final String mode;
    private int weightLength;
    private int couts;
    private final Object algorithm;

    Build(Path target, String caseName, int threads, String mode) throws Exception {
      this.mode = mode;
      URL[] urls = {target.resolve("classes").toUri().toURL(), target.resolve("test-classes").toUri().toURL()};
      // The platform loader as parent: this class's own loader must not supply jconv's classes.
      ClassLoader cl = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
      cl.loadClass("dev.jconv.internal.parallel.Parallel").getMethod("setNumThreads", int.class)
          .invoke(null, threads);
      Class<?> suite = cl.loadClass("dev.jconv.internal.kernels.SuiteProblems");
      Method chosen = accessible(suite.getDeclaredMethod("chosen", String[].class));
      params = ((Map<?, ?>) chosen.invoke(null, (Object) new String[] {caseName})).get(caseName);
      Class<?> cp = cl.loadClass("dev.jconv.internal.kernels.ConvParams");
      int in = (int) accessible(cp.getDeclaredMethod("inputLength")).invoke(params);
      int w = (int) accessible(cp.getDeclaredMethod("weightLength")).invoke(params);
      int out = (int) accessible(cp.getDeclaredMethod("outputLength")).invoke(params);
      data = (float[][]) accessible(suite.getDeclaredMethod("gaussian", Random.class, int[].class))
          .invoke(null, new Random(1), new int[] {in, w, out});
      if (mode.equals("forward")) {
        outLength = out;
        algorithm = cl.loadClass("dev.jconv.internal.kernels.ConvSelector").getMethod("select", cp).invoke(null, params);
        call = cl.loadClass("dev.jconv.internal.kernels.ConvAlgorithm")
            .getMethod("forward", cp, float[].class, float[].class, float[].class, float[].class);
      } else {
        outLength = mode.equals("weight") ? w : in;
        weightLength = w;
        couts = (int) accessible(cp.getDeclaredMethod("cout")).invoke(params);
        algorithm = null;
        call = accessible(cl.loadClass("dev.jconv.internal.kernels.ConvBackward").getDeclaredMethod("backward", cp,
            float[].class, float[].class, float[].class, float[].class, float[].class, float[].class));
      }
    }

    private static Method accessible(Method m) {
      m.setAccessible(true);
      return m;
    }

    /** One call, milliseconds; a fresh output array each time, as a training step would have. */
    double time() throws Exception {
      float[] out = new float[outLength];
      long start = System.nanoTime();
      switch (mode) {
        case "forward" -> call.invoke(algorithm, params, data[0], data[1], null, out);
        case "input" -> call.invoke(null, params, data[0], data[1], data[2], out, null, null);
        case "both" -> call.invoke(null, params, data[0], data[1], data[2], out, new float[weightLength],
            new float[couts]);
        default -> call.invoke(null, params, data[0], data[1], data[2], null, out, null);
      }
      return (System.nanoTime() - start) / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TwoBuildsAbMain TARGET_A TARGET_B CASE (TARGET = a jconv-core/target with classes and test-classes)");
      System.exit(2);
    }
    int threads = Integer.getInteger("threads", 2);
    int rounds = Integer.getInteger("rounds", 61);
    String mode = System.getProperty("mode", "input");
    if (!mode.equals("input") && !mode.equals("weight") && !mode.equals("both") && !mode.equals("forward")) {
      throw new IllegalArgumentException("-Dmode=" + mode + ": expected input, weight, both or forward");
    }
    Build[] b = {new Build(Path.of(args[0]), args[2], threads, mode), new Build(Path.of(args[1]), args[2], threads, mode)};
    long end = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < end) {
      b[0].time();
      b[1].time();
    }
    double[][] t = new double[2][rounds];
    double[] ratio = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      // Each build goes first in every other pair, so neither always runs right after the other.
      int first = i & 1;
      t[first][i] = b[first].time();
      t[1 - first][i] = b[1 - first].time();
      ratio[i] = t[1][i] / t[0][i];
    }
    for (double[] x : t) {
      Arrays.sort(x);
    }
    Arrays.sort(ratio);
    int q1 = rounds / 4;
    int mid = rounds / 2;
    int q3 = 3 * rounds / 4;
    System.out.printf("%s %s, threads %d, %d pairs: A %.3f [%.3f %.3f] ms, B %.3f [%.3f %.3f] ms, B/A %.3f [%.3f %.3f]%n",
        args[2], mode, threads, rounds, t[0][mid], t[0][q1], t[0][q3], t[1][mid], t[1][q1], t[1][q3], ratio[mid],
        ratio[q1], ratio[q3]);
    System.exit(0);
  }
}
