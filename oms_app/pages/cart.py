"""The cart: adjust lines, then place them all as one order, or none of them."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.components.layout import loading
from oms_app.components.templates import page
from oms_app.core.errors import DomainError, NotFound
from oms_app.models.order import OrderCreate, OrderLineIn
from oms_app.services import activity, orders, products
from oms_app.state.cart import CartLine, CartRow, CartState, only_left
from oms_app.state.form_errors import field_errors
from oms_app.state.session import SessionState

LOGIN_TO_ORDER = f"{routes.LOGIN}?next={routes.CART}"


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


class CartPageState(rx.State):
    placing: bool = False
    checked: bool = False
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
        self.checked = True
        return None

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
    async def place_order(self):
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
        self.placing = True
        yield
        try:
            data = OrderCreate(
                items=[OrderLineIn(product_id=ln.product_id, quantity=ln.quantity) for ln in lines]
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
        yield rx.toast.success(f"Order #{placed.order.id} placed.")
        yield rx.redirect(routes.ORDERS)
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


def checkout() -> rx.Component:
    return rx.flex(
        rx.text("Total: ", rx.text.strong(CartState.total_label, id="cart-total"), size="5"),
        rx.spacer(),
        rx.cond(
            ~SessionState.is_authenticated,
            rx.text("You will be asked to log in first.", size="2", color_scheme="gray"),
        ),
        rx.button(
            "Place order",
            on_click=CartPageState.place_order,
            loading=CartPageState.placing,
            size="3",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_top="1em",
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
