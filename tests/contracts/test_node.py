"""contracts.node: starting and stopping anvil, and moving chain time on either chain."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from web3 import Web3

from contracts import node
from contracts.node import AnvilNotInstalledError, advance, start_anvil


def test_advance_mines_blocks_and_moves_time(w3: Web3) -> None:
    before = w3.eth.get_block("latest")
    advance(w3, blocks=3)
    after_blocks = w3.eth.get_block("latest")
    assert after_blocks["number"] == before["number"] + 3

    advance(w3, seconds=1000)
    after_time = w3.eth.get_block("latest")
    assert after_time["number"] == after_blocks["number"] + 1
    assert after_time["timestamp"] >= after_blocks["timestamp"] + 1000

    advance(w3, blocks=4, seconds=60)
    last = w3.eth.get_block("latest")
    assert last["number"] == after_time["number"] + 4
    assert last["timestamp"] >= after_time["timestamp"] + 60


def test_advance_refuses_to_go_back(w3: Web3) -> None:
    with pytest.raises(ValueError, match="cannot go back"):
        advance(w3, seconds=-1)


@pytest.mark.slow
def test_anvil_on_a_chosen_port_stops_on_exit(node_modules: None) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with start_anvil(port) as anvil:
        assert anvil.url == f"http://127.0.0.1:{port}"
        assert anvil.web3().eth.chain_id == 31337
        assert len(anvil.web3().eth.accounts) == 10
        assert "Listening on 127.0.0.1:" in anvil.output()
    assert anvil.process.returncode is not None
    assert not anvil.log_path.exists()


def test_a_missing_anvil_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(node, "NODE_MODULES", tmp_path)
    with pytest.raises(AnvilNotInstalledError, match=r"npm ci --prefix contracts"):
        start_anvil()
