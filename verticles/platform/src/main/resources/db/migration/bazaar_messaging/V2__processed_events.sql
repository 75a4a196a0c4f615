-- Events an idempotent consumer applied (dev.bazaar.platform.messaging.IdempotentConsumer), marked in
-- the transaction of their effect, so that a redelivered event changes nothing. Idempotent, as V1.
CREATE TABLE IF NOT EXISTS processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_events_age ON processed_events (processed_at);
