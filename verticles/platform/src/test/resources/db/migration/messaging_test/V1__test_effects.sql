-- What the test handlers of IdempotentConsumerIT/OutboxRelayIT do: one row per application of an
-- event (no unique key on purpose, so that an event applied twice would show as two rows).
CREATE TABLE effects (
  seq        bigserial   PRIMARY KEY,
  consumer   text        NOT NULL,
  event_id   uuid        NOT NULL,
  order_id   text        NOT NULL,
  type       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
