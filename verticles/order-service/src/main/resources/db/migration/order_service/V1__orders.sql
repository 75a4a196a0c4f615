-- Orders and their lines. The status column follows dev.bazaar.order.domain.OrderStatus; every
-- transition is a guarded UPDATE (... WHERE status = ANY(<allowed sources>)), so that a stale or
-- duplicated request or event can never move an order backwards or twice.
CREATE TABLE orders (
  id              uuid        PRIMARY KEY,
  user_id         uuid        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
  total_cents     bigint      NOT NULL CHECK (total_cents >= 0),
  currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason          text,
  -- what payment-service charges once stock is reserved (the provider's token, never a card number)
  payment_token   text        NOT NULL,
  idempotency_key text        CHECK (length(idempotency_key) BETWEEN 1 AND 100),
  -- SHA-256 of the canonical request: same key + same request = same order, different request = 422
  request_hash    text        NOT NULL,
  -- bumped by every transition, so that events about the order can be ordered
  version         integer     NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- concurrent retries under one key meet here: exactly one of them inserts
  CONSTRAINT orders_user_idempotency_key UNIQUE (user_id, idempotency_key),
  CONSTRAINT orders_reason_when_cancelled CHECK ((status = 'CANCELLED') = (reason IS NOT NULL))
);

CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_by_time ON orders (created_at DESC, id DESC);

CREATE TABLE order_lines (
  order_id         uuid     NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id       uuid     NOT NULL,
  line_no          smallint NOT NULL CHECK (line_no BETWEEN 0 AND 49),
  quantity         integer  NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  unit_price_cents bigint   NOT NULL CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, product_id),
  CONSTRAINT order_lines_position UNIQUE (order_id, line_no)
);
