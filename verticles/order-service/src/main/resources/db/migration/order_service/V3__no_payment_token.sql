-- The card token is no longer kept: order-service seals it for payment-service (AES-GCM, key shared
-- by the two services only) into OrderCreated and forgets it (docs/SECURITY.md). Tokens of orders
-- placed before are dropped with the column; nothing reads them.
ALTER TABLE orders DROP COLUMN payment_token;
