// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Slasher, SlasherConfig} from "../src/Slasher.sol";
import {ISlashPayload, SlashAction, SlashPayload} from "../src/SlashPayload.sol";
import {IRollup, Status} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

/// @notice Slashing by proposer votes: rounds of 4 slots, quorum 3, one round of delay, two rounds of lifetime.
contract SlashingVotesTest is RollupTestBase {
  uint256 internal constant ROUND = 4;
  uint256 internal constant AMOUNT = 50e18;
  address internal vetoer = address(0x7E70);
  Slasher internal slasher;
  SlashPayload internal payload;
  address internal target;

  function setUp() public {
    _deploy(4, 4);
    slasher = new Slasher(
      IRollup(address(rollup)),
      SlasherConfig({
        penalty: 10e18,
        reporterRewardBps: 1_000,
        quorum: 3,
        roundSize: ROUND,
        executionDelayRounds: 1,
        lifetimeRounds: 2,
        vetoer: vetoer
      })
    );
    vm.prank(owner);
    rollup.setSlasher(address(slasher));
    target = rollup.getAttesters()[2];
    SlashAction[] memory actions = new SlashAction[](2);
    actions[0] = SlashAction(target, AMOUNT);
    actions[1] = SlashAction(address(0xDEAD), AMOUNT); // not an attester: skipped
    payload = new SlashPayload(actions);
  }

  function _proposerNow() internal view returns (address) {
    return rollup.getProposerForAttester(rollup.getCurrentProposer());
  }

  /// @dev The proposers of the first `n` slots of round `round` signal `p`.
  function _signal(uint256 round, uint256 n, ISlashPayload p) internal {
    for (uint256 i = 0; i < n; i++) {
      _warpToSlot(round * ROUND + i);
      vm.prank(_proposerNow());
      slasher.signal(p);
    }
  }

  function test_quorumExecutesAfterTheDelayAndSlashes() public {
    _signal(1, 3, payload);
    assertEq(slasher.signalCount(1, address(payload)), 3, "three signals");
    (address leader,) = slasher.getRound(1);
    assertEq(leader, address(payload), "leader");

    _warpToSlot(3 * ROUND);
    vm.expectEmit(true, true, false, true, address(slasher));
    emit Slasher.VotedSlash(1, target, AMOUNT);
    vm.expectEmit(true, true, false, false, address(slasher));
    emit Slasher.RoundExecuted(1, address(payload));
    slasher.executeRound(1);
    assertEq(rollup.getInfo(target).stake, MIN_STAKE - AMOUNT, "stake reduced");
    assertTrue(rollup.getInfo(target).status == Status.EXITING, "below the minimum: exiting");
    (, bool executed) = slasher.getRound(1);
    assertTrue(executed, "executed");

    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__RoundAlreadyExecuted.selector, 1));
    slasher.executeRound(1);
  }

  function test_revertWhen_executedDuringTheDelay() public {
    _signal(1, 3, payload);
    _warpToSlot(2 * ROUND + 3);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__RoundNotExecutable.selector, 1, 3, 2));
    slasher.executeRound(1);
  }

  function test_revertWhen_expired() public {
    _signal(1, 3, payload);
    _warpToSlot(5 * ROUND);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__RoundExpired.selector, 1, 4, 5));
    slasher.executeRound(1);
    assertEq(rollup.getInfo(target).stake, MIN_STAKE, "not slashed");
  }

  function test_revertWhen_quorumNotReached() public {
    _signal(1, 2, payload);
    _warpToSlot(3 * ROUND);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__QuorumNotReached.selector, 1, address(payload), 2, 3));
    slasher.executeRound(1);
  }

  function test_vetoStopsExecution() public {
    _signal(1, 3, payload);
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__NotVetoer.selector, vetoer, address(0xBAD)));
    slasher.veto(address(payload));
    vm.prank(vetoer);
    slasher.veto(address(payload));
    assertTrue(slasher.isVetoed(address(payload)), "vetoed");
    _warpToSlot(3 * ROUND);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__PayloadVetoed.selector, address(payload)));
    slasher.executeRound(1);
    assertEq(rollup.getInfo(target).stake, MIN_STAKE, "not slashed");
  }

  function test_revertWhen_notTheProposerOrTwicePerSlot() public {
    _warpToSlot(ROUND);
    address proposer = _proposerNow();
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__OnlyProposerCanSignal.selector, proposer, address(0xBAD)));
    slasher.signal(payload);
    vm.prank(proposer);
    slasher.signal(payload);
    assertTrue(slasher.hasSignalled(ROUND), "signalled");
    vm.prank(proposer);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__SignalAlreadyCastForSlot.selector, ROUND));
    slasher.signal(payload);
    vm.prank(proposer);
    vm.expectRevert(Errors.Slasher__InvalidPayload.selector);
    slasher.signal(ISlashPayload(address(0)));
  }

  function test_theLeaderIsTheFirstToReachTheTopCount() public {
    SlashAction[] memory none = new SlashAction[](0);
    SlashPayload other = new SlashPayload(none);
    _warpToSlot(ROUND);
    vm.prank(_proposerNow());
    slasher.signal(other);
    _warpToSlot(ROUND + 1);
    vm.prank(_proposerNow());
    slasher.signal(payload);
    (address leader,) = slasher.getRound(1);
    assertEq(leader, address(other), "a tie keeps the first leader");
    _warpToSlot(ROUND + 2);
    vm.prank(_proposerNow());
    slasher.signal(payload);
    (leader,) = slasher.getRound(1);
    assertEq(leader, address(payload), "more signals lead");
  }

  function test_aPayloadFromTheSlashersFactoryIsVotedAndExecuted() public {
    SlashAction[] memory actions = new SlashAction[](1);
    actions[0] = SlashAction(target, AMOUNT);
    address predicted = slasher.SLASH_FACTORY().getAddress(actions, 0);
    ISlashPayload made = ISlashPayload(slasher.SLASH_FACTORY().createPayload(actions, 0));
    assertEq(address(made), predicted, "at the predicted address");
    _signal(1, 3, made);
    _warpToSlot(3 * ROUND);
    slasher.executeRound(1);
    assertEq(rollup.getInfo(target).stake, MIN_STAKE - AMOUNT, "slashed");
  }

  function test_revertWhen_aPayloadThatWonTwoRoundsIsExecutedTwice() public {
    _signal(1, 3, payload);
    _signal(2, 3, payload);
    _warpToSlot(3 * ROUND);
    slasher.executeRound(1);
    assertTrue(slasher.isPayloadExecuted(address(payload)), "executed");
    _warpToSlot(4 * ROUND);
    vm.expectRevert(abi.encodeWithSelector(Errors.Slasher__PayloadAlreadyExecuted.selector, address(payload)));
    slasher.executeRound(2);
    assertEq(rollup.getInfo(target).stake, MIN_STAKE - AMOUNT, "slashed once");
  }
}
