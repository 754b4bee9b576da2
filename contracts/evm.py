"""The in-process EVM (eth-tester + py-evm) the platform runs when no JSON-RPC node is configured.

py-evm keeps its state in a key-value store; `JournalDB` appends every write to a file and replays it on
start, so the embedded chain (balances, votes, deployed contracts) survives a restart of the platform.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from eth.db.atomic import AtomicDB
from eth.db.backends.memory import MemoryDB
from eth_tester import EthereumTester, PyEVMBackend
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

_SET, _DELETE = 0, 1
_HEAD = struct.Struct(">BII")
GENESIS_WEI = 10**24
"""What each funded account starts with: a million ether, for gas."""


class JournalDB(MemoryDB):
    """A MemoryDB whose writes are appended to `path` and replayed on open (`flush` after each transaction)."""

    def __init__(self, path: Path) -> None:
        super().__init__(_replay(path) if path.exists() else {})
        self._file: BinaryIO = path.open("ab")

    def __setitem__(self, key: bytes, value: bytes) -> None:
        super().__setitem__(key, value)
        self._file.write(_HEAD.pack(_SET, len(key), len(value)) + key + value)

    def __delitem__(self, key: bytes) -> None:
        super().__delitem__(key)
        self._file.write(_HEAD.pack(_DELETE, len(key), 0) + key)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _replay(path: Path) -> dict[bytes, bytes]:
    data, store, at = path.read_bytes(), {}, 0
    while at + _HEAD.size <= len(data):
        op, klen, vlen = _HEAD.unpack_from(data, at)
        at += _HEAD.size
        if at + klen + vlen > len(data):
            break  # a torn last record (crash mid-write): the block it belonged to never finished
        key, value = data[at:at + klen], data[at + klen:at + klen + vlen]
        at += klen + vlen
        if op == _SET:
            store[key] = value
        else:
            store.pop(key, None)
    return store


def in_process_chain(funded: list[str], state_file: Path | None = None) -> tuple[Web3, JournalDB | None]:
    """A fresh in-process chain with `funded` addresses holding ether, or the one saved in `state_file`."""
    genesis = {bytes.fromhex(a[2:]): {"balance": GENESIS_WEI, "storage": {}, "code": b"", "nonce": 0} for a in funded}
    backend = PyEVMBackend(genesis_state=genesis)
    journal = None
    if state_file is not None:
        fresh = not state_file.exists() or state_file.stat().st_size == 0
        journal = JournalDB(state_file)
        if fresh:
            for key, value in backend.chain.chaindb.db.wrapped_db.kv_store.items():
                journal[key] = value
            journal.flush()
        backend.chain = type(backend.chain)(AtomicDB(journal))
    return Web3(EthereumTesterProvider(EthereumTester(backend))), journal
