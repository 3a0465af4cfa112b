"""A customer as an admin sees them: the profile, what they have ordered and spent.

Their orders themselves are the order list narrowed to them:
`orders.list_orders(admin, params, filters=OrderFilters(customer_id=user_id))`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import select

from oms_app.core.db import session_scope
from oms_app.core.errors import NotFound
from oms_app.models.common import Money
from oms_app.models.order import Order
from oms_app.models.user import User, UserPublic
from oms_app.services.permissions import require_admin
from oms_app.services.revenue import as_money, revenue_sum


class CustomerOverview(BaseModel):
    profile: UserPublic
    order_count: int  # every order, cancelled ones included
    # The sum of their orders' totals, cancelled orders excepted (never paid for): the same
    # rule as the dashboard's revenue (services/revenue.py).
    lifetime_spend: Money
    last_order_at: datetime | None


def customer_overview(actor: User, user_id: int) -> CustomerOverview:
    require_admin(actor)
    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("User not found")
        count, spend, last = session.exec(
            select(
                func.count(),
                func.coalesce(revenue_sum(), 0),
                func.max(Order.created_at),
            ).where(Order.user_id == user_id)
        ).one()
        return CustomerOverview(
            profile=UserPublic.model_validate(user),
            order_count=count,
            lifetime_spend=as_money(spend),
            last_order_at=last,
        )
