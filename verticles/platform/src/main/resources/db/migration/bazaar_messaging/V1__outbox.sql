-- The transactional outbox (dev.bazaar.platform.messaging.Outbox): events appended in the transaction
-- of the change they report, published to Kafka by the outbox relay. Idempotent: databases whose
-- service migrations created these objects before the platform owned them already have them.
CREATE TABLE IF NOT EXISTS outbox (
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
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Wakes the relay (LISTEN outbox_<database>) when an inserting transaction commits.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_' || current_database(), '');
  RETURN NULL;
END
$$;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'outbox_notify' AND tgrelid = 'outbox'::regclass) THEN
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
  END IF;
END
$$;
