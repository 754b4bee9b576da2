"""multi-factor sign-in

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 09:38:40.987524
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('mfa_enabled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('mfa_last_step', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('recovery_codes', sa.JSON(), nullable=False, server_default='[]'))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_codes')
        batch_op.drop_column('mfa_last_step')
        batch_op.drop_column('mfa_enabled')
        batch_op.drop_column('mfa_secret')

