"""approvals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:31:40.536688
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('approvals',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('thread_id', sa.String(length=120), nullable=False),
    sa.Column('tool', sa.String(length=60), nullable=False),
    sa.Column('arguments', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_thread_id'), ['thread_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_thread_id'))
        batch_op.drop_index(batch_op.f('ix_approvals_status'))

    op.drop_table('approvals')

