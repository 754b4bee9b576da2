"""The store: migrations, SQLite settings, seed data and the database-level stock guard."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from gocoffee.bootstrap import Platform, prepare_store
from store.inventory import Stock
from store.menu import Extra, ItemPrice, Location, MenuItem, Milk, RecipeComponent

pytestmark = pytest.mark.anyio

REQUIRED_ITEMS = {"espresso", "americano", "latte", "cappuccino", "flat_white", "mocha", "macchiato", "cortado",
                  "cold_brew", "iced_latte", "chai_latte", "matcha_latte", "hot_chocolate", "green_tea",
                  "earl_grey_tea", "croissant", "blueberry_muffin"}


async def test_seed_looks_like_a_real_chain(platform: Platform) -> None:
    async with platform.db.reader() as s:
        items = {i.id: i for i in await s.scalars(select(MenuItem))}
        locations = list(await s.scalars(select(Location)))
        milks = set(await s.scalars(select(Milk.id)))
        extras = set(await s.scalars(select(Extra.id)))
        sizes = set(await s.scalars(select(ItemPrice.size).distinct()))
        recipes = set(await s.scalars(select(RecipeComponent.item_id).distinct()))
        stocked = set(await s.scalars(select(Stock.location_id).distinct()))
    assert len(items) >= 30 and REQUIRED_ITEMS <= set(items)
    assert len(locations) == 3 and all(len(loc.opening_hours) == 7 for loc in locations)
    assert milks == {"whole", "skim", "oat", "almond", "soy"}
    assert {"extra_shot", "vanilla_syrup", "caramel_syrup", "whipped_cream", "decaf"} <= extras
    assert {"small", "medium", "large"} <= sizes
    assert set(items) == recipes and stocked == {loc.id for loc in locations}
    assert items["croissant"].allergens and items["americano"].vegan and not items["hot_chocolate"].caffeinated


async def test_migrating_and_seeding_again_changes_nothing(platform: Platform) -> None:
    async with platform.db.reader() as s:
        before = await s.scalar(select(func.count()).select_from(MenuItem))
    await prepare_store(platform)
    async with platform.db.reader() as s:
        assert await s.scalar(select(func.count()).select_from(MenuItem)) == before


async def test_stock_cannot_go_negative_even_bypassing_the_tools(platform: Platform) -> None:
    with pytest.raises(IntegrityError):
        async with platform.db.writer() as s, s.begin():
            await s.execute(update(Stock).where(Stock.location_id == "harbor").values(quantity=-1))


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_sqlite_runs_in_wal_mode_with_foreign_keys(platform: Platform) -> None:
    assert platform.db.is_sqlite
    async with platform.db.reader() as s:
        assert (await s.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await s.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await s.execute(text("PRAGMA synchronous"))).scalar() == 1


async def test_migrations_and_models_describe_the_same_schema(platform: Platform) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from store.models import Base

    def ours(name: str | None, type_: str, _parents: object) -> bool:
        return type_ != "table" or name in Base.metadata.tables

    async with platform.db.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(
            MigrationContext.configure(c, opts={"include_name": ours}), Base.metadata))
    assert diff == []
