"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from store.accounts import RefreshToken, SigningKey, User
from store.approvals import Approval
from store.audit import AuditEntry, IdempotencyRecord
from store.base import Base
from store.contracts import ChainDeployment
from store.dao import Proposal
from store.inventory import Stock
from store.kitchen import BrewJob, KitchenLogEntry, Machine, MachineCommand
from store.menu import Extra, Ingredient, ItemPrice, Location, MenuItem, Milk, RecipeComponent, Size
from store.notifications import Delivery, Notification, NotificationPrefs
from store.orders import Order, OrderEvent, OrderLine, Reservation
from store.payments import Payment, StripeEvent
from store.purchasing import ParLevel, PurchaseOrder, PurchaseOrderLine, Receipt, Supplier, SupplierProduct
from store.sales import ItemSalesDay, SalesHour
from store.scheduling import Shift, ShiftChange, StaffMember, SwapRequest, TimeOff
from store.stock_moves import Transfer, WasteRecord
from store.tasks import Task
from store.wallet import Account, CoffeeMove, CustodialAccount, LedgerEntry, LedgerTxn

__all__ = [
    "Account",
    "Approval",
    "AuditEntry",
    "Base",
    "BrewJob",
    "ChainDeployment",
    "CoffeeMove",
    "CustodialAccount",
    "Delivery",
    "Extra",
    "IdempotencyRecord",
    "Ingredient",
    "ItemPrice",
    "ItemSalesDay",
    "KitchenLogEntry",
    "LedgerEntry",
    "LedgerTxn",
    "Location",
    "Machine",
    "MachineCommand",
    "MenuItem",
    "Milk",
    "Notification",
    "NotificationPrefs",
    "Order",
    "OrderEvent",
    "OrderLine",
    "ParLevel",
    "Payment",
    "Proposal",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Receipt",
    "RecipeComponent",
    "RefreshToken",
    "Reservation",
    "SalesHour",
    "Shift",
    "ShiftChange",
    "SigningKey",
    "Size",
    "StaffMember",
    "Stock",
    "StripeEvent",
    "Supplier",
    "SupplierProduct",
    "SwapRequest",
    "Task",
    "TimeOff",
    "Transfer",
    "User",
    "WasteRecord",
]
