package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Average pooling's backward, the tiled fast path (stride = kernel, no padding) and the general
 * loop, against the definition: each output's gradient divided by its divisor, added to every input
 * pixel of its window clipped to the input. Quotients are float divisions in both, so tiles (which
 * do not overlap) must match bit for bit.
 */
class PoolBackwardTest {

  private static float[] reference(float[] g, Pool2dParams p) {
    float[] gx = new float[p.planes() * p.inPlane()];
    for (int c = 0; c < p.planes(); c++) {
      for (int oh = 0; oh < p.outH(); oh++) {
        for (int ow = 0; ow < p.outW(); ow++) {
          float d = g[(c * p.outH() + oh) * p.outW() + ow] / (float) p.divisor(oh, ow);
          for (int ih = oh * p.sH() - p.pH(); ih < oh * p.sH() - p.pH() + p.kH(); ih++) {
            for (int iw = ow * p.sW() - p.pW(); iw < ow * p.sW() - p.pW() + p.kW(); iw++) {
              if (ih >= 0 && ih < p.inH() && iw >= 0 && iw < p.inW()) {
                gx[(c * p.inH() + ih) * p.inW() + iw] += d;
              }
            }
          }
        }
      }
    }
    return gx;
  }

  private static Pool2dParams avg(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
      boolean ceil, boolean includePad, int override) {
    int oh = (int) dev.jconv.internal.shape.PoolShapes.outputSize(h, kh, ph, sh, 1, ceil);
    int ow = (int) dev.jconv.internal.shape.PoolShapes.outputSize(w, kw, pw, sw, 1, ceil);
    return Pool2dParams.avg(planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, includePad, override);
  }

  @Test
  void avg_tiledAndGeneral_matchTheDefinition() {
    Pool2dParams[] cases = {
      avg(12, 28, 28, 2, 2, 2, 2, 0, 0, false, true, 0),   // LeNet: tiled
      avg(3, 7, 9, 2, 2, 2, 2, 0, 0, false, true, 0),      // tiled, with an uncovered last row and column
      avg(2, 13, 9, 3, 2, 3, 2, 0, 0, false, false, 0),    // tiled, 3x2 windows
      avg(2, 13, 9, 3, 2, 3, 2, 0, 0, false, true, 5),     // tiled, divisor_override
      avg(1, 1, 1, 1, 1, 1, 1, 0, 0, false, true, 0),      // tiled, a single pixel
      avg(2, 207, 3, 1, 3, 1, 3, 0, 0, false, true, 0),    // tiled, 1x3
      avg(2, 7, 7, 2, 2, 2, 2, 0, 0, true, true, 0),       // ceil mode: a partial window, general loop
      avg(2, 7, 7, 3, 3, 2, 2, 1, 1, false, false, 0),     // overlapping, padded: general loop
      avg(2, 8, 8, 2, 2, 2, 2, 1, 1, false, true, 0),      // padded: general loop
    };
    int before = Parallel.getNumThreads();
    int tiled = 0;
    int checked = 0;
    try {
      for (int threads : new int[] {1, 3}) {
        Parallel.setNumThreads(threads);
        for (Pool2dParams p : cases) {
          Random r = new Random(p.hashCode());
          float[] g = new float[p.planes() * p.outPlane()];
          for (int i = 0; i < g.length; i++) {
            g[i] = (float) r.nextGaussian();
          }
          float[] gx = new float[p.planes() * p.inPlane()];
          PoolBackward.avg(g, p, gx);
          float[] ref = reference(g, p);
          for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], gx[i], PoolBackward.isTiled(p) ? 0f : 1e-6f * (1 + Math.abs(ref[i])),
                p + " threads " + threads + " [" + i + "]");
          }
          tiled += PoolBackward.isTiled(p) ? 1 : 0;
          checked++;
        }
      }
    } finally {
      Parallel.setNumThreads(before);
    }
    assertEquals(2 * cases.length, checked);
    assertEquals(2 * 6, tiled);
  }

  @Test
  void isTiled_onlyWithoutPaddingOverlapOrPartialWindows() {
    assertTrue(PoolBackward.isTiled(avg(1, 28, 28, 2, 2, 2, 2, 0, 0, false, true, 0)));
    assertFalse(PoolBackward.isTiled(avg(1, 28, 28, 2, 2, 1, 1, 0, 0, false, true, 0)), "overlap");
    assertFalse(PoolBackward.isTiled(avg(1, 28, 28, 2, 2, 2, 2, 1, 1, false, true, 0)), "padding");
    assertFalse(PoolBackward.isTiled(avg(1, 7, 7, 2, 2, 2, 2, 0, 0, true, true, 0)), "ceil-mode partial window");
  }
}
