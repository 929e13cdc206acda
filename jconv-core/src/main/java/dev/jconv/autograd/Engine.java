package dev.jconv.autograd;

import dev.jconv.Tensor;
import dev.jconv.internal.autograd.GradUtil;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs the backward pass: finds every node reachable from the root, counts how many gradients each
 * waits for, and runs a node once all have arrived, latest-recorded first (PyTorch's order, so sums
 * of gradients happen in the same order).
 */
final class Engine {
  private Engine() {}

  static void run(Node root, Tensor rootGrad, boolean retainGraph) {
    Map<Node, int[]> pending = new IdentityHashMap<>();
    ArrayDeque<Node> stack = new ArrayDeque<>();
    pending.put(root, new int[1]);
    stack.push(root);
    // Iterative: a long chain of nodes (a training loop without reset) must not overflow the stack.
    while (!stack.isEmpty()) {
      Node n = stack.pop();
      for (Node c : n.next) {
        if (c != null) {
          int[] count = pending.get(c);
          if (count == null) {
            pending.put(c, count = new int[1]);
            stack.push(c);
          }
          count[0]++;
        }
      }
    }
    Map<Node, Tensor> buffers = new IdentityHashMap<>();
    PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
    buffers.put(root, rootGrad);
    ready.add(root);
    boolean previous = GradMode.setEnabled(false);
    try {
      while (!ready.isEmpty()) {
        Node n = ready.poll();
        Tensor g = buffers.remove(n);
        if (g != null) {
          n.checkSaved();
        }
        Tensor[] grads = g == null ? null : n.backward(g);
        if (!retainGraph) {
          n.release();
        }
        for (int i = 0; i < n.next.length; i++) {
          Node c = n.next[i];
          if (c == null) {
            continue;
          }
          Tensor gi = grads == null || i >= grads.length ? null : grads[i];
          if (gi != null) {
            gi = validate(n, i, gi);
            Tensor acc = buffers.get(c);
            buffers.put(c, acc == null ? gi : acc.add(gi));
          }
          if (--pending.get(c)[0] == 0) {
            ready.add(c);
          }
        }
      }
    } finally {
      GradMode.setEnabled(previous);
    }
  }

  /** Brings a gradient to its input's shape (summing broadcast dimensions) and dtype. */
  private static Tensor validate(Node n, int i, Tensor g) {
    int[] want = n.inputShapes[i];
    int[] got = g.shapeArray();
    if (!Arrays.equals(want, got)) {
      if (!GradUtil.expandable(want, got)) {
        throw new IllegalStateException("Function " + n.name() + " returned an invalid gradient at index " + i
            + " - got " + Arrays.toString(got) + " but expected shape compatible with " + Arrays.toString(want));
      }
      g = GradUtil.sumTo(g, want);
    }
    if (g.dtype() != n.inputTypes[i]) {
      g = g.to(n.inputTypes[i]);
    }
    return g;
  }
}
