"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 06:13:41.953044
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.base  # noqa: F401  (custom column types used below)

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('principal', sa.String(length=120), nullable=False),
    sa.Column('capability', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_principal'), ['principal'], unique=False)

    op.create_table('idempotency_records',
    sa.Column('principal', sa.String(length=120), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('capability', sa.String(length=60), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('principal', 'key', name=op.f('pk_idempotency_records'))
    )
    op.create_table('ingredients',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingredients'))
    )
    op.create_table('locations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('opening_hours', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    op.create_table('sizes',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('recipe_percent', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sizes'))
    )
    op.create_table('extras',
    sa.Column('id', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('vegan', sa.Boolean(), nullable=False),
    sa.Column('allergens', sa.JSON(), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('replaces_ingredient_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_extras_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['replaces_ingredient_id'], ['ingredients.id'], name=op.f('fk_extras_replaces_ingredient_id_ingredients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extras'))
    )
    op.create_table('milks',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('vegan', sa.Boolean(), nullable=False),
    sa.Column('allergens', sa.JSON(), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_milks_ingredient_id_ingredients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milks'))
    )
    op.create_table('orders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=False),
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('total_cents', sa.Integer(), nullable=True),
    sa.Column('created_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('placed_at', store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_orders_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_state'), ['state'], unique=False)

    op.create_table('stock',
    sa.Column('location_id', sa.String(length=40), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_stock_quantity_nonneg')),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_stock_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_stock_location_id_locations')),
    sa.PrimaryKeyConstraint('location_id', 'ingredient_id', name=op.f('pk_stock'))
    )
    op.create_table('menu_items',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=400), nullable=False),
    sa.Column('vegan', sa.Boolean(), nullable=False),
    sa.Column('caffeinated', sa.Boolean(), nullable=False),
    sa.Column('temperature', sa.String(length=8), nullable=False),
    sa.Column('allergens', sa.JSON(), nullable=False),
    sa.Column('milk_ml', sa.Integer(), nullable=False),
    sa.Column('default_milk', sa.String(length=20), nullable=True),
    sa.Column('accepts_extras', sa.Boolean(), nullable=False),
    sa.Column('available', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['default_milk'], ['milks.id'], name=op.f('fk_menu_items_default_milk_milks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_items')),
    sa.UniqueConstraint('name', name=op.f('uq_menu_items_name'))
    )
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_items_category'), ['category'], unique=False)

    op.create_table('order_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('at', store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_events_order_id'), ['order_id'], unique=False)

    op.create_table('reservations',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_reservations_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reservations_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', 'ingredient_id', name=op.f('pk_reservations'))
    )
    op.create_table('item_prices',
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_item_prices_item_id_menu_items')),
    sa.ForeignKeyConstraint(['size'], ['sizes.id'], name=op.f('fk_item_prices_size_sizes')),
    sa.PrimaryKeyConstraint('item_id', 'size', name=op.f('pk_item_prices'))
    )
    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('size', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('milk', sa.String(length=20), nullable=True),
    sa.Column('extras', sa.JSON(), nullable=False),
    sa.Column('unit_price_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_pos')),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_order_lines_item_id_menu_items')),
    sa.ForeignKeyConstraint(['milk'], ['milks.id'], name=op.f('fk_order_lines_milk_milks')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.ForeignKeyConstraint(['size'], ['sizes.id'], name=op.f('fk_order_lines_size_sizes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_order_id'), ['order_id'], unique=False)

    op.create_table('recipe_components',
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('ingredient_id', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ingredient_id'], ['ingredients.id'], name=op.f('fk_recipe_components_ingredient_id_ingredients')),
    sa.ForeignKeyConstraint(['item_id'], ['menu_items.id'], name=op.f('fk_recipe_components_item_id_menu_items')),
    sa.PrimaryKeyConstraint('item_id', 'ingredient_id', name=op.f('pk_recipe_components'))
    )



def downgrade() -> None:

    op.drop_table('recipe_components')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_order_id'))

    op.drop_table('order_lines')
    op.drop_table('item_prices')
    op.drop_table('reservations')
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_events_order_id'))

    op.drop_table('order_events')
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_items_category'))

    op.drop_table('menu_items')
    op.drop_table('stock')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_state'))
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))

    op.drop_table('orders')
    op.drop_table('milks')
    op.drop_table('extras')
    op.drop_table('sizes')
    op.drop_table('locations')
    op.drop_table('ingredients')
    op.drop_table('idempotency_records')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_principal'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')

