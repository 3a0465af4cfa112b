"""The catalogue's controls: search, category, sort, a price range, in stock only, and Clear
filters; each one navigates to the address of what it asks for."""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.forms import field_label, inline_error, labelled_input, search_input
from oms_app.components.layout import link_button
from oms_app.pages.catalogue.state import ALL, CatalogueState
from oms_app.state.catalogue_query import SORTS


def _select(
    label: str, control_id: str, value: rx.Var[str], on_change, items: list[rx.Component]
) -> rx.Component:
    return rx.flex(
        field_label(label, control_id),
        rx.select.root(
            rx.select.trigger(id=control_id, width="100%"),
            rx.select.content(*items),
            value=value,
            on_change=on_change,
        ),
        direction="column",
        spacing="1",
        min_width="11em",
        flex="1 1 11em",
    )


def filter_bar() -> rx.Component:
    state = CatalogueState
    return rx.flex(
        rx.flex(
            search_input("search", state.search, state.set_search, flex="2 1 16em"),
            _select(
                "Category",
                "category-filter",
                state.category_choice,
                state.set_category,
                [
                    rx.select.item("All categories", value=ALL),
                    rx.foreach(
                        state.categories,
                        lambda option: rx.select.item(option.label, value=option.value),
                    ),
                ],
            ),
            _select(
                "Sort by",
                "sort-order",
                state.sort,
                state.set_sort,
                [rx.select.item(label, value=value) for value, label in SORTS],
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        rx.flex(
            rx.form(
                rx.flex(
                    rx.box(
                        labelled_input(
                            "Min price",
                            "min-price",
                            name="min_price",
                            default_value=state.min_price,
                            input_mode="decimal",
                            placeholder="0.00",
                            size="2",
                        ),
                        width="7.5em",
                    ),
                    rx.box(
                        labelled_input(
                            "Max price",
                            "max-price",
                            name="max_price",
                            default_value=state.max_price,
                            input_mode="decimal",
                            placeholder="any",
                            size="2",
                        ),
                        width="7.5em",
                    ),
                    rx.button("Apply prices", type="submit", variant="soft", size="2"),
                    spacing="3",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=state.apply_prices,
                # Re-mounted when the address changes the range, so the inputs show it.
                key=state.min_price + "|" + state.max_price,
            ),
            rx.el.label(
                rx.flex(
                    rx.switch(checked=state.in_stock, on_change=state.set_in_stock, id="in-stock"),
                    rx.text("In stock only", size="2", weight="medium"),
                    spacing="2",
                    align="center",
                ),
                html_for="in-stock",
                padding_bottom="0.4em",
            ),
            rx.cond(
                state.filtered | (state.error != ""),
                link_button("Clear filters", routes.CATALOGUE, variant="ghost", size="2"),
            ),
            rx.cond(state.loading, rx.spinner(size="3", id="catalogue-loading")),
            spacing="4",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        inline_error(state.price_error, id="price-error"),
        direction="column",
        spacing="3",
        margin_bottom="1.5em",
    )
