// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/** @notice One slash a voted payload asks for: up to `amount` of `attester`'s stake. */
struct SlashAction {
  address attester;
  uint256 amount;
}

/** @title ISlashPayload @notice What proposers vote for in the Slasher's rounds: a list of slashes. */
interface ISlashPayload {
  function getActions() external view returns (SlashAction[] memory);
}

/**
 * @title SlashPayload
 * @notice A fixed list of slashes (e.g. the validators that missed too many duties over some epochs), deployed by
 *         anyone; proposers signal its address in the Slasher's rounds.
 */
contract SlashPayload is ISlashPayload {
  SlashAction[] internal _actions;

  constructor(SlashAction[] memory actions) {
    for (uint256 i = 0; i < actions.length; i++) {
      _actions.push(actions[i]);
    }
  }

  function getActions() external view returns (SlashAction[] memory) {
    return _actions;
  }
}
