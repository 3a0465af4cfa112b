"""Indexes for the webhook retention sweep.

- `ix_webhook_deliveries_finished`: finished (not pending) deliveries by when they ended, a
  partial index beside the pending-only one the sender claims from, so the sweep reads the
  oldest finished rows and nothing else.
- `ix_webhook_events_created`: events oldest first, for deleting those no delivery refers to.

Built in the migration's transaction (the app runs every migration in one, under its start-up
lock), so not CONCURRENTLY: on a database where deliveries have piled up for a long time, the
build holds up orders that write webhook events until it is done. Such a deployment can build
both indexes CONCURRENTLY by hand first (same names, same definitions); this migration then
finds them and does nothing.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINISHED = sa.text("status <> 'pending'")


def upgrade() -> None:
    op.create_index(
        'ix_webhook_deliveries_finished', 'webhook_deliveries', ['next_attempt_at'],
        unique=False, postgresql_where=FINISHED, sqlite_where=FINISHED, if_not_exists=True,
    )
    op.create_index(
        'ix_webhook_events_created', 'webhook_events', ['created_at'], unique=False,
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index('ix_webhook_events_created', table_name='webhook_events')
    op.drop_index(
        'ix_webhook_deliveries_finished', table_name='webhook_deliveries',
        postgresql_where=FINISHED, sqlite_where=FINISHED,
    )
