"""item sales by day

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:20:34.294309
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_sales_days',
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('milk_id', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_item_sales_days_item_id_menu_items')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_item_sales_days_location_id_locations')),
    sa.PrimaryKeyConstraint('location_id', 'day', 'item_id', 'milk_id', name=op.f('pk_item_sales_days'))
    )


def downgrade() -> None:
    op.drop_table('item_sales_days')
