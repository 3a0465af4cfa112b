"""Reflex states shared across pages: the logged-in session and the cart."""
