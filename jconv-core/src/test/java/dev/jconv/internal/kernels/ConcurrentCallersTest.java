package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.Tensor;
import dev.jconv.internal.Raw;
import dev.jconv.internal.parallel.Parallel;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service calls jconv from several threads at once: convolutions forward and backward through the
 * public API (F.conv2d, autograd), on layers that take every fast form (Winograd with channels in
 * the lanes and its filter caches, the phase forms with their per-thread scratch, im2col, the
 * direct forms), each thread with its own inputs but some sharing one weight array, as the layers
 * of one model served to several requests do. Every result is checked against the reference:
 * caches, kept scratch and the worker pool must not leak one caller's data into another's.
 */
class ConcurrentCallersTest {

  /** The layers: {n, cin, h, w, cout, k, stride, pad, dilation, groups}. */
  private static final int[][] LAYERS = {
    {2, 32, 14, 14, 32, 3, 1, 1, 1, 1},   // Winograd, channels in the lanes
    {2, 16, 20, 20, 16, 3, 2, 1, 1, 1},   // strided phase form
    {2, 32, 16, 16, 32, 3, 1, 2, 2, 1},   // dilated phase form
    {3, 6, 14, 14, 16, 5, 1, 0, 1, 1},    // LeNet's second layer
    {2, 8, 9, 9, 8, 3, 1, 1, 1, 2},       // grouped
    {2, 32, 7, 7, 64, 1, 1, 0, 1, 1},     // 1x1
  };

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static void assertNear(double[] ref, double[] magnitude, float[] got, String what) {
    assertEquals(ref.length, got.length, what);
    for (int i = 0; i < ref.length; i++) {
      double tol = 1e-4 * (1 + Math.abs(ref[i])) + 1e-6 * magnitude[i];
      if (!(Math.abs(got[i] - ref[i]) <= tol)) {
        fail(what + " [" + i + "] is " + got[i] + ", reference " + ref[i]);
      }
    }
  }

  /** One caller's round: a layer, fresh inputs (the weight shared when {@code shared} is given). */
  private static void round(int[] l, Random r, float[] shared) {
    ConvParams p = new ConvParams(l[0], l[1], l[2], l[3], l[4], l[9], l[5], l[5], l[6], l[6], l[7], l[7], l[7], l[7],
        l[8], l[8], (l[2] + 2 * l[7] - l[8] * (l[5] - 1) - 1) / l[6] + 1, (l[3] + 2 * l[7] - l[8] * (l[5] - 1) - 1) / l[6] + 1);
    float[] x = gaussian(r, p.inputLength());
    float[] w = shared != null ? shared : gaussian(r, p.weightLength());
    float[] g = gaussian(r, p.outputLength());
    Tensor xt = Raw.wrap(x.clone(), p.n(), p.cin(), p.h(), p.w()).setRequiresGrad(true);
    Tensor wt = Raw.wrap(w, p.cout(), p.cinPerGroup(), p.kh(), p.kw()).setRequiresGrad(true);
    Tensor out = F.conv2d(xt, wt, new Conv2dFuncOptions().stride(p.strideH()).padding(p.padTop())
        .dilation(p.dilationH()).groups(p.groups()));
    out.backward(Raw.wrap(g, p.n(), p.cout(), p.outH(), p.outW()));

    float[] want = new float[p.outputLength()];
    ConvReference.forward(p, x, w, null, want);
    float[] size = new float[p.outputLength()];
    ConvReference.forward(p, ConvAlgorithmsTest.abs(x), ConvAlgorithmsTest.abs(w), null, size);
    double[] ref = new double[want.length];
    double[] mag = new double[want.length];
    for (int i = 0; i < ref.length; i++) {
      ref[i] = want[i];
      mag[i] = size[i] * 8;
    }
    String what = p + " on " + Thread.currentThread().getName();
    assertNear(ref, mag, Raw.floats(out), "forward " + what);
    double[][] grads = ConvBackwardTest.reference(p, x, w, g);
    assertNear(grads[0], grads[3], Raw.floats(xt.grad()), "grad input " + what);
    assertNear(grads[1], grads[4], Raw.floats(wt.grad()), "grad weight " + what);
  }

  @Test
  void callersOnSeveralThreads_eachGetTheirOwnResults() throws Exception {
    int before = Parallel.getNumThreads();
    Parallel.setNumThreads(2);
    // Weights shared by all callers, as one model's layers are.
    Random seeds = new Random(42);
    float[][] sharedWeights = new float[LAYERS.length][];
    for (int i = 0; i < LAYERS.length; i++) {
      int[] l = LAYERS[i];
      sharedWeights[i] = gaussian(seeds, l[4] * (l[1] / l[9]) * l[5] * l[5]);
    }
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int caller = c;
        done.add(callers.submit(() -> {
          Random r = new Random(caller);
          int rounds = 0;
          for (int round = 0; round < 12; round++) {
            int layer = (caller + round) % LAYERS.length;
            round(LAYERS[layer], r, round % 2 == 0 ? sharedWeights[layer] : null);
            rounds++;
          }
          return rounds;
        }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get(5, TimeUnit.MINUTES);
      }
      assertEquals(48, total, "every caller's rounds ran and were checked");
    } finally {
      callers.shutdownNow();
      Parallel.setNumThreads(before);
    }
  }
}
