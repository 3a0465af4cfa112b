"""One module per page, each holding its state beside its components (a package for a larger
page). Importing registers them (components/templates.py); the app adds them."""

from oms_app.pages import (  # noqa: F401
    admin_audit,
    admin_categories,
    admin_customer,
    admin_dashboard,
    admin_integrations,
    admin_orders,
    admin_products,
    admin_users,
    cart,
    catalogue,
    login,
    not_found,
    order_detail,
    orders,
    product,
    register,
    reset_password,
)
