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
ADMIN_INTEGRATIONS = "/admin/integrations"
ADMIN_AUDIT = "/admin/audit"
RESET_PASSWORD = "/reset-password"  # noqa: S105 - a page route, not a password
