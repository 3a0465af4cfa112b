"""The production server (scripts/start.sh, DEMO_DATA=1) serves product pictures and the
favicon from its own origin: the paths the API hands out are the paths that answer."""

from __future__ import annotations

import io

import httpx
from PIL import Image


def test_demo_pictures_are_served_at_the_paths_the_api_gives(base_url: str) -> None:
    product = httpx.get(f"{base_url}/api/v1/products/?sort=name&limit=1").json()["data"][0]
    assert product["category"] is not None
    for url, longest in ((product["image_url"], 800), (product["thumbnail_url"], 400)):
        assert url.startswith("/_upload/products/")
        served = httpx.get(f"{base_url}{url}")
        assert served.status_code == 200, url
        assert served.headers["content-type"] == "image/webp"
        assert max(Image.open(io.BytesIO(served.content)).size) == longest


def test_the_favicon_and_logo_are_served(base_url: str) -> None:
    favicon = httpx.get(f"{base_url}/favicon.ico")
    assert favicon.status_code == 200
    assert Image.open(io.BytesIO(favicon.content)).format == "ICO"
    logo = httpx.get(f"{base_url}/logo.png")
    assert (logo.status_code, logo.headers["content-type"]) == (200, "image/png")
