-- The same four statements in the order OMS used before: the line (whose foreign key
-- key-share-locks the product) before the stock UPDATE.
\set uid random(:ulo, :uhi)
\set pid random(:plo, :phi)
BEGIN;
INSERT INTO orders (user_id, status, total, created_at, updated_at) VALUES (:uid, 'pending', 5.00, now(), now()) RETURNING id AS order_id \gset
INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price) VALUES (:order_id, :pid, 'bench', 1, 5.00);
INSERT INTO order_events (order_id, to_status, actor_id, created_at) VALUES (:order_id, 'pending', :uid, now());
UPDATE products SET stock = stock - 1, updated_at = now() WHERE id = :pid AND is_deleted = false AND stock >= 1 RETURNING name, price;
COMMIT;
