package dev.jconv.nn;

import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base of every layer, as PyTorch's {@code nn.Module}: named parameters ({@code weight},
 * {@code conv1.weight} for a child's), buffers, child modules, train/eval mode, a state dict that
 * can be saved and loaded (see {@link dev.jconv.io.Safetensors}), and a printed form like PyTorch's.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(Conv2dOptions.of(3, 64, 3));
 * Tensor y = conv.forward(x);
 * conv.namedParameters().keySet();   // [weight, bias]
 * conv.zeroGrad();                   // before the next backward
 * }</pre>
 */
public abstract class Module {
  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
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
    dev.jconv.internal.AutogradAccess.markParameter(value);
    parameters.put(name, value);
    return value;
  }

  /** Registers a child module under {@code name}; its parameters appear as {@code name.param}. */
  protected <M extends Module> M registerModule(String name, M module) {
    children.put(name, module);
    return module;
  }

  /**
   * Registers (or replaces) a buffer: state that is saved in the state dict but is not a parameter
   * (PyTorch's {@code register_buffer}); null removes it.
   */
  protected Tensor registerBuffer(String name, Tensor value) {
    if (value == null) {
      buffers.remove(name);
      return null;
    }
    buffers.put(name, value);
    return value;
  }

  /** The parameter called {@code name} directly on this module, or null. */
  public Tensor parameter(String name) {
    return parameters.get(name);
  }

  /**
   * This module's and its children's parameters, named as PyTorch's {@code named_parameters()}: a
   * parameter reached twice (a layer used twice, the book's tied weights) is listed once, under its
   * first name, so that an optimizer updates it once per step.
   */
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true, true);
    return Collections.unmodifiableMap(out);
  }

  /**
   * Every parameter ({@code params}) or buffer of this module and below into {@code out} under its
   * dotted name; with {@code once}, a tensor or module reached again is skipped (PyTorch's
   * named_parameters, named_buffers), else every name is kept (its state_dict).
   */
  private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean once) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(prefix, out, params, once, seen);
  }

  private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean once, Set<Object> seen) {
    if (once && !seen.add(this)) {
      return;
    }
    if (params) {
      checkParameters();
    }
    for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
      if (!once || seen.add(e.getValue())) {
        out.put(prefix + e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, Module> c : children.entrySet()) {
      c.getValue().collect(prefix + c.getKey() + ".", out, params, once, seen);
    }
  }

  /** Refuses access to parameters that do not exist yet (a lazy layer before its first forward). */
  void checkParameters() {}

  /** All parameters, in registration order. */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** The direct children, by name. */
  public Map<String, Module> namedChildren() {
    return Collections.unmodifiableMap(children);
  }

  /** This module's and its children's buffers, named like parameters (each listed once, as parameters are). */
  public Map<String, Tensor> namedBuffers() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, false, true);
    return Collections.unmodifiableMap(out);
  }

  /**
   * This module and every module below it, by dotted name ({@code ""} for this one), in PyTorch's
   * {@code named_modules()} order.
   */
  public Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return Collections.unmodifiableMap(out);
  }

  private void collectModules(String prefix, Map<String, Module> out, Set<Module> seen) {
    if (!seen.add(this)) {
      return; // a module used twice is listed once, as PyTorch's named_modules does
    }
    out.put(prefix, this);
    for (Map.Entry<String, Module> c : children.entrySet()) {
      c.getValue().collectModules(prefix.isEmpty() ? c.getKey() : prefix + "." + c.getKey(), out, seen);
    }
  }

  /**
   * Calls {@code fn} on every child (recursively) and then on this module, as PyTorch's
   * {@code apply}: the book initialises LeNet with {@code net.apply(init_weights)}. Returns this module.
   *
   * <pre>{@code
   * net.apply(m -> { if (m instanceof Linear l) Init.xavierUniform(l.weight()); });
   * }</pre>
   */
  public Module apply(Consumer<Module> fn) {
    for (Module c : children.values()) {
      c.apply(fn);
    }
    fn.accept(this);
    return this;
  }

  /**
   * Converts the floating-point parameters and buffers of this module and its children to
   * {@code dtype} (float32 or float64), as PyTorch's {@code module.to(dtype)}; returns this module.
   * Parameters are replaced by converted copies that require grad (gradients are dropped): build
   * optimizers after converting, as PyTorch advises.
   *
   * <pre>{@code
   * Conv2d conv = new Conv2d(Conv2dOptions.of(1, 2, 3));
   * conv.to(DType.FLOAT64);                 // conv.double(): float64 weights, for float64 inputs
   * }</pre>
   *
   * @throws IllegalArgumentException for a dtype that is not floating point (PyTorch's message)
   */
  public Module to(DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("nn.Module.to only accepts floating point or complex dtypes, but got desired "
          + "dtype=" + dtype.torchName());
    }
    to(dtype, new IdentityHashMap<>());
    return this;
  }

  /**
   * Converts this module and its children, each tensor once: a parameter shared by two modules (tied
   * weights) stays one tensor, as PyTorch converts a Parameter in place.
   */
  private void to(DType dtype, IdentityHashMap<Tensor, Tensor> converted) {
    for (Module c : children.values()) {
      c.to(dtype, converted);
    }
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      Tensor t = e.getValue();
      if (t.dtype().isFloatingPoint() && t.dtype() != dtype) {
        e.setValue(converted.computeIfAbsent(t, old -> {
          Tensor c = old.detach().to(dtype);
          c.setRequiresGrad(old.requiresGrad());
          dev.jconv.internal.AutogradAccess.markParameter(c);
          return c;
        }));
      }
    }
    for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
      Tensor t = e.getValue();
      if (t.dtype().isFloatingPoint() && t.dtype() != dtype) {
        e.setValue(converted.computeIfAbsent(t, old -> old.to(dtype)));
      }
    }
  }

  /** PyTorch's {@code module.double()}: {@link #to(DType) to(DType.FLOAT64)}. */
  public Module toDouble() {
    return to(DType.FLOAT64);
  }

  /** PyTorch's {@code module.float()}: {@link #to(DType) to(DType.FLOAT32)}. */
  public Module toFloat() {
    return to(DType.FLOAT32);
  }

  /**
   * Clears the gradients of all parameters. As PyTorch 1.13's {@code zero_grad()} (set_to_none=False),
   * existing gradients are set to zero in place; with {@code setToNone} they are dropped instead.
   */
  public void zeroGrad(boolean setToNone) {
    for (Tensor p : parameters()) {
      Tensor g = p.grad();
      if (g != null) {
        if (setToNone) {
          p.setGrad(null);
        } else {
          try (var ng = NoGrad.enter()) {
            g.zeroInPlace();
          }
        }
      }
    }
  }

  /** {@code zeroGrad(false)}: gradients set to zero in place, as PyTorch 1.13's default. */
  public void zeroGrad() {
    zeroGrad(false);
  }

  /**
   * The parameters and buffers by name (PyTorch's {@code state_dict()}), sharing storage with the
   * module (detached: no gradients): what {@link dev.jconv.io.Safetensors} saves.
   */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new StateDict();
    for (Map.Entry<String, Tensor> e : everyTensor().entrySet()) {
      out.put(e.getKey(), e.getValue().detach());
    }
    return out;
  }

  /** A state dict that prints as PyTorch's: {@code OrderedDict([('weight', tensor(...)), ('bias', tensor(...))])}. */
  private static final class StateDict extends LinkedHashMap<String, Tensor> {
    @Override
    public String toString() {
      if (isEmpty()) {
        return "OrderedDict()";
      }
      StringBuilder sb = new StringBuilder("OrderedDict([");
      String sep = "";
      for (Map.Entry<String, Tensor> e : entrySet()) {
        sb.append(sep).append("('").append(e.getKey()).append("', ").append(e.getValue()).append(')');
        sep = ", ";
      }
      return sb.append("])").toString();
    }
  }

  /**
   * Parameters, then buffers, under every name they have (a layer used twice under both, as in
   * PyTorch's state_dict).
   */
  private Map<String, Tensor> everyTensor() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collect("", out, true, false);
    collect("", out, false, false);
    return out;
  }

  /**
   * Copies {@code state} into this module's parameters and buffers (PyTorch's
   * {@code load_state_dict}). With {@code strict}, the keys must match exactly. Values are converted
   * to each parameter's dtype. Nothing is modified unless every key and shape fits.
   *
   * @throws IllegalArgumentException listing the missing and unexpected keys and the shape
   *     mismatches, in PyTorch's words
   */
  public void loadStateDict(Map<String, Tensor> state, boolean strict) {
    Map<String, Tensor> own = everyTensor();
    List<String> errors = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (String k : own.keySet()) {
      if (!state.containsKey(k)) {
        missing.add(k);
      }
    }
    unexpectedKeys("", state, unexpected);
    if (strict && !missing.isEmpty()) {
      errors.add("Missing key(s) in state_dict: " + quoted(missing) + ". ");
    }
    if (strict && !unexpected.isEmpty()) {
      errors.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
    }
    for (Map.Entry<String, Tensor> e : own.entrySet()) {
      Tensor src = state.get(e.getKey());
      if (src != null && !Arrays.equals(src.shapeArray(), e.getValue().shapeArray())) {
        errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + src.shape()
            + " from checkpoint, the shape in current model is " + e.getValue().shape() + ".");
      }
    }
    if (!errors.isEmpty()) {
      StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + moduleName() + ":");
      for (String err : errors) {
        sb.append("\n\t").append(err);
      }
      throw new IllegalArgumentException(sb.toString());
    }
    try (var g = NoGrad.enter()) {
      for (Map.Entry<String, Tensor> e : own.entrySet()) {
        Tensor src = state.get(e.getKey());
        if (src != null) {
          e.getValue().copyInPlace(src);
        }
      }
    }
  }

  /** {@code loadStateDict(state, true)}. */
  public void loadStateDict(Map<String, Tensor> state) {
    loadStateDict(state, true);
  }

  /**
   * PyTorch's unexpected keys, module by module (this one, then its children depth first), each
   * module's in the state's order: a key under this module's prefix whose next name is neither a child
   * nor a parameter or buffer of this module. (So, as in PyTorch, "4.weight.extra" is not one: its next
   * name under "4." is the layer's weight.)
   */
  private void unexpectedKeys(String prefix, Map<String, Tensor> state, List<String> out) {
    for (String key : state.keySet()) {
      if (key.startsWith(prefix)) {
        String name = key.substring(prefix.length()).split("\\.", 2)[0];
        if (!children.containsKey(name) && parameters.get(name) == null && buffers.get(name) == null) {
          out.add(key);
        }
      }
    }
    for (Map.Entry<String, Module> c : children.entrySet()) {
      c.getValue().unexpectedKeys(prefix + c.getKey() + ".", state, out);
    }
  }

  private static String quoted(List<String> keys) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      sb.append(i > 0 ? ", " : "").append('"').append(keys.get(i)).append('"');
    }
    return sb.toString();
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
