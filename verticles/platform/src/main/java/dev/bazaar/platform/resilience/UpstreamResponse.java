package dev.bazaar.platform.resilience;

import dev.bazaar.platform.discovery.ServiceInstance;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** What an upstream answered, and which instance answered it. */
public record UpstreamResponse(int status, MultiMap headers, Buffer body, ServiceInstance instance) {
}
