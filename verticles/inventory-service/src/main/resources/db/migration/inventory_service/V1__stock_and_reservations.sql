-- Units on hand per product that no order holds. The CHECK is the last guard: stock never goes
-- negative, whatever the application does.
CREATE TABLE stock (
  product_id uuid        PRIMARY KEY,
  available  integer     NOT NULL CHECK (available >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order that inventory has heard of: what reserving it answered, once and for all.
-- Every operation on an order takes this row first (insert or lock), so operations on one order
-- run one after another, and a repeated reserve (an event delivered twice) answers the same.
-- outcome REJECTED: reject_reason INSUFFICIENT_STOCK names the short product; RELEASED means the
-- order was released (cancelled) before it was ever reserved, so a late reserve takes nothing.
CREATE TABLE order_reservations (
  order_id         uuid        PRIMARY KEY,
  outcome          text        NOT NULL CHECK (outcome IN ('RESERVED', 'REJECTED')),
  reject_reason    text        CHECK (reject_reason IN ('INSUFFICIENT_STOCK', 'RELEASED')),
  short_product_id uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT order_reservations_reason CHECK ((outcome = 'REJECTED') = (reject_reason IS NOT NULL)),
  CONSTRAINT order_reservations_short CHECK ((reject_reason IS NOT DISTINCT FROM 'INSUFFICIENT_STOCK') = (short_product_id IS NOT NULL))
);

-- The units an order holds, per product: RESERVED (held), COMMITTED (sold), RELEASED (back in stock).
-- All lines of an order move together.
CREATE TABLE reservations (
  order_id   uuid        NOT NULL REFERENCES order_reservations (order_id),
  product_id uuid        NOT NULL,
  quantity   integer     NOT NULL CHECK (quantity > 0),
  status     text        NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'COMMITTED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, product_id)
);

-- "how many units are held or sold for this product" (the stock invariant) without a full scan
CREATE INDEX reservations_product_status ON reservations (product_id, status);
