package dev.jconv.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.Tensor;
import dev.jconv.internal.shape.ConvShapes.PadMode;
import dev.jconv.testing.ConvGolden;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ModePad} against PyTorch's {@code F.pad} in reflect, replicate and circular modes. */
class ModePadGoldenTest {

  static Stream<Named<JsonNode>> padCases() {
    return ConvGolden.cases("pad");
  }

  @ParameterizedTest
  @MethodSource("padCases")
  void pad_equalsPyTorch(JsonNode c) {
    Tensor x = ConvGolden.tensor(c, "x");
    Tensor expected = ConvGolden.tensor(c, "out");
    int[] s = x.shapeArray();
    float[] got = ModePad.pad(x.toFloatArray(), s[0] * s[1], s[2], s[3], c.get("top").asInt(), c.get("bottom").asInt(),
        c.get("left").asInt(), c.get("right").asInt(), PadMode.valueOf(c.get("mode").asText().toUpperCase(Locale.ROOT)));
    // Padding copies values: they must be identical, not merely close.
    assertArrayEquals(expected.toFloatArray(), got);
  }
}
