"""API keys and the audit log.

- `api_keys`: a key's name, the shown prefix of its secret, the secret's HMAC (unique: the
  lookup of every keyed request), its scopes (JSON list) and when it was created, last used
  and revoked. Revoked keys stay, so history that names them keeps its name.
- `audit_entries`: one row per admin or key action, the actor kept as it was (kind, id,
  name); indexed for the newest-first list, alone and narrowed by entity, actor or action.
- `order_events.actor_key_id`, `order_notes.author_key_id`: the key that changed an order or
  wrote a note, when a key did.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 11:40:42.407237
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('client_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_audit_action', 'audit_entries', ['action', 'created_at', 'id'], unique=False)
    op.create_index('ix_audit_actor', 'audit_entries', ['actor_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_audit_created', 'audit_entries', ['created_at', 'id'], unique=False)
    op.create_index('ix_audit_entity', 'audit_entries', ['entity_type', 'entity_id', 'created_at', 'id'], unique=False)
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_api_keys_created', 'api_keys', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_api_keys_secret_hash'), 'api_keys', ['secret_hash'], unique=True)
    # Batch mode: SQLite cannot add a foreign key to an existing table (PostgreSQL just ALTERs).
    with op.batch_alter_table('order_events') as batch:
        batch.add_column(sa.Column('actor_key_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_order_events_actor_key_id', 'api_keys', ['actor_key_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('order_notes') as batch:
        batch.add_column(sa.Column('author_key_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_order_notes_author_key_id', 'api_keys', ['author_key_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('order_notes') as batch:
        batch.drop_constraint('fk_order_notes_author_key_id', type_='foreignkey')
        batch.drop_column('author_key_id')
    with op.batch_alter_table('order_events') as batch:
        batch.drop_constraint('fk_order_events_actor_key_id', type_='foreignkey')
        batch.drop_column('actor_key_id')
    op.drop_index(op.f('ix_api_keys_secret_hash'), table_name='api_keys')
    op.drop_index('ix_api_keys_created', table_name='api_keys')
    op.drop_table('api_keys')
    op.drop_index('ix_audit_entity', table_name='audit_entries')
    op.drop_index('ix_audit_created', table_name='audit_entries')
    op.drop_index('ix_audit_actor', table_name='audit_entries')
    op.drop_index('ix_audit_action', table_name='audit_entries')
    op.drop_table('audit_entries')
