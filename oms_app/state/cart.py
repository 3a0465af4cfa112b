"""The cart, kept in the browser's localStorage so it survives reloads and new tabs.

Prices shown here are for display; the order is priced by the service from the database.
"""

from __future__ import annotations

import json

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.models.common import Quantity, RowId


class CartLine(BaseModel):
    product_id: RowId
    name: str
    price: float
    quantity: Quantity
    stock: int = 0


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
    def lines(self) -> list[CartLine]:
        return self._read()

    @rx.var
    def item_count(self) -> int:
        return sum(line.quantity for line in self._read())

    @rx.var
    def total(self) -> float:
        return round(sum(line.price * line.quantity for line in self._read()), 2)

    def add_line(self, line: CartLine) -> None:
        lines = self._read()
        for existing in lines:
            if existing.product_id == line.product_id:
                existing.quantity = min(existing.quantity + line.quantity, 10_000)
                existing.price, existing.name, existing.stock = line.price, line.name, line.stock
                break
        else:
            lines.append(line)
        self._write(lines)

    @rx.event
    def set_quantity(self, product_id: int, quantity: str | int):
        try:
            wanted = int(quantity)
        except (TypeError, ValueError):
            return rx.toast.error("Quantity must be a whole number")
        lines = self._read()
        if wanted <= 0:
            lines = [line for line in lines if line.product_id != product_id]
        else:
            for line in lines:
                if line.product_id == product_id:
                    line.quantity = min(wanted, 10_000)
        self._write(lines)
        return None

    @rx.event
    def remove(self, product_id: int):
        self._write([line for line in self._read() if line.product_id != product_id])
        return rx.toast.info("Removed from cart")

    def clear(self) -> None:
        self._write([])
