// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IRegistry} from "./interfaces/IRegistry.sol";
import {IRollup} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";

/**
 * @title Registry
 * @notice Rollup instances by version; the last added is canonical.
 */
contract Registry is IRegistry, Ownable {
  mapping(uint256 version => address) internal _rollups;
  uint256[] internal _versions;
  address internal _canonical;

  constructor(address owner) Ownable(owner) {}

  /** @notice Owner only: registers `rollup` under `IRollup(rollup).VERSION()` and makes it canonical. */
  function addRollup(address rollup) external onlyOwner {
    uint256 version = IRollup(rollup).VERSION();
    if (_rollups[version] != address(0)) revert Errors.Registry__RollupAlreadyRegistered(version);
    _rollups[version] = rollup;
    _versions.push(version);
    _canonical = rollup;
    emit InstanceAdded(rollup, version);
  }

  /** @notice The latest added rollup. */
  function getCanonicalRollup() external view returns (address) {
    if (_canonical == address(0)) revert Errors.Registry__NoRollup();
    return _canonical;
  }

  /** @notice The rollup registered as `version`. */
  function getRollup(uint256 version) external view returns (address rollup) {
    rollup = _rollups[version];
    if (rollup == address(0)) revert Errors.Registry__RollupNotRegistered(version);
  }

  /** @notice How many versions were added. */
  function numberOfVersions() external view returns (uint256) {
    return _versions.length;
  }

  /** @notice Version of the `index`-th added rollup. */
  function getVersion(uint256 index) external view returns (uint256) {
    return _versions[index];
  }
}
