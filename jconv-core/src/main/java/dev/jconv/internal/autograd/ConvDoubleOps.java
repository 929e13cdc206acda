package dev.jconv.internal.autograd;

import dev.jconv.Tensor;
import dev.jconv.autograd.Node;
import dev.jconv.internal.Raw;
import dev.jconv.internal.conv.Conv2dOp;
import dev.jconv.internal.kernels.ConvDouble;
import dev.jconv.internal.kernels.ConvParams;
import dev.jconv.internal.kernels.ModePad;
import dev.jconv.internal.shape.ConvShapes.PadMode;

/**
 * Differentiable float64 convolution and padding-mode padding, with PyTorch's node names
 * ({@code ConvolutionBackward0}, {@code ReflectionPad2DBackward0}, ...); the kernels are
 * {@link ConvDouble}'s and {@link ModePad}'s. Arguments were checked by {@code Conv2dOp}. The
 * float32 nodes, on the fast kernels, are {@link ConvOps}'.
 */
public final class ConvDoubleOps {
  private ConvDoubleOps() {}

  /** {@code conv2d(input, weight, bias)} in float64 with checked parameters {@code p}. */
  public static final class Conv2d extends Node {
    private final ConvParams p;

    /** Runs and records the convolution; an unbatched input is recorded unsqueezed, as PyTorch does. */
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
      double[] gX = needsInputGrad(0) ? new double[p.inputLength()] : null;
      double[] gW = needsInputGrad(1) ? new double[p.weightLength()] : null;
      double[] gB = needsInputGrad(2) ? new double[p.cout()] : null;
      Tensor x = saved(0);
      Tensor w = saved(1);
      ConvDouble.backward(p, x == null ? null : Raw.doubles(x), w == null ? null : Raw.doubles(w),
          Raw.doubles(g.contiguous()), gX, gW, gB);
      return new Tensor[] {
        gX == null ? null : Raw.wrap(gX, p.n(), p.cin(), p.h(), p.w()),
        gW == null ? null : Raw.wrap(gW, p.cout(), p.cinPerGroup(), p.kh(), p.kw()),
        gB == null ? null : Raw.wrap(gB, p.cout())
      };
    }
  }

  /** Reflect / replicate / circular padding of the last two dimensions of a float64 tensor. */
  public static final class ModePadding extends Node {
    private final int[] shape;
    private final PadMode mode;
    private final int[] pads;

    public static Tensor apply(Tensor input, PadMode mode, int top, int bottom, int left, int right) {
      Tensor out = Conv2dOp.modePad(plain(input), mode, top, bottom, left, right);
      return new ModePadding(input, mode, new int[] {top, bottom, left, right}).record(out);
    }

    private ModePadding(Tensor input, PadMode mode, int[] pads) {
      super(ConvOps.ModePadding.nodeName(mode), input);
      this.shape = input.shapeArray();
      this.mode = mode;
      this.pads = pads;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
      int rank = shape.length;
      int planes = rank == 4 ? shape[0] * shape[1] : shape[0];
      double[] gi = ModePad.padBackward(Raw.doubles(g.contiguous()), planes, shape[rank - 2], shape[rank - 1],
          pads[0], pads[1], pads[2], pads[3], mode);
      return new Tensor[] {Raw.wrap(gi, shape)};
    }
  }
}
