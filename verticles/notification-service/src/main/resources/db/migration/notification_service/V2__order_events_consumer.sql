-- The outbox and processed_events tables come from the platform (db/migration/bazaar_messaging).

-- "has this order a notification of this kind already" (one per order and kind from the saga)
CREATE INDEX notifications_order_kind ON notifications (order_id, kind) WHERE order_id IS NOT NULL;
