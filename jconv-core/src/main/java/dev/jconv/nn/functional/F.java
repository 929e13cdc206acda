package dev.jconv.nn.functional;

/**
 * The functional forms of jconv's layers, as PyTorch's {@code torch.nn.functional} (usually
 * imported as {@code F}). Every argument check happens here, once, before any work; the kernels
 * behind it trust their inputs.
 */
public final class F {
  private F() {}

  // ==== convolution ====


  // ==== end convolution ====



  // ==== pooling ====


  // ==== end pooling ====
}
