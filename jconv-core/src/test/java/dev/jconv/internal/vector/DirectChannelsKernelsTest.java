package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two direct-channels kernels of every native provider against a double-precision loop, over
 * channel counts that reach each register block (one, two and four vectors, and their leftovers)
 * and pixel counts that end inside and on a block.
 */
class DirectChannelsKernelsTest {

  private static final int[] CPADS = {16, 32, 48, 64, 80, 112, 304};
  private static final int[] PIXELS = {1, 5, 6, 7, 8, 10, 11, 12, 13, 19, 20, 24, 25, 31};

  @Test
  void directChannelsAndRow_everyProviderBlockAndTail_matchDoubleLoop() {
    int checked = 0;
    for (KernelProvider provider : KernelProviders.allNative()) {
      for (int cpad : CPADS) {
        for (int np : PIXELS) {
          SplittableRandom rnd = new SplittableRandom(31L * cpad + np);
          // Shallow and deep patches: directChannels takes its four-vector block from 64 taps.
          int taps = np % 2 == 0 ? 1 + rnd.nextInt(9) : 64 + rnd.nextInt(9);
          float[] src = new float[np * 3 + 64];
          // (tap offsets below stay under 40, so every read is inside src)
          for (int i = 0; i < src.length; i++) {
            src[i] = (float) rnd.nextDouble(-1, 1);
          }
          int[] tapOff = new int[taps];
          for (int t = 0; t < taps; t++) {
            tapOff[t] = rnd.nextInt(40);
          }
          float[] w = new float[taps * cpad];
          float[] bias = new float[cpad];
          for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-1, 1);
          }
          for (int i = 0; i < cpad; i++) {
            bias[i] = (float) rnd.nextDouble(-1, 1);
          }
          // Gathered pixels: an irregular stride; row pixels: consecutive from base 3.
          int[] pixOff = new int[np];
          for (int i = 0; i < np; i++) {
            pixOff[i] = i * 2 + (i % 3);
          }
          int base = 3;
          int outOff = 5;
          float[] gathered = new float[outOff + np * cpad + 7];
          float[] row = new float[outOff + np * cpad + 7];
          java.util.Arrays.fill(gathered, Float.NaN);
          java.util.Arrays.fill(row, Float.NaN);
          provider.directChannels(src, pixOff, np, tapOff, taps, w, bias, cpad, gathered, outOff);
          provider.directChannelsRow(src, base, np, tapOff, taps, w, bias, cpad, row, outOff);
          for (int i = 0; i < np; i++) {
            for (int c = 0; c < cpad; c++) {
              double g = bias[c];
              double r = bias[c];
              for (int t = 0; t < taps; t++) {
                g += (double) w[t * cpad + c] * src[pixOff[i] + tapOff[t]];
                r += (double) w[t * cpad + c] * src[base + i + tapOff[t]];
              }
              String what = provider + " cpad=" + cpad + " np=" + np + " pixel " + i + " channel " + c;
              assertEquals(g, gathered[outOff + i * cpad + c], 1e-5 * (taps + 1), "directChannels " + what);
              assertEquals(r, row[outOff + i * cpad + c], 1e-5 * (taps + 1), "directChannelsRow " + what);
            }
          }
          // Nothing outside the block is written.
          for (float[] out : new float[][] {gathered, row}) {
            for (int i = 0; i < outOff; i++) {
              assertTrue(Float.isNaN(out[i]), "wrote before the block");
            }
            for (int i = outOff + np * cpad; i < out.length; i++) {
              assertTrue(Float.isNaN(out[i]), "wrote past the block");
            }
          }
          checked++;
        }
      }
    }
    assertEquals(KernelProviders.allNative().size() * CPADS.length * PIXELS.length, checked);
  }

  @Test
  void blockToPlanes_everyProviderAndSize_transposesAndWritesNothingElse() {
    int checked = 0;
    for (KernelProvider provider : KernelProviders.allNative()) {
      for (int cpad : new int[] {16, 64, 80}) {
        for (int np : new int[] {1, 7, 10, 16, 17, 33}) {
          for (int slack : new int[] {0, 16}) {
            int cout = cpad - 3;
            // Blocks with and without room past the last pixel (nothing may be read there).
            float[] block = new float[(np + slack) * cpad];
            for (int k = 0; k < block.length; k++) {
              block[k] = k;
            }
            int plane = np + 5;
            int outOff = 3;
            float[] out = new float[outOff + cout * plane + 4];
            java.util.Arrays.fill(out, Float.NaN);
            provider.blockToPlanes(block, np, cpad, cout, out, outOff, plane);
            for (int k = 0; k < out.length; k++) {
              int rel = k - outOff;
              boolean inside = rel >= 0 && rel / plane < cout && rel % plane < np;
              if (inside) {
                assertEquals((rel % plane) * cpad + rel / plane, out[k], provider + " np=" + np + " cpad="
                    + cpad + " slack=" + slack + " element " + k);
              } else {
                assertTrue(Float.isNaN(out[k]), provider + " wrote element " + k + " outside the planes");
              }
            }
            checked++;
          }
        }
      }
    }
    assertEquals(KernelProviders.allNative().size() * 3 * 6 * 2, checked);
  }
}
