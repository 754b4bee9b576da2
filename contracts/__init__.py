"""Solidity contracts and their web3 bindings. Arrives with the money issue."""
