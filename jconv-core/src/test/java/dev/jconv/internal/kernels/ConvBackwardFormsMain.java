package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

  private static ConvParams params(int n, int cin, int h, int w, int cout, int k, int s, int p, int d, int g) {
    int oh = (h + 2 * p - d * (k - 1) - 1) / s + 1;
    int ow = (w + 2 * p - d * (k - 1) - 1) / s + 1;
    return new ConvParams(n, cin, h, w, cout, g, k, k, s, s, p, p, p, p, d, d, oh, ow);
  }

  public static void main(String[] args) {
    Map<String, ConvParams> cases = new LinkedHashMap<>();
    cases.put("seed", params(4, 3, 12, 12, 64, 3, 1, 0, 1, 1));
    cases.put("lenet1", params(256, 1, 28, 28, 6, 5, 1, 2, 1, 1));
    cases.put("lenet2", params(256, 6, 14, 14, 16, 5, 1, 0, 1, 1));
    cases.put("res3x3_56", params(8, 64, 56, 56, 64, 3, 1, 1, 1, 1));
    cases.put("res3x3_28", params(8, 128, 28, 28, 128, 3, 1, 1, 1, 1));
    cases.put("res3x3_14", params(8, 256, 14, 14, 256, 3, 1, 1, 1, 1));
    cases.put("res1x1_56", params(8, 64, 56, 56, 256, 1, 1, 0, 1, 1));
    cases.put("res_stem", params(8, 3, 224, 224, 64, 7, 2, 3, 1, 1));
    cases.put("res3x3_s2", params(8, 128, 56, 56, 128, 3, 2, 1, 1, 1));
    cases.put("dw3x3_112", params(8, 32, 112, 112, 32, 3, 1, 1, 1, 32));
    cases.put("dilated", params(8, 64, 56, 56, 64, 3, 1, 2, 2, 1));
    Parallel.setNumThreads(Integer.getInteger("threads", 2));
    System.out.println("threads " + Parallel.getNumThreads() + "; times in ms, im2col forms -> chosen forms");
    Random r = new Random(1);
    for (String name : args.length > 0 ? args : cases.keySet().toArray(new String[0])) {
      ConvParams p = cases.get(name);
      float[] x = new float[p.inputLength()];
      float[] w = new float[p.weightLength()];
      float[] g = new float[p.outputLength()];
      for (float[] a : new float[][] {x, w, g}) {
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) r.nextGaussian();
        }
      }
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
