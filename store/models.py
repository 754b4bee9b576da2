"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from store.base import Base
from store.catalog import Extra, Ingredient, ItemPrice, Location, MenuItem, Milk, RecipeComponent, Size, Stock
from store.kitchen import BrewJob, KitchenLogEntry, Machine, MachineCommand
from store.ops import Approval, AuditEntry, IdempotencyRecord
from store.ordering import Order, OrderEvent, OrderLine, Reservation

__all__ = [
    "Approval",
    "AuditEntry",
    "Base",
    "BrewJob",
    "Extra",
    "IdempotencyRecord",
    "Ingredient",
    "ItemPrice",
    "KitchenLogEntry",
    "Location",
    "Machine",
    "MachineCommand",
    "MenuItem",
    "Milk",
    "Order",
    "OrderEvent",
    "OrderLine",
    "RecipeComponent",
    "Reservation",
    "Size",
    "Stock",
]
