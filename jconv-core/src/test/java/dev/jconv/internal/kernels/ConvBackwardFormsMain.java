package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * By-hand comparison (not a unit test) of the convolution backward's forms on the design's cases:
 * the im2col forms alone (GEMM, col2im) against the forms {@link ConvBackward} chooses
 * ({@link ConvBackwardDirect}'s wide rows and forward route where they apply). The two runs
 * alternate call by call in one JVM, so a machine shared with other work slows both alike and the
 * ratio stays meaningful when the absolute times do not.
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -Dthreads=2 -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.ConvBackwardFormsMain [case ...]
 * </pre>
 *
 * Prints medians of 15 alternating pairs after 1.5 s of warm-up, and the forms chosen.
 */
public final class ConvBackwardFormsMain {
  private ConvBackwardFormsMain() {}

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.getInteger("threads", 2));
    System.out.println("threads " + Parallel.getNumThreads() + "; times in ms, im2col forms -> chosen forms");
    Random r = new Random(1);
    for (Map.Entry<String, ConvParams> c : SuiteProblems.chosen(args).entrySet()) {
      String name = c.getKey();
      ConvParams p = c.getValue();
      float[][] d = SuiteProblems.gaussian(r, p.inputLength(), p.weightLength(), p.outputLength());
      float[] x = d[0];
      float[] w = d[1];
      float[] g = d[2];
      float[] gx = new float[x.length];
      float[] gw = new float[w.length];
      float[] gb = new float[p.cout()];
      double[][] t = new double[4][15];
      long warmEnd = System.nanoTime() + 1_500_000_000L;
      try {
        for (int rep = -1; rep < 15; rep++) {
          do {
            for (int form = 0; form < 2; form++) {
              Boolean off = form == 0 ? Boolean.FALSE : null;
              ConvBackwardDirect.forceWideWeight = off;
              ConvBackwardDirect.forceWideInput = off;
              ConvBackwardDirect.forceInputAsForward = off;
              WinogradWeightGrad.force = off;
              long t0 = System.nanoTime();
              ConvBackward.backward(p, x, w, g, null, gw, gb);
              long t1 = System.nanoTime();
              ConvBackward.backward(p, x, w, g, gx, null, null);
              long t2 = System.nanoTime();
              if (rep >= 0) {
                t[form * 2][rep] = (t1 - t0) / 1e6;
                t[form * 2 + 1][rep] = (t2 - t1) / 1e6;
              }
            }
          } while (rep < 0 && System.nanoTime() < warmEnd);
        }
      } finally {
        ConvBackwardDirect.forceWideWeight = null;
        ConvBackwardDirect.forceWideInput = null;
        ConvBackwardDirect.forceInputAsForward = null;
        WinogradWeightGrad.force = null;
      }
      for (double[] a : t) {
        Arrays.sort(a);
      }
      ConvBackward.WeightKernel vec = ConvBackward.useVector ? ConvBackward.VECTOR : null;
      String input = ConvBackwardDirect.useWideInput(p, vec) ? "wide"
          : ConvBackwardDirect.useInputAsForward(p)
              ? ConvBackwardDirect.inputGradAlgorithm(ConvBackwardDirect.inputGradProblem(p)).name().toLowerCase()
              : Im2colConv.isPointwise(p) ? "gemm" : "col2im";
      String weight = WinogradWeightGrad.applies(p) ? "winograd"
          : ConvBackwardDirect.useWideWeight(p, vec) ? "wide" : PhasePlanes.applies(p) ? "im2col, phase planes" : "im2col";
      System.out.printf("%-10s grad weight+bias %8.3f -> %8.3f (x%.2f, %s)   grad input %8.3f -> %8.3f (x%.2f, %s)%n",
          name, t[0][7], t[2][7], t[0][7] / t[2][7], weight, t[1][7], t[3][7], t[1][7] / t[3][7], input);
    }
  }
}
