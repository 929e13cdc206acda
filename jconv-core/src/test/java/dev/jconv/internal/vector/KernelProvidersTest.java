package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.internal.parallel.Parallel;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KernelProvidersTest {

  private static final Optional<Boolean> FMA = Optional.of(true);

  private static KernelProviders.Choice choose(String provider, String bits) {
    return KernelProviders.choose(provider, bits, true, 512, FMA);
  }

  @Test
  void choose_noProperties_takesCpuWidthWithoutWarning() {
    assertEquals(new KernelProviders.Choice(512, Optional.empty()), choose(null, null));
    assertEquals(256, KernelProviders.choose(null, null, true, 256, FMA).bits());
    // SVE machines may prefer vectors wider than jconv's widest kernels.
    assertEquals(512, KernelProviders.choose(null, "", true, 2048, FMA).bits());
  }

  @Test
  void choose_moduleMissing_plainWithOneHint() {
    KernelProviders.Choice c = KernelProviders.choose(null, null, false, 0, Optional.empty());
    assertEquals(0, c.bits());
    String warning = c.warning().orElseThrow();
    assertTrue(warning.contains("--add-modules jdk.incubator.vector"), warning);
    assertTrue(warning.startsWith("jconv: "), warning);
    // Forcing panama cannot work without the module either: same fallback, same hint.
    KernelProviders.Choice forced = KernelProviders.choose("panama", "256", false, 0, Optional.empty());
    assertEquals(0, forced.bits());
    assertTrue(forced.warning().orElseThrow().contains("--add-modules jdk.incubator.vector"));
  }

  @Test
  void choose_plainRequested_plainWithoutWarningEvenWithoutModule() {
    assertEquals(new KernelProviders.Choice(0, Optional.empty()), choose("plain", null));
    assertEquals(new KernelProviders.Choice(0, Optional.empty()), choose(null, "0"));
    assertEquals(new KernelProviders.Choice(0, Optional.empty()),
        KernelProviders.choose("plain", null, false, 0, Optional.empty()));
  }

  @Test
  void choose_forcedWidth_isTaken() {
    assertEquals(new KernelProviders.Choice(128, Optional.empty()), choose(null, "128"));
    assertEquals(new KernelProviders.Choice(256, Optional.empty()), choose("panama", " 256 "));
    KernelProviders.Choice wide = KernelProviders.choose(null, "512", true, 256, FMA);
    assertEquals(512, wide.bits());
    assertTrue(wide.warning().orElseThrow().contains("emulates"), wide.warning().get());
  }

  @Test
  void choose_badValues_warnAndUseDefaults() {
    KernelProviders.Choice c = choose("simd", "300");
    assertEquals(512, c.bits());
    String w = c.warning().orElseThrow();
    assertTrue(w.contains("-Djconv.provider=simd") && w.contains("-Djconv.vector.bits=300"), w);
    assertTrue(choose(null, "wide").warning().orElseThrow().contains("expected 0, 128, 256 or 512"));
  }

  @Test
  void choose_contradictoryProperties_plainWins() {
    KernelProviders.Choice c = choose("panama", "0");
    assertEquals(0, c.bits());
    assertTrue(c.warning().isPresent());
    assertEquals(0, choose("plain", "512").bits());
  }

  @Test
  void choose_noHardwareFma_plainUnlessForced() {
    KernelProviders.Choice c = KernelProviders.choose(null, null, true, 512, Optional.of(false));
    assertEquals(0, c.bits());
    assertTrue(c.warning().orElseThrow().contains("FMA"));
    assertEquals(512, KernelProviders.choose("panama", null, true, 512, Optional.of(false)).bits());
  }

  @Test
  void get_inTheTestJvm_isTheVectorApiAtTheCpuWidth() {
    // Surefire passes --add-modules jdk.incubator.vector, as the launcher does.
    assertTrue(KernelProviders.vectorModulePresent());
    KernelProvider p = KernelProviders.get();
    assertEquals("panama", p.name());
    assertEquals(Math.min(512, KernelProviders.preferredBits()), p.vectorBits());
    assertTrue(p == KernelProviders.get());
  }

  @Test
  void panama_badWidth_throws() {
    assertThrows(IllegalArgumentException.class, () -> KernelProviders.panama(64));
    assertThrows(IllegalArgumentException.class, () -> KernelProviders.panama(0));
  }

  @Test
  void kernelInfo_current_describesTheActiveProvider() {
    KernelInfo info = KernelInfo.current();
    assertEquals(KernelProviders.get().name(), info.provider());
    assertEquals(KernelProviders.get().vectorBits(), info.vectorBits());
    assertEquals(Parallel.getNumThreads(), info.threads());
    String line = info.toString();
    assertTrue(line.contains("provider=" + info.provider()) && line.contains("threads=" + info.threads()), line);
    assertEquals("provider=plain vector_bits=0 (cpu unknown) fma=unknown threads=3",
        new KernelInfo("plain", 0, 0, null, 3).toString());
  }

  @Test
  void jvmWithoutVectorModule_warnsOnceAndComputesWithPlainJava() throws Exception {
    // A fresh JVM on the class path without --add-modules: the Panama classes must not load, and
    // the user sees one line telling them how to enable the fast path.
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process proc = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        NoVectorModuleMain.class.getName()).start();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.exitValue(), err);
    assertEquals("plain 0 false 58.0", out);
    List<String> lines = err.lines().filter(l -> l.startsWith("jconv:")).toList();
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).contains("--add-modules jdk.incubator.vector"), err);
    assertFalse(err.contains("Exception"), err);
  }
}
