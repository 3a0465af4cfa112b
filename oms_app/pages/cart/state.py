"""The cart page's state: the cart's lines checked against the catalogue, quantities changed
and lines removed, the delivery address prefilled, and the order placed, all or nothing."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.core.errors import DomainError, NotFound
from oms_app.models.address import ShippingAddress
from oms_app.models.order import OrderCreate, OrderLineIn
from oms_app.services import activity, addresses, orders, products
from oms_app.state.cart import CartLine, CartState, only_left
from oms_app.state.form import FormState, form_text
from oms_app.state.form_errors import field_errors
from oms_app.state.session import SessionState

LOGIN_TO_ORDER = f"{routes.LOGIN}?next={routes.CART}"
# (field, label, required) in the order the form asks; names are ShippingAddress's fields.
ADDRESS_FIELDS = (
    ("full_name", "Full name", True),
    ("line1", "Address line 1", True),
    ("line2", "Address line 2", False),
    ("city", "City", True),
    ("postal_code", "Postal code", True),
    ("country", "Country", True),
    ("phone", "Phone", False),
)


def _current(product_ids: list[int]) -> dict[int, CartLine | None]:
    """Each product as the catalogue shows it now (None: no longer sold). Cached reads."""
    seen: dict[int, CartLine | None] = {}
    for product_id in product_ids:
        try:
            p = products.get_product(product_id)
        except NotFound:
            seen[product_id] = None
            continue
        seen[product_id] = CartLine(
            product_id=p.id, name=p.name, price=float(p.price), quantity=1, stock=p.stock
        )
    return seen


def _address_of(form: object) -> dict[str, str]:
    return {name: form_text(form, name) for name, _, _ in ADDRESS_FIELDS}


class CartPageState(FormState, rx.State):
    placing: bool = False
    checked: bool = False
    # What the address inputs start with (the last order's address), and a counter that
    # re-mounts them when it changes: the inputs keep what the shopper types in the browser.
    address: dict[str, str] = {}
    address_version: int = 0
    # Keyed by product id (as text: state dict keys travel as JSON) → what is wrong with that line.
    line_errors: dict[str, str] = {}

    def _set_line_error(self, product_id: int, message: str | None) -> None:
        errors = {k: v for k, v in self.line_errors.items() if k != str(product_id)}
        if message:
            errors[str(product_id)] = message
        self.line_errors = errors

    @rx.event
    async def open(self):
        """on_load: the stock and prices the cart last saw may be stale; read them again."""
        cart = await self.get_state(CartState)
        ids = [line.product_id for line in cart._lines()]
        try:
            seen = await run_in_threadpool(_current, ids)
        except DomainError as exc:
            self.checked = True
            return rx.toast.error(exc.message)
        self.line_errors = {str(pid): note for pid, note in cart._refresh(seen).items()}
        self.errors = {}
        await self._prefill()
        self.checked = True
        return None

    async def _prefill(self) -> None:
        """Start from where the shopper's last order went (nothing for a visitor)."""
        session = await self.get_state(SessionState)
        try:
            actor = await session._actor()
            last = await run_in_threadpool(addresses.last_shipping_address, actor)
        except DomainError:
            last = None
        values = {} if last is None else last.model_dump()
        self.address = {name: values.get(name) or "" for name, _, _ in ADDRESS_FIELDS}
        self.address_version += 1

    @rx.event
    async def change_quantity(self, product_id: int, value: str):
        try:
            wanted = int(str(value).strip())
        except ValueError:
            self._set_line_error(product_id, "Enter a whole number.")
            return
        cart = await self.get_state(CartState)
        self._set_line_error(product_id, cart._set_quantity(product_id, wanted))

    @rx.event
    async def remove(self, product_id: int):
        cart = await self.get_state(CartState)
        cart._remove(product_id)
        self._set_line_error(product_id, None)
        return rx.toast.info("Removed from cart.")

    @rx.event
    async def place_order(self, form: object = None):
        cart = await self.get_state(CartState)
        lines = cart._lines()
        if not lines:
            yield rx.toast.warning("Your cart is empty.")
            return
        session = await self.get_state(SessionState)
        try:
            actor = await session._actor()
        except DomainError:
            yield rx.toast.info("Please log in to place your order.")
            yield rx.redirect(LOGIN_TO_ORDER)
            return
        address = self._parse(ShippingAddress, _address_of(form))
        if address is None:
            # Said beside each field (role="alert"), where the shopper fixes it.
            return
        self.placing = True
        yield
        try:
            data = OrderCreate(
                items=[OrderLineIn(product_id=ln.product_id, quantity=ln.quantity) for ln in lines],
                shipping_address=address,
            )
            placed = await run_in_threadpool(orders.place_order, actor, data)
        except orders.InsufficientStock as exc:
            self._set_line_error(exc.product_id, only_left(exc.available))
            yield rx.toast.error(f"{exc.message}. Nothing was ordered.")
            return
        except ValidationError as exc:
            problem = next(iter(field_errors(exc).values()))
            yield rx.toast.error(f"This cart cannot be ordered as it is: {problem}")
            return
        except DomainError as exc:
            yield rx.toast.error(f"{exc.message}. Nothing was ordered.")
            return
        finally:
            self.placing = False
        cart._clear()
        self.errors = {}
        yield rx.toast.success(f"Order #{placed.order.id} placed.")
        yield rx.redirect(f"{routes.ORDERS}/{placed.order.id}")
        activity.order_created(placed.order)
