// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Signature} from "../interfaces/IRollup.sol";
import {Errors} from "./Errors.sol";
import {SnapshottedAddressSet} from "./SnapshottedAddressSet.sol";

/**
 * @title ValidatorSelectionLib
 * @notice Seeds, committee sampling, proposer choice and attestation checks (docs/l1-contracts.md).
 */
library ValidatorSelectionLib {
  using SnapshottedAddressSet for SnapshottedAddressSet.Set;

  struct Storage {
    // seed checkpoints: ascending epochs and the seed stored for each
    uint256[] seedEpochs;
    mapping(uint256 epoch => uint256) seeds;
    mapping(uint256 epoch => address[]) committees;
    mapping(uint256 epoch => bool) committeeStored;
  }

  /** @notice Stores `seed(0) = seed(1) = keccak256(abi.encode(0, prevrandao))`. */
  function initSeeds(Storage storage self) internal {
    uint256 seed = uint256(keccak256(abi.encode(uint256(0), block.prevrandao)));
    _pushSeed(self, 0, seed);
    _pushSeed(self, 1, seed);
  }

  /**
   * @notice During epoch `currentEpoch`: stores `seed(currentEpoch + 2)` unless a checkpoint exists for it, and the
   *         current epoch's committee the first time.
   */
  function setupEpoch(
    Storage storage self,
    SnapshottedAddressSet.Set storage set,
    uint256 currentEpoch,
    uint256 sampleTs,
    uint256 targetSize
  ) internal {
    uint256 next = currentEpoch + 2;
    // Seeds are only ever added for `current + 2`, so the last key is the largest one.
    if (self.seedEpochs[self.seedEpochs.length - 1] < next) {
      _pushSeed(self, next, uint256(keccak256(abi.encode(next, block.prevrandao))));
    }
    if (!self.committeeStored[currentEpoch]) {
      self.committees[currentEpoch] = sampleCommittee(set, getSeed(self, currentEpoch), sampleTs, targetSize);
      self.committeeStored[currentEpoch] = true;
    }
  }

  /** @notice The seed of the last checkpoint with key <= `epoch`. */
  function getSeed(Storage storage self, uint256 epoch) internal view returns (uint256) {
    uint256[] storage keys = self.seedEpochs;
    // Binary search for the last key <= epoch; keys[0] == 0 so one always exists.
    uint256 lo = 0;
    uint256 hi = keys.length;
    while (hi - lo > 1) {
      uint256 mid = (lo + hi) / 2;
      if (keys[mid] <= epoch) lo = mid;
      else hi = mid;
    }
    return self.seeds[keys[lo]];
  }

  /** @notice Committee of `epoch`: the stored one, or computed from the frozen set (same result). */
  function getCommittee(
    Storage storage self,
    SnapshottedAddressSet.Set storage set,
    uint256 epoch,
    uint256 sampleTs,
    uint256 targetSize
  ) internal view returns (address[] memory) {
    if (self.committeeStored[epoch]) return self.committees[epoch];
    return sampleCommittee(set, getSeed(self, epoch), sampleTs, targetSize);
  }

  /** @notice Partial Fisher–Yates sample of `min(targetSize, n)` attesters of the set as of `ts`. */
  function sampleCommittee(SnapshottedAddressSet.Set storage set, uint256 seed, uint256 ts, uint256 targetSize)
    internal
    view
    returns (address[] memory committee)
  {
    uint256 n = set.lengthAt(ts);
    uint256 k = targetSize < n ? targetSize : n;
    committee = new address[](k);
    uint256[] memory idx = new uint256[](n);
    for (uint256 i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (uint256 i = 0; i < k; i++) {
      uint256 j = i + (uint256(keccak256(abi.encode(seed, i))) % (n - i));
      (idx[i], idx[j]) = (idx[j], idx[i]);
      committee[i] = set.atIndexAt(idx[i], ts);
    }
  }

  /** @notice Committee index of the proposer of `slot` in `epoch` (committee size `k > 0`). */
  function proposerIndex(uint256 epoch, uint256 slot, uint256 seed, uint256 k) internal pure returns (uint256) {
    return uint256(keccak256(abi.encode(epoch, slot, seed))) % k;
  }

  /**
   * @notice Requires a quorum (`floor(2k/3) + 1`) of signatures over the EIP-191 hash of `digest`, each from a
   *         committee member, in strictly increasing committee order.
   */
  function verifyAttestations(address[] memory committee, bytes32 digest, Signature[] calldata attestations)
    internal
    pure
  {
    uint256 k = committee.length;
    uint256 needed = (2 * k) / 3 + 1;
    if (attestations.length < needed) revert Errors.Rollup__InsufficientAttestations(needed, attestations.length);
    bytes32 signed = MessageHashUtils.toEthSignedMessageHash(digest);
    uint256 previous;
    for (uint256 i = 0; i < attestations.length; i++) {
      Signature calldata sig = attestations[i];
      (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(signed, sig.v, sig.r, sig.s);
      if (err != ECDSA.RecoverError.NoError) revert Errors.Rollup__InvalidSignature(i);
      uint256 position = _indexOf(committee, signer);
      if (position == type(uint256).max) revert Errors.Rollup__AttesterNotInCommittee(i, signer);
      // Strict order makes duplicates impossible without a membership map.
      if (i > 0 && position <= previous) revert Errors.Rollup__AttestationOutOfOrder(i, previous, position);
      previous = position;
    }
  }

  function _indexOf(address[] memory list, address account) private pure returns (uint256) {
    for (uint256 i = 0; i < list.length; i++) {
      if (list[i] == account) return i;
    }
    return type(uint256).max;
  }

  function _pushSeed(Storage storage self, uint256 epoch, uint256 seed) private {
    self.seedEpochs.push(epoch);
    self.seeds[epoch] = seed;
  }
}
