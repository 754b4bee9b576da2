"""waste records, transfers and reorder points

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 08:02:29.671397
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transfers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('from_location_id', sa.String(length=40), nullable=False),
    sa.Column('to_location_id', sa.String(length=40), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('sent_by', sa.String(length=120), nullable=False),
    sa.Column('sent_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.String(length=120), nullable=True),
    sa.Column('closed_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('from_location_id <> to_location_id', name=op.f('ck_transfers_two_shops')),
    sa.ForeignKeyConstraint(['from_location_id'], ['locations.id'], name=op.f('fk_transfers_from_location_id_locations')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_transfers_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['to_location_id'], ['locations.id'], name=op.f('fk_transfers_to_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index('ix_transfers_to_state', ['to_location_id', 'state'], unique=False)

    op.create_table('waste_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('product', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.JSON(), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_waste_records_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waste_records'))
    )
    with op.batch_alter_table('waste_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waste_records_location_id'), ['location_id'], unique=False)

    with op.batch_alter_table('par_levels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reorder_point', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('par_levels', schema=None) as batch_op:
        batch_op.drop_column('reorder_point')

    with op.batch_alter_table('waste_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waste_records_location_id'))

    op.drop_table('waste_records')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_transfers_to_state')

    op.drop_table('transfers')
