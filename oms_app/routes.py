"""Page routes, named once."""

LOGIN = "/login"
REGISTER = "/register"
CATALOGUE = "/"
CART = "/cart"
ORDERS = "/orders"
ADMIN = "/admin"
ADMIN_PRODUCTS = "/admin/products"
ADMIN_ORDERS = "/admin/orders"
ADMIN_USERS = "/admin/users"
RESET_PASSWORD = "/reset-password"  # noqa: S105 - a page route, not a password

# Pages of one thing; the bracketed part is the id in the address.
ORDER = "/orders/[order_id]"
ADMIN_ORDER = "/admin/orders/[order_id]"
ADMIN_USER = "/admin/users/[user_id]"
