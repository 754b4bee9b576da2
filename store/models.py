"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from store.base import Base
from store.card_events import StripeEvent
from store.catalog import Extra, Ingredient, ItemPrice, Location, MenuItem, Milk, RecipeComponent, Size, Stock
from store.chain import ChainDeployment, CoffeeMove, CustodialAccount, Proposal
from store.kitchen import BrewJob, KitchenLogEntry, Machine, MachineCommand
from store.money import Account, LedgerEntry, LedgerTxn, Payment
from store.ops import Approval, AuditEntry, IdempotencyRecord
from store.ordering import Order, OrderEvent, OrderLine, Reservation

__all__ = [
    "Account",
    "Approval",
    "AuditEntry",
    "Base",
    "BrewJob",
    "ChainDeployment",
    "CoffeeMove",
    "CustodialAccount",
    "Extra",
    "IdempotencyRecord",
    "Ingredient",
    "ItemPrice",
    "KitchenLogEntry",
    "LedgerEntry",
    "LedgerTxn",
    "Location",
    "Machine",
    "MachineCommand",
    "MenuItem",
    "Milk",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "Proposal",
    "RecipeComponent",
    "Reservation",
    "Size",
    "Stock",
    "StripeEvent",
]
