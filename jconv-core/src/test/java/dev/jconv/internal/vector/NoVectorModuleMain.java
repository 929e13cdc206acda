package dev.jconv.internal.vector;

/**
 * Run by {@link KernelProvidersTest} in a JVM without {@code jdk.incubator.vector}: looks the
 * provider up twice (the warning must appear once) and multiplies [[1,2],[3,4]] x [[5,6],[7,8]].
 */
public final class NoVectorModuleMain {
  private NoVectorModuleMain() {}

  public static void main(String[] args) {
    KernelProvider p = KernelProviders.get();
    KernelProviders.get();
    KernelInfo.current();
    float[] c = new float[4];
    p.sgemm(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, 2, new float[] {5, 6, 7, 8}, 0, 2, 0f, c, 0, 2);
    // 1*5+2*7 + 1*6+2*8 + 3*5+4*7 + 3*6+4*8 = 19+22+43+50
    System.out.println(p.name() + " " + p.vectorBits() + " " + KernelProviders.vectorModulePresent()
        + " " + (c[0] + c[1] + c[2] + c[3] - 76));
  }
}
