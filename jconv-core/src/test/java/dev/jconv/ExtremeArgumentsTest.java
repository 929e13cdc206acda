package dev.jconv;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jconv.nn.AvgPool2dOptions;
import dev.jconv.nn.Conv2d;
import dev.jconv.nn.Conv2dOptions;
import dev.jconv.nn.Linear;
import dev.jconv.nn.MaxPool2dOptions;
import dev.jconv.nn.MaxUnpool2dOptions;
import dev.jconv.nn.Reduction;
import dev.jconv.nn.functional.Conv2dFuncOptions;
import dev.jconv.nn.functional.F;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Arguments at the ends of int and long (paddings, dilations, strides, kernels and sizes of
 * Integer.MAX_VALUE, shapes past 2^31 elements, dimensions and indices of Integer.MIN_VALUE): each
 * call returns or is refused with an IllegalArgumentException, never another exception (an
 * overflow turned into an index out of bounds, a negative array size, an OutOfMemoryError for an
 * array past the VM's limit) and never a hang. Where PyTorch's own int arithmetic overflows in its
 * message (a max pooling with a dilation of 2^31-1), jconv's does the same (the fuzz_args golden
 * area checks the words). This is how randperm(2^31-1) was found to fail with an OutOfMemoryError.
 */
class ExtremeArgumentsTest {

  private static void t(String what, Supplier<Object> call) {
    try {
      call.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        fail(what + ": refused without a message", e);
      }
    } catch (Throwable e) {
      fail(what + ": " + e, e);
    }
  }

  @Test
  void extremeArguments_returnOrAreRefusedInWords() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), ExtremeArgumentsTest::calls);
  }

  private static void calls() {
    int M = Integer.MAX_VALUE;
    Tensor x = Torch.randn(1, 1, 4, 4);
    Tensor w = Torch.randn(1, 1, 3, 3);
    t("conv pad MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().padding(M)));
    t("conv pad 2^30", () -> F.conv2d(x, w, new Conv2dFuncOptions().padding(1 << 30)));
    t("conv pad 40000", () -> F.conv2d(x, w, new Conv2dFuncOptions().padding(40000)));
    t("conv dil MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().dilation(M)));
    t("conv dil MAX pad MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().dilation(M).padding(M)));
    t("conv stride MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().stride(M)));
    t("conv stride MAX pad MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().stride(M).padding(M)));
    t("conv pad -MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().padding(-M)));
    t("conv pad MIN", () -> F.conv2d(x, w, new Conv2dFuncOptions().padding(Integer.MIN_VALUE)));
    t("conv groups MAX", () -> F.conv2d(x, w, new Conv2dFuncOptions().groups(M)));
    t("maxpool k MAX", () -> F.maxPool2d(x, MaxPool2dOptions.of(M)));
    t("maxpool k MAX pad MAX", () -> F.maxPool2d(x, MaxPool2dOptions.of(M).padding(M)));
    t("maxpool k 3 dil MAX", () -> F.maxPool2d(x, MaxPool2dOptions.of(3).dilation(M)));
    t("maxpool stride MAX ceil", () -> F.maxPool2d(x, MaxPool2dOptions.of(2).stride(M).ceilMode(true)));
    t("maxpool k 2 s MAX pad 1 ceil", () -> F.maxPool2d(x, MaxPool2dOptions.of(2).stride(M).padding(1).ceilMode(true)));
    t("avgpool k MAX pad MAX/2", () -> F.avgPool2d(x, AvgPool2dOptions.of(M).padding(M / 2)));
    t("avgpool s MAX ceil", () -> F.avgPool2d(x, AvgPool2dOptions.of(2).stride(M).ceilMode(true)));
    t("avgpool divisor MAX", () -> F.avgPool2d(x, AvgPool2dOptions.of(2).divisorOverride(M)));
    t("adaptive avg MAX", () -> F.adaptiveAvgPool2d(x, M));
    t("adaptive avg 100000", () -> F.adaptiveAvgPool2d(x, 100000));
    t("adaptive max 50000x50000", () -> F.adaptiveMaxPool2d(x, 50000));
    t("lp k MAX", () -> F.lpPool2d(x, 2.0, M));
    t("unpool k MAX", () -> F.maxUnpool2d(F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).values(), F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).indices(), MaxUnpool2dOptions.of(M)));
    t("unpool s MAX", () -> F.maxUnpool2d(F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).values(), F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).indices(), MaxUnpool2dOptions.of(2).stride(M)));
    t("unpool pad -MAX", () -> F.maxUnpool2d(F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).values(), F.maxPool2dWithIndices(x, MaxPool2dOptions.of(2)).indices(), MaxUnpool2dOptions.of(2).padding(-M/2)));
    t("Conv2d module k MAX", () -> new Conv2d(Conv2dOptions.of(1, 1, M)));
    t("Conv2d module cin MAX", () -> new Conv2d(Conv2dOptions.of(M, 1, 3)));
    t("Conv2d module cout 2^20 cin 2^20", () -> new Conv2d(Conv2dOptions.of(1 << 20, 1 << 20, 3)));
    t("Linear MAX", () -> new Linear(M, 2));
    t("Linear 2^16x2^16", () -> new Linear(1 << 16, 1 << 16));
    t("zeros 2^16x2^16", () -> Torch.zeros(1 << 16, 1 << 16));
    t("randn MAX", () -> Torch.randn(M));
    t("arange huge", () -> Torch.arange(0.0, 1e12, 1.0));
    t("expand huge", () -> Torch.zeros(1, 1).expand(1 << 16, 1 << 16));
    t("expand huge sum", () -> Torch.zeros(1, 1).expand(1 << 16, 1 << 16).sum());
    t("expand huge contiguous", () -> Torch.zeros(1, 1).expand(1 << 16, 1 << 16).contiguous());
    t("reshape huge", () -> Torch.zeros(4).reshape(1 << 16, -1));
    t("view -MAX", () -> Torch.zeros(4).view(-M));
    t("narrow MAX", () -> Torch.zeros(4).narrow(0, M, 1));
    t("narrow 1 MAX", () -> Torch.zeros(4).narrow(0, 1, M));
    t("select MIN", () -> Torch.zeros(4).select(0, Integer.MIN_VALUE));
    t("cat big", () -> Torch.cat(0, Torch.zeros(1, 1).expand(1 << 15, 1 << 16), Torch.zeros(1, 1).expand(1 << 15, 1 << 16)));
    t("matmul huge expand", () -> Torch.zeros(1, 1).expand(1 << 16, 1).matmul(Torch.zeros(1, 1).expand(1, 1 << 16)));
    t("pow long MAX", () -> Torch.full(2L, 3).pow(Long.MAX_VALUE));
    t("unsqueeze MAX", () -> Torch.zeros(4).unsqueeze(M));
    t("permute big", () -> Torch.zeros(4).permute(M));
    t("flatten MIN", () -> Torch.zeros(4).flatten(Integer.MIN_VALUE, 0));
    t("sum dim MIN", () -> Torch.zeros(4).sum(Integer.MIN_VALUE));
    t("softmax dim MAX", () -> F.softmax(Torch.zeros(4), M));
    t("crossEntropy target MAX", () -> F.crossEntropy(Torch.zeros(2, 3), Torch.fromFlat(new long[] {Long.MAX_VALUE, 0}, 2)));
    t("crossEntropy target MIN", () -> F.crossEntropy(Torch.zeros(2, 3), Torch.fromFlat(new long[] {Long.MIN_VALUE, 0}, 2)));
    t("nll ignore MIN", () -> F.nllLoss(Torch.zeros(2, 3), Torch.fromFlat(new long[] {Long.MIN_VALUE, 0}, 2), null, Long.MIN_VALUE, Reduction.MEAN));
    t("randint huge", () -> Torch.randint(0, Long.MAX_VALUE, 3));
    t("randint MIN..MAX", () -> Torch.randint(Long.MIN_VALUE, Long.MAX_VALUE, 3));
    t("randperm MAX", () -> Torch.randperm(M));
  }
}
