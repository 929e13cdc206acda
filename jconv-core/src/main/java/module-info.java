/**
 * jconv: PyTorch's convolution and pooling layers in pure Java.
 *
 * <p>The Vector API is optional ({@code requires static}): without {@code --add-modules
 * jdk.incubator.vector} jconv runs its plain-Java kernels and warns once.
 */
module dev.jconv {
  requires static jdk.incubator.vector;

  exports dev.jconv;
  exports dev.jconv.io;
  exports dev.jconv.nn;
  exports dev.jconv.nn.functional;
}
