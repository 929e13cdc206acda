package dev.jconv.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which pooling kernels run: the rule of {@link KernelProviders}, with or without the Vector API. */
class PoolingProvidersLookupTest {

  @Test
  void activePooling_followsTheKernelProvider() {
    PoolingKernels active = PoolingProviders.get();
    KernelProvider kernels = KernelProviders.get();
    assertEquals(kernels.name(), active.name());
    assertEquals(kernels.vectorBits(), active.vectorBits());
  }

  @Test
  void panama_eachWidth_isThatWidth() {
    for (int bits : new int[] {128, 256, 512}) {
      PoolingKernels k = PoolingProviders.panama(bits);
      assertEquals("panama", k.name());
      assertEquals(bits, k.vectorBits());
    }
    assertThrows(IllegalArgumentException.class, () -> PoolingProviders.panama(64));
    assertEquals("plain", PoolingProviders.plain().name());
  }

  @Test
  void jvmWithoutVectorModule_poolsWithPlainJava() throws Exception {
    // A fresh JVM on the class path without --add-modules: no Panama pooling class may load, and
    // F.maxPool2d still pools (through the plain kernels).
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process proc = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        NoVectorPoolingMain.class.getName()).start();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.exitValue(), err);
    assertEquals("plain 0 [5.0, 7.0, 13.0, 15.0]", out);
    assertFalse(err.contains("Exception"), err);
  }
}
