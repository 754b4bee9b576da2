"""chain

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:56:08.495463
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chain_deployments',
    sa.Column('chain_id', sa.String(length=24), nullable=False),
    sa.Column('genesis', sa.String(length=66), nullable=False),
    sa.Column('block', sa.BigInteger(), nullable=False),
    sa.Column('token', sa.String(length=42), nullable=False),
    sa.Column('timelock', sa.String(length=42), nullable=False),
    sa.Column('governor', sa.String(length=42), nullable=False),
    sa.Column('escrow', sa.String(length=42), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chain_id', 'genesis', name=op.f('pk_chain_deployments'))
    )
    op.create_table('coffee_moves',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('hundredths', sa.BigInteger(), nullable=False),
    sa.Column('counterparty', sa.String(length=64), nullable=True),
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coffee_moves'))
    )
    with op.batch_alter_table('coffee_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coffee_moves_customer_id'), ['customer_id'], unique=False)

    op.create_table('custodial_accounts',
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=42), nullable=False),
    sa.Column('sealed_key', sa.Text(), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_custodial_accounts')),
    sa.UniqueConstraint('address', name=op.f('uq_custodial_accounts_address'))
    )
    op.create_table('dao_proposals',
    sa.Column('number', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('governor', sa.String(length=42), nullable=False),
    sa.Column('chain_proposal_id', sa.String(length=80), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('proposer', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('grant_to', sa.String(length=64), nullable=True),
    sa.Column('grant_hundredths', sa.BigInteger(), nullable=True),
    sa.Column('tx_hash', sa.String(length=66), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_dao_proposals')),
    sa.UniqueConstraint('chain_proposal_id', name=op.f('uq_dao_proposals_chain_proposal_id'))
    )
    with op.batch_alter_table('dao_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dao_proposals_governor'), ['governor'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settled_at', store.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint('uq_payments_provider_ref', ['provider', 'provider_ref'])



def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint('uq_payments_provider_ref', type_='unique')
        batch_op.drop_column('settled_at')

    with op.batch_alter_table('dao_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dao_proposals_governor'))

    op.drop_table('dao_proposals')
    op.drop_table('custodial_accounts')
    with op.batch_alter_table('coffee_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coffee_moves_customer_id'))

    op.drop_table('coffee_moves')
    op.drop_table('chain_deployments')
