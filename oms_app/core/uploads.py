"""Reflex's upload directory (`REFLEX_UPLOADED_FILES_DIR`), and the paths the app serves it on.

Reflex 0.10.1 mounts the directory read-only at `/_upload` on the backend, which in production
is the one port that serves everything, once anything has asked for the directory before the app
compiles: `oms_app.py` asks at import, so uploaded images are served even when no page uses
Reflex's upload component.
"""

from __future__ import annotations

from pathlib import Path

import reflex as rx
from reflex.constants import Endpoint


def upload_dir() -> Path:
    """The directory, created if missing; relative paths are taken from the working directory,
    as Reflex takes them."""
    return rx.get_upload_dir().resolve()


def upload_url(relative_path: str) -> str:
    """The path, on the app's own origin, that serves a file of the upload directory."""
    return f"{Endpoint.UPLOAD}/{relative_path}"
