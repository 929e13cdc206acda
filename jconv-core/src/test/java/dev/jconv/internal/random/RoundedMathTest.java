package dev.jconv.internal.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RoundedMath} against values computed with mpmath at 300 bits and rounded once to double
 * (the correctly rounded results), including inputs where glibc's own result is an ulp off.
 */
class RoundedMathTest {

  private static final double[][] LOG = {
      {0x1.0000000000000p+0, 0x0.0p+0},
      {0x1.0000000000000p-1, -0x1.62e42fefa39efp-1},
      {0x1.0000000000000p-53, -0x1.25e4f7b2737fap+5},
      {0x1.fffffffffffffp-1, -0x1.0000000000000p-53},
      {0x1.a5bf22a67dc5fp-1, -0x1.8d25e200fded7p-3}, // glibc: -0x1.8d25e200fded8p-3
      {0x1.2b5ee9e2ee98ap-1, -0x1.12c2b7dd020dap-1}, // glibc: -0x1.12c2b7dd020d9p-1
      {0x1.6a09e667f3bcdp-1, -0x1.62e42fefa39eep-2},
      {0x1.6a09e667f3bcdp+0, 0x1.62e42fefa39f0p-2},
      {0x1.ffffffff24190p-1, -0x1.b7ce00005e728p-34},
      {0x1.000000006df38p+0, 0x1.b7cdffffa18d8p-34},
      {0x1.e240c9fbe76c9p+16, 0x1.77281cad8a844p+3},
      {0x1.56e1fc2f8f359p-997, -0x1.5963447f87fb5p+9},
      {0x1.8000000000000p+1, 0x1.193ea7aad030bp+0},
      {0x1.999999999999ap-4, -0x1.26bb1bbb55515p+1},
      {0x1.e759ff97b7508p-3, -0x1.6f85a8ff87b4cp+0},
      {0x1.16a5368858d8dp-1, -0x1.377e34c08e9a2p-1},
      {0x1.7ad586f53dadep-2, -0x1.fd1e846239a23p-1},
      {0x1.353501de56e4ap-1, -0x1.0235603ec6ef6p-1},
      {0x1.405e69652cae3p-1, -0x1.e01ab01a7f971p-2},
      {0x1.0c67fd3611240p-4, -0x1.5cd578b69f144p+1},
  };

  // {x, sin x, cos x}
  private static final double[][] SIN_COS = {
      {0x0.0p+0, 0x0.0p+0, 0x1.0000000000000p+0},
      {0x1.79ca10c924223p-67, 0x1.79ca10c924223p-67, 0x1.0000000000000p+0},
      {0x1.0c152382d7365p-1, 0x1.fffffffffffffp-2, 0x1.bb67ae8584cabp-1},
      {0x1.921fb54442d18p-1, 0x1.6a09e667f3bccp-1, 0x1.6a09e667f3bcdp-1},
      {0x1.921fb54442d18p+0, 0x1.0000000000000p+0, 0x1.1a62633145c07p-54},
      {0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53, -0x1.0000000000000p+0},
      {0x1.2d97c7f3321d2p+2, -0x1.0000000000000p+0, -0x1.a79394c9e8a0ap-53},
      {0x1.921fb54442d17p+2, -0x1.469898cc51702p-50, 0x1.0000000000000p+0},
      {0x1.4333230042b74p+1, 0x1.2811b8a5b5d96p-1, -0x1.a1b767ddf4960p-1}, // glibc sin 1 ulp below
      {0x1.53ca364e9fff7p+2, -0x1.a77c9892c3961p-1, 0x1.1fc14fe95ca53p-1},
      {0x1.5cde74b8458adp+0, 0x1.f4f62126d384dp-1, 0x1.a6f9133edb873p-3}, // glibc cos 1 ulp above
      {0x1.22c5ea74cad03p+2, -0x1.f8b35f677e41cp-1, -0x1.589612d82aa25p-3},
      {-0x1.0000000000000p+0, -0x1.aed548f090ceep-1, 0x1.14a280fb5068cp-1},
      {-0x1.e000000000000p+2, -0x1.e041886fcae30p-1, 0x1.62f45e66f5c2fp-2},
      {0x1.f99999999999ap+2, 0x1.ff753d53a5fa9p-1, -0x1.78d9732562aabp-5},
      {0x1.52e3f5d15e293p-4, 0x1.528103a45c494p-4, 0x1.fe3fa2bfbc97bp-1},
      {0x1.50c42c368cab6p+2, -0x1.b49a8db8784c5p-1, 0x1.0b6f386518ce8p-1},
      {0x1.a12b74ac4b3d2p+0, 0x1.ff1dafb5ec002p-1, -0x1.e130fa6f026c3p-5},
      {0x1.78eb97997adb5p+0, 0x1.fd854ae71f35ap-1, 0x1.929b2a7e3d79cp-4},
      {0x1.905f5f0ced7a6p+2, -0x1.c047e48bef849p-6, 0x1.ffceedeac3007p-1},
  };

  @Test
  void log_matchesCorrectlyRoundedValues() {
    for (double[] c : LOG) {
      assertEquals(c[1], RoundedMath.log(c[0]), 0.0, "log(" + c[0] + ")");
    }
  }

  @Test
  void sinCos_matchCorrectlyRoundedValues() {
    for (double[] c : SIN_COS) {
      assertEquals(c[1], RoundedMath.sin(c[0]), 0.0, "sin(" + c[0] + ")");
      assertEquals(c[2], RoundedMath.cos(c[0]), 0.0, "cos(" + c[0] + ")");
    }
  }

  @Test
  void randomInputs_withinOneUlpOfStrictMath() {
    // StrictMath (fdlibm) is within 1 ulp of the exact value, so a correctly rounded result is too
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      double u = r.nextDouble();
      double x = 1 - u;
      if (x > 0) {
        double want = StrictMath.log(x);
        assertTrue(Math.abs(RoundedMath.log(x) - want) <= Math.ulp(want), "log " + x);
      }
      double t = 2 * Math.PI * u;
      double s = StrictMath.sin(t);
      double c = StrictMath.cos(t);
      assertTrue(Math.abs(RoundedMath.sin(t) - s) <= Math.ulp(s), "sin " + t);
      assertTrue(Math.abs(RoundedMath.cos(t) - c) <= Math.ulp(c), "cos " + t);
    }
  }

  @Test
  void outsideTheDomain_fallsBackToStrictMath() {
    assertEquals(StrictMath.sin(100.0), RoundedMath.sin(100.0), 0.0);
    assertEquals(StrictMath.cos(-1e10), RoundedMath.cos(-1e10), 0.0);
    assertTrue(Double.isNaN(RoundedMath.log(-1.0)));
    assertEquals(Double.NEGATIVE_INFINITY, RoundedMath.log(0.0), 0.0);
    assertEquals(StrictMath.log(Double.MIN_VALUE), RoundedMath.log(Double.MIN_VALUE), 0.0);
  }
}
