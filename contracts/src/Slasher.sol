// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IRollup, Signature, Status} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";
import {Hash} from "./libraries/Hash.sol";
import {HeaderLib} from "./libraries/HeaderLib.sol";

/** @notice One signed block digest as gossiped: the header (800 bytes), the archive after it, the signature. */
struct SignedBlock {
  bytes header;
  bytes32 archive;
  Signature signature;
}

/**
 * @title Slasher
 * @notice Slashes equivocation, provable by signatures alone: two different proposal digests signed by one
 *         registered attester for one slot. Both digests are recomputed here as the Rollup computes what its
 *         committee signs (`getProposalDigest(sha256ToField(header), archive)`), so a signature over anything else
 *         does not count. The offence is a duplicate proposal when the signer is that slot's proposer and a duplicate
 *         attestation otherwise (proposals and attestations sign the same digest, so one pair of signatures is one
 *         offence, never two). Each (attester, slot, offence) is slashed once: `PENALTY` of stake (or what is left),
 *         of which `REPORTER_REWARD_BPS / 10000` goes to the caller; the rest stays in this contract, which has no
 *         way to move it (burnt).
 */
contract Slasher {
  using SafeERC20 for IERC20;

  enum Offence {
    DUPLICATE_PROPOSAL,
    DUPLICATE_ATTESTATION
  }

  uint256 internal constant BPS = 10_000;

  IRollup public immutable ROLLUP;
  /** @notice Stake taken per offence. */
  uint256 public immutable PENALTY;
  /** @notice Share of the stake taken paid to the reporter, in basis points. */
  uint256 public immutable REPORTER_REWARD_BPS;

  mapping(bytes32 key => bool) internal _slashed;

  event EquivocationSlashed(
    address indexed attester,
    uint256 indexed slot,
    Offence indexed offence,
    address reporter,
    uint256 amount,
    uint256 reward,
    bytes32 digestA,
    bytes32 digestB
  );

  constructor(IRollup rollup, uint256 penalty, uint256 reporterRewardBps) {
    if (penalty == 0 || reporterRewardBps > BPS) revert Errors.Slasher__InvalidConfig(penalty, reporterRewardBps);
    ROLLUP = rollup;
    PENALTY = penalty;
    REPORTER_REWARD_BPS = reporterRewardBps;
  }

  /**
   * @notice Slashes the signer of `a` and `b`: two different digests, one slot (the headers' `slotNumber`), one
   *         registered attester (validating or exiting), not yet slashed for this slot and offence. Pays the caller
   *         its reward. Returns the attester.
   */
  function slashEquivocation(SignedBlock calldata a, SignedBlock calldata b) external returns (address attester) {
    (bytes32 digestA, uint256 slot) = _digestAndSlot(a, 0);
    (bytes32 digestB, uint256 slotB) = _digestAndSlot(b, 1);
    if (digestA == digestB) revert Errors.Slasher__SameDigest(digestA);
    if (slot != slotB) revert Errors.Slasher__DifferentSlots(slot, slotB);
    attester = _recover(digestA, a.signature, 0);
    address signerB = _recover(digestB, b.signature, 1);
    if (attester != signerB) revert Errors.Slasher__DifferentSigners(attester, signerB);
    if (ROLLUP.getInfo(attester).status == Status.NONE) revert Errors.Slasher__NotAttester(attester);

    Offence offence = ROLLUP.getProposerAt(ROLLUP.getTimestampForSlot(slot)) == attester
      ? Offence.DUPLICATE_PROPOSAL
      : Offence.DUPLICATE_ATTESTATION;
    bytes32 key = keccak256(abi.encode(attester, slot, offence));
    if (_slashed[key]) revert Errors.Slasher__AlreadySlashed(attester, slot, uint8(offence));
    _slashed[key] = true;

    uint256 amount = ROLLUP.slash(attester, PENALTY);
    uint256 reward = (amount * REPORTER_REWARD_BPS) / BPS;
    if (reward > 0) ROLLUP.STAKING_ASSET().safeTransfer(msg.sender, reward);
    emit EquivocationSlashed(attester, slot, offence, msg.sender, amount, reward, digestA, digestB);
  }

  /** @notice Whether `attester` was slashed for `offence` at `slot`. */
  function isSlashed(address attester, uint256 slot, Offence offence) external view returns (bool) {
    return _slashed[keccak256(abi.encode(attester, slot, offence))];
  }

  function _digestAndSlot(SignedBlock calldata s, uint256 index) internal view returns (bytes32 digest, uint256 slot) {
    if (s.header.length != HeaderLib.HEADER_LENGTH) revert Errors.Slasher__InvalidHeaderLength(index, s.header.length);
    digest = ROLLUP.getProposalDigest(Hash.sha256ToField(s.header), s.archive);
    slot = HeaderLib.decode(s.header).globalVariables.slotNumber;
  }

  function _recover(bytes32 digest, Signature calldata sig, uint256 index) internal pure returns (address signer) {
    ECDSA.RecoverError err;
    (signer, err,) = ECDSA.tryRecover(MessageHashUtils.toEthSignedMessageHash(digest), sig.v, sig.r, sig.s);
    if (err != ECDSA.RecoverError.NoError) revert Errors.Slasher__InvalidSignature(index);
  }
}
