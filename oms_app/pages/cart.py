"""The cart: adjust lines, say where they go, then place them all as one order, or none."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import (
    NATIVE_SELECT,
    field_error,
    field_label,
    inline_error,
    labelled_input,
)
from oms_app.components.layout import loading
from oms_app.components.templates import page
from oms_app.core.errors import DomainError, NotFound
from oms_app.models.address import ShippingAddress, country_list
from oms_app.models.order import OrderCreate, OrderLineIn
from oms_app.services import activity, addresses, orders, products
from oms_app.state.cart import CartLine, CartRow, CartState, only_left
from oms_app.state.form import FormState, form_text
from oms_app.state.form_errors import FORM, field_errors
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
AUTOCOMPLETE = {
    "full_name": "shipping name",
    "line1": "shipping address-line1",
    "line2": "shipping address-line2",
    "city": "shipping address-level2",
    "postal_code": "shipping postal-code",
    "country": "shipping country",
    "phone": "shipping tel",
}


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


def cart_line(row: rx.Var[CartRow]) -> rx.Component:
    quantity_id = "cart-quantity-" + row.product_id.to_string()
    return rx.card(
        rx.flex(
            rx.flex(
                rx.heading(row.name, as_="h2", size="3", class_name="cart-line-name"),
                rx.text(
                    row.price_label, " each", size="2", color_scheme="gray", high_contrast=True
                ),
                direction="column",
                flex="1 1 12em",
            ),
            rx.box(
                labelled_input(
                    "Quantity",
                    quantity_id,
                    name="quantity",
                    type="number",
                    min=1,
                    default_value=row.quantity.to_string(),
                    # Committed on blur, so clearing the field to retype never drops the line.
                    on_blur=lambda value: CartPageState.change_quantity(row.product_id, value),
                    size="2",
                    # Re-mount when the quantity changes elsewhere (another tab, the catalogue).
                    key=quantity_id + "-" + row.quantity.to_string(),
                ),
                width="6em",
            ),
            rx.text(row.line_total_label, weight="bold", size="3", min_width="6em", align="right"),
            rx.button(
                rx.icon("trash-2", size=16, aria_hidden="true"),
                "Remove",
                on_click=CartPageState.remove(row.product_id),
                variant="soft",
                high_contrast=True,
                color_scheme="red",
                size="2",
                aria_label="Remove " + row.name,
            ),
            align="end",
            spacing="4",
            wrap="wrap",
        ),
        inline_error(
            CartPageState.line_errors.get(row.product_id.to_string(), ""),
            class_name="line-error",
            margin_top="0.5em",
        ),
        class_name="cart-line",
        width="100%",
    )


def _optional() -> rx.Component:
    return rx.text("optional", size="1", color_scheme="gray", high_contrast=True)


def _address_input(name: str, label: str, required: bool) -> rx.Component:
    control_id = f"address-{name}"
    start = CartPageState.address.get(name, "")
    if name == "country":
        control = rx.el.select(
            rx.el.option("Choose a country…", value=""),
            *(rx.el.option(c.name, value=c.code) for c in country_list()),
            id=control_id,
            name=name,
            default_value=start,
            auto_complete=AUTOCOMPLETE[name],
            # A native select: 249 countries, typed-to-find and phone-friendly.
            style=NATIVE_SELECT,
            aria_invalid=rx.cond(CartPageState.errors.contains(name), "true", "false"),
            aria_describedby=f"{control_id}-error",
        )
    else:
        control = rx.input(
            id=control_id,
            name=name,
            default_value=start,
            auto_complete=AUTOCOMPLETE[name],
            type="tel" if name == "phone" else "text",
            size="3",
            width="100%",
            aria_invalid=rx.cond(CartPageState.errors.contains(name), "true", "false"),
            aria_describedby=f"{control_id}-error",
        )
    return rx.flex(
        rx.flex(
            field_label(label, control_id),
            # Beside the label, not in it: the input's name stays what the shopper reads first.
            *([] if required else [_optional()]),
            spacing="2",
            align="baseline",
        ),
        control,
        field_error(CartPageState.errors, name, id=f"{control_id}-error"),
        direction="column",
        spacing="1",
        width="100%",
    )


def address_form() -> rx.Component:
    """The delivery address: the service's rules, said beside each field."""
    return rx.el.fieldset(
        rx.el.legend(rx.heading("Delivery address", as_="h2", size="4"), margin_bottom="0.5em"),
        rx.grid(
            *(_address_input(*field) for field in ADDRESS_FIELDS),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
            # Re-mounted when the prefill arrives, so the inputs start from it.
            key=CartPageState.address_version.to_string(),
        ),
        field_error(CartPageState.errors, FORM, margin_top="0.5em"),
        border="none",
        padding="0",
        margin="0",
        min_width="0",
        width="100%",
    )


def checkout() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.cond(
                SessionState.is_authenticated,
                rx.card(address_form(), width="100%"),
            ),
            rx.flex(
                rx.text(
                    "Total: ", rx.text.strong(CartState.total_label, id="cart-total"), size="5"
                ),
                rx.spacer(),
                rx.cond(
                    ~SessionState.is_authenticated,
                    rx.text("You will be asked to log in first.", size="2", color_scheme="gray"),
                ),
                rx.button("Place order", type="submit", loading=CartPageState.placing, size="3"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            direction="column",
            spacing="3",
            width="100%",
            padding_top="1em",
        ),
        on_submit=CartPageState.place_order,
        id="checkout",
        width="100%",
    )


def empty_cart() -> rx.Component:
    return rx.callout(
        rx.flex(
            rx.text("Your cart is empty."),
            rx.link("Browse the catalogue", href=routes.CATALOGUE, underline="always"),
            spacing="2",
            wrap="wrap",
        ),
        icon="shopping-cart",
        id="cart-empty",
    )


@page(routes.CART, "Your cart", on_load=CartPageState.open)
def cart() -> rx.Component:
    return rx.cond(
        rx.State.is_hydrated & CartPageState.checked,
        rx.cond(
            CartState.rows.length() > 0,
            rx.flex(
                rx.foreach(CartState.rows, cart_line),
                checkout(),
                direction="column",
                spacing="3",
                width="100%",
            ),
            empty_cart(),
        ),
        loading(),
    )
