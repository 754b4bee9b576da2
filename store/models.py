"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from store.base import Base
from store.catalog import Extra, Ingredient, ItemPrice, Location, MenuItem, Milk, RecipeComponent, Size, Stock
from store.ops import Approval, AuditEntry, IdempotencyRecord
from store.ordering import Order, OrderEvent, OrderLine, Reservation

__all__ = [
    "Approval", "AuditEntry", "Base", "Extra", "IdempotencyRecord", "Ingredient", "ItemPrice", "Location", "MenuItem",
    "Milk", "Order", "OrderEvent", "OrderLine", "RecipeComponent", "Reservation", "Size", "Stock",
]
