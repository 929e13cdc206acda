/**
 * Optimizers, as PyTorch's {@code torch.optim}: {@link dev.jconv.optim.SGD} (momentum, dampening,
 * weight decay, Nesterov) and {@link dev.jconv.optim.Adam}, with PyTorch 1.13's update rules.
 */
package dev.jconv.optim;
