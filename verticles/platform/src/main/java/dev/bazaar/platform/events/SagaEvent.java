package dev.bazaar.platform.events;

/**
 * An event of the order saga (docs/EVENTS.md, DESIGN §4): the payload of an {@code EventEnvelope},
 * one record per type, one sealed family per topic. The type on the wire is the record's simple name,
 * the topic that of its family; {@link EventCodec} writes and reads them.
 */
public sealed interface SagaEvent permits OrderEvent, InventoryEvent, PaymentEvent {
}
