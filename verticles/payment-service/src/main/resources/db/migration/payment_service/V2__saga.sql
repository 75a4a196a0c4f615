-- The payment side of the order saga (docs/EVENTS.md).

-- The outbox and processed_events tables come from the platform (db/migration/bazaar_messaging).

-- What payment-service has heard of an order, whether or not it has a payment yet: its deadline
-- (from OrderCreated) and whether it was cancelled (a tombstone: a StockReserved that arrives after
-- the OrderCancelled charges nothing). The row is also the per-order lock that serializes the
-- consumer's handlers of one order (StockReserved and OrderCancelled come on different topics).
CREATE TABLE order_facts (
  order_id   uuid        PRIMARY KEY,
  deadline   timestamptz,
  cancelled  boolean     NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_facts_age ON order_facts (updated_at);

-- The charging step works from the payment row (intent recorded PENDING by the consumer, then the
-- provider is called outside any transaction): the token to charge, the order's deadline, a lease
-- so that one worker at a time (of any instance) works on a row, and a cancellation to honour.
ALTER TABLE payments
  ADD COLUMN token            text,
  ADD COLUMN deadline         timestamptz,
  ADD COLUMN cancel_requested boolean     NOT NULL DEFAULT false,
  ADD COLUMN charge_attempts  integer     NOT NULL DEFAULT 0,
  ADD COLUMN failure_reason   text        CHECK (failure_reason IN ('declined', 'provider_unavailable', 'cancelled')),
  ADD COLUMN refund_ref       text,
  ADD COLUMN lease_owner      text,
  ADD COLUMN lease_until      timestamptz;

-- Rows with work left: a charge to make (recorded by the saga, so with a token), or a refund owed.
CREATE INDEX payments_work ON payments (created_at)
  WHERE (status = 'PENDING' AND token IS NOT NULL) OR (status = 'SUCCEEDED' AND cancel_requested);
