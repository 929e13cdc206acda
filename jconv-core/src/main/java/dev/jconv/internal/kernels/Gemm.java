package dev.jconv.internal.kernels;

import dev.jconv.internal.vector.KernelProviders;

/**
 * Single-precision matrix multiply {@code C = op(A) op(B) + beta * C}, row-major: the one entry
 * point the convolution kernels go through. It runs the active
 * {@link dev.jconv.internal.vector.KernelProvider} (the Vector API one when the module is
 * present, else plain Java). No argument checks beyond {@code assert}: callers are internal and
 * have validated their shapes.
 */
public final class Gemm {

  private Gemm() {}

  /**
   * Computes {@code C = op(A) op(B) + beta * C} where op(A) is m x k, op(B) is k x n and C is m x n,
   * all row-major. {@code transA} means A is stored k x m (element (i, p) at {@code a[aOff + p*lda + i]});
   * {@code transB} means B is stored n x k. {@code beta} must be 0 or 1; with 0, C is not read (NaNs
   * in it are ignored). Only {@code c} is modified; {@code c} must not overlap {@code a} or {@code b}.
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
      float beta, float[] c, int cOff, int ldc) {
    assert beta == 0f || beta == 1f : "beta must be 0 or 1, got " + beta;
    assert m >= 0 && n >= 0 && k >= 0;
    assert ldc >= n && lda >= (transA ? m : k) && ldb >= (transB ? k : n);
    KernelProviders.get().sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * {@code C = op(A) op(B) + bias}, the bias {@code bias[biasOff + i]} added along row i; C is not
   * read. Shapes as in {@link #sgemm}. Only {@code c} is modified.
   */
  public static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] bias, int biasOff,
      float[] c, int cOff, int ldc) {
    assert m >= 0 && n >= 0 && k >= 0;
    assert ldc >= n && lda >= (transA ? m : k) && ldb >= (transB ? k : n);
    KernelProviders.get().sgemmBias(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, bias,
        biasOff, c, cOff, ldc);
  }
}
