package dev.jconv.internal.vector;

/**
 * The raw float kernels that have a plain-Java and a Vector API implementation. Get the active
 * one from {@link KernelProviders#get()}; tests construct each one with
 * {@link KernelProviders#plain()} and {@link KernelProviders#panama(int)}.
 *
 * <p>Like every kernel in {@code dev.jconv.internal}, these methods trust their arguments
 * (callers check shapes once, in the public layer) and only {@code assert}. No Vector API type
 * appears here, so this interface loads on a JVM without {@code jdk.incubator.vector}.
 */
public interface KernelProvider {

  /** {@code "plain"} or {@code "panama"}. */
  String name();

  /** Width of the vectors the kernels use: 0 for plain Java, else 128, 256 or 512. */
  int vectorBits();

  /**
   * Row-major float32 matrix multiply {@code C = op(A) op(B) + beta C}, where {@code op(A)} is
   * {@code m x k}, {@code op(B)} is {@code k x n} and {@code C} is {@code m x n}.
   *
   * <p>Element {@code (i, p)} of {@code op(A)} is {@code a[aOff + i*lda + p]}, or
   * {@code a[aOff + p*lda + i]} when {@code transA}; likewise for B with {@code ldb}; {@code C[i][j]}
   * is {@code c[cOff + i*ldc + j]}. {@code beta} is 0 or 1; with 0, C's old contents are never read
   * (a NaN there does not leak into the result). Only C is modified. Runs on the shared pool of
   * {@link dev.jconv.internal.parallel.Parallel} (on the calling thread when called from inside
   * a parallel region).
   */
  void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

  /**
   * {@link #sgemm} with beta 0 and a bias per row: {@code C[i][j] = bias[biasOff + i] + (op(A)
   * op(B))[i][j]}. C's old contents are never read. A convolution's bias this way costs nothing
   * like the separate pass over the output that filling C and running with beta 1 takes. Only C is
   * modified.
   */
  default void sgemmBias(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] c, int cOff,
      int ldc) {
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, bias[biasOff + i]);
    }
    sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, 1f, c, cOff, ldc);
  }

  /**
   * Packs {@code op(A)} ({@code m x k}, addressed as in {@link #sgemm}) for repeated products
   * with {@link #sgemmPacked}. {@code a} is copied: later changes to it do not show.
   */
  PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda);

  /**
   * {@link #packA(boolean, int, int, float[], int, int)} into the storage of {@code reuse} when
   * that was packed by this provider for an {@code m x k} matrix (then {@code reuse} is
   * overwritten and returned: only pass one that nothing else still reads); otherwise a new one.
   */
  PackedMatrix packA(boolean transA, int m, int k, float[] a, int aOff, int lda, PackedMatrix reuse);

  /**
   * Packs {@code count} matrices {@code m x k} whose elements {@code source} writes straight into
   * the packed layout, as {@link #sgemmPacked} reads it: a matrix computed only to be packed
   * (Winograd's transformed filters) is then written once, instead of written, read back and
   * written again by {@link #packA}. The matrices share one array, each starting on its own cache
   * sets. {@code source} may be called from several threads at once, on disjoint blocks. When
   * {@code reuse} holds the matrices of an earlier call of this provider with the same
   * {@code count}, {@code m} and {@code k}, they are overwritten and returned (only pass ones
   * that nothing else still reads); otherwise new ones.
   */
  PackedMatrix[] packA(int count, int m, int k, PackSource source, PackedMatrix[] reuse);

  /** Writes blocks of the matrices of {@link #packA(int, int, int, PackSource, PackedMatrix[])}. */
  @FunctionalInterface
  interface PackSource {
    /**
     * Writes element {@code (i, p)} of matrix {@code e}, for {@code i0 <= i < i0 + rows} and
     * {@code p0 <= p < p0 + cols}, to {@code dst[off + e * matrixStride + (i - i0) * rowStep
     * + (p - p0) * colStep]}; nothing else.
     */
    void write(int i0, int rows, int p0, int cols, float[] dst, int off, int matrixStride,
        int rowStep, int colStep);
  }

  /**
   * {@link #sgemm} with a left operand packed by this provider's {@link #packA}:
   * {@code C = A op(B) + beta C}, A being {@code a.rows() x a.cols()}. Only C is modified.
   */
  void sgemmPacked(PackedMatrix a, boolean transB, int n, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc);

  /**
   * Output channels per panel of {@link #packGradOut}: the strided weight gradient's {@code coutPad}
   * is a multiple of it.
   */
  default int gradOutPanel() {
    return StridedWeightGrad.PLAIN_PANEL;
  }

  /**
   * Packs an output gradient's {@code cout} planes of {@code hw} floats ({@code src[off + co*hw + p]})
   * for {@link #stridedWeightGrad}, in panels of {@link #gradOutPanel} channels:
   * {@code dst[(jp*hw + p)*NR + j] = src[off + (jp*NR + j)*hw + p]}, zero for channels past
   * {@code cout} up to the last panel's end. Only {@code dst} is modified.
   */
  default void packGradOut(float[] src, int off, int cout, int hw, float[] dst) {
    StridedWeightGrad.pack(src, off, cout, hw, gradOutPanel(), dst, 0);
  }

  /**
   * Adds one image's (and group's) weight gradient of a convolution with dilation 1 to {@code gwT}:
   * {@code gwT[gwOff + (ci*kh*kw + u*kw + v)*coutPad + co] +=} the sum over the outputs
   * {@code (oy, ox)} whose tap {@code (u, v)} reads an input element inside the image, at row
   * {@code oy*sy + u - padT} and column {@code ox*sx + v - padL} of input channel ci
   * ({@code x[xOff + ci*h*w + ...]}, {@code cin} channels), of that element times the output
   * gradient {@code (co, oy, ox)} of {@code bp}, packed by {@link #packGradOut} ({@code outH x outW}
   * outputs, {@code coutPad} channels with the padding). No product with padding is formed.
   * Summation order is unspecified. Only {@code gwT} is modified.
   */
  default void stridedWeightGrad(float[] x, int xOff, int cin, int h, int w, int kh, int kw, int sy, int sx,
      int padT, int padL, float[] bp, int outH, int outW, int coutPad, float[] gwT, int gwOff) {
    StridedWeightGrad.rows(x, xOff, 0, cin, h, w, kh, kw, sy, sx, padT, padL, bp, outH, outW, coutPad,
        gradOutPanel(), gwT, gwOff);
  }

  /**
   * {@code dst[dstOff + c*ldd + r] += src[srcOff + r*lds + c]} for {@code r < rows, c < cols}: a
   * transposed matrix added (the strided weight gradient into gW's layout). Only dst is modified.
   */
  default void addTransposed(float[] src, int srcOff, int lds, int rows, int cols, float[] dst, int dstOff, int ldd) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[dstOff + c * ldd + r] += src[srcOff + r * lds + c];
      }
    }
  }

  /**
   * Whether {@link #stride2InputGrad} runs for one group of {@code cin} input channels of
   * {@code h x w} and an {@code outH x outW} output (a vector provider, an input twice the output on
   * both axes, at least 4 channels); the plain provider has no such kernel.
   */
  default boolean hasStride2InputGrad(int cin, int h, int w, int outH, int outW) {
    return false;
  }

  /** The floats of the scratch {@link #stride2InputGrad} takes. */
  default int stride2Scratch(int cout, int outH, int outW) {
    throw new UnsupportedOperationException("no stride-2 input gradient in " + name());
  }

  /** The floats of one group's weights packed for {@link #stride2InputGrad}. */
  default int stride2WeightsLength(int cout, int cin) {
    throw new UnsupportedOperationException("no stride-2 input gradient in " + name());
  }

  /**
   * Packs one group's weights ({@code cout x cin x 3 x 3} from {@code wOff}) for
   * {@link #stride2InputGrad} into {@code dst}, or part {@code part} of {@code parts} of them
   * (disjoint parts of dst, together all of it: the parts can run on different threads).
   */
  default void packStride2Weights(float[] weight, int wOff, int cout, int cin, int part, int parts, float[] dst) {
    throw new UnsupportedOperationException("no stride-2 input gradient in " + name());
  }

  /**
   * One image's (and group's) input gradient of a convolution with a 3x3 kernel, stride 2 and padding
   * 1, where {@link #hasStride2InputGrad}: stores (not adds) every element of the {@code cin} planes of
   * {@code 2*outH x 2*outW} at {@code gX[xOff...]}, from the output gradient's {@code cout} planes at
   * {@code gOut[oOff...]} and the weights packed by {@link #packStride2Weights}; or part {@code part}
   * of {@code parts} of them (disjoint sets of elements, together all of them: the parts can run on
   * different threads, each with its own scratch). The weights must be finite (the sums take them
   * times zeros past the output's edges). {@code scratch} holds {@link #stride2Scratch} floats. Only
   * gX and the scratch are modified.
   */
  default void stride2InputGrad(float[] packedW, float[] gOut, int oOff, int cout, int cin, int outH, int outW,
      int part, int parts, float[] scratch, float[] gX, int xOff) {
    throw new UnsupportedOperationException("no stride-2 input gradient in " + name());
  }

  /** Sum of {@code x[xOff+i] * y[yOff+i]} for {@code i < n}. Summation order is unspecified. */
  float dot(float[] x, int xOff, float[] y, int yOff, int n);

  /** {@code y[yOff+i] += alpha * x[xOff+i]} for {@code i < n}. Only {@code y} is modified. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /**
   * Winograd F(4x4, 3x3) input transform {@code B^T d B} of {@code count} tiles. Tile {@code j}'s
   * 6x6 patch {@code d[r][c]} is {@code src[srcOff + offsets[offOff + j] + r*ld + c]}; its 36
   * results go to {@code v[vOff + (6*r + c)*vStride + j]}. Only {@code v} is modified.
   */
  void winogradInput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] v, int vOff, int vStride);

  /**
   * Winograd F(4x4, 3x3) output transform {@code A^T m A} of {@code count} tiles: tile {@code j}'s
   * 6x6 values are {@code m[mOff + (6*r + c)*mStride + j]}, its 4x4 result goes to
   * {@code y[(4*r + c)*yStride + j]}. Only {@code y} is modified.
   */
  void winogradOutput(float[] m, int mOff, int mStride, int count, float[] y, int yStride);

  /**
   * The adjoint of {@link #winogradOutput}, for the weight gradient: {@code A g A^T} of
   * {@code count} 4x4 tiles of an output gradient. Tile {@code j}'s values {@code g[r][c]} are
   * {@code src[srcOff + offsets[offOff + j] + r*ld + c]}; its 36 results go to
   * {@code u[uOff + (6*r + c)*uStride + j]}. Only {@code u} is modified.
   */
  void winogradGradOutput(float[] src, int srcOff, int ld, int[] offsets, int offOff, int count,
      float[] u, int uOff, int uStride);

  /**
   * One output row of a stride-1 depthwise convolution: for {@code j < n},
   * {@code out[outOff + j] = bias + sum(w[wOff + ky*kw + kx] * src[rowOff[ky] + j + kx*dw])} over
   * {@code ky < kh, kx < kw}. Every index read must be inside {@code src} (the caller pads the
   * input). Only {@code out} is modified.
   */
  void depthwiseRow(float[] src, int[] rowOff, int kh, int kw, int dw, float[] w, int wOff,
      float bias, float[] out, int outOff, int n);

  /**
   * Two output rows of a stride-1, 3x3 depthwise convolution with dilation 1 along the height:
   * for {@code r < 2, j < n}, {@code out[outOff + r*outW + j] = bias + sum(w[wOff + ky*3 + kx] *
   * src[r0 + (r + ky)*wp + j + kx*dw])}. The middle two input rows serve both output rows, so
   * each input vector is loaded once for up to two products, and the two sums are independent
   * chains. Every index read must be inside {@code src}. Only {@code out} is modified.
   */
  void depthwise3x3Rows2(float[] src, int r0, int wp, int dw, float[] w, int wOff, float bias,
      float[] out, int outOff, int outW, int n);

  /**
   * A row of a direct convolution for six output channels at once (channels with few inputs and
   * outputs, where im2col would copy more than it computes): for {@code j < n} and
   * {@code r < rows} (at most 6),
   * {@code out[outOff + r*outStride + j] = bias6[r] + sum over t < taps of w6[t*6 + r] * src[tapOff[t] + j]}.
   * {@code w6} holds 6 weights per tap (zeros for channels past {@code rows}). {@code src} must
   * have 16 readable floats past the last index used (vectors may run past {@code n}).
   * Only {@code out} is modified.
   */
  void directRow6(float[] src, int[] tapOff, int taps, float[] w6, float[] bias6, float[] out,
      int outOff, int outStride, int rows, int n);

  /**
   * Direct convolution with the output channels in the vector lanes: for pixels {@code i < np}
   * and channels {@code c < cpad},
   * {@code out[outOff + i*cpad + c] = bias[c] + sum over t < taps of w[t*cpad + c] * src[pixOff[i] + tapOff[t]]}
   * (pixel-major). {@code cpad} is a multiple of 16; channels past the real ones have zero
   * weights. Any stride works: each input value is broadcast, never loaded as a vector. Only
   * {@code out} is modified.
   */
  void directChannels(float[] src, int[] pixOff, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff);

  /**
   * {@link #directChannels} for consecutive pixels: pixel {@code i} reads
   * {@code src[base + i + tapOff[t]]} at tap {@code t} (one output row of a convolution with stride 1
   * along the width, over a zero-bordered copy of the input). One index then serves a whole block
   * of pixels, which runs faster than {@code pixOff}. Only {@code out} is modified.
   */
  void directChannelsRow(float[] src, int base, int np, int[] tapOff, int taps, float[] w,
      float[] bias, int cpad, float[] out, int outOff);

  /**
   * The transpose of a pixel-major block into channel planes:
   * {@code out[outOff + c*plane + i] = block[i*cpad + c]} for pixels {@code i < np} and channels
   * {@code c < cout} (the layout change after {@link #directChannels}). Only {@code out} is
   * modified.
   */
  void blockToPlanes(float[] block, int np, int cpad, int cout, float[] out, int outOff,
      int plane);

  /**
   * Images per group for {@link #imageLanesRow}: the float lanes of a vector (16 at 512 bits), or
   * the plain kernels' own choice.
   */
  int imageLanes();

  /**
   * Transposes {@code count} images (at most {@link #imageLanes} = L) into image-minor order:
   * {@code dst[dstOff + e*L + i] = x[xOff + i*imageStride + e]} for {@code e < len, i < count}.
   * Lanes from {@code count} to L are left as they are. Only {@code dst} is modified.
   */
  void toImageLanes(float[] x, int xOff, int imageStride, int count, int len, float[] dst,
      int dstOff);

  /**
   * The transpose back: {@code out[outOff + i*imageStride + e] = src[e*L + i]} for
   * {@code e < len, i < count} (L = {@link #imageLanes}). Only {@code out} is modified.
   */
  void fromImageLanes(float[] src, int len, int count, float[] out, int outOff, int imageStride);

  /**
   * One output row of a convolution of L = {@link #imageLanes} images held in the lanes
   * (image-minor {@code src}, from {@link #toImageLanes}): for channels {@code co < cout}, pixels
   * {@code j < np} and lanes {@code i < L},
   * {@code out[outOff + co*coStride + j*L + i] = bias[co] + sum over t < taps of
   * w[co*taps + t] * src[base + j*pixStep + tapOff[t] + i]}. Each weight is broadcast and each
   * input vector is a whole pixel of L images, so every FMA does L images' work with no
   * transposes inside. {@code kw} > 1 promises that the taps come in runs of {@code kw} reading
   * neighbouring pixels ({@code tapOff[t + k] = tapOff[t] + k*L} for t a multiple of kw, k < kw:
   * a kernel row at dilation 1 along the width), which lets a kernel load each input vector once
   * per run; pass 1 otherwise. Only {@code out} is modified.
   */
  void imageLanesRow(float[] src, int base, int pixStep, int np, int[] tapOff, int taps, int kw,
      float[] w, float[] bias, int cout, float[] out, int outOff, int coStride);
}
