/**
 * Data for training, as PyTorch's {@code torch.utils.data} and torchvision's MNIST readers: the IDX
 * file format ({@link dev.jconv.data.Idx}), datasets ({@link dev.jconv.data.TensorDataset},
 * {@link dev.jconv.data.FashionMnist}) and a {@link dev.jconv.data.DataLoader} with PyTorch's
 * seeded shuffling.
 */
package dev.jconv.data;
