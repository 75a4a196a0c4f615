package dev.bazaar.system;

/**
 * {@link DomainServicesIT} against the monolith (every service and the gateway in one JVM, the
 * same verticles, conf files and databases). The checks that stop one service are skipped: there
 * it cannot stop alone.
 */
class DomainServicesMonolithIT extends DomainServicesIT implements BazaarCluster.Monolith {
}
