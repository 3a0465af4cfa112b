"""A product as the shop's pages show it, and putting it in the cart from what the shopper sees:
the catalogue's cards and the product page share both."""

from __future__ import annotations

import reflex as rx
from pydantic import BaseModel, ValidationError
from reflex.event import EventSpec

from oms_app.components.format import money
from oms_app.models.common import MAX_QUANTITY
from oms_app.models.product import ProductPublic
from oms_app.state.cart import CartLine, CartState


class ProductCard(BaseModel):
    id: int = 0
    name: str = ""
    description: str = ""
    price: float = 0.0
    price_label: str = ""
    stock: int = 0
    category: str = ""
    image_url: str = ""
    thumbnail_url: str = ""


def card_of(item: ProductPublic) -> ProductCard:
    return ProductCard(
        id=item.id,
        name=item.name,
        description=item.description,
        price=float(item.price),
        price_label=money(item.price),
        stock=item.stock,
        category=item.category.name if item.category else "",
        image_url=item.image_url or "",
        thumbnail_url=item.thumbnail_url or "",
    )


async def add_shown_product(state: rx.State, product: ProductCard, quantity: object) -> EventSpec:
    """Add `quantity` (as typed) of a product to the tab's cart; the toast that says how it went.

    The cart never takes more than the stock shown ("Only 3 left.")."""
    try:
        line = CartLine(
            product_id=product.id,
            name=product.name,
            price=product.price,
            quantity=quantity if isinstance(quantity, str | int) else "",
            stock=product.stock,
        )
    except ValidationError:
        return rx.toast.error(f"Quantity must be a whole number from 1 to {MAX_QUANTITY:,}.")
    cart = await state.get_state(CartState)
    problem = cart._add(line)
    if problem is not None:
        return rx.toast.error(f"{product.name}: {problem}")
    return rx.toast.success(f"Added {line.quantity} \u00d7 {line.name} to your cart.")
