"""Sign-in over REST: registering signs a customer in; access tokens are RS256 JWTs named by `kid` in a JWKS;
refresh tokens rotate and a replayed one ends its session; failures lock an account without saying whether it
exists; forged, expired and misaddressed tokens are refused and change nothing; the development header only where
the server allows it; a second factor (TOTP) is asked for only after the right password, each code once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pyotp
import pytest

from gocoffee.settings import Settings
from tests.conftest import Probe
from tests.forgeries import forge
from tests.identities import PASSWORD, register
from tests.live import app_client, app_of
from tools.accounts.service import LOCK_AFTER
from tools.principal import Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ORDER = {"location_id": "downtown", "lines": [{"item_id": "latte"}]}


def bearer(tokens: dict[str, Any] | str) -> dict[str, str]:
    token = tokens if isinstance(tokens, str) else tokens["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def test_a_registered_customer_is_signed_in_and_orders_as_themselves(client: httpx.AsyncClient) -> None:
    tokens = await register(client)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    assert tokens["principal"].startswith("customer:c")
    placed = await client.post("/api/v1/orders", json=ORDER, headers={**bearer(tokens), "Idempotency-Key": "a-1"})
    assert placed.status_code == 201 and f"customer:{placed.json()['customer_id']}" == tokens["principal"]
    keys = (await client.get("/.well-known/jwks.json")).json()["keys"]
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "RS256" and header["kid"] in {k["kid"] for k in keys}
    public = jwt.PyJWK(next(k for k in keys if k["kid"] == header["kid"])).key
    claims = jwt.decode(tokens["access_token"], public, algorithms=["RS256"], audience="http://127.0.0.1:8000")
    assert claims["sub"] == tokens["principal"] and claims["exp"] - claims["iat"] == 900
    again = await client.post("/api/v1/auth/token", json={"email": "ADA@example.com", "password": PASSWORD})
    assert again.status_code == 200 and again.json()["principal"] == tokens["principal"]


@pytest.mark.parametrize(("email", "password", "status"), [
    ("ada@example.com", "short", 422), ("ada@example.com", "password1234", 422),
    ("lovelace@example.com", "Lovelace forever 42", 422), ("not-an-email", PASSWORD, 422),
    ("taken@example.com", PASSWORD, 409)])
async def test_weak_passwords_bad_emails_and_taken_emails_are_refused(client: httpx.AsyncClient, email: str,
                                                                     password: str, status: int) -> None:
    await register(client, "taken@example.com")
    reply = await client.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert reply.status_code == status, reply.text
    assert password not in reply.text


async def test_failures_lock_the_account_with_one_message_for_every_reason(client: httpx.AsyncClient,
                                                                          probe: Probe) -> None:
    await register(client)
    unknown = await client.post("/api/v1/auth/token", json={"email": "nobody@example.com", "password": PASSWORD})
    wrong = await client.post("/api/v1/auth/token", json={"email": "ada@example.com", "password": "not it at all"})
    assert unknown.status_code == wrong.status_code == 401 and unknown.json()["message"] == wrong.json()["message"]
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    for _ in range(LOCK_AFTER - 1):
        await client.post("/api/v1/auth/token", json={"email": "ada@example.com", "password": "not it at all"})
    locked = await client.post("/api/v1/auth/token", json={"email": "ada@example.com", "password": PASSWORD})
    assert locked.status_code == 401 and locked.json()["message"] == wrong.json()["message"]
    assert await probe.audit("auth.lockout") == ["locked"]
    assert (await probe.audit("auth.sign_in")).count("refused") == LOCK_AFTER + 1


async def test_a_refresh_token_rotates_and_a_replayed_one_ends_the_session(client: httpx.AsyncClient,
                                                                            probe: Probe) -> None:
    first = await register(client)
    second = (await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"] and second["principal"] == first["principal"]
    sessions = (await client.get("/api/v1/auth/sessions", headers=bearer(second))).json()["sessions"]
    assert len(sessions) == 1
    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and "already used" in replay.json()["message"]
    assert await probe.audit("auth.refresh") == ["reuse_detected"]
    stolen = await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert stolen.status_code == 401  # the whole family is revoked, the newest token too
    assert (await client.get("/api/v1/auth/sessions", headers=bearer(second))).json()["sessions"] == []


async def test_signing_out_or_revoking_a_session_ends_it(client: httpx.AsyncClient) -> None:
    phone = await register(client)
    laptop = (await client.post("/api/v1/auth/token", json={"email": "ada@example.com", "password": PASSWORD})).json()
    listed = (await client.get("/api/v1/auth/sessions", headers=bearer(laptop))).json()["sessions"]
    assert len(listed) == 2
    out = await client.post("/api/v1/auth/logout", json={"refresh_token": phone["refresh_token"]})
    assert out.status_code == 204
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]})).status_code == 401
    left = (await client.get("/api/v1/auth/sessions", headers=bearer(laptop))).json()["sessions"]
    assert len(left) == 1
    assert (await client.delete(f"/api/v1/auth/sessions/{left[0]['session_id']}", headers=bearer(laptop))).status_code \
        == 204
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]})).status_code \
        == 401
    other = await register(client, "bob@example.com")
    refused = await client.delete(f"/api/v1/auth/sessions/{left[0]['session_id']}", headers=bearer(other))
    assert refused.status_code == 404
    assert (await client.get("/api/v1/auth/sessions")).status_code == 401


async def test_forged_expired_and_misaddressed_tokens_are_refused_and_change_nothing(client: httpx.AsyncClient,
                                                                                    probe: Probe) -> None:
    tokens = await register(client)
    forged = forge(tokens["access_token"], (await app_of(client).state.serving.accounts.keys())[0].private)
    before = await probe.snapshot()
    for name, token in forged.items():
        headers = {"Authorization": f"Bearer {token}".strip(), "Idempotency-Key": name}
        reply = await client.post("/api/v1/orders", json=ORDER, headers=headers)
        assert reply.status_code == 401, name
    assert (await client.get("/api/v1/stock", headers={"Authorization": "Basic abc"})).status_code == 401
    assert await probe.snapshot() == before


@pytest.mark.parametrize("dev_auth", [True, False])
async def test_the_development_header_works_only_where_the_server_allows_it(settings: Settings,
                                                                           dev_auth: bool) -> None:
    async with app_client(settings.model_copy(update={"dev_auth": dev_auth})) as client:
        reply = await client.get("/api/v1/stock", headers={"X-GoCoffee-Principal": "manager:m1"})
        assert reply.status_code == (200 if dev_auth else 401)
        tokens = await register(client)
        assert (await client.get("/api/v1/menu", headers=bearer(tokens))).status_code == 200


async def test_the_first_manager_gets_a_one_time_password_once_and_changes_it(settings: Settings,
                                                                              capsys: pytest.CaptureFixture[str]
                                                                              ) -> None:
    async with app_client(settings) as client:
        said = capsys.readouterr().out
        password = re.search(r"manager:m1 <manager@gocoffee\.example> signs in with the one-time password (\S+)",
                             said)
        assert password, said
        signed = await client.post("/api/v1/auth/token", json={"email": "manager@gocoffee.example",
                                                                "password": password[1]})
        assert signed.status_code == 200 and signed.json()["principal"] == "manager:m1"
        refused = await client.get("/api/v1/stock", headers=bearer(signed.json()))  # a manager needs a second factor
        assert (refused.status_code, refused.json()["code"]) == (403, "second_factor_required")
        change = {"current_password": password[1], "new_password": "espresso tamper, blue 9"}
        wrong = await client.post("/api/v1/auth/password", json={**change, "current_password": "nope"},
                                  headers=bearer(signed.json()))
        assert wrong.status_code == 401
        assert (await client.post("/api/v1/auth/password", json=change, headers=bearer(signed.json()))).status_code \
            == 204
        ended = await client.post("/api/v1/auth/refresh", json={"refresh_token": signed.json()["refresh_token"]})
        assert ended.status_code == 401
        old = await client.post("/api/v1/auth/token", json={"email": "manager@gocoffee.example",
                                                             "password": password[1]})
        new = await client.post("/api/v1/auth/token", json={"email": "manager@gocoffee.example",
                                                             "password": change["new_password"]})
        assert old.status_code == 401 and new.status_code == 200
    async with app_client(settings):
        assert "one-time password" not in capsys.readouterr().out  # only at the first start


async def test_with_a_second_factor_sign_in_needs_a_fresh_code_or_a_recovery_code(client: httpx.AsyncClient,
                                                                                  probe: Probe) -> None:
    tokens = await register(client)
    enrol = (await client.post("/api/v1/auth/mfa", headers=bearer(tokens))).json()
    assert enrol["otpauth_uri"].startswith("otpauth://totp/Go%20Coffee:ada%40example.com?secret=")
    totp = pyotp.TOTP(enrol["secret"])
    wrong = await client.post("/api/v1/auth/mfa/confirm", json={"code": "000000"}, headers=bearer(tokens))
    assert wrong.status_code == 422 or totp.now() == "000000"
    t0 = datetime.now(UTC).timestamp()
    confirming = totp.at(t0)
    codes = (await client.post("/api/v1/auth/mfa/confirm", json={"code": confirming},
                               headers=bearer(tokens))).json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert await probe.audit("auth.mfa_enrolled") == ["ok"]
    login = {"email": "ada@example.com", "password": PASSWORD}
    asked = await client.post("/api/v1/auth/token", json=login)
    assert asked.status_code == 401 and asked.json()["details"] == {"mfa_required": True}
    stranger = await client.post("/api/v1/auth/token", json={**login, "password": "not the password"})
    assert stranger.json()["details"] == {}  # a wrong password never learns that a code is needed
    # the code that confirmed enrolment is not accepted again; the next step's is
    assert (await client.post("/api/v1/auth/token", json={**login, "code": confirming})).status_code == 401
    later = totp.at(t0 + 30)
    assert (await client.post("/api/v1/auth/token", json={**login, "code": later})).status_code == 200
    assert (await client.post("/api/v1/auth/token", json={**login, "code": later})).status_code == 401  # replayed
    assert (await client.post("/api/v1/auth/token", json={**login, "code": codes[0]})).status_code == 200
    assert (await client.post("/api/v1/auth/token", json={**login, "code": codes[0]})).status_code == 401  # used up


async def test_a_code_in_any_script_is_just_wrong(client: httpx.AsyncClient) -> None:
    tokens = await register(client)
    await client.post("/api/v1/auth/mfa", headers=bearer(tokens))
    for code in ("１２３４５６", "ünïcode", "123 456"):
        reply = await client.post("/api/v1/auth/mfa/confirm", json={"code": code}, headers=bearer(tokens))
        assert reply.status_code == 422, (code, reply.text)


async def test_a_session_says_when_it_signed_in_and_when_it_was_last_refreshed(client: httpx.AsyncClient) -> None:
    first = await register(client)
    second = (await client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    [session] = (await client.get("/api/v1/auth/sessions", headers=bearer(second))).json()["sessions"]
    assert session["signed_in_at"] <= session["last_used_at"] < session["expires_at"]
    assert session["session_id"] == jwt.decode(second["access_token"], options={"verify_signature": False})["sid"]


async def test_a_manager_acts_once_the_second_factor_is_on_and_steps_up_for_a_rota(client: httpx.AsyncClient,
                                                                                    probe: Probe) -> None:
    password = await app_of(client).state.serving.accounts.create_user("ida@gocoffee.example", Role.MANAGER, "ida")
    login = {"email": "ida@gocoffee.example", "password": password}
    first = (await client.post("/api/v1/auth/token", json=login)).json()
    refused = await client.get("/api/v1/stock", headers=bearer(first))
    assert (refused.status_code, refused.json()["details"]["needs"]) == (403, "mfa")
    secret = (await client.post("/api/v1/auth/mfa", headers=bearer(first))).json()["secret"]
    t0, totp = datetime.now(UTC).timestamp(), pyotp.TOTP(secret)
    codes = (await client.post("/api/v1/auth/mfa/confirm", json={"code": totp.at(t0)}, headers=bearer(first))).json()
    signed = (await client.post("/api/v1/auth/token", json={**login, "code": codes["recovery_codes"][0]})).json()
    claims = jwt.decode(signed["access_token"], options={"verify_signature": False})
    assert claims["amr"] == ["pwd", "otp"] and abs(claims["mfa_at"] - t0) < 60
    assert (await client.get("/api/v1/stock", headers=bearer(signed))).status_code == 200
    # a refreshed token keeps the sign-in's code time: good for a rota only while that is recent
    refreshed = (await client.post("/api/v1/auth/refresh", json={"refresh_token": signed["refresh_token"]})).json()
    assert jwt.decode(refreshed["access_token"], options={"verify_signature": False})["mfa_at"] == claims["mfa_at"]
    replayed = await client.post("/api/v1/auth/step-up", json={"code": totp.at(t0)}, headers=bearer(refreshed))
    assert replayed.status_code == 401  # a code is accepted once
    stepped = await client.post("/api/v1/auth/step-up", json={"code": totp.at(t0 + 30)}, headers=bearer(refreshed))
    assert stepped.status_code == 200, stepped.text
    fresh = jwt.decode(stepped.json()["access_token"], options={"verify_signature": False})
    assert fresh["mfa_at"] >= claims["mfa_at"] and fresh["sid"] == claims["sid"]
    published = await client.post("/api/v1/rotas/publish", json={"location_id": "downtown"},
                                  headers={**bearer(stepped.json()["access_token"]), "Idempotency-Key": "pub-1"})
    assert published.status_code in (200, 409), published.text  # allowed (a conflict only if nothing is drafted)
    assert await probe.audit("auth.step_up") == ["refused", "ok"]
