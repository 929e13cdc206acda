package dev.jconv.data;

import dev.jconv.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a dataset, PyTorch's {@code DataLoader(dataset, batch_size, shuffle, drop_last,
 * generator)}: each iteration is one epoch; with shuffling, every epoch draws a new order exactly as
 * PyTorch does (a seed from the generator, then {@code randperm}), so after the same
 * {@code manualSeed} the batches hold the same examples as PyTorch's. The last batch is smaller
 * unless {@code dropLast}.
 *
 * <pre>{@code
 * DataLoader train = new DataLoader(FashionMnist.load(dir, true), 256, true);
 * for (Batch b : train) { ... }   // 235 batches, the last of 96
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
  private final Dataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final Generator generator;

  /** Not dropping the last batch; shuffling from the default generator. */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle) {
    this(dataset, batchSize, shuffle, false, null);
  }

  /**
   * @param generator the generator to shuffle with, or null for the default one (as PyTorch)
   * @throws IllegalArgumentException for a batch size below 1, or shuffling an empty dataset (PyTorch's words)
   */
  public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
    // PyTorch's RandomSampler, made before the batch sampler, refuses an empty dataset.
    if (shuffle && dataset.size() == 0) {
      throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=0");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
          + batchSize);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
  }

  public Dataset dataset() {
    return dataset;
  }

  public int batchSize() {
    return batchSize;
  }

  /** The number of batches per epoch, PyTorch's {@code len(loader)}. */
  public int size() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
  }

  /** {@code torch.empty((), dtype=torch.int64).random_(generator=g).item()}. */
  private static long drawSeed(Generator g) {
    long[] seed = new long[1];
    g.fillRandom(seed, 0, 1);
    return seed[0];
  }

  /** One epoch. With shuffling, each call draws a new order. */
  @Override
  public Iterator<Batch> iterator() {
    int n = dataset.size();
    Generator g = generator != null ? generator : Generator.defaultGenerator();
    // PyTorch's iterator first draws a base seed for worker processes (unused here, but drawn, so the
    // generator's state advances as in PyTorch); the sampler then draws the seed of its permutation
    // (from the default generator) or permutes with the given one.
    drawSeed(g);
    int[] order = new int[n];
    if (shuffle) {
      long[] perm;
      if (generator == null) {
        perm = new Generator(drawSeed(g)).randperm(n);
      } else {
        perm = generator.randperm(n);
      }
      for (int i = 0; i < n; i++) {
        order[i] = (int) perm[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
    int batches = size();
    boolean extraDraw = shuffle && generator != null;
    return new Iterator<>() {
      private int next;
      private boolean finished;

      @Override
      public boolean hasNext() {
        if (next < batches) {
          return true;
        }
        if (!finished && extraDraw) {
          // PyTorch's RandomSampler ends each epoch with randperm(n)[:0] (its num_samples % n tail),
          // which still draws from the generator it was given.
          generator.randperm(n);
        }
        finished = true;
        return false;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int start = next * batchSize;
        int len = Math.min(batchSize, n - start);
        int[] idx = new int[len];
        System.arraycopy(order, start, idx, 0, len);
        next++;
        return dataset.get(idx);
      }
    };
  }
}
