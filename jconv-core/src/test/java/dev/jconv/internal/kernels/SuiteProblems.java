package dev.jconv.internal.kernels;

import dev.jconv.internal.bench.BenchSuite;
import dev.jconv.internal.bench.ConvCase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** What the by-hand timing mains share: the design's convolution cases and random operands. */
final class SuiteProblems {
  private SuiteProblems() {}

  /** The benchmark suite's convolutions (BenchSuite.CONV), by name, as kernel parameters. */
  static Map<String, ConvParams> conv() {
    Map<String, ConvParams> cases = new LinkedHashMap<>();
    for (ConvCase c : BenchSuite.CONV) {
      cases.put(c.name(), c.params(c.n()));
    }
    return cases;
  }

  /**
   * The cases named in {@code names} ({@code "case/nB"}: with a batch of B images), or all of them when there
   * are none; an unknown name is refused.
   */
  static Map<String, ConvParams> chosen(String... names) {
    Map<String, ConvParams> all = conv();
    if (names.length == 0) {
      return all;
    }
    Map<String, ConvParams> some = new LinkedHashMap<>();
    for (String n : names) {
      // "case/nB": the case with a batch of B images
      String[] parts = n.split("/n", 2);
      ConvParams p = all.get(parts[0]);
      if (p == null) {
        throw new IllegalArgumentException("no case " + parts[0] + "; the cases: " + all.keySet());
      }
      if (parts.length == 2) {
        p = new ConvParams(Integer.parseInt(parts[1]), p.cin(), p.h(), p.w(), p.cout(), p.groups(), p.kh(), p.kw(),
            p.strideH(), p.strideW(), p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), p.dilationH(),
            p.dilationW(), p.outH(), p.outW());
      }
      some.put(n, p);
    }
    return some;
  }

  /** Arrays of the given lengths filled with standard normal values from {@code r}. */
  static float[][] gaussian(Random r, int... lengths) {
    float[][] out = new float[lengths.length][];
    for (int k = 0; k < lengths.length; k++) {
      out[k] = new float[lengths[k]];
      for (int i = 0; i < lengths[k]; i++) {
        out[k][i] = (float) r.nextGaussian();
      }
    }
    return out;
  }
}
