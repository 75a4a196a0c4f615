-- The catalog. The application validates every field first; these constraints are the last word.
CREATE TABLE products (
  id          uuid        PRIMARY KEY,
  sku         text        NOT NULL,
  name        text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  price_cents integer     NOT NULL,
  currency    text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Za-z0-9_-]{1,64}$'),
  CONSTRAINT products_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  CONSTRAINT products_description_length CHECK (char_length(description) <= 2000),
  CONSTRAINT products_price_range CHECK (price_cents BETWEEN 0 AND 100000000),
  CONSTRAINT products_currency_format CHECK (currency ~ '^[A-Z]{3}$')
);

CREATE UNIQUE INDEX products_sku_key ON products (sku);
-- the list's stable order (name, id), so a page is an index range scan
CREATE INDEX products_name_id ON products (name, id);
