"""service clients, second factor per session, email tokens and invites

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:34:45.211175
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
    op.create_table('invites',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=True),
    sa.Column('staff_id', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_invites'))
    )
    op.create_table('account_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=12), nullable=False),
    sa.Column('expires_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_account_tokens'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_at', store.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.JSON(), nullable=False, server_default='[]'))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('scopes')

    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_column('second_factor_at')

    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))

    op.drop_table('account_tokens')
    op.drop_table('invites')
