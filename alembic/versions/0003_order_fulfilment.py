"""Orders a shop can fulfil: shipping addresses, internal notes, and indexes for searching orders.

- `orders.shipping_address`: the address as written at placement (JSON; NULL for orders placed
  without one, such as every order before this revision).
- `order_notes`: admins' internal notes, with the author's name as it was then.
- Order lists filter by status, customer and dates and sort by date or total: one composite
  index per sort, each ending in `id` (the tie-breaker), replacing the single-column indexes
  they start with. New indexes are built before the old ones go, so queries keep an index
  throughout.
- On PostgreSQL, trigram indexes on users' email and name serve the order search's "part of the
  customer's email or name" (ILIKE '%term%'); pg_trgm was installed by 0001. They are listed in
  alembic/env.py's DATABASE_ONLY_INDEXES because the models cannot describe them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 08:19:18.704818
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_INDEXES = {
    "ix_users_email_trgm": "users USING gin (email gin_trgm_ops)",
    "ix_users_name_trgm": "users USING gin (name gin_trgm_ops)",
}


def upgrade() -> None:
    op.create_table('order_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_order_notes_order_id'), 'order_notes', ['order_id'], unique=False)
    op.add_column('orders', sa.Column('shipping_address', sa.JSON(none_as_null=True), nullable=True))
    op.create_index('ix_orders_created', 'orders', ['created_at', 'id'], unique=False)
    op.create_index('ix_orders_status_created', 'orders', ['status', 'created_at', 'id'], unique=False)
    op.create_index('ix_orders_total', 'orders', ['total', 'id'], unique=False)
    op.create_index('ix_orders_user_created', 'orders', ['user_id', 'created_at', 'id'], unique=False)
    op.drop_index(op.f('ix_orders_created_at'), table_name='orders')
    op.drop_index(op.f('ix_orders_status'), table_name='orders')
    op.drop_index(op.f('ix_orders_user_id'), table_name='orders')
    if op.get_bind().dialect.name == "postgresql":
        for name, definition in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.create_index(op.f('ix_orders_user_id'), 'orders', ['user_id'], unique=False)
    op.create_index(op.f('ix_orders_status'), 'orders', ['status'], unique=False)
    op.create_index(op.f('ix_orders_created_at'), 'orders', ['created_at'], unique=False)
    op.drop_index('ix_orders_user_created', table_name='orders')
    op.drop_index('ix_orders_total', table_name='orders')
    op.drop_index('ix_orders_status_created', table_name='orders')
    op.drop_index('ix_orders_created', table_name='orders')
    op.drop_column('orders', 'shipping_address')
    op.drop_index(op.f('ix_order_notes_order_id'), table_name='order_notes')
    op.drop_table('order_notes')
