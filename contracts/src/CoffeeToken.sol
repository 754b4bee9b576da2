// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title COFFEE: the Go Coffee governance and payment token.
/// @notice ERC20 with permit and vote delegation (block-number clock); the owner mints.
///         `transferRef` applies a transfer at most once per (sender, ref), so a retried request
///         carrying the same reference cannot move the money twice.
contract CoffeeToken is ERC20, ERC20Permit, ERC20Votes, Ownable {
    mapping(address sender => mapping(bytes32 ref => bool)) private _refUsed;

    event TransferRef(address indexed from, address indexed to, uint256 amount, bytes32 indexed ref);

    error RefUsed(address sender, bytes32 ref);

    constructor(address initialOwner) ERC20("Go Coffee", "COFFEE") ERC20Permit("Go Coffee") Ownable(initialOwner) {}

    /// @notice Transfer `amount` to `to` unless the caller already used `ref` (then revert `RefUsed`).
    function transferRef(address to, uint256 amount, bytes32 ref) external returns (bool) {
        if (_refUsed[msg.sender][ref]) revert RefUsed(msg.sender, ref);
        _refUsed[msg.sender][ref] = true;
        _transfer(msg.sender, to, amount);
        emit TransferRef(msg.sender, to, amount, ref);
        return true;
    }

    /// @notice Whether `sender` already made a `transferRef` with `ref`.
    function refUsed(address sender, bytes32 ref) external view returns (bool) {
        return _refUsed[sender][ref];
    }

    /// @notice Mint `amount` (in wei units, 18 decimals) to `to`. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
