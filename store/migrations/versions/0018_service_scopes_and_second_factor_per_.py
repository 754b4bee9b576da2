"""service scopes and second factor per session

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:08:38.904054
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_at', store.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.JSON(), nullable=False, server_default='[]'))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('scopes')

    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_column('second_factor_at')

