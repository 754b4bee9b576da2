"""The in-process EVM (eth-tester + py-evm) the platform runs when no JSON-RPC node is configured.

py-evm keeps its state in a key-value store; `JournalDB` appends every write to a file and replays it on
start, so the embedded chain (balances, votes, deployed contracts) survives a restart of the platform.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass, field
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


@dataclass
class _Open:
    w3: Web3
    journal: JournalDB
    users: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)


_OPEN: dict[Path, _Open] = {}
_OPEN_LOCK = threading.Lock()


def open_chain(funded: list[str], state_file: Path) -> tuple[Web3, JournalDB, threading.Lock]:
    """The in-process chain saved in `state_file`, shared by every user in this process (two EVMs appending to
    one journal would corrupt it); the lock serialises their access. Pair with `close_chain`."""
    key = state_file.resolve()
    with _OPEN_LOCK:
        if key in _OPEN:
            _OPEN[key].users += 1
        else:
            w3, journal = in_process_chain(funded, key)
            assert journal is not None
            _OPEN[key] = _Open(w3, journal)
        found = _OPEN[key]
        return found.w3, found.journal, found.lock


def close_chain(state_file: Path) -> None:
    key = state_file.resolve()
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is None:
            return
        found.users -= 1
        if found.users == 0:
            found.journal.close()
            del _OPEN[key]


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
