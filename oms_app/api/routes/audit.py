"""/api/v1/audit: who changed what in the catalogue, users and keys (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from oms_app.api.deps import CurrentActor
from oms_app.models.audit import AuditEntryPublic, AuditFilters
from oms_app.models.common import Page, PageParams
from oms_app.services import audit

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditQuery(PageParams, AuditFilters):
    """A page of the audit log, newest first, narrowed by the filters."""


@router.get("/", response_model=Page[AuditEntryPublic])
def list_entries(
    actor: CurrentActor, query: Annotated[AuditQuery, Query()]
) -> Page[AuditEntryPublic]:
    filters = AuditFilters.model_validate(query.model_dump(include=set(AuditFilters.model_fields)))
    return audit.list_entries(actor, query, filters)
