package dev.bazaar.platform.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs: one that asks to be replaced starts its successor, names it in the pid file and halts
 * with the status given; the successors do the same until {@value Relaunch#MAX_RELAUNCHES}
 * replacements were made, and the last one only halts.
 */
class RelaunchTest {
  @Test
  void aJvmStartsItsReplacementNamesItInThePidFileAndTheChainEndsAfterThreeReplacements(@TempDir Path dir) throws Exception {
    Path pidFile = dir.resolve("probe.pid");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RelaunchProbe.class.getName(), dir.toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
    builder.environment().remove(Relaunch.RELAUNCHES);
    builder.environment().put(Relaunch.PID_FILE, pidFile.toString());
    Process first = builder.start();
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the first JVM ends").isTrue();
    assertThat(first.exitValue()).isEqualTo(76);

    await("three replacements, each ended").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
      .until(() -> chain(dir).size() == 1 + Relaunch.MAX_RELAUNCHES && !alive(lastPid(pidFile)));
    List<Long> chain = chain(dir);
    assertThat(chain.get(0)).isEqualTo(first.pid());
    assertThat(lastPid(pidFile)).as("the pid file names the last replacement").isEqualTo(chain.get(chain.size() - 1));
    assertThat(Files.readString(dir.resolve("out.log"))).contains("BAZAAR-RESTART probe asks to be replaced; replaced by pid")
      .contains("not replaced, its supervisor restarts it");
  }

  @Test
  void theCountOfReplacementsSoFarIsReadFromTheEnvironmentAndAGarbledOneStopsReplacing() {
    assertThat(Relaunch.relaunchesSoFar(Map.of())).isZero();
    assertThat(Relaunch.relaunchesSoFar(Map.of(Relaunch.RELAUNCHES, "2"))).isEqualTo(2);
    assertThat(Relaunch.relaunchesSoFar(Map.of(Relaunch.RELAUNCHES, "x"))).isEqualTo(Relaunch.MAX_RELAUNCHES);
  }

  private static List<Long> chain(Path dir) throws IOException {
    Path chain = dir.resolve("chain");
    return Files.exists(chain) ? Files.readAllLines(chain).stream().filter(l -> !l.isBlank()).map(Long::parseLong).toList() : List.of();
  }

  private static long lastPid(Path pidFile) throws IOException {
    return Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : -1;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
