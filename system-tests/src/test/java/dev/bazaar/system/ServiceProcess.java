package dev.bazaar.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One JVM of the cluster under test, with the signals a user sends it. */
record ServiceProcess(String name, Process process, Path log) {

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  void killHard() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void freeze() {
    signal("STOP");
  }

  void thaw() {
    signal("CONT");
  }

  /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    thaw();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        killHard();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killHard();
    }
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    } catch (IOException e) {
      return "(no log)\n";
    }
  }

  private void signal(String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot send SIG" + signal + " to " + pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
