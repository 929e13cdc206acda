package dev.jconv.data;

import dev.jconv.internal.Raw;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (or MNIST: the same files) from its IDX files, as torchvision's
 * {@code FashionMNIST(root, train, transform=ToTensor())}: inputs are float32 {@code [N, 1, 28, 28]}
 * in [0, 1] (each byte divided by 255), targets int64 class indices. Images stay bytes in memory
 * (47 MB for the training set) and become floats a batch at a time.
 *
 * <pre>{@code
 * FashionMnist train = FashionMnist.load(FashionMnist.DEBIAN_DIR, true);   // 60000 images
 * FashionMnist.LABELS.get(train.label(0));                                  // "ankle boot"
 * }</pre>
 */
public final class FashionMnist implements Dataset {
  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, by index, as the book's {@code get_fashion_mnist_labels}. */
  public static final List<String> LABELS = List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal",
      "shirt", "sneaker", "bag", "ankle boot");

  private final byte[] images;
  private final byte[] labels;
  private final int height;
  private final int width;
  private final int classes;

  private FashionMnist(byte[] images, byte[] labels, int height, int width, int classes) {
    this.images = images;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.classes = classes;
  }

  /**
   * Loads the training ({@code train-*}) or test ({@code t10k-*}) split from {@code dir}: files
   * {@code <split>-images-idx3-ubyte} and {@code <split>-labels-idx1-ubyte}, each with or without
   * {@code .gz}.
   *
   * @throws IOException if a file is missing, malformed, or the two do not fit together (counts,
   *     types, ranks, labels outside 0..9)
   */
  public static FashionMnist load(Path dir, boolean train) throws IOException {
    String split = train ? "train" : "t10k";
    Path imageFile = find(dir, split + "-images-idx3-ubyte");
    Path labelFile = find(dir, split + "-labels-idx1-ubyte");
    IdxArray img = Idx.read(imageFile);
    IdxArray lab = Idx.read(labelFile);
    return of(img, lab, imageFile.toString(), labelFile.toString());
  }

  /** A dataset from IDX arrays already read ({@code names} for messages). */
  static FashionMnist of(IdxArray img, IdxArray lab, String imageName, String labelName) throws IOException {
    if (img.type() != IdxArray.Type.UBYTE || img.shape().length != 3) {
      throw new IOException(imageName + ": expected unsigned-byte images [N, H, W], got " + img.type() + " "
          + java.util.Arrays.toString(img.shape()));
    }
    if (lab.type() != IdxArray.Type.UBYTE || lab.shape().length != 1) {
      throw new IOException(labelName + ": expected unsigned-byte labels [N], got " + lab.type() + " "
          + java.util.Arrays.toString(lab.shape()));
    }
    if (img.shape()[0] != lab.shape()[0]) {
      throw new IOException(imageName + " has " + img.shape()[0] + " images but " + labelName + " has "
          + lab.shape()[0] + " labels");
    }
    byte[] labels = (byte[]) lab.data();
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xff) >= LABELS.size()) {
        throw new IOException(labelName + ": label " + (labels[i] & 0xff) + " at index " + i + " is not a class 0..9");
      }
    }
    return new FashionMnist((byte[]) img.data(), labels, img.shape()[1], img.shape()[2], LABELS.size());
  }

  private static Path find(Path dir, String base) throws IOException {
    for (String name : new String[] {base, base + ".gz"}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException("no " + base + "[.gz] in " + dir + " (install Debian's dataset-fashion-mnist, or pass "
        + "the directory that holds the IDX files)");
  }

  @Override
  public int size() {
    return labels.length;
  }

  /** The class index of example {@code i}. */
  public int label(int i) {
    return labels[i] & 0xff;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int numClasses() {
    return classes;
  }

  @Override
  public Batch get(int[] indices) {
    Dataset.checkIndices(indices, size());
    int px = height * width;
    float[] x = new float[indices.length * px];
    long[] y = new long[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int src = indices[i] * px;
      int dst = i * px;
      for (int j = 0; j < px; j++) {
        // ToTensor: a float32 division by 255, as torchvision does it
        x[dst + j] = (images[src + j] & 0xff) / 255f;
      }
      y[i] = labels[indices[i]] & 0xff;
    }
    return new Batch(Raw.wrap(x, indices.length, 1, height, width), Raw.wrap(y, indices.length));
  }
}
