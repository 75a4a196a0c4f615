package dev.bazaar.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local PostgreSQL 17 (zonky embedded binaries) for scripts/bazaar, in its own JVM.
 *
 * <p>Data in {@code $BAZAAR_HOME/pg/data}, kept between runs. Listens on 127.0.0.1:BAZAAR_PG_PORT
 * (default 15432) only, no Unix socket. TCP connections need a password (scram-sha-256 for every
 * host line of pg_hba.conf, set by initdb); the superuser {@code postgres} has a random password kept
 * in {@code $BAZAAR_HOME/pg/superuser-password} (0600). After start it provisions one database and
 * role per service ({@link ProvisionDatabases}), prints {@code BAZAAR-READY postgres 127.0.0.1:<port>}
 * and stays up until SIGTERM/SIGINT. Run as root, zonky starts postgres inside {@code unshare -U}.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    public static final String SUPERUSER = "postgres";
    public static final String HOST = "127.0.0.1";
    /** A second listen address for services on other hosts (BAZAAR_INFRA_HOST), or null. */
    private static final String OTHER_HOSTS = Env.get("BAZAAR_INFRA_HOST", null);
    /**
     * BAZAAR_PG_STATEMENT_STATS=on: load pg_stat_statements (every statement's calls and time, all
     * databases, readable in the {@code postgres} database) for profiling, e.g. bench/orders.sh
     * PG_STATS=1. Off by default: it costs every statement a little.
     */
    private static final boolean STATEMENT_STATS = "on".equals(Env.get("BAZAAR_PG_STATEMENT_STATS", "off"));
    /**
     * BAZAAR_PG_SETTINGS: more server settings for the local PostgreSQL, {@code name=value} pairs
     * separated by commas (e.g. {@code commit_delay=200,commit_siblings=2}); they override Bazaar's.
     */
    private static final String EXTRA_SETTINGS = Env.get("BAZAAR_PG_SETTINGS", "");

    private final EmbeddedPostgres pg;
    private final int port;
    private final String superuserPassword;
    private final Path dataDir;

    private LocalPostgres(EmbeddedPostgres pg, int port, String superuserPassword, Path dataDir) {
        this.pg = pg;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.dataDir = dataDir;
    }

    public static void main(String[] args) throws Exception {
        Path home = Env.home();
        int port = Env.port("BAZAAR_PG_PORT", 15432);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        LocalPostgres pg;
        try {
            pg = start(home, port);
        } catch (Exception e) {
            LOG.error("PostgreSQL did not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            LOG.info("stopping PostgreSQL");
            pg.close();
            stopped.countDown();
        }, "stop-postgres"));
        // If the postmaster dies under us, die too so that `scripts/bazaar status` shows it.
        pg.postmaster().ifPresent(ph -> ph.onExit().thenRun(() -> {
            if (!stopping.get()) {
                LOG.error("postmaster {} exited unexpectedly", ph.pid());
                Runtime.getRuntime().halt(3);
            }
        }));
        System.out.println("BAZAAR-READY postgres " + HOST + ":" + pg.port());
        System.out.flush();
        System.gc(); // the first start unpacks the binaries on the heap: give that memory back
        stopped.await();
    }

    /** Starts (initialising on first use) the server of {@code home} on {@code port} and provisions it. */
    public static LocalPostgres start(Path home, int port) throws Exception {
        Path pgHome = home.resolve("pg");
        Path data = pgHome.resolve("data");
        Path passwordFile = pgHome.resolve("superuser-password");
        Files.createDirectories(pgHome);
        boolean initialised = Files.exists(data.resolve("postgresql.conf"));
        if (!initialised && Files.exists(data)) {
            LOG.warn("{} holds no initialised cluster (an initdb that failed?): removing it", data);
            deleteRecursively(data);
        }
        String password = superuserPassword(passwordFile, initialised);
        stopOrphanPostmaster(data);

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (STATEMENT_STATS) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all");
        }
        builder
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30))
                // initdb options: zonky passes "-A trust" first, these later ones win
                .setLocaleConfig("locale", "C")
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                // server options
                .setServerConfig("listen_addresses", OTHER_HOSTS == null ? HOST : HOST + "," + OTHER_HOSTS)
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "64MB")
                // zonky defaults to -F (fsync off) and synchronous_commit off: this data is kept, and the
                // fault tests kill processes, so commit durably
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setConnectConfig("password", password);
        extraSettings(builder);
        EmbeddedPostgres pg = builder.start();
        LocalPostgres local = new LocalPostgres(pg, port, password, data);
        try (Connection c = ProvisionDatabases.connect(HOST, port, "postgres", SUPERUSER, password)) {
            admitOtherHosts(c, data);
            if (STATEMENT_STATS) {
                try (var statement = c.createStatement()) {
                    statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
            ProvisionDatabases.provision(c, true);
        } catch (Exception e) {
            local.close();
            throw e;
        }
        LOG.info("PostgreSQL ready on {}:{}, databases {}", HOST, port, ServiceDatabases.NAMES);
        return local;
    }

    /** Applies {@link #EXTRA_SETTINGS}; a pair without {@code =} or with an empty name stops the start. */
    private static void extraSettings(EmbeddedPostgres.Builder builder) {
        for (String pair : EXTRA_SETTINGS.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("BAZAAR_PG_SETTINGS: expected name=value, got '" + pair.trim() + "'");
            }
            builder.setServerConfig(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
    }

    /**
     * With BAZAAR_INFRA_HOST set (services on other hosts, scripts/bazaar-hosts), lets the clients of
     * BAZAAR_INFRA_CLIENTS (CIDR, default that address alone) in with a password, as loopback is.
     */
    private static void admitOtherHosts(Connection c, Path data) throws Exception {
        if (OTHER_HOSTS == null) {
            return;
        }
        String line = "host all all " + Env.get("BAZAAR_INFRA_CLIENTS", OTHER_HOSTS + "/32") + " scram-sha-256";
        Path hba = data.resolve("pg_hba.conf");
        if (!Files.readAllLines(hba).contains(line)) {
            Files.writeString(hba, line + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
        try (var statement = c.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    public int port() {
        return port;
    }

    public String superuserPassword() {
        return superuserPassword;
    }

    Optional<ProcessHandle> postmaster() {
        return postmasterPid(dataDir).flatMap(ProcessHandle::of);
    }

    @Override
    public void close() {
        try {
            pg.close(); // pg_ctl stop -m fast -w
        } catch (IOException e) {
            LOG.error("stopping PostgreSQL", e);
        }
    }

    private static String superuserPassword(Path file, boolean initialised) throws IOException {
        if (Files.exists(file)) {
            String pw = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!pw.isEmpty()) {
                // initdb reads the first line of the pwfile: keep the file exactly one line
                return pw;
            }
        }
        if (initialised) {
            throw new IllegalStateException(file + " is missing but the cluster in " + file.resolveSibling("data")
                    + " exists: restore the file or wipe local data (scripts/bazaar down --purge)");
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("another process is creating " + file, e);
        }
        Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
        return pw;
    }

    /**
     * A postmaster left running by a JVM that was SIGKILLed holds the data directory: stop it (fast
     * mode). A postmaster.pid naming a process that is gone (or a zombie, or not a postgres) is removed,
     * since postgres itself refuses to start while that pid exists.
     */
    private static void stopOrphanPostmaster(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        Optional<Long> pid = postmasterPid(data);
        if (pid.isEmpty()) {
            return;
        }
        long p = pid.get();
        boolean isPostgres = running(p) && ProcessHandle.of(p).flatMap(ph -> ph.info().command())
                .map(c -> c.endsWith("/postgres")).orElse(false);
        if (isPostgres) {
            LOG.warn("stopping orphaned postmaster {} of {}", p, data);
            signal("INT", p);
            if (!awaitGone(p, Duration.ofSeconds(30))) {
                LOG.warn("orphaned postmaster {} ignored SIGINT: SIGKILL", p);
                signal("KILL", p);
                if (!awaitGone(p, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("cannot stop postmaster " + p + " of " + data);
                }
            }
        }
        if (Files.deleteIfExists(pidFile)) {
            LOG.info("removed stale {} (pid {})", pidFile, p);
        }
    }

    /** Alive and not a zombie. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    private static Optional<Long> postmasterPid(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
