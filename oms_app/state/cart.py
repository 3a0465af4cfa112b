"""The cart, kept in the browser's localStorage so it survives reloads and new tabs.

The browser owns this storage, so whatever it holds is validated on every read. Prices and
stock here are what the shopper last saw; the order is priced and stocked by the service.
A line never holds more than the stock last seen, nor less than one.
"""

from __future__ import annotations

import json

import reflex as rx
from pydantic import BaseModel, ValidationError

from oms_app.components.format import money
from oms_app.models.common import MAX_QUANTITY, Quantity, RowId

MAX_LINES = 100  # what one order takes (models/order.py)


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
    stock: int
    price_label: str
    line_total_label: str


def only_left(stock: int) -> str:
    return "Out of stock." if stock <= 0 else f"Only {stock} left."


def quantity_problem(quantity: int, stock: int) -> str | None:
    """Why a line cannot hold this quantity, in the words the cart and catalogue use."""
    if quantity < 1:
        return "Quantity must be at least 1. To take a product out, use Remove."
    if quantity > MAX_QUANTITY:
        return f"At most {MAX_QUANTITY:,} of one product per order."
    if quantity > stock:
        return only_left(stock)
    return None


class CartState(rx.State):
    cart_json: str = rx.LocalStorage("[]", name="oms_cart", sync=True)

    def _lines(self) -> list[CartLine]:
        try:
            raw = json.loads(self.cart_json or "[]")
            lines = [CartLine.model_validate(line) for line in raw[:MAX_LINES]]
        except (ValueError, TypeError, ValidationError):
            return []  # a corrupted or outdated cart is dropped, not a crash
        return list({line.product_id: line for line in lines}.values())

    def _save(self, lines: list[CartLine]) -> None:
        self.cart_json = json.dumps([line.model_dump() for line in lines])

    @rx.var
    def rows(self) -> list[CartRow]:
        return [
            CartRow(
                product_id=line.product_id,
                name=line.name,
                quantity=line.quantity,
                stock=line.stock,
                price_label=money(line.price),
                line_total_label=money(line.price * line.quantity),
            )
            for line in self._lines()
        ]

    @rx.var
    def total_label(self) -> str:
        return money(sum(line.price * line.quantity for line in self._lines()))

    @rx.var
    def item_count(self) -> int:
        return sum(line.quantity for line in self._lines())

    def _add(self, line: CartLine) -> str | None:
        """Add to the cart; the reason instead when the cart cannot take it."""
        lines = self._lines()
        existing = next((item for item in lines if item.product_id == line.product_id), None)
        already = existing.quantity if existing else 0
        problem = quantity_problem(already + line.quantity, line.stock)
        if problem is not None:
            return f"{problem} Your cart already has {already}." if already else problem
        if existing is None:
            if len(lines) >= MAX_LINES:
                return f"A cart holds at most {MAX_LINES} different products."
            lines.append(line)
        else:
            existing.quantity += line.quantity
            existing.price, existing.name, existing.stock = line.price, line.name, line.stock
        self._save(lines)
        return None

    def _set_quantity(self, product_id: int, quantity: int) -> str | None:
        lines = self._lines()
        line = next((item for item in lines if item.product_id == product_id), None)
        if line is None:
            return "This product is no longer in your cart."
        problem = quantity_problem(quantity, line.stock)
        if problem is not None:
            return problem
        line.quantity = quantity
        self._save(lines)
        return None

    def _refresh(self, seen: dict[int, CartLine | None]) -> dict[int, str]:
        """Take the stock and prices just read (None: no longer sold); lower any line above
        its stock. Returns what changed, per product, for the shopper to read."""
        notes: dict[int, str] = {}
        lines = self._lines()
        for line in lines:
            fresh = seen.get(line.product_id, line)
            if fresh is None:
                notes[line.product_id] = "No longer sold: remove it to place your order."
                line.stock = 0
                continue
            line.name, line.price, line.stock = fresh.name, fresh.price, fresh.stock
            if fresh.stock <= 0:
                notes[line.product_id] = only_left(0)
            elif line.quantity > fresh.stock:
                notes[line.product_id] = (
                    f"{only_left(fresh.stock)} Quantity lowered from {line.quantity}."
                )
                line.quantity = fresh.stock
        self._save(lines)
        return notes

    def _remove(self, product_id: int) -> None:
        self._save([line for line in self._lines() if line.product_id != product_id])

    def _clear(self) -> None:
        self._save([])
