// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IInbox, L2Actor} from "./interfaces/IInbox.sol";
import {IRollup} from "./interfaces/IRollup.sol";
import {Hash} from "./libraries/Hash.sol";

/**
 * @title FeeJuicePortal
 * @notice Locks the fee asset on L1 and sends the L2 fee juice contract a message to credit it on L2.
 */
contract FeeJuicePortal {
  using SafeERC20 for IERC20;

  /** @notice L2 address of the fee juice contract. */
  bytes32 public constant L2_FEE_JUICE = bytes32(uint256(5));

  IRollup public immutable ROLLUP;
  IInbox public immutable INBOX;
  IERC20 public immutable UNDERLYING;
  uint256 public immutable VERSION;

  event DepositToAztecPublic(bytes32 indexed to, uint256 amount, bytes32 secretHash, bytes32 key, uint256 index);

  constructor(IRollup rollup) {
    ROLLUP = rollup;
    INBOX = rollup.INBOX();
    UNDERLYING = rollup.FEE_ASSET();
    VERSION = rollup.VERSION();
  }

  /**
   * @notice Pulls `amount` of the fee asset and sends an L1→L2 message claiming it for `to`.
   * @return key the Inbox leaf
   * @return index its global index in the L1→L2 message tree
   */
  function depositToAztecPublic(bytes32 to, uint256 amount, bytes32 secretHash)
    external
    returns (bytes32 key, uint256 index)
  {
    UNDERLYING.safeTransferFrom(msg.sender, address(this), amount);
    bytes32 content = Hash.sha256ToField(abi.encodeWithSignature("claim(bytes32,uint256)", to, amount));
    (key, index) = INBOX.sendL2Message(L2Actor({actor: L2_FEE_JUICE, version: VERSION}), content, secretHash);
    emit DepositToAztecPublic(to, amount, secretHash, key, index);
  }
}
