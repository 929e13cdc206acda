package dev.jconv.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's side of {@code ./jconv bench}: {@code tools/bench/torch_bench.py --serve THREADS} in a
 * child process (the script fixes the thread and malloc environment before torch loads), driven
 * request by request so that its samples alternate with jconv's. See the script's docstring for the
 * protocol.
 */
final class TorchServer implements AutoCloseable {

  /** PyTorch cannot be used; the message says why, in a user's words. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  /** What {@code prepare} answered: the case's kind, its work (flops or bytes) and calls per sample. */
  record Prepared(String kind, double work, int reps) {}

  private static final String EOF = new String("<eof>");

  private final Process process;
  private final PrintWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Deque<String> errTail = new ArrayDeque<>();
  private final String version;
  private final String readyLine;
  private final int threads;
  private final String command;
  private final Thread errReader;

  private TorchServer(Process process, String command, int threads) throws Unavailable {
    this.process = process;
    this.command = command;
    this.threads = threads;
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    drain(process.getInputStream(), line -> lines.add(line), () -> lines.add(EOF));
    this.errReader = drain(process.getErrorStream(), this::keepErr, () -> { });
    String ready = next(120);
    if (JsonFields.string(ready, "torch").isEmpty()) {
      close();
      var error = JsonFields.string(ready, "error");
      throw new Unavailable(error.isPresent() ? "PyTorch failed: " + error.get()
          : "unexpected first line from " + command + ": " + ready);
    }
    this.version = JsonFields.string(ready, "torch").orElseThrow();
    this.readyLine = ready;
  }

  /**
   * Starts the server with {@code threads} threads.
   *
   * @throws Unavailable when the interpreter or the script is missing, or torch does not import
   *     (the message quotes the script's last error line)
   */
  static TorchServer start(Path python, Path script, int threads) throws Unavailable {
    return start(python, script, List.of("--serve", Integer.toString(threads)), threads);
  }

  /**
   * Starts {@code python script args...}, a server that speaks this protocol (one request line, one
   * JSON answer line; first a line with "torch": VERSION, or "error").
   */
  static TorchServer start(Path python, Path script, List<String> args, int threads) throws Unavailable {
    if (!Files.isExecutable(python)) {
      throw new Unavailable(python + " does not exist or is not executable (Debian: apt-get install python3-torch)");
    }
    if (script == null || !Files.isRegularFile(script)) {
      throw new Unavailable("tools/bench/" + (script == null ? "torch_bench.py" : script.getFileName()) + " not found"
          + (script == null ? "" : " at " + script) + " (run from the jconv repository, or pass --torch-script)");
    }
    List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString()));
    cmd.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      throw new Unavailable("cannot run " + python + ": " + e.getMessage());
    }
    return new TorchServer(p, python + " " + script.getFileName(), threads);
  }

  /** torch.__version__ as the script reported it. */
  String version() {
    return version;
  }

  /** The server's first line (JSON), e.g. what it loaded. */
  String readyLine() {
    return readyLine;
  }

  int threads() {
    return threads;
  }

  /** Whether the child process still runs (a failed request may have been one case's problem only). */
  boolean alive() {
    return process.isAlive();
  }

  /**
   * Makes the case's inputs, calibrates and warms up in PyTorch.
   *
   * @param pass {@code forward} or {@code backward} (the convolution's three gradients)
   */
  Prepared prepare(String caseName, String pass, int warmup, double sampleMs) throws Unavailable {
    String answer = request("prepare " + caseName + " " + warmup + " " + sampleMs + " " + pass,
        60 + (warmup + 2) * sampleMs / 1e3 * 4);
    return new Prepared(JsonFields.string(answer, "kind").orElse("?"),
        field(answer, "work"), (int) field(answer, "reps"));
  }

  /** One timed sample of a prepared case: milliseconds per call. */
  double sample(String caseName, double sampleMs) throws Unavailable {
    return field(request("sample " + caseName, 60 + sampleMs / 1e3 * 4), "ms");
  }

  static double field(String answer, String key) throws Unavailable {
    return JsonFields.number(answer, key).orElseThrow(
        () -> new Unavailable("PyTorch's answer has no '" + key + "': " + answer));
  }

  /** Sends one request line and returns the JSON answer; an {"error": ...} answer is thrown. */
  String request(String line, double timeoutSeconds) throws Unavailable {
    in.println(line);
    if (in.checkError()) {
      throw stopped();
    }
    String answer = next(timeoutSeconds);
    var error = JsonFields.string(answer, "error");
    if (error.isPresent()) {
      throw new Unavailable("PyTorch failed: " + error.get());
    }
    return answer;
  }

  private String next(double timeoutSeconds) throws Unavailable {
    String line;
    try {
      line = lines.poll((long) Math.ceil(timeoutSeconds), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting for PyTorch");
    }
    if (line == null) {
      throw new Unavailable(command + " did not answer within " + (long) Math.ceil(timeoutSeconds) + " s");
    }
    if (line == EOF) {
      throw stopped();
    }
    return line;
  }

  /** The process has ended: says so, with the last line it wrote to stderr. */
  private Unavailable stopped() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      // The error stream may still hold the line that says why: read it to its end first.
      errReader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Unavailable(command + " stopped" + lastError());
  }

  private String lastError() {
    synchronized (errTail) {
      // Python's last line of a traceback names the error, e.g. "ModuleNotFoundError: No module named 'torch'".
      return errTail.isEmpty() ? "" : ": " + errTail.peekLast();
    }
  }

  private void keepErr(String line) {
    synchronized (errTail) {
      if (!line.isBlank()) {
        errTail.addLast(line.strip());
        if (errTail.size() > 20) {
          errTail.removeFirst();
        }
      }
    }
  }

  private static Thread drain(InputStream stream, java.util.function.Consumer<String> sink, Runnable atEnd) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process is gone; atEnd tells the reader
      } finally {
        atEnd.run();
      }
    }, "jconv-bench-torch-io");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The recent lines the script wrote to stderr (for error messages). */
  List<String> errLines() {
    synchronized (errTail) {
      return new ArrayList<>(errTail);
    }
  }

  @Override
  public void close() {
    in.println("quit");
    in.close();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
