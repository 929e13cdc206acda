package dev.jconv.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jconv.DType;
import dev.jconv.Tensor;
import dev.jconv.Torch;
import dev.jconv.io.Npy;
import dev.jconv.testing.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layers, init helpers and state dicts against PyTorch 1.13 (tools/golden/gen_nn.py). */
class NnGoldenTest {
  private static final String AREA = "nn";

  private static Tensor array(JsonNode file) {
    return Npy.toTensor(Golden.array(AREA, file.asText()));
  }

  private static Stream<Arguments> ofKind(String kind) {
    return Golden.cases(AREA).stream().filter(c -> c.get("kind").asText().equals(kind))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> linearCases() {
    return ofKind("linear");
  }

  static Stream<Arguments> initCases() {
    return ofKind("init");
  }

  static Stream<Arguments> errorCases() {
    return ofKind("error");
  }

  private static JsonNode only(String name) {
    return Golden.cases(AREA).stream().filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static void assertExact(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what);
    assertTrue(expected.equal(actual), what + "\nexpected " + Arrays.toString(expected.toDoubleArray())
        + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  private static void assertClose(Tensor expected, Tensor actual, double rtol, String what) {
    assertArrayEquals(expected.shapeArray(), actual.shapeArray(), what);
    assertTrue(expected.allclose(actual, rtol, rtol, false), what + "\nexpected "
        + Arrays.toString(expected.toDoubleArray()) + "\nactual   " + Arrays.toString(actual.toDoubleArray()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("linearCases")
  void linear_initAndForward_matchPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Linear lin = new Linear(c.get("in_features").asInt(), c.get("out_features").asInt(), c.get("bias").asBoolean());
    assertExact(array(c.get("weight")), lin.weight().detach(), "weight, bit for bit");
    if (c.get("bias").asBoolean()) {
      assertExact(array(c.get("b")), lin.bias().detach(), "bias, bit for bit");
    }
    assertEquals(c.get("repr").asText(), lin.toString());
    Tensor out = lin.forward(array(c.get("x")));
    assertClose(array(c.get("out")), out.detach(), 1e-5, "output");
  }

  private static final Map<String, Consumer<Tensor>> INITS = new HashMap<>();

  static {
    INITS.put("xavier_uniform", Init::xavierUniform);
    INITS.put("xavier_uniform_gain", t -> Init.xavierUniform(t, Init.calculateGain("relu")));
    INITS.put("xavier_normal", Init::xavierNormal);
    INITS.put("kaiming_uniform", Init::kaimingUniform);
    INITS.put("kaiming_uniform_fanout_relu", t -> Init.kaimingUniform(t, 0, Init.FanMode.FAN_OUT, "relu"));
    INITS.put("kaiming_uniform_a", t -> Init.kaimingUniform(t, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu"));
    INITS.put("kaiming_normal", Init::kaimingNormal);
    INITS.put("kaiming_normal_fanout", t -> Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, "relu"));
    INITS.put("uniform", t -> Init.uniform(t, -0.5, 2.0));
    INITS.put("normal", t -> Init.normal(t, 1.0, 0.01));
    INITS.put("constant", t -> Init.constant(t, 0.25));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("initCases")
  void init_drawsPyTorchsNumbers(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    int[] shape = new int[c.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = c.get("shape").get(i).asInt();
    }
    DType dtype = c.get("dtype").asText().equals("float64") ? DType.FLOAT64 : DType.FLOAT32;
    Tensor t = Torch.zeros(dtype, shape).setRequiresGrad(true); // parameters require grad: init must not record
    INITS.get(c.get("init").asText()).accept(t);
    assertTrue(t.isLeaf());
    String init = c.get("init").asText();
    if (init.contains("normal")) {
      // PyTorch's normal_ uses vectorised log/sin/cos approximations: an ulp or two apart.
      assertClose(array(c.get("out")), t.detach(), dtype == DType.FLOAT64 ? 1e-12 : 1e-6, name);
    } else {
      assertExact(array(c.get("out")), t.detach(), name);
    }
  }

  @Test
  void calculateGain_matchesPyTorch() {
    JsonNode gains = only("calculate_gain").get("gains");
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = gains.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String[] parts = e.getKey().split(":");
      double param = parts[1].equals("None") ? Double.NaN : Double.parseDouble(parts[1]);
      assertEquals(e.getValue().asDouble(), Init.calculateGain(parts[0], param), 0.0, e.getKey());
      checked++;
    }
    assertEquals(9, checked);
  }

  @Test
  void sequential_reprNamesAndOutput_matchPyTorch() {
    JsonNode c = only("sequential_mlp");
    Torch.manualSeed(c.get("seed").asLong());
    Sequential net = new Sequential(new Flatten(), new Linear(12, 8), new Sigmoid(), new Linear(8, 6), new ReLU(),
        new Linear(6, 3), new Tanh());
    assertEquals(c.get("repr").asText(), net.toString());
    List<String> names = new ArrayList<>();
    c.get("names").forEach(n -> names.add(n.asText()));
    assertEquals(names, new ArrayList<>(net.namedParameters().keySet()));
    assertClose(array(c.get("out")), net.forward(array(c.get("x"))).detach(), 1e-5, "output");
  }

  /** The networks of gen_nn.py's lazy cases, built as there. */
  private static Sequential lazyNet(String name) {
    return switch (name) {
      case "lazy_lenet" -> new Sequential(new LazyConv2d(Conv2dOptions.lazy(6, 5).padding(2)), new Sigmoid(),
          new AvgPool2d(AvgPool2dOptions.of(2).stride(2)), new LazyConv2d(16, 5), new Sigmoid(),
          new AvgPool2d(AvgPool2dOptions.of(2).stride(2)), new Flatten(), new LazyLinear(120), new Sigmoid(),
          new LazyLinear(84), new Sigmoid(), new LazyLinear(10));
      case "lazy_options" -> new Sequential(
          new LazyConv2d(Conv2dOptions.lazy(4, 3, 2).stride(2).padding(1).groups(2).bias(false)),
          new LazyLinear(5, false), new LazyLinear(3));
      default -> throw new AssertionError(name);
    };
  }

  static Stream<Arguments> lazyCases() {
    return ofKind("lazy");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lazyCases")
  void lazyLayers_drawAtTheFirstForward_asPyTorch(String name, JsonNode c) {
    Torch.manualSeed(c.get("seed").asLong());
    Sequential net = lazyNet(name);
    assertEquals(c.get("repr_before").asText(), net.toString());
    IllegalStateException early = assertThrows(IllegalStateException.class, net::parameters);
    assertTrue(early.getMessage().startsWith("Can't access the shape of an uninitialized parameter"),
        early.getMessage());
    Tensor out = net.forward(array(c.get("x")));
    assertEquals(c.get("repr_after").asText(), net.toString());
    List<String> names = new ArrayList<>();
    c.get("params").fieldNames().forEachRemaining(names::add);
    assertEquals(names, new ArrayList<>(net.namedParameters().keySet()), "parameter names, in order");
    for (String n : names) {
      // The same draws: bit for bit.
      assertClose(array(c.get("params").get(n)), net.namedParameters().get(n).detach(), 0, n);
    }
    assertClose(array(c.get("out")), out.detach(), 1e-5, "output");
  }

  @Test
  void layerSummary_iteratesTheSequential_asTheBookDoes() {
    Torch.manualSeed(11);
    Sequential net = lazyNet("lazy_lenet");
    Tensor x = Torch.randn(1, 1, 28, 28);
    List<String> lines = new ArrayList<>();
    for (Module layer : net) {
      x = layer.forward(x);
      lines.add(layer.toString().replaceFirst("\\(.*", "") + " output shape:\t" + x.shape());
    }
    List<String> want = new ArrayList<>();
    only("layer_summary").get("lines").forEach(l -> want.add(l.asText()));
    assertEquals(want, lines);
  }

  @Test
  void tiedLayer_isOneParameter_forNamesAndTheOptimizer() {
    JsonNode c = only("tied_sgd");
    Torch.manualSeed(c.get("seed").asLong());
    Linear shared = new Linear(3, 3);
    Sequential tied = new Sequential(new Linear(2, 3), new ReLU(), shared, new ReLU(), shared, new ReLU(),
        new Linear(3, 1));
    assertEquals(texts(c.get("names")), new ArrayList<>(tied.namedParameters().keySet()));
    assertEquals(texts(c.get("keys")), new ArrayList<>(tied.stateDict().keySet()));
    assertEquals(texts(c.get("modules")), new ArrayList<>(tied.namedModules().keySet()));
    Tensor x = array(c.get("x"));
    dev.jconv.optim.SGD opt = new dev.jconv.optim.SGD(tied.parameters(),
        dev.jconv.optim.SGDOptions.of(0.1).momentum(0.9));
    for (int i = 0; i < 2; i++) {
      opt.zeroGrad();
      tied.forward(x).sum().backward();
      opt.step();
    }
    for (Map.Entry<String, Tensor> e : tied.namedParameters().entrySet()) {
      assertClose(array(c.get("params").get(e.getKey())), e.getValue().detach(), 1e-6, e.getKey());
    }
  }

  /** A module that holds another's weight as its own (PyTorch's decoder.weight = encoder.weight). */
  static final class TiedHead extends Module {
    TiedHead(Linear source) {
      registerParameter("weight", source.weight());
    }

    @Override
    public Tensor forward(Tensor input) {
      return input.matmul(parameter("weight"));
    }
  }

  @Test
  void tiedTensor_staysOneTensor_throughAConversion() {
    Linear enc = new Linear(3, 2);
    Sequential net = new Sequential(enc, new TiedHead(enc));
    assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(net.namedParameters().keySet()));
    net.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, enc.weight().dtype());
    assertTrue(enc.weight() == net.get(1).parameter("weight"), "one tensor, as PyTorch converts a Parameter in place");
    assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(net.namedParameters().keySet()));
  }

  private static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void parametersAndStateDicts_printAsPyTorchs() {
    JsonNode c = only("parameter_print");
    Torch.manualSeed(c.get("seed").asLong());
    Linear lin = new Linear(3, 2);
    List<String> got = List.of(lin.bias().toString(), lin.weight().toString(), lin.bias().detach().toString(),
        lin.bias().mul(1.0).toString(), ((Linear) lin.to(DType.FLOAT64)).bias().toString(),
        lin.stateDict().toString(), new Sequential().stateDict().toString());
    assertEquals(texts(c.get("prints")), got);
  }

  @Test
  void reprs_matchPyTorch() {
    assertEquals(only("flatten_repr").get("repr").asText(), new Flatten(0, 2).toString());
    assertEquals(only("loss_repr").get("repr").asText(), new CrossEntropyLoss() + "|" + new MSELoss());
  }

  /** PyTorch's {@code Net} in gen_nn.py. */
  static final class Net extends Module {
    Net() {
      registerModule("fc1", new Linear(3, 2));
      registerModule("fc2", new Linear(2, 1));
    }

    @Override
    public Tensor forward(Tensor input) {
      return namedChildren().get("fc2").forward(namedChildren().get("fc1").forward(input));
    }
  }

  private static final Map<String, Runnable> ERRORS = new HashMap<>();

  static {
    ERRORS.put("init_fanOneDim", () -> Init.xavierUniform(Torch.zeros(3)));
    ERRORS.put("init_badNonlinearity", () -> Init.calculateGain("swish"));
    ERRORS.put("loadStateDict_missing", () -> {
      Map<String, Tensor> sd = new Net().stateDict();
      sd.remove("fc2.bias");
      new Net().loadStateDict(sd);
    });
    ERRORS.put("loadStateDict_unexpected", () -> {
      Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
      sd.put("extra", Torch.zeros(1));
      new Net().loadStateDict(sd);
    });
    ERRORS.put("loadStateDict_sizeMismatch", () -> {
      Map<String, Tensor> sd = new Net().stateDict();
      sd.put("fc1.weight", Torch.zeros(2, 4));
      new Net().loadStateDict(sd);
    });
    ERRORS.put("linear_negative", () -> new Linear(-1, 3));
    ERRORS.put("lazyConv2d_rank", () -> new LazyConv2d(6, 3).forward(Torch.rand(8, 8)));
    ERRORS.put("lazyConv2d_groups", () -> new LazyConv2d(Conv2dOptions.lazy(6, 3).groups(2)).forward(
        Torch.rand(1, 3, 8, 8)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void errors_matchPyTorchsMessage(String name, JsonNode c) {
    Runnable call = ERRORS.get(name);
    assertNotNull(call, name);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    String torch = c.get("error").asText().replaceFirst("^[A-Za-z]+: ", "");
    assertEquals(torch.strip(), e.getMessage().strip());
  }

  @Test
  void loadStateDict_copiesValues_andLeavesTheModelUnchangedOnError() {
    Net a = new Net();
    Net b = new Net();
    b.loadStateDict(a.stateDict());
    for (String k : a.stateDict().keySet()) {
      assertTrue(a.stateDict().get(k).equal(b.stateDict().get(k)), k);
    }
    Tensor before = b.stateDict().get("fc1.bias").cloneTensor();
    Map<String, Tensor> bad = new Net().stateDict();
    bad.put("fc2.weight", Torch.zeros(5));
    assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
    assertTrue(before.equal(b.stateDict().get("fc1.bias")), "nothing copied when a shape is wrong");
    assertTrue(b.parameters().get(0).requiresGrad());
  }

  @Test
  void zeroGradAndApply_reachEveryParameter() {
    Net n = new Net();
    n.forward(Torch.ones(4, 3)).sum().backward();
    for (Tensor p : n.parameters()) {
      assertNotNull(p.grad());
    }
    n.zeroGrad();
    for (Tensor p : n.parameters()) {
      assertEquals(0.0, p.grad().abs().sum().item());
    }
    List<String> visited = new ArrayList<>();
    n.apply(m -> visited.add(m.getClass().getSimpleName()));
    assertEquals(List.of("Linear", "Linear", "Net"), visited);
    assertEquals(List.of("", "fc1", "fc2"), new ArrayList<>(n.namedModules().keySet()));
  }
}
