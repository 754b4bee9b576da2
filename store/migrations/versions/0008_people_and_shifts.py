"""people and shifts: staff, shifts, time off

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 22:41:28.156629
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('home_location_id', sa.String(length=40), nullable=False),
    sa.Column('locations', sa.JSON(), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('hourly_rate_cents', sa.Integer(), nullable=False),
    sa.Column('min_hours', sa.Integer(), nullable=False),
    sa.Column('max_hours', sa.Integer(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('preferences', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['home_location_id'], ['locations.id'], name=op.f('fk_staff_home_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('shifts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('starts_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shifts_ends_after_start')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_shifts_location_id_locations')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_shifts_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index('ix_shifts_location_start', ['location_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_staff_id'), ['staff_id'], unique=False)

    op.create_table('time_off',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('staff_id', sa.String(length=40), nullable=False),
    sa.Column('starts_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_time_off_ends_after_start')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_time_off_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_off_staff_id'), ['staff_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_off_staff_id'))

    op.drop_table('time_off')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shifts_staff_id'))
        batch_op.drop_index('ix_shifts_location_start')

    op.drop_table('shifts')
    op.drop_table('staff')
