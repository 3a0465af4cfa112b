"""The cart: adjust lines, then place them all as one order, or none of them."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from oms_app import routes
from oms_app.components.forms import inline_error, labelled_input
from oms_app.components.layout import layout
from oms_app.core.errors import DomainError
from oms_app.models.common import MAX_QUANTITY
from oms_app.models.order import OrderCreate, OrderLineIn
from oms_app.services import activity, orders
from oms_app.state.cart import CartRow, CartState
from oms_app.state.session import SessionState

LOGIN_TO_ORDER = f"{routes.LOGIN}?next={routes.CART}"


class CartPageState(rx.State):
    placing: bool = False
    # Keyed by product id (as text: state dict keys travel as JSON) → what went wrong on that line.
    line_errors: dict[str, str] = {}

    @rx.event
    async def change_quantity(self, product_id: int, value: str):
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            return rx.toast.error("Quantity must be a whole number.")
        cart = await self.get_state(CartState)
        cart.update_quantity(product_id, wanted)
        self.line_errors = {k: v for k, v in self.line_errors.items() if k != str(product_id)}
        if wanted <= 0:
            return rx.toast.info("Removed from cart.")
        return None

    @rx.event
    async def remove(self, product_id: int):
        cart = await self.get_state(CartState)
        cart.update_quantity(product_id, 0)
        self.line_errors = {k: v for k, v in self.line_errors.items() if k != str(product_id)}
        return rx.toast.info("Removed from cart.")

    @rx.event
    async def place_order(self):
        cart = await self.get_state(CartState)
        lines = cart.read_lines()
        if not lines:
            yield rx.toast.warning("Your cart is empty.")
            return
        session = await self.get_state(SessionState)
        try:
            actor = await session.actor()
        except DomainError:
            yield rx.toast.info("Please log in to place your order.")
            yield rx.redirect(LOGIN_TO_ORDER)
            return
        self.placing = True
        self.line_errors = {}
        yield
        try:
            data = OrderCreate(
                items=[OrderLineIn(product_id=ln.product_id, quantity=ln.quantity) for ln in lines]
            )
            placed = await run_in_threadpool(orders.place_order, actor, data)
        except orders.InsufficientStock as exc:
            left = f"Only {exc.available} left in stock." if exc.available else "Out of stock."
            self.line_errors = {str(exc.product_id): left}
            yield rx.toast.error(f"{exc.message}. Nothing was ordered.")
            return
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
            yield rx.toast.error(f"This cart cannot be ordered as it is: {problem}")
            return
        except DomainError as exc:
            yield rx.toast.error(f"{exc.message}. Nothing was ordered.")
            return
        finally:
            self.placing = False
        cart.clear()
        yield rx.toast.success(f"Order #{placed.order.id} placed.")
        yield rx.redirect(routes.ORDERS)
        activity.order_created(placed.order)


def cart_line(row: rx.Var[CartRow]) -> rx.Component:
    quantity_id = "cart-quantity-" + row.product_id.to_string()
    return rx.card(
        rx.flex(
            rx.flex(
                rx.text(row.name, weight="bold", size="3", class_name="cart-line-name"),
                rx.text(row.price_label, " each", size="2", color_scheme="gray"),
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
                    max=MAX_QUANTITY,
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
                rx.icon("trash-2", size=16),
                "Remove",
                on_click=CartPageState.remove(row.product_id),
                variant="soft",
                color_scheme="red",
                size="2",
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
            rx.link("Browse the catalogue", href=routes.CATALOGUE),
            spacing="2",
            wrap="wrap",
        ),
        icon="shopping-cart",
        id="cart-empty",
    )


@rx.page(route=routes.CART, title="Cart · OMS", on_load=SessionState.load_optional_user)
def cart_page() -> rx.Component:
    return layout(
        rx.cond(
            rx.State.is_hydrated,
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
            rx.center(rx.spinner(size="3"), padding="4em"),
        ),
        title="Your cart",
    )
