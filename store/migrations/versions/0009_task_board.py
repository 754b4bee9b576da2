"""task board

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:22:00.035406
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tasks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('assignee_id', sa.String(length=40), nullable=True),
    sa.Column('assignee_role', sa.String(length=20), nullable=True),
    sa.Column('due_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('priority', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('about_kind', sa.String(length=20), nullable=True),
    sa.Column('about_id', sa.String(length=60), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_by', sa.String(length=120), nullable=True),
    sa.Column('done_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff.id'], name=op.f('fk_tasks_assignee_id_staff')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_tasks_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('key', name=op.f('uq_tasks_key'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_tasks_location_state', ['location_id', 'state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_location_state')
        batch_op.drop_index(batch_op.f('ix_tasks_assignee_id'))

    op.drop_table('tasks')
