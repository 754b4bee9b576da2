"""The account service below the channels: rotating signing keys signs nobody out (a retired key verifies what it
signed until that expires, then drops out of the JWKS), with a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from gocoffee.bootstrap import Running
from gocoffee.chain import vault_from
from tools.accounts.service import Accounts
from tools.errors import Unauthenticated
from tools.principal import Role

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_rotating_keys_signs_nobody_out_and_the_old_key_retires_after_its_tokens(platform: Running) -> None:
    clock = Clock()
    accounts = Accounts(platform.db, vault_from(platform.settings), clock, timedelta(minutes=15), timedelta(days=30),
                        platform.settings.public_url)
    password = await accounts.create_user("kim@example.com", Role.CUSTOMER, "kim")
    before = await accounts.sign_in("kim@example.com", password, "test")
    old_kid = jwt.get_unverified_header(before.access_token)["kid"]
    new_kid = await accounts.rotate_keys()
    after = await accounts.sign_in("kim@example.com", password, "test")
    assert jwt.get_unverified_header(after.access_token)["kid"] == new_kid != old_kid
    assert (await accounts.verify(before.access_token)).id == "kim"  # still signed in
    assert {k["kid"] for k in (await accounts.jwks())["keys"]} == {old_kid, new_kid}
    clock.now += timedelta(minutes=17)
    assert {k["kid"] for k in (await accounts.jwks())["keys"]} == {new_kid}
    with pytest.raises(Unauthenticated):
        await accounts.verify(before.access_token)
