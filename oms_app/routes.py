"""Page routes, named once."""

LOGIN = "/login"
REGISTER = "/register"
CATALOGUE = "/"
CART = "/cart"
PRODUCT = "/products/[product_id]"  # a product's own page: product_page(id)
ORDERS = "/orders"
ADMIN = "/admin"
ADMIN_PRODUCTS = "/admin/products"
ADMIN_ORDERS = "/admin/orders"
ADMIN_USERS = "/admin/users"
ADMIN_CATEGORIES = "/admin/categories"
ADMIN_INTEGRATIONS = "/admin/integrations"
ADMIN_AUDIT = "/admin/audit"
RESET_PASSWORD = "/reset-password"  # noqa: S105 - a page route, not a password

# Pages of one thing; the bracketed part is the id in the address.
ORDER = "/orders/[order_id]"
ADMIN_ORDER = "/admin/orders/[order_id]"
ADMIN_USER = "/admin/users/[user_id]"


def product_page(product_id: int) -> str:
    return f"/products/{product_id}"
