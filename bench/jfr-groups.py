#!/usr/bin/env python3
"""Where one JVM's CPU went, from a JFR recording (bench/orders.sh PROFILE=DIR):

    python3 bench/jfr-groups.py DIR/order-service-1.jfr

Every execution sample is put in one group: by its thread for the client threads that do one
job (the Kafka consumer, the relay's producer, the span exporter, Hazelcast), else by the
innermost frame of the stack that belongs to a group (so the JSON parsing that a handler calls
counts as JSON, and the handler's own code as Bazaar's). Prints each group's share of samples.
"""
import collections
import json
import subprocess
import sys

THREADS = [
    ("kafka-consumer-thread", "Kafka consumer thread (fetch, decode, hand-over)"),
    ("kafka-producer-network-thread", "Kafka producer thread (outbox relay's sends)"),
    ("BatchSpanProcessor", "tracing (span export to Zipkin)"),
    ("hz.", "Hazelcast threads"),
]
FRAMES = [
    (("dev.bazaar.platform.events.EventCodec", "dev.bazaar.platform.messaging.EventEnvelope",
      "com.fasterxml.jackson", "io.vertx.core.json"), "JSON (events, API bodies)"),
    (("dev.bazaar.platform.secrets", "javax.crypto", "com.sun.crypto", "sun.security"), "sealing card data (AES-GCM)"),
    (("io.vertx.pgclient", "io.vertx.sqlclient"), "SQL client (pg wire protocol, pool)"),
    (("io.opentelemetry", "zipkin2", "dev.bazaar.platform.tracing", "io.vertx.tracing"), "tracing (spans on the request path)"),
    (("io.micrometer", "io.vertx.micrometer"), "metrics"),
    (("com.hazelcast", "io.vertx.servicediscovery", "dev.bazaar.platform.discovery", "io.vertx.spi.cluster"), "discovery, Hazelcast"),
    (("io.vertx.core.eventbus", "dev.bazaar.platform.resilience.EventBusClient", "dev.bazaar.platform.eventbus"), "event bus"),
    (("io.vertx.kafka", "org.apache.kafka", "dev.bazaar.platform.messaging"), "messaging on the event loop (relay, consumer hand-off)"),
    (("io.netty", "io.vertx.core.http", "io.vertx.ext.web", "io.vertx.core.net", "dev.bazaar.platform.http",
      "dev.bazaar.gateway.proxy"), "Netty I/O, HTTP server and client"),
    (("dev.bazaar.platform.resilience", "io.vertx.circuitbreaker"), "breakers, retries"),
    (("dev.bazaar.",), "Bazaar's own handlers"),
]


def group(thread, frames):
    for prefix, name in THREADS:
        if prefix in thread:
            return name
    for frame in frames:
        type_name = frame["method"]["type"]["name"].replace("/", ".")
        for prefixes, name in FRAMES:
            if type_name.startswith(prefixes):
                return name
    return "other (JVM, JIT, Vert.x core)"


def main(path):
    printed = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample", path],
                             capture_output=True, text=True, check=True).stdout
    shares = collections.Counter()
    for event in json.loads(printed)["recording"]["events"]:
        values = event["values"]
        stack = values.get("stackTrace")
        if stack and stack["frames"]:
            thread = (values.get("sampledThread") or {}).get("javaName") or "?"
            shares[group(thread, stack["frames"])] += 1
    total = sum(shares.values())
    print(f"{path}: {total} execution samples")
    for name, count in shares.most_common():
        print(f"  {100 * count / max(total, 1):5.1f} %  {name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
