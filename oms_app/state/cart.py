"""The cart, kept in the browser's localStorage so it survives reloads and new tabs.

Prices shown here are for display; the order is priced by the service from the database.
"""

from __future__ import annotations

import json

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.components.format import money
from oms_app.models.common import MAX_QUANTITY, Quantity, RowId


class CartLine(BaseModel):
    product_id: RowId
    name: str
    price: float
    quantity: Quantity
    stock: int = 0


class CartRow(BaseModel):
    """A cart line as the cart page shows it."""

    product_id: int
    name: str
    quantity: int
    price_label: str
    line_total_label: str


class CartState(rx.State):
    cart_json: str = rx.LocalStorage("[]", name="oms_cart", sync=True)

    def _read(self) -> list[CartLine]:
        try:
            raw = json.loads(self.cart_json or "[]")
            return [CartLine.model_validate(line) for line in raw]
        except (ValueError, ValidationError):
            return []  # a corrupted or outdated cart is dropped, not a crash

    def _write(self, lines: list[CartLine]) -> None:
        self.cart_json = json.dumps([line.model_dump() for line in lines])

    @rx.var
    def rows(self) -> list[CartRow]:
        return [
            CartRow(
                product_id=line.product_id,
                name=line.name,
                quantity=line.quantity,
                price_label=money(line.price),
                line_total_label=money(line.price * line.quantity),
            )
            for line in self._read()
        ]

    @rx.var
    def total_label(self) -> str:
        return money(sum(line.price * line.quantity for line in self._read()))

    @rx.var
    def item_count(self) -> int:
        return sum(line.quantity for line in self._read())

    def read_lines(self) -> list[CartLine]:
        return self._read()

    def add_line(self, line: CartLine) -> None:
        lines = self._read()
        for existing in lines:
            if existing.product_id == line.product_id:
                existing.quantity = min(existing.quantity + line.quantity, MAX_QUANTITY)
                existing.price, existing.name, existing.stock = line.price, line.name, line.stock
                break
        else:
            lines.append(line)
        self._write(lines)

    def update_quantity(self, product_id: int, quantity: int) -> None:
        """Set one line's quantity; zero or less takes the line out of the cart."""
        lines = self._read()
        if quantity <= 0:
            lines = [line for line in lines if line.product_id != product_id]
        else:
            for line in lines:
                if line.product_id == product_id:
                    line.quantity = min(quantity, MAX_QUANTITY)
        self._write(lines)

    def clear(self) -> None:
        self._write([])
