-- The order saga (DESIGN §4, docs/EVENTS.md).

-- The outbox and processed_events tables come from the platform (db/migration/bazaar_messaging).

-- An order with no outcome by its deadline is cancelled by the sweeper (deadline_expired).
-- Orders placed before the saga existed were never announced: they are due at once.
ALTER TABLE orders ADD COLUMN deadline timestamptz;
UPDATE orders SET deadline = created_at;
ALTER TABLE orders ALTER COLUMN deadline SET NOT NULL;
CREATE INDEX orders_pending_deadline ON orders (deadline) WHERE status = 'PENDING';
