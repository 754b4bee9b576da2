"""kitchen

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 08:28:27.436036
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kitchen_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('machine_id', sa.String(length=40), nullable=True),
    sa.Column('job_id', sa.String(length=40), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kitchen_log'))
    )
    with op.batch_alter_table('kitchen_log', schema=None) as batch_op:
        batch_op.create_index('ix_kitchen_log_location_id', ['location_id', 'id'], unique=False)

    op.create_table('machine_commands',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('machine_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('job_id', sa.String(length=60), nullable=True),
    sa.Column('issued_by', sa.String(length=120), nullable=False),
    sa.Column('issued_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sends', sa.Integer(), nullable=False),
    sa.Column('acked', sa.Boolean(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_machine_commands'))
    )
    with op.batch_alter_table('machine_commands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_machine_commands_acked'), ['acked'], unique=False)

    op.create_table('machines',
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('fault', sa.String(length=20), nullable=True),
    sa.Column('boiler_c', sa.Double(), nullable=False),
    sa.Column('water_ml', sa.Integer(), nullable=False),
    sa.Column('beans_g', sa.Integer(), nullable=False),
    sa.Column('brews_since_descale', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=60), nullable=True),
    sa.Column('reported_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hold_until', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_machines_location_id_locations')),
    sa.PrimaryKeyConstraint('location_id', 'id', name=op.f('pk_machines'))
    )
    op.create_table('brew_jobs',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('milk', sa.String(length=20), nullable=True),
    sa.Column('shots', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('machine_id', sa.String(length=40), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('promised_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('queued_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.String(length=120), nullable=True),
    sa.Column('flag', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_brew_jobs_location_id_locations')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_brew_jobs_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brew_jobs'))
    )
    with op.batch_alter_table('brew_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_brew_jobs_location_state', ['location_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_brew_jobs_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('brew_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brew_jobs_order_id'))
        batch_op.drop_index('ix_brew_jobs_location_state')

    op.drop_table('brew_jobs')
    op.drop_table('machines')
    with op.batch_alter_table('machine_commands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_machine_commands_acked'))

    op.drop_table('machine_commands')
    with op.batch_alter_table('kitchen_log', schema=None) as batch_op:
        batch_op.drop_index('ix_kitchen_log_location_id')

    op.drop_table('kitchen_log')
