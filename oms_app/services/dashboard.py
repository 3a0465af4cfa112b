"""The admin dashboard's figures, each computed by one aggregate query in the database.

Nothing here loads rows to count them in Python, so the dashboard costs the same with ten orders
or ten million. The queries use only what PostgreSQL and SQLite both understand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import false, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from oms_app.core.db import session_scope
from oms_app.models.common import Money
from oms_app.models.order import Order, OrderStatus
from oms_app.models.product import Product
from oms_app.models.user import User
from oms_app.services import users
from oms_app.services.permissions import require_admin
from oms_app.services.revenue import as_money, counts_towards_revenue, revenue_sum
from oms_app.services.stock_levels import LOW_STOCK_THRESHOLD

LOW_STOCK_SHOWN = 10
DAYS_SHOWN = 30


class DayFigures(BaseModel):
    day: date
    orders: int
    revenue: Money


class StatusCount(BaseModel):
    status: OrderStatus
    orders: int


class LowStockProduct(BaseModel):
    id: int
    name: str
    stock: int


class Dashboard(BaseModel):
    revenue: Money
    order_count: int
    shopper_count: int
    orders_by_status: list[StatusCount]
    low_stock_count: int
    low_stock: list[LowStockProduct]
    daily: list[DayFigures]


def get_dashboard(actor: User, today: date | None = None) -> Dashboard:
    require_admin(actor)
    today = today or datetime.now(UTC).date()
    with session_scope() as session:
        revenue = session.exec(
            select(func.coalesce(func.sum(Order.total), 0)).where(counts_towards_revenue())
        ).one()
        by_status = _orders_by_status(session)
        low_stock_count, low_stock = _low_stock(session)
        daily = _daily(session, today)
    return Dashboard(
        revenue=as_money(revenue),
        order_count=sum(row.orders for row in by_status),
        shopper_count=users.count_shoppers(),
        orders_by_status=by_status,
        low_stock_count=low_stock_count,
        low_stock=low_stock,
        daily=daily,
    )


def _orders_by_status(session: Session) -> list[StatusCount]:
    counts = dict(session.exec(select(Order.status, func.count()).group_by(Order.status)).all())
    # Every status is listed, in lifecycle order, so the chart keeps its shape when one is empty.
    return [StatusCount(status=s, orders=counts.get(s, 0)) for s in OrderStatus]


def _low_stock(session: Session) -> tuple[int, list[LowStockProduct]]:
    conditions = (Product.is_deleted == false(), Product.stock <= LOW_STOCK_THRESHOLD)
    count = session.exec(select(func.count()).select_from(Product).where(*conditions)).one()
    rows = session.exec(
        select(Product.id, Product.name, Product.stock)
        .where(*conditions)
        .order_by(Product.stock, Product.id)
        .limit(LOW_STOCK_SHOWN)
    ).all()
    return count, [LowStockProduct(id=r.id, name=r.name, stock=r.stock) for r in rows]


def _day_of(session: Session, column: ColumnElement) -> ColumnElement:
    """The UTC calendar day of a timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        # timestamptz -> the wall-clock time in UTC, whatever the connection's time zone is.
        return func.date(func.timezone("UTC", column))
    # SQLite keeps the UTC timestamps we wrote as text; date() reads the day off it.
    return func.date(column)


def _daily(session: Session, today: date) -> list[DayFigures]:
    first_day = today - timedelta(days=DAYS_SHOWN - 1)
    since = datetime.combine(first_day, time.min, tzinfo=UTC)
    day = _day_of(session, Order.created_at).label("day")
    revenue = revenue_sum()
    rows = session.exec(
        select(day, func.count(), func.coalesce(revenue, 0))
        .where(Order.created_at >= since)
        .group_by(day)
    ).all()
    # SQLite answers the day as text, PostgreSQL as a date.
    found = {date.fromisoformat(str(d)): (n, as_money(r)) for d, n, r in rows}
    figures = []
    for offset in range(DAYS_SHOWN):
        current = first_day + timedelta(days=offset)
        orders, revenue_of_day = found.get(current, (0, Decimal(0)))
        figures.append(DayFigures(day=current, orders=orders, revenue=revenue_of_day))
    return figures
