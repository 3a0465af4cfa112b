"""Every business rule of OMS, in plain Python: REST routes and Reflex states both call here.

Services open their own transactions, check permissions against the acting user, and raise
`oms_app.core.errors.DomainError`s; they return pydantic schemas, never live ORM objects.
"""
