package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Torch;
import dev.jconv.internal.vector.KernelInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTest {

  /** The printed lines as field name -> value (the name is padded to 12 columns). */
  private static Map<String, String> printedFields() {
    Run run = Run.of("info");
    assertEquals(0, run.exitCode(), run.err());
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : run.out().split("\n")) {
      assertTrue(line.length() > 13 && line.charAt(12) == ' ', line);
      fields.put(line.substring(0, 12).strip(), line.substring(13));
    }
    return fields;
  }

  @Test
  void info_printsEveryFieldInOrder() {
    Map<String, String> f = printedFields();

    assertEquals(List.of("jconv", "java", "os", "provider", "vector bits", "fma", "threads"), List.copyOf(f.keySet()));
    f.forEach((k, v) -> assertFalse(v.isBlank(), k));
  }

  @Test
  void info_valuesAreTheRunningConfiguration() {
    Map<String, String> f = printedFields();
    KernelInfo k = KernelInfo.current();

    assertTrue(f.get("jconv").startsWith(Main.version()), f.get("jconv"));
    assertTrue(f.get("java").startsWith(Runtime.version().toString()), f.get("java"));
    assertTrue(f.get("provider").startsWith(k.provider() + " ("), f.get("provider"));
    assertTrue(f.get("vector bits").startsWith(k.vectorBits() + " ("), f.get("vector bits"));
    assertEquals(Integer.toString(Torch.getNumThreads()), f.get("threads"));
    assertEquals(k.fma() == null ? "unknown (the JVM does not say)" : k.fma() ? "yes" : "no", f.get("fma"));
  }

  @Test
  void info_followsTheThreadSetting() {
    int before = Torch.getNumThreads();
    try {
      Torch.setNumThreads(1);
      assertEquals("1", printedFields().get("threads"));
    } finally {
      Torch.setNumThreads(before);
    }
  }

  @Test
  void infoFields_plainProvider_describesPlainJavaAndUnknownWidth() {
    KernelInfo plain = new KernelInfo("plain", 0, 0, null, 2);

    Map<String, String> f = InfoCommand.fields(plain);

    assertTrue(f.get("provider").startsWith("plain (plain Java)"), f.get("provider"));
    assertEquals("0 (the CPU's preferred width is unknown without the Vector API)", f.get("vector bits"));
    assertEquals("unknown (the JVM does not say)", f.get("fma"));
    assertEquals("2", f.get("threads"));
  }
}
