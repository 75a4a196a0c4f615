package dev.bazaar.gateway.proxy;

import dev.bazaar.gateway.auth.GatewayAuth;
import dev.bazaar.platform.resilience.EventBusClient;
import dev.bazaar.platform.resilience.ServiceClient;

/**
 * What a request handler on one of the gateway's event loops reaches the services with: the
 * admission of the caller, the resilient HTTP client and the resilient event-bus client.
 */
public record Backends(GatewayAuth auth, ServiceClient client, EventBusClient bus) {
}
