"""One order's row in the admin table: its number (a link to the order), customer, lines,
total, status, date and the status moves, each confirmed first."""

from __future__ import annotations

import reflex as rx

from oms_app.components.admin import actions_cell
from oms_app.components.confirm import confirm_button
from oms_app.components.status_badge import status_badge
from oms_app.pages.admin_orders.rows import OrderRow, StatusMove
from oms_app.pages.admin_orders.state import OrdersAdminState


def _move_button(row: OrderRow, move: StatusMove) -> rx.Component:
    return confirm_button(
        move.label,
        title=move.label + ": order #" + row.id.to_string() + "?",
        question=move.consequence,
        confirm_label=move.label,
        on_confirm=OrdersAdminState.change_status(row.id, move.status),
        color_scheme=rx.cond(move.danger, "red", "indigo"),
        loading=OrdersAdminState.busy_id == row.id,
        size="1",
    )


def order_row(row: OrderRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                "#" + row.id.to_string(),
                href="/admin/orders/" + row.id.to_string(),
                weight="medium",
                underline="always",
                aria_label="Order " + row.id.to_string(),
            )
        ),
        rx.table.cell(
            rx.text(row.customer, size="2", weight="medium"),
            rx.text(row.email, size="1", color_scheme="gray", high_contrast=True),
            class_name="order-customer",
        ),
        rx.table.cell(
            rx.foreach(row.lines, lambda line: rx.text(line, size="2")),
            min_width="12em",
        ),
        rx.table.cell(row.total, white_space="nowrap"),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(row.created, white_space="nowrap"),
        actions_cell(
            rx.foreach(row.moves, lambda move: _move_button(row, move)),
            rx.cond(row.moves.length() == 0, rx.text("final", size="1", color_scheme="gray")),
        ),
        id=f"order-{row.id}",
    )
