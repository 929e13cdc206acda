package dev.jconv;

import static dev.jconv.Torch.manualSeed;
import static dev.jconv.Torch.normal;
import static dev.jconv.Torch.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.testing.Golden;
import dev.jconv.io.Npy;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The Torch facade's random functions draw from the default generator as PyTorch's do. */
class TorchRandomTest {

  @Test
  void rand_afterManualSeed0_printsPyTorchsValues() {
    manualSeed(0);
    assertEquals("tensor([0.4963, 0.7682, 0.0885])", rand(3).toString());
  }

  @Test
  void randAndRandn_matchGoldenFills() {
    int checked = 0;
    for (JsonNode c : Golden.cases("rng")) {
      String op = c.path("op").asText();
      if (!c.path("kind").asText().equals("fill") || !(op.equals("rand") || op.equals("randn"))) {
        continue;
      }
      DType dtype = c.get("dtype").asText().equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
      double[] expected = Npy.toTensor(Golden.array("rng", c.get("out").asText())).toDoubleArray();
      int at = 0;
      for (JsonNode sizeNode : c.get("sizes")) {
        int n = sizeNode.asInt();
        manualSeed(c.get("seed").asLong());
        Tensor got = op.equals("rand") ? rand(dtype, n) : Torch.randn(dtype, n);
        double[] g = got.toDoubleArray();
        for (int i = 0; i < n; i++, at++) {
          if (dtype == DType.FLOAT32 || op.equals("rand")) {
            assertEquals(expected[at], g[i], 0.0, c + " size " + n + " element " + i);
          } else {
            assertEquals(expected[at], g[i], 1e-13, c + " size " + n + " element " + i);
          }
        }
        checked++;
      }
      assertEquals(expected.length, at);
    }
    assertTrue(checked >= 40, "only " + checked + " golden rand/randn fills checked");
  }

  @Test
  void normal_ofIntDtype_throws() {
    assertThrows(IllegalArgumentException.class, () -> Torch.normal(DType.INT64, 0, 1, 3));
    manualSeed(0);
    assertEquals(Size.of(3, 3, 3), normal(0, 1, 3, 3, 3).shape());
  }
}
