"""Sealing custodial private keys at rest: AES-256-GCM under the platform's wallet key.

The customer id is the associated data, so a sealed key copied onto another customer's row does not open.
Keys are opened only to sign, inside the chain worker; no tool returns or logs them.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


class Vault:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the wallet key must be 32 bytes (base64 in GOCOFFEE_WALLET_KEY)")
        self._aead = AESGCM(key)

    @classmethod
    def from_text(cls, text: str) -> Vault:
        return cls(base64.urlsafe_b64decode(text.strip().encode()))

    @staticmethod
    def new_key_text() -> str:
        return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def seal(self, customer_id: str, secret: bytes) -> str:
        nonce = os.urandom(_NONCE)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, secret, _aad(customer_id))).decode()

    def open(self, customer_id: str, sealed: str) -> bytes:
        raw = base64.b64decode(sealed)
        return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _aad(customer_id))

    def __repr__(self) -> str:
        return "Vault(<sealed>)"


def _aad(customer_id: str) -> bytes:
    return f"gocoffee-custodial:{customer_id}".encode()
