package dev.jconv.nn;

import dev.jconv.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every layer, as PyTorch's {@code nn.Module}: named parameters ({@code weight},
 * {@code conv1.weight} for a child's), child modules, train/eval mode, and a printed form like
 * PyTorch's.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(Conv2dOptions.of(3, 64, 3));
 * Tensor y = conv.forward(x);
 * conv.namedParameters().keySet();   // [weight, bias]
 * }</pre>
 */
public abstract class Module {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  /** Computes the layer's output. */
  public abstract Tensor forward(Tensor input);

  /**
   * Registers (or replaces) a parameter under {@code name}; it is marked as requiring grad, as
   * PyTorch's {@code nn.Parameter} is. A null tensor registers nothing (e.g. {@code bias=False}).
   */
  protected Tensor registerParameter(String name, Tensor value) {
    if (value == null) {
      parameters.remove(name);
      return null;
    }
    value.setRequiresGrad(true);
    parameters.put(name, value);
    return value;
  }

  /** Registers a child module under {@code name}; its parameters appear as {@code name.param}. */
  protected <M extends Module> M registerModule(String name, M module) {
    children.put(name, module);
    return module;
  }

  /** The parameter called {@code name} directly on this module, or null. */
  public Tensor parameter(String name) {
    return parameters.get(name);
  }

  /** This module's and its children's parameters, named as PyTorch's {@code named_parameters()}. */
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>(parameters);
    for (Map.Entry<String, Module> c : children.entrySet()) {
      for (Map.Entry<String, Tensor> p : c.getValue().namedParameters().entrySet()) {
        out.put(c.getKey() + "." + p.getKey(), p.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** All parameters, in registration order. */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** The direct children, by name. */
  public Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(children);
  }

  /** Sets training mode on this module and its children (PyTorch's {@code train(mode)}). */
  public Module train(boolean mode) {
    training = mode;
    for (Module c : children.values()) {
      c.train(mode);
    }
    return this;
  }

  /** {@code train(false)}. */
  public Module eval() {
    return train(false);
  }

  public boolean isTraining() {
    return training;
  }

  /** The text inside the parentheses of the printed form, like PyTorch's {@code extra_repr()}. */
  protected String extraRepr() {
    return "";
  }

  /** The printed name, like the class name in PyTorch. */
  protected String moduleName() {
    return getClass().getSimpleName();
  }

  /** PyTorch's module repr: {@code Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1))}, children indented. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(moduleName()).append('(');
    String extra = extraRepr();
    List<String> lines = new ArrayList<>();
    if (!extra.isEmpty()) {
      lines.addAll(List.of(extra.split("\n")));
    }
    for (Map.Entry<String, Module> c : children.entrySet()) {
      String child = c.getValue().toString().replace("\n", "\n  ");
      lines.add("(" + c.getKey() + "): " + child);
    }
    if (!lines.isEmpty()) {
      if (children.isEmpty() && lines.size() == 1) {
        sb.append(lines.get(0));
      } else {
        sb.append('\n');
        for (String l : lines) {
          sb.append("  ").append(l).append('\n');
        }
      }
    }
    return sb.append(')').toString();
  }
}
