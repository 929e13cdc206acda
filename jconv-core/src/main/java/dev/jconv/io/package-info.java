/** Reading and writing tensors in the formats PyTorch and NumPy users exchange ({@code .npy}). */
package dev.jconv.io;
