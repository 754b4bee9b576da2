"""shift changes and swaps

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:04:39.348836
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shift_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_by', sa.String(length=120), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_shift_changes_location_id_locations')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_shift_changes_shift_id_shifts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_changes'))
    )
    with op.batch_alter_table('shift_changes', schema=None) as batch_op:
        batch_op.create_index('ix_shift_changes_location_at', ['location_id', 'changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_changes_shift_id'), ['shift_id'], unique=False)

    op.create_table('swap_requests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('other_shift_id', sa.Integer(), nullable=False),
    sa.Column('asked_by', sa.String(length=40), nullable=False),
    sa.Column('asked', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['asked'], ['staff.id'], name=op.f('fk_swap_requests_asked_staff')),
    sa.ForeignKeyConstraint(['asked_by'], ['staff.id'], name=op.f('fk_swap_requests_asked_by_staff')),
    sa.ForeignKeyConstraint(['other_shift_id'], ['shifts.id'], name=op.f('fk_swap_requests_other_shift_id_shifts')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_swap_requests_shift_id_shifts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swap_requests'))
    )
    with op.batch_alter_table('swap_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swap_requests_asked'), ['asked'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('swap_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swap_requests_asked'))

    op.drop_table('swap_requests')
    with op.batch_alter_table('shift_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_changes_shift_id'))
        batch_op.drop_index('ix_shift_changes_location_at')

    op.drop_table('shift_changes')
