"""Categories, a product's category and image, and indexes for the filtered, sorted catalogue.

Every new index leads with what a catalogue page filters on exactly (is_deleted, or the category
and is_deleted) followed by what it sorts by, so a page is read in order from an index; none
holds `stock`, so taking stock stays a HOT update. The category's slug is unique, and since it
is derived from the lower-cased name, that also keeps names unique in any case.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 08:18:21.127756
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTING_INDEXES = {
    'ix_products_price_listing': ['is_deleted', 'price', 'id'],
    'ix_products_name_listing': ['is_deleted', sa.text('lower(name)'), 'id'],
    'ix_products_category_listing': ['category_id', 'is_deleted', 'created_at', 'id'],
    'ix_products_category_price': ['category_id', 'is_deleted', 'price', 'id'],
    'ix_products_category_name': ['category_id', 'is_deleted', sa.text('lower(name)'), 'id'],
}


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_categories_slug'), 'categories', ['slug'], unique=True)
    # Batch mode: SQLite cannot add a foreign key to an existing table (PostgreSQL just ALTERs).
    with op.batch_alter_table('products') as batch:
        batch.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('image_path', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.add_column(sa.Column('thumbnail_path', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.create_foreign_key('fk_products_category_id', 'categories', ['category_id'], ['id'])
    for name, columns in LISTING_INDEXES.items():
        op.create_index(name, 'products', columns, unique=False)


def downgrade() -> None:
    for name in LISTING_INDEXES:
        op.drop_index(name, table_name='products')
    with op.batch_alter_table('products') as batch:
        batch.drop_constraint('fk_products_category_id', type_='foreignkey')
        batch.drop_column('thumbnail_path')
        batch.drop_column('image_path')
        batch.drop_column('category_id')
    op.drop_index(op.f('ix_categories_slug'), table_name='categories')
    op.drop_table('categories')
