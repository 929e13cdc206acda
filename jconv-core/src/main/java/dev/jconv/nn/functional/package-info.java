/** Stateless functional forms of the layers, as in PyTorch's {@code torch.nn.functional}. */
package dev.jconv.nn.functional;
