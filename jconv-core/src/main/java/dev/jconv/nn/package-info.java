/** Layers ({@code Conv2d}, pooling) and their immutable options records, as in PyTorch's {@code torch.nn}. */
package dev.jconv.nn;
