package dev.jconv.nn;

import dev.jconv.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Modules applied one after another, PyTorch's {@code nn.Sequential}; children are named
 * {@code "0"}, {@code "1"}, ... so parameters are {@code 0.weight}, {@code 3.bias} as in PyTorch.
 *
 * <pre>{@code
 * Sequential net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1));
 * Tensor y = net.forward(x);
 * net.namedParameters().keySet();   // [0.weight, 0.bias, 2.weight, 2.bias]
 * for (Module layer : net) {         // for layer in net: the book's layer_summary
 *   x = layer.forward(x);
 * }
 * }</pre>
 */
public final class Sequential extends Module implements Iterable<Module> {
  private final List<Module> modules = new ArrayList<>();

  /** The given modules in order. */
  public Sequential(Module... modules) {
    for (Module m : modules) {
      append(m);
    }
  }

  /** Named modules in the map's order (PyTorch's {@code Sequential(OrderedDict(...))}). */
  public Sequential(Map<String, Module> named) {
    for (Map.Entry<String, Module> e : named.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().contains(".")) {
        throw new IllegalArgumentException("module name can't contain \".\" or be empty, got: \"" + e.getKey() + "\"");
      }
      registerModule(e.getKey(), e.getValue());
      modules.add(e.getValue());
    }
  }

  /** Adds a module at the end, named by its position. Returns this. */
  public Sequential append(Module m) {
    if (m == null) {
      throw new IllegalArgumentException("Sequential cannot hold a null module");
    }
    registerModule(Integer.toString(modules.size()), m);
    modules.add(m);
    return this;
  }

  /** The module at {@code index} (negative counts from the end). */
  public Module get(int index) {
    int n = modules.size();
    if (index < -n || index >= n) {
      throw new IllegalArgumentException("index " + index + " is out of range");
    }
    return modules.get(index < 0 ? index + n : index);
  }

  public int size() {
    return modules.size();
  }

  /** The modules in order (read-only), as iterating over a PyTorch Sequential gives them. */
  @Override
  public Iterator<Module> iterator() {
    return Collections.unmodifiableList(modules).iterator();
  }

  /** Applies every module in turn; an empty Sequential returns its input. */
  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : modules) {
      x = m.forward(x);
    }
    return x;
  }
}
