"""Logging: readable lines for people, one JSON object per line for machines (LOG_JSON=1).

A request id (from the X-Request-ID header, or a new one) is attached to every log record
written while a REST request is served, and returned in the response header.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# Where the request or UI event came from, for the audit log (never written to log lines).
client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def bind_request(rid: str, address: str | None) -> None:
    """Name the request (or Reflex event) being served and its client, for the rest of the
    current task: REST requests and UI events both call this, in one place each."""
    request_id.set(rid)
    client_address.set(address or None)


# Attributes every LogRecord has; anything else was passed in `extra=` and is worth emitting.
_STANDARD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "rich_kwargs",  # set for Reflex's console handler (see clean_records)
}

# A log message keeps its head and its tail (where a traceback says what went wrong).
MAX_MESSAGE_CHARS = 2000
# C0 and C1 controls (newlines, ANSI escapes, ...) and Unicode's line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """One line of at most about `limit` characters: controls escaped (a newline becomes the
    two characters \\n), the middle of anything longer cut out and counted.

    Anything a client sends can end up in a message (Reflex logs rejected event arguments in
    full); escaped, it cannot forge a line of its own, and cut, it cannot flood the log."""
    if len(text) > limit:
        half = limit // 2
        text = f"{text[:half]} … [{len(text) - 2 * half} characters cut] … {text[-half:]}"
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def clean_records(extra: Callable[[logging.LogRecord], None] | None = None) -> None:
    """Make every log record of this process clean (see `clean`), whatever logger or handler
    writes it: the records themselves are made that way, so no sink can miss it. `extra` may
    adjust each record further (the Reflex adapter turns off its console's line wrapping)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "cleans_records", False):
        return

    def make_clean(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it as its own error
            return record
        cleaned = clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if extra is not None:
            extra(record)
        return record

    make_clean.cleans_records = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_clean)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS and v is not None}
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {
            k: v
            for k, v in record.__dict__.items()
            if k not in _STANDARD_ATTRS and k != "request_id" and v is not None
        }
        if getattr(record, "request_id", None):
            extras = {"request_id": record.request_id, **extras}
        if extras:
            line += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        return line


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    oms = logging.getLogger("oms")
    for name in ("oms", "oms_app"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    oms.debug("logging configured")
