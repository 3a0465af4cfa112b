"""The development SECRET_KEY is long enough that PyJWT signs with it without a warning, and it
is still the marker production refuses."""

from __future__ import annotations

import warnings

import jwt
import pytest

from oms_app.core.config import DEFAULT_SECRET_KEY, Settings


def test_the_development_key_signs_without_pyjwt_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        token = jwt.encode({"sub": "1"}, DEFAULT_SECRET_KEY, algorithm="HS256")
    assert jwt.decode(token, DEFAULT_SECRET_KEY, algorithms=["HS256"])["sub"] == "1"


def test_production_still_refuses_it() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(app_env="production", secret_key=DEFAULT_SECRET_KEY)
