package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.autograd.Node;
import dev.jconv.internal.Raw;
import dev.jconv.internal.conv.Conv2dOp;
import dev.jconv.internal.kernels.ConvBackward;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.shape.ConvShapes.PadMode;

/**
 * Differentiable convolution (ConvolutionBackward0) and padding-mode padding, forward beside
 * backward; the kernels are {@link ConvBackward}'s (im2col + GEMM, col2im). Arguments were checked by
 * {@code Conv2dOp}.
 */
public final class ConvOps {
  private ConvOps() {}

  /** {@code conv2d(input, weight, bias)} with checked parameters {@code p}. */
  public static final class Conv2d extends Node {
    private final ConvParams p;

    /**
     * Runs and records the convolution. An unbatched (3-D) input is recorded as PyTorch records it:
     * unsqueezed, convolved, squeezed (SqueezeBackward1 on top).
     */
    public static Tensor apply(ConvParams p, Tensor input, Tensor weight, Tensor bias, boolean unbatched) {
      Tensor x = unbatched ? input.unsqueeze(0) : input;
      Tensor out = Conv2dOp.run(p, plain(x), plain(weight), plain(bias), false);
      Conv2d node = new Conv2d(p, x, weight, bias);
      node.save(node.needsInputGrad(1) ? plain(x) : null, node.needsInputGrad(0) ? plain(weight) : null);
      Tensor y = node.record(out);
      return unbatched ? y.squeeze(0) : y;
    }

    private Conv2d(ConvParams p, Tensor x, Tensor weight, Tensor bias) {
      super("ConvolutionBackward0", x, weight, bias);
      this.p = p;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      float[] gOut = Raw.floats(g.contiguous());
      float[] gX = needsInputGrad(0) ? new float[p.inputLength()] : null;
      float[] gW = needsInputGrad(1) ? new float[p.weightLength()] : null;
      float[] gB = needsInputGrad(2) ? new float[p.cout()] : null;
      Tensor x = saved(0);
      Tensor w = saved(1);
      ConvBackward.backward(p, x == null ? null : Raw.floats(x), w == null ? null : Raw.floats(w), gOut, gX, gW, gB);
      return new Tensor[] {
        gX == null ? null : Raw.wrap(gX, p.n(), p.cin(), p.h(), p.w()),
        gW == null ? null : Raw.wrap(gW, p.cout(), p.cinPerGroup(), p.kh(), p.kw()),
        gB == null ? null : Raw.wrap(gB, p.cout())
      };
    }
  }

  /** Reflect / replicate / circular padding of the last two dimensions (a Conv2d's padding_mode). */
  public static final class ModePadding extends Node {
    private final int[] shape;
    private final PadMode mode;
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    public static Tensor apply(Tensor input, PadMode mode, int top, int bottom, int left, int right) {
      Tensor out = Conv2dOp.modePad(plain(input), mode, top, bottom, left, right);
      return new ModePadding(input, mode, top, bottom, left, right).record(out);
    }

    private ModePadding(Tensor input, PadMode mode, int top, int bottom, int left, int right) {
      super(nodeName(mode), input);
      this.shape = input.shapeArray();
      this.mode = mode;
      this.top = top;
      this.bottom = bottom;
      this.left = left;
      this.right = right;
    }

    /** PyTorch's name of the padding's backward node. */
    static String nodeName(PadMode mode) {
      return switch (mode) {
        case REFLECT -> "ReflectionPad2DBackward0";
        case REPLICATE -> "ReplicationPad2DBackward0";
        case CIRCULAR -> "CopySlices";
      };
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int rank = shape.length;
      int h = shape[rank - 2];
      int w = shape[rank - 1];
      int planes = 1;
      for (int d = 0; d < rank - 2; d++) {
        planes *= shape[d];
      }
      float[] gi = ConvBackward.modePadBackward(Raw.floats(g.contiguous()), planes, h, w, top, bottom, left, right,
          mode);
      return new Tensor[] {Raw.wrap(gi, shape)};
    }
  }
}
