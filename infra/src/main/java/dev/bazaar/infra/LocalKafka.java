package dev.bazaar.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Local single-node Apache Kafka 4 (broker and controller in one KRaft process) for scripts/bazaar,
 * in its own JVM.
 *
 * <p>Data in {@code $BAZAAR_HOME/kafka/data}, formatted with a fixed cluster id on first start and
 * reused after. PLAINTEXT listener on 127.0.0.1:BAZAAR_KAFKA_PORT (default 9092), controller on
 * 127.0.0.1:BAZAAR_KAFKA_CONTROLLER_PORT (default 9093). Automatic topic creation is ON (3
 * partitions); the saga topics are also created up front. Prints
 * {@code BAZAAR-READY kafka 127.0.0.1:<port>} once an AdminClient sees the cluster, then runs until
 * SIGTERM/SIGINT.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    public static final String HOST = "127.0.0.1";
    /** Fixed so that a data directory formatted once is reused: base64url of "bazaar-localkafk". */
    public static final String CLUSTER_ID = "YmF6YWFyLWxvY2Fsa2Fmaw";
    public static final List<String> TOPICS = List.of("order-events", "inventory-events", "payment-events");
    public static final int PARTITIONS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrap;

    private LocalKafka(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        Path home = Env.home();
        int port = Env.port("BAZAAR_KAFKA_PORT", 9092);
        int controllerPort = Env.port("BAZAAR_KAFKA_CONTROLLER_PORT", 9093);
        LocalKafka kafka;
        try {
            kafka = start(home, port, controllerPort);
        } catch (Exception e) {
            LOG.error("Kafka did not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-kafka"));
        System.out.println("BAZAAR-READY kafka " + kafka.bootstrap());
        System.out.flush();
        kafka.server.awaitShutdown();
    }

    /**
     * The address clients reach the broker on: 127.0.0.1, or BAZAAR_INFRA_HOST when the services run
     * on other (network-namespace) hosts (scripts/bazaar-hosts); the controller stays on loopback.
     */
    static String brokerHost() {
        return Env.get("BAZAAR_INFRA_HOST", HOST);
    }

    static Properties config(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + brokerHost() + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + brokerHost() + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.toString());
        // single node
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("num.partitions", Integer.toString(PARTITIONS));
        // small and light
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("background.threads", "4");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.setProperty("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.setProperty("log.retention.hours", "72");
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.setProperty("metadata.log.segment.bytes", Integer.toString(8 * 1024 * 1024));
        p.setProperty("metadata.max.retention.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    /** Formats the storage of {@code home} on first use, starts the broker and waits until it serves. */
    public static LocalKafka start(Path home, int port, int controllerPort) throws Exception {
        Path dir = home.resolve("kafka");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Properties props = config(data, port, controllerPort);
        Path propsFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "written by dev.bazaar.infra.LocalKafka at every start; edits are lost");
        }
        // Formats only if not yet formatted (--ignore-formatted); the cluster id is fixed.
        int rc = StorageTool.execute(new String[] {
                "format", "--config", propsFile.toString(), "--cluster-id", CLUSTER_ID, "--ignore-formatted"},
                System.out);
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed with " + rc);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = brokerHost() + ":" + port;
        LocalKafka kafka = new LocalKafka(server, bootstrap);
        try {
            server.startup();
            kafka.awaitReadyAndCreateTopics();
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    public String bootstrap() {
        return bootstrap;
    }

    private void awaitReadyAndCreateTopics() throws Exception {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "bazaar-local-kafka-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (nodes > 0) {
                        break;
                    }
                } catch (Exception e) {
                    LOG.debug("broker not ready yet: {}", e.toString());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker not serving after " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).collect(Collectors.toList()));
            }
        }
    }

    @Override
    public void close() {
        LOG.info("stopping Kafka");
        server.shutdown();
        server.awaitShutdown();
    }
}
