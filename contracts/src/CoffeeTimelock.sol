// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title The Go Coffee DAO's timelock: it owns what the DAO governs and runs passed proposals after
///        `minDelay` seconds. The Governor is its proposer (and canceller); executors may be open (address(0)).
contract CoffeeTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
