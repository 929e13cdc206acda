package dev.jconv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jconv.Torch;
import dev.jconv.io.Safetensors;
import dev.jconv.nn.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jconv train}: a run on the tiny Fashion-MNIST-format files of the golden data (12 training,
 * 5 test images) writes its report, the PNG and weights that load back into LeNet; bad arguments are
 * refused.
 */
class TrainCommandTest {
  private static final Path IN_CORE = Path.of("jconv-core", "src", "test", "resources", "golden", "data", "fmnist");

  @TempDir
  Path tmp;

  private static Path tinyData() {
    return Files.exists(Path.of("..").resolve(IN_CORE)) ? Path.of("..").resolve(IN_CORE) : IN_CORE;
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    CommandLine cmd = new CommandLine(new TrainCommand(o));
    cmd.setOut(new java.io.PrintWriter(o, true));
    cmd.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void trainLenet_onTinyData_reportsEachEpoch_andWritesPlotAndWeights() throws IOException {
    Result r = run("lenet", "--data", tinyData().toString(), "--epochs", "2", "--batch-size", "4", "--out",
        tmp.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("training lenet on 12 Fashion-MNIST images (test: 5), batch 4, lr 0.9, 2 epochs"),
        r.out());
    assertTrue(r.out().contains("epoch 1/2: loss "), r.out());
    assertTrue(r.out().contains("epoch 2/2: loss "), r.out());
    assertTrue(r.out().contains("examples/sec on cpu"), r.out());
    Path png = tmp.resolve("lenet.png");
    byte[] head = Files.readAllBytes(png);
    assertEquals((byte) 0x89, head[0]);
    assertEquals('P', head[1]);
    Sequential net = LeNet.SIGMOID.build();
    Safetensors.load(net, tmp.resolve("lenet.safetensors"));
    assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
        "11.weight", "11.bias"), List.copyOf(net.namedParameters().keySet()));
  }

  /**
   * A fake train_lenet_torch.py --serve (it is both the "python" and the script, so it gets itself
   * as its first argument): it records its arguments and answers each epoch request with the given figures.
   */
  private Path fakeTorch(int images, String epochAnswer) throws IOException {
    Path p = tmp.resolve("fake-python");
    Files.writeString(p, "#!/bin/sh\n"
        + "echo \"$@\" > " + tmp.resolve("args.txt") + "\n"
        + "echo '{\"ready\": true, \"torch\": \"9.9.9-fake\", \"threads\": 1, \"images\": " + images + "}'\n"
        + "n=0\n"
        + "while read cmd; do\n"
        + "  [ \"$cmd\" = quit ] && exit 0\n"
        + "  n=$((n+1))\n"
        + "  echo '{\"epoch\": '$n', " + epochAnswer + "}'\n"
        + "done\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void compareTorch_alternatesEpochs_passesTheRecipe_andPrintsTheTable() throws IOException {
    // The fake PyTorch takes 4 s per epoch of 12 images (3 images/s): jconv is far faster on 12 images.
    Path python = fakeTorch(12, "\"loss\": 2.5, \"train_acc\": 0.25, \"test_acc\": 0.2, \"seconds\": 4.0, "
        + "\"images\": 12");
    Result r = run("lenet", "--data", tinyData().toString(), "--epochs", "3", "--batch-size", "4", "--no-progress",
        "--seed", "5", "--threads", "1", "--out", tmp.toString(), "--compare", "torch", "--python", python.toString(),
        "--torch-script", python.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    String out = r.out();
    assertTrue(out.contains("compared with PyTorch 9.9.9-fake"), out);
    int j2 = out.indexOf("\nepoch 2/3: loss ");
    int t1 = out.indexOf("  PyTorch epoch 1/3: loss 2.500, train acc 0.250, test acc 0.200, 4.00 s (3 images/s)");
    int t2 = out.indexOf("  PyTorch epoch 2/3: ");
    assertTrue(t1 > 0 && j2 > t1 && t2 > j2, "epochs alternate: " + out);
    assertTrue(out.contains("side by side, 1 thread, epochs alternating (images/s of the median epoch):"), out);
    assertTrue(out.matches("(?s).*examples/sec on cpu \\(1 thread\\)\n.*"), out);
    assertTrue(out.contains("PyTorch 9.9.9-fake   2.500      0.250     0.200       4.00          3"), out);
    assertTrue(out.matches("(?s).*jconv / PyTorch images/s: [0-9.]+x\n.*"), out);
    String args = Files.readString(tmp.resolve("args.txt"));
    assertEquals(python + " --serve --model lenet --data " + tinyData() + " --epochs 3 --batch-size 4 "
        + "--lr 0.9 --threads 1 --seed 5", args.strip());
  }

  @Test
  void compareTorch_withOtherData_refusesToCompare() throws IOException {
    Path python = fakeTorch(60000, "\"loss\": 1");
    Result r = run("lenet", "--data", tinyData().toString(), "--epochs", "1", "--no-progress", "--out", tmp.toString(),
        "--compare", "torch", "--python", python.toString(), "--torch-script", python.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("cannot compare with PyTorch: PyTorch loaded 60000 training images, jconv 12"), r.out());
  }

  @Test
  void compareTorch_withoutPython_saysWhy() {
    Result r = run("lenet", "--data", tinyData().toString(), "--epochs", "1", "--no-progress", "--out", tmp.toString(),
        "--compare", "torch", "--python", tmp.resolve("no-python").toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("cannot compare with PyTorch: " + tmp.resolve("no-python")
        + " does not exist or is not executable (Debian: apt-get install python3-torch)"), r.out());
  }

  @Test
  void compareTorch_whenTorchFailsAnEpoch_stopsWithItsError() throws IOException {
    Path python = fakeTorch(12, "\"error\": \"RuntimeError: out of memory\"");
    Result r = run("lenet", "--data", tinyData().toString(), "--epochs", "2", "--no-progress", "--out", tmp.toString(),
        "--compare", "torch", "--python", python.toString(), "--torch-script", python.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("train: PyTorch stopped: PyTorch failed: RuntimeError: out of memory"), r.out());
  }

  @Test
  void compareOther_isAUsageError() {
    Result r = run("lenet", "--data", tinyData().toString(), "--compare", "tensorflow");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--compare must be torch or none, got 'tensorflow'"), r.err());
  }

  @Test
  void lenetRelu_usesItsLearningRate() {
    Result r = run("lenet-relu", "--data", tinyData().toString(), "--epochs", "1", "--batch-size", "5",
        "--no-progress", "--out", tmp.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("lr 0.1"), r.out());
  }

  @Test
  void unknownModel_isAUsageError() {
    Result r = run("resnet", "--data", tinyData().toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown model 'resnet'"), r.err());
  }

  @Test
  void missingData_saysWhatToInstall() {
    Result r = run("lenet", "--data", tmp.resolve("nothing").toString(), "--out", tmp.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("dataset-fashion-mnist"), r.out());
  }

  @Test
  void lenet_initialisesAsTheBook_andKeepsTheSeed() {
    Torch.manualSeed(0);
    Sequential a = LeNet.SIGMOID.build();
    Torch.manualSeed(0);
    Sequential b = LeNet.SIGMOID.build();
    assertTrue(a.stateDict().get("7.weight").equal(b.stateDict().get("7.weight")));
    assertEquals(12, a.size());
    // Xavier bound for Linear(400, 120): sqrt(6 / 520)
    double bound = Math.sqrt(6.0 / 520);
    assertTrue(a.stateDict().get("7.weight").abs().max().item() <= bound);
  }
}
