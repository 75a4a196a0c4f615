-- One payment per order: the row is created PENDING before the provider is called (its id is the
-- provider's idempotency key) and then records the outcome, so that a redelivered StockReserved
-- or a retry after a crash finds it and a payment is never taken twice for one order.
CREATE TABLE payments (
  id           uuid        PRIMARY KEY,
  order_id     uuid        NOT NULL,
  user_id      uuid        NOT NULL,
  amount_cents bigint      NOT NULL CHECK (amount_cents >= 0),
  currency     text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status       text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED')),
  -- the provider's id of the charge, once it answered
  provider_ref text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_one_per_order UNIQUE (order_id)
);

CREATE UNIQUE INDEX payments_provider_ref ON payments (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX payments_by_user ON payments (user_id, created_at DESC, id DESC);
CREATE INDEX payments_by_time ON payments (created_at DESC, id DESC);
