package dev.bazaar.platform.boot;

/** A service's typed configuration: the platform's common part and whatever is the service's own. */
public interface ServiceConfig {
  ServiceSettings service();
}
