package dev.jconv.internal.kernels;

import dev.jconv.internal.parallel.Parallel;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * By-hand A/B timing (not a unit test) of one of the backward's switches in one JVM: rounds of 15
 * calls with the switch off and on alternate, so that both see the same machine load (on these
 * shared 2-core machines, separate runs a minute apart differed by a third). Times
 * {@link ConvBackward#backward} with fresh gradient arrays (allocation included), as the bench does.
 *
 * <pre>
 * mvn -q -pl jconv-core test-compile
 * java --add-modules jdk.incubator.vector -Dswitch=share -Dthreads=2 -Dwhich=2 \
 *     -cp jconv-core/target/classes:jconv-core/target/test-classes \
 *     dev.jconv.internal.kernels.BackwardSwitchesAbMain res3x3_14 dilated
 * </pre>
 *
 * Switches: {@code filtergrad} (WinogradWeightGrad's vector last step), {@code lanes} (its
 * channel-interleaved transforms), {@code inputgrad} (WinogradInputGrad at all), {@code padrows} (its
 * padded filter rows), {@code share} (one transform of gOut for both Winograd gradients),
 * {@code slices} (PhaseBackward's slice per thread for stacks that could run whole). {@code -Dwhich}: 0 input gradient, 1 weight
 * gradient, 2 both. Prints, per case, the medians of the rounds' medians and how many rounds "on" won.
 */
public final class BackwardSwitchesAbMain {
  private BackwardSwitchesAbMain() {}

  private static void set(String name, boolean on) {
    switch (name) {
      case "filtergrad" -> WinogradWeightGrad.useVectorFilterGrad = on;
      case "lanes" -> WinogradWeightGrad.useLanes = on;
      case "inputgrad" -> WinogradInputGrad.force = on ? null : Boolean.FALSE;
      case "padrows" -> WinogradInputGrad.padRows = on;
      case "share" -> WinogradInputGrad.share = on;
      case "slices" -> PhaseBackward.sliceByThread = on;
      default -> throw new IllegalArgumentException("no switch " + name);
    }
  }

  public static void main(String[] args) {
    Parallel.setNumThreads(Integer.getInteger("threads", 2));
    int which = Integer.getInteger("which", 2);
    String name = System.getProperty("switch", "share");
    int rounds = Integer.getInteger("rounds", 12);
    Random r = new Random(1);
    for (Map.Entry<String, ConvParams> c : SuiteProblems.chosen(args).entrySet()) {
      ConvParams p = c.getValue();
      float[][] d = SuiteProblems.gaussian(r, p.inputLength(), p.weightLength(), p.outputLength());
      double[][] med = new double[2][rounds];
      for (int round = -3; round < rounds; round++) {
        for (int ab = 0; ab < 2; ab++) {
          set(name, ab == 1);
          double[] ts = new double[15];
          for (int i = 0; i < ts.length; i++) {
            long s = System.nanoTime();
            float[] gx = which != 1 ? new float[p.inputLength()] : null;
            float[] gw = which != 0 ? new float[p.weightLength()] : null;
            ConvBackward.backward(p, d[0], d[1], d[2], gx, gw, null);
            ts[i] = (System.nanoTime() - s) / 1e6;
          }
          Arrays.sort(ts);
          if (round >= 0) {
            med[ab][round] = ts[ts.length / 2];
          }
        }
      }
      set(name, true);
      int wins = 0;
      for (int i = 0; i < rounds; i++) {
        wins += med[1][i] < med[0][i] ? 1 : 0;
      }
      Arrays.sort(med[0]);
      Arrays.sort(med[1]);
      System.out.printf("%s threads %d which %d switch %s: off %.2f ms, on %.2f ms (medians of %d rounds; on faster in"
          + " %d)%n", c.getKey(), Parallel.getNumThreads(), which, name, med[0][rounds / 2], med[1][rounds / 2], rounds,
          wins);
    }
    System.exit(0);
  }
}
