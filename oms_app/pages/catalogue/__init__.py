"""The catalogue: search, a category, a price range, in-stock only, a sort, page by page.

All of it lives in the URL query (state/catalogue_query.py): every control navigates to the
address of what it asks for, and the page shows whatever its address says, so a reload keeps a
search, Back undoes it and a link shares it. Visitors may browse and fill a cart; only placing
the order needs a login.
"""

from __future__ import annotations

import reflex as rx

from oms_app import routes
from oms_app.components.lists import list_feedback
from oms_app.components.pagination import pagination
from oms_app.components.templates import page
from oms_app.pages.catalogue.filters import filter_bar
from oms_app.pages.catalogue.grid import product_grid
from oms_app.pages.catalogue.state import CatalogueState


@page(routes.CATALOGUE, "Catalogue", on_load=CatalogueState.load)
def catalogue() -> rx.Component:
    state = CatalogueState
    return rx.fragment(
        filter_bar(),
        list_feedback(state),
        product_grid(),
        pagination(state),
    )
