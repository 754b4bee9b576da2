"""notifications

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:33:54.022556
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_prefs',
    sa.Column('person', sa.String(length=120), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('muted', sa.JSON(), nullable=False),
    sa.Column('quiet_from', sa.String(length=5), nullable=True),
    sa.Column('quiet_until', sa.String(length=5), nullable=True),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('person', name=op.f('pk_notification_prefs'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('audience', sa.String(length=80), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('critical', sa.Boolean(), nullable=False),
    sa.Column('link', sa.String(length=60), nullable=True),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('not_before', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('sent_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_deliveries_notification_id_notifications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('notification_id', 'recipient', 'channel', name='one_per_channel')
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_due', ['channel', 'state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_deliveries_recipient', ['recipient', 'channel', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_recipient')
        batch_op.drop_index('ix_deliveries_due')

    op.drop_table('deliveries')
    op.drop_table('notifications')
    op.drop_table('notification_prefs')
