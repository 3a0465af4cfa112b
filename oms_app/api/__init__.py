"""The REST API (FastAPI), mounted into the Reflex app under /api."""
