// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Rollup} from "../src/Rollup.sol";
import {IRollup, RollupConfig} from "../src/interfaces/IRollup.sol";
import {IEpochProofVerifier} from "../src/interfaces/IEpochProofVerifier.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {FeeInputs, FeeLib, L1FeeSnapshot} from "../src/libraries/FeeLib.sol";
import {GasFees, Header} from "../src/libraries/HeaderLib.sol";
import {MockVerifier} from "../src/mocks/MockVerifier.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

/// @notice docs/fees.md, rule by rule: snapshots of L1's prices, the fee formula, congestion, and `propose`'s check.
contract FeesTest is RollupTestBase {
  uint256 internal constant GWEI = 1e9;

  function setUp() public {
    vm.fee(3 * GWEI);
    _deploy(4, 4);
  }

  function _fees(uint256 l1BaseFee, uint256 blobFee, uint256 excess) internal pure returns (GasFees memory g) {
    (g.feePerDaGas, g.feePerL2Gas) = FeeLib.baseFees(FeeInputs(l1BaseFee, blobFee, excess));
  }

  function _at(uint256 slot) internal view returns (GasFees memory) {
    return rollup.getBaseFeesAt(rollup.getTimestampForSlot(slot));
  }

  function _assertFees(GasFees memory got, GasFees memory want, string memory what) internal pure {
    assertEq(got.feePerDaGas, want.feePerDaGas, string.concat(what, ": fee per DA gas"));
    assertEq(got.feePerL2Gas, want.feePerL2Gas, string.concat(what, ": fee per L2 gas"));
  }

  function _proposeWithMana(uint256 slot, uint256 mana) internal {
    _warpToSlot(slot);
    Header memory h = _nextHeader(slot);
    h.totalManaUsed = mana;
    _proposeOk(_finalize(h));
  }

  // ---------- the formula ----------

  function test_formula() public pure {
    // 300_000 L1 gas at 3 gwei over 1_000_000 mana: 900_000_000 wei per mana; a byte of blob at 5 wei.
    GasFees memory g = _fees(3 * GWEI, 5, 0);
    assertEq(g.feePerL2Gas, 900_000_000, "L2: L1 gas per block x base fee / mana target");
    assertEq(g.feePerDaGas, 5, "DA: blob gas per byte x blob base fee");
    // Rounded up: a positive L1 base fee never gives a free L2 gas.
    assertEq(_fees(1, 1, 0).feePerL2Gas, 1, "rounded up");
    assertEq(_fees(0, 0, 0).feePerL2Gas, 0, "zero L1 base fee");
  }

  function test_fakeExponential() public pure {
    assertEq(FeeLib.fakeExponential(1, 2, 1), 6, "e^2 ~ 6");
    assertEq(FeeLib.fakeExponential(38493, 0, 1000), 38493, "factor at zero");
    assertEq(FeeLib.fakeExponential(1, 4, 2), 6, "e^2 ~ 6");
    assertEq(FeeLib.congestionMultiplier(0), 1e9, "no excess: 1");
    assertEq(FeeLib.congestionMultiplier(FeeLib.CONGESTION_UPDATE_FRACTION), 2_718_281_828, "e");
    assertEq(FeeLib.congestionMultiplier(FeeLib.MANA_TARGET), 1_124_847_036, "one target of excess: +12.5%");
  }

  function test_congestionMultipliesL2Fee() public pure {
    GasFees memory base = _fees(3 * GWEI, 1, 0);
    GasFees memory congested = _fees(3 * GWEI, 1, FeeLib.CONGESTION_UPDATE_FRACTION);
    assertEq(congested.feePerL2Gas, (uint256(base.feePerL2Gas) * 2_718_281_828) / 1e9, "L2 fee times e");
    assertEq(congested.feePerDaGas, base.feePerDaGas, "DA fee is L1's blob price alone");
  }

  function test_excessMana() public pure {
    uint256 target = FeeLib.MANA_TARGET;
    assertEq(FeeLib.excessManaAfter(0, target), 0, "at target: none");
    assertEq(FeeLib.excessManaAfter(0, target / 2), 0, "below target: floored at zero");
    assertEq(FeeLib.excessManaAfter(0, 3 * target), 2 * target, "above target");
    assertEq(FeeLib.excessManaAfter(2 * target, 0), target, "an empty block drains one target");
    assertEq(FeeLib.excessManaAfter(0, type(uint256).max), FeeLib.MAX_EXCESS_MANA, "capped");
    assertEq(FeeLib.excessManaAfter(FeeLib.MAX_EXCESS_MANA, 2 * target), FeeLib.MAX_EXCESS_MANA, "stays capped");
  }

  function test_extremeInputsDoNotOverflow() public pure {
    uint256 max = type(uint256).max;
    GasFees memory g = _fees(max, max, max);
    assertEq(g.feePerL2Gas, type(uint128).max, "L2 fee capped at u128");
    assertEq(g.feePerDaGas, type(uint128).max, "DA fee capped at u128");
    GasFees memory m = _fees(1000 * GWEI, 1, FeeLib.MAX_EXCESS_MANA);
    assertGt(m.feePerL2Gas, 0, "max excess still computes");
  }

  function test_computeBaseFeesViewIsTheLibrary() public view {
    GasFees memory v = rollup.computeBaseFees(FeeInputs(7 * GWEI, 11, 3 * FeeLib.MANA_TARGET));
    _assertFees(v, _fees(7 * GWEI, 11, 3 * FeeLib.MANA_TARGET), "view");
  }

  // ---------- snapshots ----------

  function test_deploymentSnapshotPricesFirstSlots() public view {
    (L1FeeSnapshot memory previous, L1FeeSnapshot memory latest) = rollup.getL1FeeSnapshots();
    assertEq(latest.fromSlot, 0, "from slot 0");
    assertEq(latest.baseFee, 3 * GWEI, "deployment base fee");
    assertEq(latest.blobFee, 1, "deployment blob fee (forge's)");
    assertEq(previous.baseFee, latest.baseFee, "both the deployment's");
    _assertFees(_at(0), _fees(3 * GWEI, 1, 0), "slot 0");
    FeeInputs memory inputs = rollup.getFeeInputsAt(block.timestamp);
    assertEq(inputs.l1BaseFee, 3 * GWEI, "input base fee");
    assertEq(inputs.blobFee, 1, "input blob fee");
    assertEq(inputs.excessMana, 0, "input excess mana");
  }

  function test_snapshotAppliesFromNextSlot() public {
    _warpToSlot(2);
    vm.fee(40 * GWEI);
    vm.expectEmit(true, false, false, true, address(rollup));
    emit IRollup.L1FeeSnapshotTaken(2, 40 * GWEI, 1);
    rollup.updateL1FeeSnapshot();
    // The slot in progress keeps the fees its proposer saw; the next one uses the new prices.
    _assertFees(_at(2), _fees(3 * GWEI, 1, 0), "slot 2: old prices");
    _assertFees(_at(3), _fees(40 * GWEI, 1, 0), "slot 3: new prices");
    (, L1FeeSnapshot memory latest) = rollup.getL1FeeSnapshots();
    assertEq(latest.fromSlot, 3, "applies from slot 3");
  }

  function test_snapshotAtMostOncePerSlot() public {
    _warpToSlot(1);
    rollup.updateL1FeeSnapshot();
    vm.fee(99 * GWEI);
    vm.warp(block.timestamp + SLOT - 1);
    vm.recordLogs();
    rollup.updateL1FeeSnapshot();
    assertEq(vm.getRecordedLogs().length, 0, "no second snapshot in slot 1");
    _assertFees(_at(2), _fees(3 * GWEI, 1, 0), "slot 2 priced by slot 1's first snapshot");
    // The next slot takes a new one; slot 2 still reads the one before it.
    vm.warp(block.timestamp + 1);
    rollup.updateL1FeeSnapshot();
    _assertFees(_at(2), _fees(3 * GWEI, 1, 0), "slot 2 unchanged");
    _assertFees(_at(3), _fees(99 * GWEI, 1, 0), "slot 3 new");
  }

  function test_proposeTakesTheSnapshot() public {
    vm.fee(20 * GWEI);
    _proposeAtSlot(0);
    (, L1FeeSnapshot memory latest) = rollup.getL1FeeSnapshots();
    assertEq(latest.fromSlot, 1, "taken in slot 0");
    assertEq(latest.baseFee, 20 * GWEI, "at propose's base fee");
    _assertFees(_at(1), _fees(20 * GWEI, 1, 0), "prices slot 1");
    // Slot 1's block carries those fees and lands.
    _proposeAtSlot(1);
  }

  function test_snapshotBeforeGenesisIsANoOp() public {
    Rollup later = new Rollup(
      RollupConfig({
        stakingAsset: stakingAsset,
        feeAsset: feeAsset,
        verifier: IEpochProofVerifier(address(new MockVerifier())),
        genesisArchiveRoot: bytes32(0),
        genesisTime: block.timestamp + 100,
        slotDuration: SLOT,
        epochDuration: EPOCH,
        targetCommitteeSize: 4,
        proofSubmissionWindow: WINDOW,
        minimumStake: MIN_STAKE,
        exitDelay: EXIT_DELAY,
        version: VERSION,
        blockReward: 0,
        owner: owner
      })
    );
    vm.fee(50 * GWEI);
    later.updateL1FeeSnapshot();
    (, L1FeeSnapshot memory latest) = later.getL1FeeSnapshots();
    assertEq(latest.fromSlot, 0, "still the deployment's");
    assertEq(latest.baseFee, 3 * GWEI, "deployment base fee");
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__BeforeGenesis.selector, block.timestamp, block.timestamp + 100));
    later.getBaseFeesAt(block.timestamp);
    // At genesis the deployment's prices price slot 0, and slot 0's snapshot prices slot 1.
    vm.warp(block.timestamp + 100);
    later.updateL1FeeSnapshot();
    GasFees memory slot0 = later.getBaseFeesAt(block.timestamp);
    _assertFees(slot0, _fees(3 * GWEI, 1, 0), "slot 0");
    _assertFees(later.getBaseFeesAt(block.timestamp + SLOT), _fees(50 * GWEI, 1, 0), "slot 1");
  }

  // ---------- congestion over blocks ----------

  function test_excessManaFollowsBlocks() public {
    uint256 target = FeeLib.MANA_TARGET;
    _proposeWithMana(0, 3 * target);
    assertEq(rollup.getExcessMana(1), 2 * target, "after block 1");
    _assertFees(_at(1), _fees(3 * GWEI, 1, 2 * target), "block 2 priced with block 1's excess");
    _proposeWithMana(1, target / 2);
    assertEq(rollup.getExcessMana(2), 2 * target - target / 2, "after block 2");
    _proposeWithMana(2, 0);
    _proposeWithMana(3, 0);
    assertEq(rollup.getExcessMana(4), 0, "drained, floored at zero");
    _assertFees(_at(4), _fees(3 * GWEI, 1, 0), "no congestion");
  }

  function test_pruneFallsBackToProvenExcess() public {
    _proposeWithMana(0, 5 * FeeLib.MANA_TARGET);
    // Epoch 0's proof window closes at slot (0 + 1) * EPOCH + WINDOW; a block then builds on block 0 again.
    uint256 deadline = EPOCH + WINDOW;
    assertEq(rollup.getFeeInputsAt(rollup.getTimestampForSlot(deadline - 1)).excessMana, 4 * FeeLib.MANA_TARGET, "before");
    assertEq(rollup.getFeeInputsAt(rollup.getTimestampForSlot(deadline)).excessMana, 0, "after the prune");
    _warpToSlot(deadline);
    _proposeOk(_finalize(_headerFor(1, deadline)));
    assertEq(rollup.getExcessMana(1), 0, "re-proposed block 1 with little mana");
  }

  function test_getExcessManaBeyondTipReverts() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__BlockNotInPendingChain.selector, 1, 0));
    rollup.getExcessMana(1);
  }

  // ---------- propose checks the header's fees ----------

  function test_revertWhen_wrongFeePerL2Gas() public {
    Header memory h = _nextHeader(0);
    GasFees memory expected = GasFees(h.globalVariables.gasFees.feePerDaGas, h.globalVariables.gasFees.feePerL2Gas);
    h.globalVariables.gasFees.feePerL2Gas += 1;
    Proposal memory p = _finalize(h);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidBaseFees.selector, expected, h.globalVariables.gasFees)
    );
    _submit(p);
  }

  function test_revertWhen_wrongFeePerDaGas() public {
    Header memory h = _nextHeader(0);
    GasFees memory expected = GasFees(h.globalVariables.gasFees.feePerDaGas, h.globalVariables.gasFees.feePerL2Gas);
    h.globalVariables.gasFees.feePerDaGas = 0;
    Proposal memory p = _finalize(h);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidBaseFees.selector, expected, h.globalVariables.gasFees)
    );
    _submit(p);
  }

  function test_revertWhen_feesOfTheLandingL1Block() public {
    _proposeAtSlot(0);
    _warpToSlot(1);
    // L1's price moved within the slot: the block must still carry the snapshot's fees, not the current ones.
    vm.fee(30 * GWEI);
    Header memory h = _nextHeader(1);
    GasFees memory expected = GasFees(h.globalVariables.gasFees.feePerDaGas, h.globalVariables.gasFees.feePerL2Gas);
    h.globalVariables.gasFees = _fees(30 * GWEI, 1, 0);
    Proposal memory p = _finalize(h);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidBaseFees.selector, expected, h.globalVariables.gasFees)
    );
    _submit(p);
  }

  function test_revertWhen_feesIgnoreCongestion() public {
    _proposeWithMana(0, 4 * FeeLib.MANA_TARGET);
    _warpToSlot(1);
    Header memory h = _nextHeader(1);
    GasFees memory expected = GasFees(h.globalVariables.gasFees.feePerDaGas, h.globalVariables.gasFees.feePerL2Gas);
    h.globalVariables.gasFees = _fees(3 * GWEI, 1, 0);
    assertGt(expected.feePerL2Gas, h.globalVariables.gasFees.feePerL2Gas, "congestion raised the fee");
    Proposal memory p = _finalize(h);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidBaseFees.selector, expected, h.globalVariables.gasFees)
    );
    _submit(p);
  }
}
