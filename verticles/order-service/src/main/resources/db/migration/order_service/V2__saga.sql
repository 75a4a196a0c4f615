-- The order saga (DESIGN §4, docs/EVENTS.md).

-- Transactional outbox: events are appended in the transaction of the state change they report
-- (exactly Outbox.SCHEMA_SQL).
CREATE TABLE outbox (
  id           bigserial   PRIMARY KEY,
  topic        text        NOT NULL,
  record_key   text        NOT NULL,
  event_id     uuid        NOT NULL UNIQUE,
  type         text        NOT NULL,
  occurred_at  timestamptz NOT NULL,
  payload      jsonb       NOT NULL,
  headers      jsonb       NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_' || current_database(), '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumption of inventory-events and payment-events (exactly IdempotentConsumer.SCHEMA_SQL).
CREATE TABLE processed_events (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_age ON processed_events (processed_at);

-- An order with no outcome by its deadline is cancelled by the sweeper (deadline_expired).
-- Orders placed before the saga existed were never announced: they are due at once.
ALTER TABLE orders ADD COLUMN deadline timestamptz;
UPDATE orders SET deadline = created_at;
ALTER TABLE orders ALTER COLUMN deadline SET NOT NULL;
CREATE INDEX orders_pending_deadline ON orders (deadline) WHERE status = 'PENDING';
