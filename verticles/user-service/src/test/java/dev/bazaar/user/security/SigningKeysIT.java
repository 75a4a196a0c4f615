package dev.bazaar.user.security;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Instances that start together must end up signing with one key, and the first admin with one password. */
class SigningKeysIT {
  @TempDir
  Path dir;

  @Test
  void concurrentFirstStartsAgreeOnOneKey() throws Exception {
    List<String> kids = race(() -> SigningKeys.loadOrCreate(dir).getKeyID());
    assertThat(kids).hasSize(8).containsOnly(kids.get(0));
    assertThat(RSAKey.parse(Files.readString(dir.resolve("user-service-signing-key.json"))).getKeyID()).isEqualTo(kids.get(0));
    assertThat(Files.getPosixFilePermissions(dir.resolve("user-service-signing-key.json")))
      .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("no temporary files left").isEqualTo(1);
    }
  }

  @Test
  void concurrentFirstStartsAgreeOnOneAdminPassword() throws Exception {
    Path file = dir.resolve("admin-password");
    List<String> passwords = race(() -> AdminBootstrap.readOrCreate(file));
    assertThat(passwords).hasSize(8).containsOnly(passwords.get(0));
    assertThat(passwords.get(0)).hasSizeGreaterThanOrEqualTo(20);
    assertThat(Files.readString(file).strip()).isEqualTo(passwords.get(0));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  private static <T> List<T> race(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
