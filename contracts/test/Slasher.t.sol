// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Slasher, SignedBlock, SlasherConfig} from "../src/Slasher.sol";
import {AttesterInfo, IRollup, IStaking, Status} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {Hash} from "../src/libraries/Hash.sol";
import {Header} from "../src/libraries/HeaderLib.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract SlasherTest is RollupTestBase {
  uint256 internal constant PENALTY = 30e18;
  uint256 internal constant REWARD_BPS = 1_000; // 10%
  uint256 internal constant AT_SLOT = 5;
  address internal reporter = address(0x4E90);
  address internal vetoer = address(0x7E70);
  Slasher internal slasher;

  function setUp() public {
    _deploy(4, 4);
    slasher = new Slasher(IRollup(address(rollup)), _config(PENALTY, REWARD_BPS));
    vm.prank(owner);
    rollup.setSlasher(address(slasher));
    _warpToSlot(AT_SLOT);
  }

  function _config(uint256 penalty, uint256 rewardBps) internal view returns (SlasherConfig memory) {
    return SlasherConfig({
      penalty: penalty,
      reporterRewardBps: rewardBps,
      quorum: 3,
      roundSize: 4,
      executionDelayRounds: 1,
      lifetimeRounds: 2,
      vetoer: vetoer
    });
  }

  /// @dev A block for `slot` signed by `key`; `variant` makes the digest differ.
  function _signed(uint256 key, uint256 slot, uint256 variant) internal view returns (SignedBlock memory s) {
    Header memory h = _headerFor(1, slot);
    h.totalFees = variant;
    s.header = abi.encode(h);
    s.archive = bytes32(uint256(0xA7C0) + variant);
    s.signature = _sign(key, rollup.getProposalDigest(Hash.sha256ToField(s.header), s.archive));
  }

  function _digest(SignedBlock memory s) internal view returns (bytes32) {
    return rollup.getProposalDigest(Hash.sha256ToField(s.header), s.archive);
  }

  function _proposerOfSlot(uint256 slot) internal view returns (address) {
    return rollup.getProposerAt(rollup.getTimestampForSlot(slot));
  }

  /// @dev A committee member of `slot`'s epoch that does not propose at `slot`.
  function _nonProposer(uint256 slot) internal view returns (address) {
    address[] memory committee = rollup.getEpochCommittee(slot / EPOCH);
    address proposer = _proposerOfSlot(slot);
    for (uint256 i = 0; i < committee.length; i++) {
      if (committee[i] != proposer) return committee[i];
    }
    revert("no attester besides the proposer");
  }

  function _report(SignedBlock memory a, SignedBlock memory b) internal returns (address) {
    vm.prank(reporter);
    return slasher.slashEquivocation(a, b);
  }

  // ---------- success ----------

  function test_duplicateAttestationSlashesPaysReporterAndExits() public {
    address attester = _nonProposer(AT_SLOT);
    uint256 key = keyOf[attester];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    uint256 reward = (PENALTY * REWARD_BPS) / 10_000;
    (bytes32 digestA, bytes32 digestB) = (_digest(a), _digest(b));

    vm.expectEmit(true, false, false, true, address(rollup));
    emit IStaking.Slashed(attester, PENALTY);
    vm.expectEmit(true, true, true, true, address(slasher));
    emit Slasher.EquivocationSlashed(
      attester, AT_SLOT, Slasher.Offence.DUPLICATE_ATTESTATION, reporter, PENALTY, reward, digestA, digestB
    );
    assertEq(_report(a, b), attester, "returns the attester");

    AttesterInfo memory info = rollup.getInfo(attester);
    assertEq(info.stake, MIN_STAKE - PENALTY, "stake reduced by the penalty");
    assertTrue(info.status == Status.EXITING, "below the minimum: exiting");
    assertEq(info.exitableAt, block.timestamp + EXIT_DELAY, "exits like a withdrawal");
    assertFalse(contains(rollup.getAttesters(), attester), "left the active set");
    assertEq(stakingAsset.balanceOf(reporter), reward, "reporter paid its share");
    assertEq(stakingAsset.balanceOf(address(slasher)), PENALTY - reward, "the rest stays in the slasher");
    assertEq(stakingAsset.balanceOf(address(rollup)), 4 * MIN_STAKE - PENALTY, "rollup holds the rest of the stake");
    assertTrue(slasher.isSlashed(attester, AT_SLOT, Slasher.Offence.DUPLICATE_ATTESTATION), "recorded");
    assertFalse(slasher.isSlashed(attester, AT_SLOT, Slasher.Offence.DUPLICATE_PROPOSAL), "one offence only");

    // The exit's stake (what is left) goes to the withdrawer.
    vm.warp(info.exitableAt);
    rollup.finaliseWithdraw(attester);
    assertEq(stakingAsset.balanceOf(_withdrawerOf(key)), MIN_STAKE - PENALTY, "remaining stake withdrawn");
  }

  function test_duplicateProposalBySlotProposer() public {
    address proposer = _proposerOfSlot(AT_SLOT);
    uint256 key = keyOf[proposer];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    vm.expectEmit(true, true, true, false, address(slasher));
    emit Slasher.EquivocationSlashed(proposer, AT_SLOT, Slasher.Offence.DUPLICATE_PROPOSAL, reporter, 0, 0, 0, 0);
    _report(a, b);
    assertTrue(slasher.isSlashed(proposer, AT_SLOT, Slasher.Offence.DUPLICATE_PROPOSAL), "duplicate proposal");
    assertEq(rollup.getInfo(proposer).stake, MIN_STAKE - PENALTY, "stake reduced");
  }

  function test_stakeAboveMinimumStaysValidating() public {
    uint256 key = 0xB00B;
    address attester = vm.addr(key);
    stakingAsset.mint(address(this), 2 * MIN_STAKE);
    stakingAsset.approve(address(rollup), 2 * MIN_STAKE);
    rollup.deposit(attester, _proposerOf(key), _withdrawerOf(key), 2 * MIN_STAKE);
    _report(_signed(key, AT_SLOT, 1), _signed(key, AT_SLOT, 2));
    AttesterInfo memory info = rollup.getInfo(attester);
    assertEq(info.stake, 2 * MIN_STAKE - PENALTY, "stake reduced");
    assertTrue(info.status == Status.VALIDATING, "still validating");
    assertTrue(contains(rollup.getAttesters(), attester), "still in the set");
  }

  function test_exitingAttesterIsSlashedAndStakeCapped() public {
    address attester = _nonProposer(AT_SLOT);
    uint256 key = keyOf[attester];
    vm.prank(_withdrawerOf(key));
    rollup.initiateWithdraw(attester, address(0x5EC));
    // Slashed at three slots: the third takes what is left (10e18), not the full penalty.
    _report(_signed(key, AT_SLOT, 1), _signed(key, AT_SLOT, 2));
    _report(_signed(key, AT_SLOT + 1, 1), _signed(key, AT_SLOT + 1, 2));
    _report(_signed(key, AT_SLOT + 2, 1), _signed(key, AT_SLOT + 2, 2));
    assertEq(rollup.getInfo(attester).stake, MIN_STAKE - 3 * PENALTY, "three penalties");
    SignedBlock memory a = _signed(key, AT_SLOT + 3, 1);
    SignedBlock memory b = _signed(key, AT_SLOT + 3, 2);
    vm.expectEmit(true, false, false, true, address(rollup));
    emit IStaking.Slashed(attester, MIN_STAKE - 3 * PENALTY);
    _report(a, b);
    assertEq(rollup.getInfo(attester).stake, 0, "nothing left");
    assertTrue(rollup.getInfo(attester).status == Status.EXITING, "still exiting");
  }

  // ---------- rejections ----------

  function test_revertWhen_sameDigest() public {
    uint256 key = keyOf[_nonProposer(AT_SLOT)];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__SameDigest.selector, _digest(a)));
    _report(a, a);
  }

  function test_revertWhen_sameDigestSignedTwice() public {
    // A second signature (other nonce) over the same digest is no equivocation either.
    uint256 key = keyOf[_nonProposer(AT_SLOT)];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 1);
    b.signature.s = bytes32(uint256(a.signature.s) ^ 1);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__SameDigest.selector, _digest(a)));
    _report(a, b);
  }

  function test_revertWhen_differentSlots() public {
    uint256 key = keyOf[_nonProposer(AT_SLOT)];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT + 1, 2);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__DifferentSlots.selector, AT_SLOT, AT_SLOT + 1));
    _report(a, b);
  }

  function test_revertWhen_differentSigners() public {
    address[] memory committee = rollup.getEpochCommittee(AT_SLOT / EPOCH);
    SignedBlock memory a = _signed(keyOf[committee[0]], AT_SLOT, 1);
    SignedBlock memory b = _signed(keyOf[committee[1]], AT_SLOT, 2);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__DifferentSigners.selector, committee[0], committee[1]));
    _report(a, b);
  }

  function test_revertWhen_signatureIsForAnotherDigest() public {
    // b's signature is valid, but over a's digest: over b's it recovers to some other address.
    address attester = _nonProposer(AT_SLOT);
    uint256 key = keyOf[attester];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    b.signature = a.signature;
    vm.expectRevert(); // Slasher__DifferentSigners(attester, <whoever b's digest recovers to>)
    _report(a, b);
    assertEq(rollup.getInfo(attester).stake, MIN_STAKE, "nothing taken");
  }

  function test_revertWhen_badSignature() public {
    uint256 key = keyOf[_nonProposer(AT_SLOT)];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    b.signature.v = 29;
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidSignature.selector, 1));
    _report(a, b);
    a.signature.r = bytes32(0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidSignature.selector, 0));
    _report(a, b);
    // High-s (malleable) signatures are refused as OpenZeppelin's ECDSA does.
    b = _signed(key, AT_SLOT, 2);
    a = _signed(key, AT_SLOT, 1);
    a.signature.s = bytes32(type(uint256).max);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidSignature.selector, 0));
    _report(a, b);
  }

  function test_revertWhen_notAnAttester() public {
    uint256 key = 0xDEAD01;
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__NotAttester.selector, vm.addr(key)));
    _report(a, b);
  }

  function test_revertWhen_alreadySlashed() public {
    address attester = _nonProposer(AT_SLOT);
    uint256 key = keyOf[attester];
    _report(_signed(key, AT_SLOT, 1), _signed(key, AT_SLOT, 2));
    uint8 offence = uint8(Slasher.Offence.DUPLICATE_ATTESTATION);
    // The same pair, swapped, and another pair for the same slot.
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    SignedBlock memory c = _signed(key, AT_SLOT, 3);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__AlreadySlashed.selector, attester, AT_SLOT, offence));
    _report(b, a);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__AlreadySlashed.selector, attester, AT_SLOT, offence));
    _report(c, a);
    assertEq(rollup.getInfo(attester).stake, MIN_STAKE - PENALTY, "slashed once");
  }

  function test_revertWhen_headerNotEightHundredBytes() public {
    uint256 key = keyOf[_nonProposer(AT_SLOT)];
    SignedBlock memory a = _signed(key, AT_SLOT, 1);
    SignedBlock memory b = _signed(key, AT_SLOT, 2);
    b.header = abi.encodePacked(b.header, bytes1(0));
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidHeaderLength.selector, 1, 801));
    _report(a, b);
  }

  function test_revertWhen_nonSlasherSlashesOnTheRollup() public {
    address attester = _nonProposer(AT_SLOT);
    vm.prank(reporter);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotSlasher.selector, address(slasher), reporter));
    rollup.slash(attester, PENALTY);
    vm.prank(owner);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotSlasher.selector, address(slasher), owner));
    rollup.slash(attester, PENALTY);
    assertEq(rollup.getInfo(attester).stake, MIN_STAKE, "nothing taken");
  }

  function test_revertWhen_slasherSlashesNobody() public {
    vm.prank(address(slasher));
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NoStake.selector, address(0x1234)));
    rollup.slash(address(0x1234), PENALTY);
  }

  function test_revertWhen_slasherSetTwiceOrByStranger() public {
    assertEq(rollup.getSlasher(), address(slasher), "set");
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xBAD)));
    rollup.setSlasher(address(0xBAD));
    vm.prank(owner);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__SlasherAlreadySet.selector, address(slasher)));
    rollup.setSlasher(address(0xBAD));
  }

  function test_revertWhen_noSlasherSet() public {
    _deploy(4, 4);
    address attester = rollup.getAttesters()[0];
    vm.prank(address(slasher));
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotSlasher.selector, address(0), address(slasher)));
    rollup.slash(attester, PENALTY);
  }

  function test_revertWhen_badConfig() public {
    SlasherConfig memory zero = _config(0, REWARD_BPS);
    SlasherConfig memory overPaid = _config(PENALTY, 10_001);
    SlasherConfig memory halfQuorum = _config(PENALTY, REWARD_BPS);
    halfQuorum.quorum = 2;
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidConfig.selector, 0, REWARD_BPS));
    new Slasher(IRollup(address(rollup)), zero);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidConfig.selector, PENALTY, 10_001));
    new Slasher(IRollup(address(rollup)), overPaid);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__InvalidVotingConfig.selector, 2, 4));
    new Slasher(IRollup(address(rollup)), halfQuorum);
  }
}
