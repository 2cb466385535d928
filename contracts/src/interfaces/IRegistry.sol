// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/** @title IRegistry @notice Rollup versions and the canonical rollup. */
interface IRegistry {
  event InstanceAdded(address indexed rollup, uint256 indexed version);

  /** @notice Owner only: registers `rollup` under its `VERSION()` and makes it canonical. */
  function addRollup(address rollup) external;
  /** @notice The latest added rollup. */
  function getCanonicalRollup() external view returns (address);
  /** @notice The rollup registered as `version`. */
  function getRollup(uint256 version) external view returns (address);
  /** @notice How many versions were added. */
  function numberOfVersions() external view returns (uint256);
  /** @notice Version number of the `index`-th added rollup. */
  function getVersion(uint256 index) external view returns (uint256);
}
