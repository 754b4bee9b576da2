"""sales history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 02:00:59.619040
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_hours',
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('starts_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('orders', sa.Integer(), nullable=False),
    sa.Column('drinks', sa.Integer(), nullable=False),
    sa.Column('revenue_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_sales_hours_location_id_locations')),
    sa.PrimaryKeyConstraint('location_id', 'starts_at', name=op.f('pk_sales_hours'))
    )


def downgrade() -> None:
    op.drop_table('sales_hours')
