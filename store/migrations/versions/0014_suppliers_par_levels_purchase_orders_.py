"""suppliers, par levels, purchase orders and receipts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:44:07.978746
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suppliers',
    sa.Column('id', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('delivers', sa.JSON(), nullable=False),
    sa.Column('min_order_cents', sa.Integer(), nullable=False),
    sa.Column('par_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers'))
    )
    op.create_table('par_levels',
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_par_levels_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_par_levels_location_id_locations')),
    sa.PrimaryKeyConstraint('location_id', 'ingredient_id', name=op.f('pk_par_levels'))
    )
    op.create_table('purchase_orders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('created_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=120), nullable=True),
    sa.Column('submitted_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_purchase_orders_location_id_locations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_orders_location_state', ['location_id', 'state'], unique=False)

    op.create_table('supplier_products',
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=30), nullable=False),
    sa.Column('pack', sa.Integer(), nullable=False),
    sa.Column('pack_cents', sa.Integer(), nullable=False),
    sa.Column('shelf_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_supplier_products_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_products_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('ingredient_id', name=op.f('pk_supplier_products'))
    )
    with op.batch_alter_table('supplier_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_products_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('packs', sa.Integer(), nullable=False),
    sa.Column('pack', sa.Integer(), nullable=False),
    sa.Column('pack_cents', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('why', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_purchase_order_lines_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('order_id', 'ingredient_id', name=op.f('pk_purchase_order_lines'))
    )
    op.create_table('receipts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('received_by', sa.String(length=120), nullable=False),
    sa.Column('received_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_receipts_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipts_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipts_order_id'))

    op.drop_table('receipts')
    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('supplier_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_products_supplier_id'))

    op.drop_table('supplier_products')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_purchase_orders_location_state')

    op.drop_table('purchase_orders')
    op.drop_table('par_levels')
    op.drop_table('suppliers')
