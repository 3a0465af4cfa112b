"""Reusable UI pieces: the page shell, guards, pagination."""
