"""No log line carries a raw control character, and no message floods the log, whichever
logger writes it (Reflex's own included)."""

from __future__ import annotations

import io
import logging

import pytest

from oms_app import reflex_adapter
from oms_app.core.logging import MAX_MESSAGE_CHARS, clean, clean_records


@pytest.fixture
def clean_logging():
    factory = logging.getLogRecordFactory()
    clean_records(reflex_adapter.unwrapped)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("reflex_base.event.processor.test")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)
    logging.setLogRecordFactory(factory)


def test_controls_are_escaped_and_long_text_is_cut_in_the_middle() -> None:
    assert clean("a\nb\r\tc\x1b[31m\u2028") == "a\\nb\\r\\tc\\x1b[31m\\u2028"
    long = "head" + "x" * 10_000 + "tail"
    cut = clean(long)
    assert cut.startswith("head")
    assert cut.endswith("tail")
    assert len(cut) < MAX_MESSAGE_CHARS + 100
    assert "characters cut" in cut


def test_a_forged_line_in_an_event_argument_stays_on_its_own_line(clean_logging) -> None:
    logger, stream = clean_logging
    forged = "1\n2026-01-01 00:00:00 INFO oms.activity: order created order_id=1"
    # What Reflex writes when it cannot convert an argument (base_state_processor.py).
    logger.warning(f"Error transforming event argument 'order_id' with value '{forged}'")
    logger.warning("and with arguments: %s", forged + "x" * 500_000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("WARNING reflex_base") for line in lines)
    assert len(stream.getvalue()) < 2 * MAX_MESSAGE_CHARS + 500


def test_reflex_console_is_told_not_to_wrap_its_records(clean_logging) -> None:
    logger, _ = clean_logging
    record = logger.makeRecord(logger.name, logging.WARNING, __file__, 1, "x", None, None)
    assert record.rich_kwargs == {"soft_wrap": True}
    ours = logging.getLogger("oms.activity").makeRecord(
        "oms", logging.INFO, "f", 1, "y", None, None
    )
    assert not hasattr(ours, "rich_kwargs")


def test_reflex_records_may_still_pass_their_own_print_options(clean_logging) -> None:
    """Reflex's deprecation warnings pass `rich_kwargs` in `extra=`; that must neither raise
    (it would fail the event handler that touched a deprecated API) nor turn wrapping back on."""
    logger, stream = clean_logging
    record = logger.makeRecord(
        logger.name,
        logging.WARNING,
        __file__,
        1,
        "old API",
        None,
        None,
        extra={"rich_kwargs": {"markup": False}},
    )
    assert record.rich_kwargs == {"markup": False, "soft_wrap": True}
    logger.warning("deprecated", extra={"kind": "deprecation", "rich_kwargs": {}})
    assert "deprecated" in stream.getvalue()
