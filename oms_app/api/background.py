"""Activity log lines written after the answer has gone out (services/activity.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import BackgroundTasks


def log_after(background: BackgroundTasks, write: Callable[..., None], *args: Any) -> None:
    """Run `write(*args)` once the response is sent, on the event loop.

    A log line is too little work to be worth the thread hand-off that FastAPI gives a plain
    function as a background task; on the order path that hand-off was a second trip through
    the thread pool for every order."""

    async def run() -> None:
        write(*args)

    background.add_task(run)
