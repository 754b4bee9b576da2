// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Escrow for order payments in COFFEE.
/// @notice A customer approves this contract, then pays for an order; the platform (owner) later
///         releases the funds to the merchant or refunds the payer. Each order is paid once (again only
///         after a refund) and each payment settled (released or refunded) once.
contract CoffeeEscrow is Ownable {
    using SafeERC20 for IERC20;

    enum Status {
        None,
        Paid,
        Released,
        Refunded
    }

    struct Payment {
        address payer;
        uint256 amount;
        Status status;
    }

    IERC20 public immutable token;
    address public immutable merchant;

    mapping(uint256 orderId => Payment) private _payments;

    event Paid(uint256 indexed orderId, address indexed payer, uint256 amount);
    event Released(uint256 indexed orderId, address indexed merchant, uint256 amount);
    event Refunded(uint256 indexed orderId, address indexed payer, uint256 amount);

    error ZeroAddress();
    error ZeroAmount();
    error AlreadyPaid(uint256 orderId);
    error NotPaid(uint256 orderId);
    error AlreadySettled(uint256 orderId, Status status);

    constructor(IERC20 token_, address merchant_, address initialOwner) Ownable(initialOwner) {
        if (address(token_) == address(0) || merchant_ == address(0)) revert ZeroAddress();
        token = token_;
        merchant = merchant_;
    }

    /// @notice Pay `amount` for `orderId`, pulling tokens from the caller (who approved this contract).
    ///         An order whose payment was refunded (e.g. an underpayment sent back) may be paid again.
    function pay(uint256 orderId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Status status = _payments[orderId].status;
        if (status == Status.Paid || status == Status.Released) revert AlreadyPaid(orderId);
        _payments[orderId] = Payment({payer: msg.sender, amount: amount, status: Status.Paid});
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Paid(orderId, msg.sender, amount);
    }

    /// @notice Send the escrowed amount of `orderId` to the merchant. Owner only, once.
    function release(uint256 orderId) external onlyOwner {
        Payment storage p = _settle(orderId, Status.Released);
        token.safeTransfer(merchant, p.amount);
        emit Released(orderId, merchant, p.amount);
    }

    /// @notice Return the escrowed amount of `orderId` to its payer. Owner only, once.
    function refund(uint256 orderId) external onlyOwner {
        Payment storage p = _settle(orderId, Status.Refunded);
        token.safeTransfer(p.payer, p.amount);
        emit Refunded(orderId, p.payer, p.amount);
    }

    /// @notice The payment recorded for `orderId` (zero payer and `Status.None` when unpaid).
    function payment(uint256 orderId) external view returns (address payer, uint256 amount, Status status) {
        Payment storage p = _payments[orderId];
        return (p.payer, p.amount, p.status);
    }

    function _settle(uint256 orderId, Status to) private returns (Payment storage p) {
        p = _payments[orderId];
        if (p.status == Status.None) revert NotPaid(orderId);
        if (p.status != Status.Paid) revert AlreadySettled(orderId, p.status);
        p.status = to;
    }
}
