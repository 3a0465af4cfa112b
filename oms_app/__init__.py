"""OMS: an order management system on Reflex, with a REST API mounted under /api."""
