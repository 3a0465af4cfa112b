-- One order as OMS places it now: the stock first, then the order, its line and its event.
-- pgbench -D hot=<product id> -D plo=<first> -D phi=<last> -D ulo=<first user> -D uhi=<last user>
\set uid random(:ulo, :uhi)
\set pid random(:plo, :phi)
BEGIN;
UPDATE products SET stock = stock - 1, updated_at = now() WHERE id = :pid AND is_deleted = false AND stock >= 1 RETURNING name, price;
INSERT INTO orders (user_id, status, total, created_at, updated_at) VALUES (:uid, 'pending', 5.00, now(), now()) RETURNING id AS order_id \gset
INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price) VALUES (:order_id, :pid, 'bench', 1, 5.00);
INSERT INTO order_events (order_id, to_status, actor_id, created_at) VALUES (:order_id, 'pending', :uid, now());
COMMIT;
