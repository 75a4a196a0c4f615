-- Events of order-events already applied (IdempotentConsumer.SCHEMA_SQL), marked in the same
-- transaction as the notification they produced, so a redelivered event notifies once.
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_age ON processed_events (processed_at);

-- "has this order a notification of this kind already" (one per order and kind from the saga)
CREATE INDEX notifications_order_kind ON notifications (order_id, kind) WHERE order_id IS NOT NULL;
