"""telegram links

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 14:30:42.636585
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('telegram_links',
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.String(length=40), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('linked_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_telegram_links_user_id_users')),
    sa.PrimaryKeyConstraint('telegram_user_id', name=op.f('pk_telegram_links')),
    sa.UniqueConstraint('user_id', name=op.f('uq_telegram_links_user_id'))
    )


def downgrade() -> None:
    op.drop_table('telegram_links')
