package dev.jconv.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.testing.Golden;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The rounding helpers against Python's own {@code format}: literal cases, then Python's output for ~800 doubles. */
class PythonFloatFormatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0.03125, 0.0312", // tie, rounds to even (String.format would give 0.0313)
      "0.09375, 0.0938",
      "2.5, 2.5000",
      "1.00005, 1.0001", // not a tie: the double is 1.000050000000000105...
      "0.00015, 0.0001", // the double is just below the tie
      "-7.77775, -7.7778",
      "99.99996, 100.0000",
      "-0.00001, -0.0000", // Python keeps the sign of a value that rounds to zero
      "-0.0, -0.0000",
      "0.0, 0.0000",
  })
  void fixed4_matchesPython(double value, String expected) {
    assertEquals(expected, PythonFloatFormat.fixed(value, 4));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "12344.5, 1.2344e+04", // tie, rounds to even
      "12345.5, 1.2346e+04",
      "99999.5, 1.0000e+05", // carry into a new digit
      "0.0001, 1.0000e-04",
      "9.99999974737875e-05, 1.0000e-04", // float32 1e-4
      "1e-300, 1.0000e-300",
      "4.9e-324, 4.9407e-324",
      "1.7976931348623157e308, 1.7977e+308",
      "-3e5, -3.0000e+05",
      "0.0, 0.0000e+00",
      "-0.0, -0.0000e+00",
  })
  void scientific4_matchesPython(double value, String expected) {
    assertEquals(expected, PythonFloatFormat.scientific(value, 4));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0.5, 0", "1.5, 2", "2.5, 2", "-0.0, -0", "19.0, 19", "100000000.0, 100000000"})
  void fixed0_roundsHalfToEven(double value, String expected) {
    assertEquals(expected, PythonFloatFormat.fixed(value, 0));
  }

  @Test
  void nonFinite_printAsPythonDoes() {
    double negativeNan = Double.longBitsToDouble(0xfff8000000000000L);
    for (int p : new int[] {0, 4}) {
      assertEquals("nan", PythonFloatFormat.fixed(negativeNan, p));
      assertEquals("nan", PythonFloatFormat.scientific(Double.NaN, p));
      assertEquals("inf", PythonFloatFormat.fixed(Double.POSITIVE_INFINITY, p));
      assertEquals("-inf", PythonFloatFormat.scientific(Double.NEGATIVE_INFINITY, p));
    }
  }

  static Stream<JsonNode> pythonCases() {
    return Golden.cases("print-numbers").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pythonCases")
  void everyStoredDouble_matchesPythonFormat(JsonNode c) {
    double[] values = Golden.array("print-numbers", c.get("x").asText()).doubles();
    assertEquals(values.length, c.get("fixed4").size(), "one string per value");
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      String at = "value " + i + " (" + v + ")";
      assertEquals(c.get("fixed4").get(i).asText(), PythonFloatFormat.fixed(v, 4), at + " with {:.4f}");
      assertEquals(c.get("sci4").get(i).asText(), PythonFloatFormat.scientific(v, 4), at + " with {:.4e}");
      assertEquals(c.get("fixed0").get(i).asText(), PythonFloatFormat.fixed(v, 0), at + " with {:.0f}");
      assertEquals(c.get("sci0").get(i).asText(), PythonFloatFormat.scientific(v, 0), at + " with {:.0e}");
    }
  }
}
