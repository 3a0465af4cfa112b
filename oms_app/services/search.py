"""What a product search may be, said the same way to the UI and to REST clients.

A search is part of a product name: surrounding spaces do not count, an empty search is no
search, and the limits below hold whichever entry point the text came from.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from oms_app.core.errors import InvalidInput

SEARCH_MAX_LENGTH = 255
TOO_LONG = f"Search for at most {SEARCH_MAX_LENGTH} characters."
NOT_TEXT = "Search for ordinary text: it cannot contain NUL characters."


def search_problem(text: str) -> str | None:
    """Why this search cannot be run, in plain language; None when it can."""
    if len(text) > SEARCH_MAX_LENGTH:
        return TOO_LONG
    if "\x00" in text:
        return NOT_TEXT
    return None


def normalise_search(search: str | None) -> str | None:
    """The search to run: stripped, None for no search; InvalidInput when it cannot be run."""
    search = (search or "").strip()
    problem = search_problem(search)
    if problem is not None:
        raise InvalidInput(problem)
    return search or None


def _validate(text: str) -> str:
    problem = search_problem(text.strip())
    if problem is not None:
        raise PydanticCustomError("search_text", problem)
    return text


# For query models: the same rule and wording as the service, as a 422 before any work.
SearchText = Annotated[
    str, Field(json_schema_extra={"maxLength": SEARCH_MAX_LENGTH}), AfterValidator(_validate)
]
