"""/api/health: for load balancers, compose and people."""

from __future__ import annotations

from fastapi import APIRouter, Response

from oms_app.services import health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=health.Health)
def read_health(response: Response) -> health.Health:
    """200 while the database answers (even with Redis down: "degraded"), 503 when it does not."""
    result = health.check()
    if result.status == "down":
        response.status_code = 503
    return result
