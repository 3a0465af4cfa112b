"""Where the login page may send the browser: paths on this site, never another host."""

from __future__ import annotations

import pytest

from oms_app.state.redirects import safe_next


@pytest.mark.parametrize(
    "target",
    ["/", "/orders", "/cart?x=1", "/admin/users#top", "/products/12", "/a%20b"],
)
def test_paths_on_this_site_pass(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "orders",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        # Browsers drop TAB, CR and LF from URLs: these would become //evil.example.
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/%09/evil.example",
        "/%0d%0a/evil.example",
        "/%2F/evil.example",
        "/%5Cevil.example",
        "/\x00",
        "/" + "a" * 5000,
    ],
)
def test_anything_else_falls_back(target: str | None) -> None:
    assert safe_next(target) == "/"
    assert safe_next(target, default="/cart") == "/cart"
