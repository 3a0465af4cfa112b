"""Where a page may send the browser after logging in: a path on this site, nothing else."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from oms_app import routes

MAX_NEXT_LENGTH = 2048


def _is_control(char: str) -> bool:
    return char < " " or "\x7f" <= char <= "\x9f"


def safe_next(target: str | None, default: str = routes.CATALOGUE) -> str:
    """`target` when it is a path on this site, else `default`.

    Browsers drop TAB, CR and LF from URLs and read `\\` as `/`, so `/\\t/evil.example` or
    `/\\evil.example` would become another host's address; anything with control characters
    or backslashes, raw or percent-encoded, is refused, as is any scheme or host.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return default
    for text in (target, unquote(target)):
        if "\\" in text or any(_is_control(char) for char in text):
            return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    if parts.path.startswith("//") or unquote(parts.path).startswith("//"):
        return default
    return target
