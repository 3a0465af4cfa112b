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
RESET_PASSWORD = "/reset-password"  # noqa: S105 - a page route, not a password


def product_page(product_id: int) -> str:
    return f"/products/{product_id}"
