"""/admin/orders: every order, found by number or customer, narrowed by status and dates,
sorted, paged and kept live; legal status moves (each confirmed first); CSV export of exactly
what is shown.

The filters live in the URL query (the REST API's names and rules, services/order_filter_query.py):
a change navigates to the new address and the page reads its filters from there, so a reload
keeps them, Back undoes them and the address can be shared.
"""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.admin import data_table
from oms_app.components.lists import list_feedback, live_updates
from oms_app.components.pagination import pagination
from oms_app.components.templates import admin_page
from oms_app.pages.admin_orders.filters import toolbar
from oms_app.pages.admin_orders.state import OrdersAdminState
from oms_app.pages.admin_orders.table import order_row


@admin_page(routes.ADMIN_ORDERS, "Orders", on_load=OrdersAdminState.open)
def admin_orders() -> rx.Component:
    state = OrdersAdminState
    return rx.box(
        live_updates(state),
        toolbar(),
        list_feedback(state),
        data_table(
            ("Order", "Customer", "Lines", "Total", "Status", "Date", ""),
            state.rows,
            order_row,
            empty=(state.rows.length() == 0) & ~state.loading,
            empty_message="No orders match.",
        ),
        pagination(state),
    )
