"""A local anvil JSON-RPC node (from the npm package in contracts/node_modules) and chain-time control.

`advance` moves blocks and time forward on either chain the platform runs on: web3's in-process
eth-tester EVM or a JSON-RPC node that speaks anvil's dev methods.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from web3 import HTTPProvider, Web3

CONTRACTS_DIR = Path(__file__).resolve().parent
NODE_MODULES = CONTRACTS_DIR / "node_modules"
HARDFORK = "prague"
"""The same fork the artifacts are compiled for (contracts/compile.mjs) and py-evm's newest."""
START_TIMEOUT = 20.0  # it answers within ≈0.1 s here; a cold disk cache can take a few seconds
_LISTENING = re.compile(rb"Listening on 127\.0\.0\.1:(\d+)")
_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


class AnvilNotInstalledError(FileNotFoundError):
    """contracts/node_modules lacks the anvil binary for this platform."""


def anvil_binary() -> Path:
    """The platform's anvil executable that npm installed under contracts/node_modules."""
    os_name = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    arch = _ARCH.get(platform.machine().lower(), platform.machine().lower())
    exe = "anvil.exe" if os_name == "win32" else "anvil"
    path = NODE_MODULES / "@foundry-rs" / f"anvil-{os_name}-{arch}" / "bin" / exe
    if not path.is_file():
        raise AnvilNotInstalledError(f"anvil is not installed at {path}: run `npm ci --prefix contracts`")
    return path


class AnvilProcess:
    """A running anvil bound to 127.0.0.1; a context manager that stops it on exit."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = log
        self.log_path = Path(log.name)

    def web3(self, timeout: float = 30.0) -> Web3:
        """A Web3 over HTTP to this node."""
        return Web3(HTTPProvider(self.url, request_kwargs={"timeout": timeout}))

    def output(self) -> str:
        """What anvil printed so far (its startup banner, then one line per RPC call or transaction)."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate anvil (kill it if it does not exit within `timeout`) and drop its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if not self._log.closed:
            self._log.close()
            self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_anvil(port: int | None = None, timeout: float = START_TIMEOUT) -> AnvilProcess:
    """Start anvil on 127.0.0.1 (`port`, or a free one the OS picks) and wait until it answers eth_chainId."""
    binary = anvil_binary()
    # Output goes to a file, not a pipe: anvil logs every call, and an unread pipe would block it once full.
    log = tempfile.NamedTemporaryFile(prefix="anvil-", suffix=".log", delete=False)  # noqa: SIM115
    cmd = [str(binary), "--host", "127.0.0.1", "--port", str(port or 0), "--hardfork", HARDFORK]
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    node = AnvilProcess(process, port or 0, log)
    try:
        node.port = _wait_listening(node, timeout)
        node.url = f"http://127.0.0.1:{node.port}"
        _wait_answering(node, timeout)
    except BaseException:
        node.stop()
        raise
    return node


def _wait_listening(node: AnvilProcess, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = _LISTENING.search(node.log_path.read_bytes())
        if match:
            return int(match.group(1))
        # Waiting on the process doubles as the poll interval and notices an early exit.
        try:
            code = node.process.wait(0.02)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"anvil exited with code {code} while starting:\n{node.output()}")
    raise TimeoutError(f"anvil did not report its port within {timeout}s:\n{node.output()}")


def _wait_answering(node: AnvilProcess, timeout: float) -> None:
    w3 = node.web3(timeout=2.0)
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if w3.eth.chain_id:
                return
        except OSError as exc:  # requests.ConnectionError: refused until the listener is up
            last = exc
        if node.process.poll() is not None:
            break
        time.sleep(0.02)
    raise TimeoutError(f"anvil at {node.url} did not answer eth_chainId within {timeout}s ({last!r}):\n{node.output()}")


def advance(w3: Web3, blocks: int = 0, seconds: int = 0) -> None:
    """Mine `blocks` blocks and move chain time `seconds` forward (at least one block when seconds > 0).

    Works on web3's in-process eth-tester chain and on anvil (evm_increaseTime + anvil_mine).
    """
    if blocks < 0 or seconds < 0:
        raise ValueError(f"cannot go back: blocks={blocks}, seconds={seconds}")
    to_mine = max(blocks, 1 if seconds else 0)
    tester: Any = getattr(w3.provider, "ethereum_tester", None)
    if tester is not None:
        if seconds:
            # time_travel mines the one block that carries the new timestamp
            tester.time_travel(tester.get_block_by_number("pending")["timestamp"] + seconds)
            to_mine -= 1
        if to_mine:
            tester.mine_blocks(to_mine)
        return
    if seconds:
        _rpc(w3, "evm_increaseTime", [seconds])
    if to_mine:
        _rpc(w3, "anvil_mine", [hex(to_mine)])


def _rpc(w3: Web3, method: str, params: list[Any]) -> Any:
    response = w3.provider.make_request(method, params)  # type: ignore[arg-type]  # RPC params are JSON; web3 types the method name as its RPCEndpoint alias
    if "error" in response:
        raise RuntimeError(f"{method}{params} failed: {response['error']}")
    return response.get("result")
