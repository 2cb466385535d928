// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/**
 * @title SnapshottedAddressSet
 * @notice An address set whose size and per-index contents keep a checkpoint history keyed by L1 timestamp, so the
 *         set can be read as it was at any past time. Removal moves the last element into the freed index.
 * @dev Writes in one L1 block share a key and overwrite each other's checkpoint, so a lookup of key `ts - 1` reads
 *      the set as of the end of the last block with timestamp < `ts`.
 */
library SnapshottedAddressSet {
  using Checkpoints for Checkpoints.Trace160;
  using Checkpoints for Checkpoints.Trace208;

  struct Set {
    Checkpoints.Trace208 size;
    mapping(uint256 index => Checkpoints.Trace160) slots;
    // current index + 1 (0 = absent)
    mapping(address => uint256) positions;
  }

  /** @notice Adds `account` (absent) at the end, recorded at `key`. */
  function add(Set storage self, address account, uint256 key) internal {
    uint256 index = length(self);
    self.slots[index].push(SafeCast.toUint96(key), uint160(account));
    self.positions[account] = index + 1;
    self.size.push(SafeCast.toUint48(key), SafeCast.toUint208(index + 1));
  }

  /** @notice Removes `account` (present), recorded at `key`. */
  function remove(Set storage self, address account, uint256 key) internal {
    uint256 index = self.positions[account] - 1;
    uint256 last = length(self) - 1;
    if (index != last) {
      address moved = at(self, last);
      self.slots[index].push(SafeCast.toUint96(key), uint160(moved));
      self.positions[moved] = index + 1;
    }
    delete self.positions[account];
    self.size.push(SafeCast.toUint48(key), SafeCast.toUint208(last));
  }

  function contains(Set storage self, address account) internal view returns (bool) {
    return self.positions[account] != 0;
  }

  function length(Set storage self) internal view returns (uint256) {
    return self.size.latest();
  }

  function at(Set storage self, uint256 index) internal view returns (address) {
    return address(self.slots[index].latest());
  }

  /** @notice Size as of the end of the last L1 block with timestamp < `ts`. */
  function lengthAt(Set storage self, uint256 ts) internal view returns (uint256) {
    if (ts == 0) return 0;
    return self.size.upperLookupRecent(SafeCast.toUint48(ts - 1));
  }

  /** @notice Element at `index` as of the end of the last L1 block with timestamp < `ts` (zero if out of range). */
  function atIndexAt(Set storage self, uint256 index, uint256 ts) internal view returns (address) {
    if (index >= lengthAt(self, ts)) return address(0);
    return address(self.slots[index].upperLookupRecent(SafeCast.toUint96(ts - 1)));
  }

  function values(Set storage self) internal view returns (address[] memory out) {
    uint256 n = length(self);
    out = new address[](n);
    for (uint256 i = 0; i < n; i++) {
      out[i] = at(self, i);
    }
  }
}
