// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AttesterInfo, IStaking, Status, Validator} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract StakingTest is RollupTestBase {
  uint256 internal constant NEW_KEY = 0xB001;

  function setUp() public {
    _deploy(4, 4);
  }

  function test_deposit() public {
    address attester = vm.addr(NEW_KEY);
    stakingAsset.mint(address(this), MIN_STAKE);
    stakingAsset.approve(address(rollup), MIN_STAKE);
    vm.expectEmit(true, true, true, true, address(rollup));
    emit IStaking.Deposit(attester, _proposerOf(NEW_KEY), _withdrawerOf(NEW_KEY), MIN_STAKE);
    rollup.deposit(attester, _proposerOf(NEW_KEY), _withdrawerOf(NEW_KEY), MIN_STAKE);

    AttesterInfo memory info = rollup.getInfo(attester);
    assertEq(info.proposer, _proposerOf(NEW_KEY), "proposer");
    assertEq(info.withdrawer, _withdrawerOf(NEW_KEY), "withdrawer");
    assertEq(info.stake, MIN_STAKE, "stake");
    assertTrue(info.status == Status.VALIDATING, "validating");
    assertEq(info.exitableAt, 0, "not exiting");
    assertEq(rollup.getAttesterCount(), 5, "count");
    assertEq(rollup.getAttesters()[4], attester, "appended");
    assertEq(rollup.getProposerForAttester(attester), _proposerOf(NEW_KEY), "proposer for attester");
    assertEq(stakingAsset.balanceOf(address(rollup)), 5 * MIN_STAKE, "stake held");
  }

  function test_revertWhen_stakeBelowMinimum() public {
    stakingAsset.mint(address(this), MIN_STAKE);
    stakingAsset.approve(address(rollup), MIN_STAKE);
    address attester = vm.addr(NEW_KEY);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__InsufficientStake.selector, MIN_STAKE, MIN_STAKE - 1));
    rollup.deposit(attester, _proposerOf(NEW_KEY), _withdrawerOf(NEW_KEY), MIN_STAKE - 1);
  }

  function test_revertWhen_doubleDeposit() public {
    address attester = _addValidator(NEW_KEY);
    stakingAsset.mint(address(this), MIN_STAKE);
    stakingAsset.approve(address(rollup), MIN_STAKE);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__AlreadyRegistered.selector, attester));
    rollup.deposit(attester, address(1), address(2), MIN_STAKE);
  }

  function test_revertWhen_zeroAddresses() public {
    vm.expectRevert(Errors.Staking__InvalidAddress.selector);
    rollup.deposit(address(0), address(1), address(2), MIN_STAKE);
    vm.expectRevert(Errors.Staking__InvalidAddress.selector);
    rollup.deposit(address(3), address(1), address(0), MIN_STAKE);
  }

  function test_withdrawFlow() public {
    address attester = _addValidator(NEW_KEY);
    address withdrawer = _withdrawerOf(NEW_KEY);
    address recipient = address(0x5EC);
    vm.prank(withdrawer);
    vm.expectEmit(true, true, false, true, address(rollup));
    emit IStaking.WithdrawInitiated(attester, recipient, MIN_STAKE);
    rollup.initiateWithdraw(attester, recipient);
    AttesterInfo memory info = rollup.getInfo(attester);
    assertTrue(info.status == Status.EXITING, "exiting");
    assertEq(info.exitableAt, block.timestamp + EXIT_DELAY, "exitable at");
    assertEq(rollup.getAttesterCount(), 4, "left the active set at once");
    assertFalse(contains(rollup.getAttesters(), attester), "not active");

    vm.warp(info.exitableAt - 1);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Staking__WithdrawalNotUnlocked.selector, info.exitableAt, info.exitableAt - 1)
    );
    rollup.finaliseWithdraw(attester);

    vm.warp(info.exitableAt);
    vm.expectEmit(true, true, false, true, address(rollup));
    emit IStaking.WithdrawFinalised(attester, recipient, MIN_STAKE);
    rollup.finaliseWithdraw(attester);
    assertEq(stakingAsset.balanceOf(recipient), MIN_STAKE, "stake paid out");
    info = rollup.getInfo(attester);
    assertTrue(info.status == Status.NONE, "gone");
    assertEq(info.stake, 0, "no stake");

    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotExiting.selector, attester));
    rollup.finaliseWithdraw(attester);
  }

  function test_revertWhen_nonWithdrawerWithdraws() public {
    address attester = _addValidator(NEW_KEY);
    vm.prank(address(0xBAD));
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Staking__NotWithdrawer.selector, _withdrawerOf(NEW_KEY), address(0xBAD))
    );
    rollup.initiateWithdraw(attester, address(0xBAD));
  }

  function test_revertWhen_withdrawingTwice() public {
    address attester = _addValidator(NEW_KEY);
    vm.startPrank(_withdrawerOf(NEW_KEY));
    rollup.initiateWithdraw(attester, address(0x5EC));
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotValidating.selector, attester));
    rollup.initiateWithdraw(attester, address(0x5EC));
    vm.stopPrank();
  }

  function test_revertWhen_finalisingWithoutExit() public {
    address attester = _addValidator(NEW_KEY);
    vm.expectRevert(abi.encodeWithSelector(Errors.Staking__NotExiting.selector, attester));
    rollup.finaliseWithdraw(attester);
  }

  function test_revertWhen_initialisingTwiceOrByStranger() public {
    Validator[] memory none = new Validator[](0);
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xBAD)));
    rollup.initialiseValidatorSet(none);
    vm.prank(owner);
    vm.expectRevert(Errors.Staking__ValidatorSetAlreadyInitialised.selector);
    rollup.initialiseValidatorSet(none);
  }

  function test_removalMovesLastIntoFreedIndexAndKeepsHistory() public {
    address[] memory before = rollup.getAttesters();
    uint256 t0 = block.timestamp;
    vm.warp(t0 + 100);
    address removed = before[1];
    vm.prank(_withdrawerOf(keyOf[removed]));
    rollup.initiateWithdraw(removed, address(0x5EC));
    address[] memory afterRemoval = rollup.getAttesters();
    assertEq(afterRemoval.length, 3, "one fewer");
    assertEq(afterRemoval[1], before[3], "last moved into the freed index");
    // History: as of the end of the last block before t0 + 100, and at t0 + 101 (after the removal's block).
    assertEq(rollup.attesterCountAt(t0 + 100), 4, "count before the removal block");
    assertEq(rollup.attesterAtIndexAt(1, t0 + 100), removed, "old index 1");
    assertEq(rollup.attesterCountAt(t0 + 101), 3, "count after the removal block");
    assertEq(rollup.attesterAtIndexAt(1, t0 + 101), before[3], "new index 1");
    assertEq(rollup.attesterAtIndexAt(3, t0 + 101), address(0), "beyond the size");
  }

  function test_genesisValidatorsRecordedAtTimestampZero() public view {
    assertEq(rollup.attesterCountAt(1), 4, "present from timestamp 0");
    assertEq(rollup.attesterCountAt(0), 0, "nothing strictly before 0");
  }
}

contract CommitteeTest is RollupTestBase {
  function setUp() public {
    _deploy(2, 4);
  }

  /// @dev The committee as docs/l1-contracts.md defines it, from the rollup's set history and seed.
  function _expectedCommittee(uint256 epoch) internal view returns (address[] memory committee) {
    uint256 ts = rollup.getSampleTimestamp(epoch);
    uint256 seed = rollup.getSampleSeed(epoch);
    uint256 n = rollup.attesterCountAt(ts);
    uint256 k = n < 4 ? n : 4;
    uint256[] memory idx = new uint256[](n);
    for (uint256 i = 0; i < n; i++) {
      idx[i] = i;
    }
    committee = new address[](k);
    for (uint256 i = 0; i < k; i++) {
      uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);
      (idx[i], idx[j]) = (idx[j], idx[i]);
      committee[i] = rollup.attesterAtIndexAt(idx[i], ts);
    }
  }

  function test_sampleTimestamps() public view {
    assertEq(rollup.getSampleTimestamp(0), START, "epoch 0");
    assertEq(rollup.getSampleTimestamp(1), START, "epoch 1");
    assertEq(rollup.getSampleTimestamp(3), START + 2 * EPOCH * SLOT, "epoch 3 samples at the start of epoch 2");
  }

  function test_committeeFrozenAgainstDeposits() public {
    // Deposit during epoch 2.
    _warpToSlot(2 * EPOCH + 1);
    address[] memory c2 = rollup.getEpochCommittee(2);
    address[] memory c3 = rollup.getEpochCommittee(3);
    address newcomer = _addValidator(0xB002);
    assertEq(rollup.getEpochCommittee(2), c2, "current epoch unchanged");
    assertEq(rollup.getEpochCommittee(3), c3, "next epoch unchanged (sampled at the start of epoch 2)");
    assertFalse(contains(c3, newcomer), "not in epoch 3");

    // Epoch 4 samples at the start of epoch 3, after the deposit.
    _warpToSlot(4 * EPOCH);
    address[] memory c4 = rollup.getEpochCommittee(4);
    assertEq(c4.length, 3, "three attesters");
    assertTrue(contains(c4, newcomer), "newcomer joins in epoch 4");
    assertEq(c4, _expectedCommittee(4), "matches the documented sampling");
    // With 3 members the quorum is all 3: the newcomer's signature is needed and accepted.
    _proposeOk(_finalize(_nextHeader(4 * EPOCH)));
  }

  function test_depositInSamplingBlockIsNotSampled() public {
    // A deposit at exactly the sampling timestamp of epoch 4 (start of epoch 3) is after "timestamp < ts".
    _warpToSlot(3 * EPOCH);
    address newcomer = _addValidator(0xB003);
    _warpToSlot(4 * EPOCH);
    assertFalse(contains(rollup.getEpochCommittee(4), newcomer), "not in epoch 4");
    _warpToSlot(5 * EPOCH);
    assertTrue(contains(rollup.getEpochCommittee(5), newcomer), "in epoch 5");
  }

  function test_withdrawnValidatorKeepsFrozenPlace() public {
    _deploy(4, 4);
    _warpToSlot(EPOCH + 1);
    address[] memory c1 = rollup.getEpochCommittee(1);
    address[] memory c2 = rollup.getEpochCommittee(2);
    address leaving = c2[0];
    vm.prank(_withdrawerOf(keyOf[leaving]));
    rollup.initiateWithdraw(leaving, address(0x5EC));
    assertEq(rollup.getEpochCommittee(1), c1, "current committee unchanged");
    assertEq(rollup.getEpochCommittee(2), c2, "next committee unchanged");
    // Its signature still counts in epoch 2 (the default quorum signers are c2[0..2]).
    _proposeAtSlot(2 * EPOCH);
    _warpToSlot(3 * EPOCH);
    address[] memory c3 = rollup.getEpochCommittee(3);
    assertEq(c3.length, 3, "gone from epoch 3");
    assertFalse(contains(c3, leaving), "not in epoch 3");
  }

  function test_committeeAndProposerFollowTheDocumentedFormulas() public {
    _deploy(6, 4);
    for (uint256 epoch = 0; epoch < 3; epoch++) {
      _warpToSlot(epoch * EPOCH);
      rollup.setupEpoch();
      address[] memory committee = rollup.getEpochCommittee(epoch);
      assertEq(committee.length, 4, "target size of 6 attesters");
      assertEq(committee, _expectedCommittee(epoch), "committee formula");
      uint256 seed = rollup.getSampleSeed(epoch);
      for (uint256 s = epoch * EPOCH; s < (epoch + 1) * EPOCH; s++) {
        address expected = committee[uint256(keccak256(abi.encode(epoch, s, seed))) % 4];
        assertEq(rollup.getProposerAt(rollup.getTimestampForSlot(s)), expected, "proposer formula");
      }
      assertEq(rollup.getCurrentProposer(), committee[uint256(keccak256(abi.encode(epoch, epoch * EPOCH, seed))) % 4], "current");
      assertEq(rollup.getCurrentEpochCommittee(), committee, "current committee");
    }
  }

  function test_seeds() public {
    vm.prevrandao(bytes32(uint256(111)));
    _deploy(2, 4);
    uint256 genesisSeed = uint256(keccak256(abi.encode(uint256(0), uint256(111))));
    assertEq(rollup.getSampleSeed(0), genesisSeed, "seed 0");
    assertEq(rollup.getSampleSeed(1), genesisSeed, "seed 1");
    assertEq(rollup.getSampleSeed(2), genesisSeed, "no checkpoint for 2 yet");

    vm.prevrandao(bytes32(uint256(222)));
    rollup.setupEpoch(); // epoch 0 → seed(2)
    uint256 seed2 = uint256(keccak256(abi.encode(uint256(2), uint256(222))));
    assertEq(rollup.getSampleSeed(2), seed2, "seed 2 from prevrandao during epoch 0");
    vm.prevrandao(bytes32(uint256(333)));
    rollup.setupEpoch();
    assertEq(rollup.getSampleSeed(2), seed2, "seed 2 is stored once");

    // No setupEpoch in epochs 1..4; in epoch 5 it stores seed(7). Epochs 3..6 keep seed(2).
    _warpToSlot(5 * EPOCH);
    vm.prevrandao(bytes32(uint256(444)));
    rollup.setupEpoch();
    assertEq(rollup.getSampleSeed(6), seed2, "last checkpoint <= 6 is 2");
    assertEq(rollup.getSampleSeed(7), uint256(keccak256(abi.encode(uint256(7), uint256(444)))), "seed 7");
    assertEq(rollup.getSampleSeed(100), rollup.getSampleSeed(7), "later epochs use the last seed");
  }

  function test_storedCommitteeMatchesComputed() public {
    _warpToSlot(EPOCH);
    address[] memory computed = rollup.getEpochCommittee(1);
    rollup.setupEpoch();
    assertEq(rollup.getEpochCommittee(1), computed, "stored == computed");
  }
}
