// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {SlashAction, SlashPayload} from "./SlashPayload.sol";
import {Errors} from "./libraries/Errors.sol";

/**
 * @title SlashFactory
 * @notice Deploys `SlashPayload`s at addresses that depend on their actions and a tag alone (CREATE2, salt = the hash
 *         of both), so every node that computes the same offenders for the same tag signals the same payload address,
 *         whoever deploys it first. Nodes tag a payload with the last epoch its offences were judged over: the same
 *         offenders judged again over later epochs get another payload (the Slasher executes each payload once).
 *         Actions are canonical: at least one, attesters strictly ascending (no duplicates), no zero attester or
 *         amount. The Slasher creates one in its constructor (`Slasher.SLASH_FACTORY`).
 */
contract SlashFactory {
  event SlashPayloadCreated(address indexed payload, uint256 indexed tag, SlashAction[] actions);

  /** @notice Where `createPayload(actions, tag)` deploys (or deployed) that payload; does not check the actions. */
  function getAddress(SlashAction[] calldata actions, uint256 tag) public view returns (address) {
    return Create2.computeAddress(_salt(actions, tag), keccak256(_initCode(actions)));
  }

  /** @notice Deploys the payload of `actions` and `tag` unless it exists; returns its address either way. */
  function createPayload(SlashAction[] calldata actions, uint256 tag) external returns (address payload) {
    _check(actions);
    payload = getAddress(actions, tag);
    if (payload.code.length > 0) return payload;
    Create2.deploy(0, _salt(actions, tag), _initCode(actions));
    emit SlashPayloadCreated(payload, tag, actions);
  }

  function _check(SlashAction[] calldata actions) internal pure {
    if (actions.length == 0) revert Errors.SlashFactory__NoActions();
    for (uint256 i = 0; i < actions.length; i++) {
      if (actions[i].attester == address(0)) revert Errors.SlashFactory__ZeroAttester(i);
      if (actions[i].amount == 0) revert Errors.SlashFactory__ZeroAmount(i);
      if (i > 0 && actions[i].attester <= actions[i - 1].attester) revert Errors.SlashFactory__NotSorted(i);
    }
  }

  function _salt(SlashAction[] calldata actions, uint256 tag) internal pure returns (bytes32) {
    return keccak256(abi.encode(tag, actions));
  }

  function _initCode(SlashAction[] calldata actions) internal pure returns (bytes memory) {
    return abi.encodePacked(type(SlashPayload).creationCode, abi.encode(actions));
  }
}
