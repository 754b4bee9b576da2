"""approvals know their shop; thread ids leave room for a named thread inside its owner's space

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 08:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location_id', sa.String(length=40), nullable=True))
        batch_op.alter_column('thread_id', existing_type=sa.String(length=120), type_=sa.String(length=200),
                              existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_approvals_location_id'), ['location_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_location_id'))
        batch_op.alter_column('thread_id', existing_type=sa.String(length=200), type_=sa.String(length=120),
                              existing_nullable=False)
        batch_op.drop_column('location_id')
