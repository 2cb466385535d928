// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IEpochProofVerifier} from "../src/interfaces/IEpochProofVerifier.sol";
import {IRollup} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {Header} from "../src/libraries/HeaderLib.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract RejectingVerifier is IEpochProofVerifier {
  function verify(bytes calldata, bytes32[] calldata) external pure returns (bool) {
    return false;
  }
}

contract ProofTest is RollupTestBase {
  function setUp() public {
    _deploy(4, 4);
    // Epoch 0: blocks 1 and 2 (slots 0 and 1); epoch 1: block 3 (slot 4).
    _proposeAtSlot(0);
    _proposeAtSlot(1);
    _proposeAtSlot(4);
  }

  function _prove(uint256 start, uint256 end, uint256 epoch) internal {
    rollup.submitEpochRootProof(start, end, _publicInputs(start, end, epoch), "");
  }

  function test_proveEpochPaysRewards() public {
    feeAsset.mint(address(rollup), 3 * REWARD);
    _warpToSlot(5);
    vm.expectEmit(true, true, false, true, address(rollup));
    emit IRollup.L2ProofVerified(2, PROVER_ID);
    _prove(1, 2, 0);
    assertEq(rollup.getProvenBlockNumber(), 2, "proven tip");
    assertEq(feeAsset.balanceOf(rollup.getBlock(1).coinbase), REWARD, "coinbase of block 1 paid");
    assertEq(feeAsset.balanceOf(rollup.getBlock(2).coinbase), REWARD, "coinbase of block 2 paid");
    assertEq(feeAsset.balanceOf(address(rollup)), REWARD, "rest stays");
  }

  function test_proofWithoutRewardFundsStillProves() public {
    _warpToSlot(5);
    _prove(1, 2, 0);
    assertEq(rollup.getProvenBlockNumber(), 2, "proven tip");
    assertEq(feeAsset.balanceOf(rollup.getBlock(1).coinbase), 0, "nothing to pay");
  }

  function test_proofAtLastSlotOfWindow() public {
    _warpToSlot(EPOCH + WINDOW - 1);
    _prove(1, 2, 0);
    assertEq(rollup.getProvenBlockNumber(), 2, "proven at the last slot of the window");
  }

  function test_revertWhen_lateProof() public {
    uint256 deadline = EPOCH + WINDOW;
    _warpToSlot(deadline);
    bytes32[] memory inputs = _publicInputs(1, 2, 0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__ProofWindowPassed.selector, 0, deadline, deadline));
    rollup.submitEpochRootProof(1, 2, inputs, "");
  }

  function test_revertWhen_epochNotEnded() public {
    _warpToSlot(3);
    bytes32[] memory inputs = _publicInputs(1, 2, 0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__EpochNotEnded.selector, 0, 0));
    rollup.submitEpochRootProof(1, 2, inputs, "");
  }

  function test_revertWhen_partialEpoch() public {
    _warpToSlot(5);
    bytes32[] memory inputs = _publicInputs(1, 1, 0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__EpochIncomplete.selector, 0, 2));
    rollup.submitEpochRootProof(1, 1, inputs, "");
  }

  function test_revertWhen_proofSpansEpochs() public {
    _warpToSlot(9);
    bytes32[] memory inputs = _publicInputs(1, 3, 0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__ProofSpansEpochs.selector, 0, 1));
    rollup.submitEpochRootProof(1, 3, inputs, "");
  }

  function test_revertWhen_badRange() public {
    _warpToSlot(5);
    bytes32[] memory inputs = _publicInputs(2, 2, 0);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidProofStart.selector, 1, 2));
    rollup.submitEpochRootProof(2, 2, inputs, "");
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidProofEnd.selector, 1, 3, 4));
    rollup.submitEpochRootProof(1, 4, inputs, "");
  }

  function test_revertWhen_wrongPublicInputs() public {
    _warpToSlot(5);
    bytes32[] memory inputs = _publicInputs(1, 2, 0);
    bytes32 good = inputs[0];
    inputs[0] = bytes32(uint256(1));
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidPublicInput.selector, 0, good, inputs[0]));
    rollup.submitEpochRootProof(1, 2, inputs, "");

    inputs = _publicInputs(1, 2, 0);
    good = inputs[1];
    inputs[1] = rollup.archiveAt(1); // the archive of a block inside the epoch, not its end
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidPublicInput.selector, 1, good, inputs[1]));
    rollup.submitEpochRootProof(1, 2, inputs, "");

    inputs = _publicInputs(1, 2, 1);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.Rollup__InvalidPublicInput.selector, 2, bytes32(0), bytes32(uint256(1)))
    );
    rollup.submitEpochRootProof(1, 2, inputs, "");

    bytes32[] memory short = new bytes32[](3);
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidPublicInputsLength.selector, 4, 3));
    rollup.submitEpochRootProof(1, 2, short, "");
    assertEq(rollup.getProvenBlockNumber(), 0, "nothing proven");
  }

  function test_revertWhen_verifierRejects() public {
    _deployWith(4, 4, new RejectingVerifier());
    _proposeAtSlot(0);
    _warpToSlot(EPOCH);
    bytes32[] memory inputs = _publicInputs(1, 1, 0);
    vm.expectRevert(Errors.Rollup__InvalidProof.selector);
    rollup.submitEpochRootProof(1, 1, inputs, "proof");
  }

  function test_prune() public {
    _warpToSlot(EPOCH + WINDOW - 1);
    assertTrue(!rollup.canPruneAtTime(block.timestamp), "window still open");
    vm.expectRevert(Errors.Rollup__NothingToPrune.selector);
    rollup.prune();

    _warpToSlot(EPOCH + WINDOW);
    assertTrue(rollup.canPruneAtTime(block.timestamp), "window passed");
    vm.expectEmit(false, false, false, true, address(rollup));
    emit IRollup.PrunedPending(0, 3);
    rollup.prune();
    assertEq(rollup.getPendingBlockNumber(), 0, "pending falls back to proven");
    assertEq(rollup.archiveAt(1), bytes32(0), "pruned archive gone");

    assertTrue(!rollup.canPruneAtTime(block.timestamp), "nothing left to prune");
    vm.expectRevert(Errors.Rollup__NothingToPrune.selector);
    rollup.prune();
  }

  function test_pruneKeepsProvenEpoch() public {
    _warpToSlot(5);
    _prove(1, 2, 0);
    // Epoch 1 (block 3) has its window until slot 2 * EPOCH + WINDOW.
    _warpToSlot(2 * EPOCH + WINDOW - 1);
    vm.expectRevert(Errors.Rollup__NothingToPrune.selector);
    rollup.prune();
    _warpToSlot(2 * EPOCH + WINDOW);
    vm.expectEmit(false, false, false, true, address(rollup));
    emit IRollup.PrunedPending(2, 3);
    rollup.prune();
    assertEq(rollup.getPendingBlockNumber(), 2, "back to the proven tip");
    assertEq(rollup.getProvenBlockNumber(), 2, "proven unchanged");
  }

  function test_autoPruneInProposeThenRePropose() public {
    uint256 slot = EPOCH + WINDOW;
    _warpToSlot(slot);
    Header memory h = _headerFor(1, slot);
    h.contentCommitment.outHash = bytes32(uint256(0xabc));
    Proposal memory p = _finalize(h);
    vm.expectEmit(false, false, false, true, address(rollup));
    emit IRollup.PrunedPending(0, 3);
    _proposeOk(p);
    assertEq(rollup.getPendingBlockNumber(), 1, "new block 1 after the prune");
    assertEq(rollup.getBlock(1).slotNumber, slot, "block 1 is the new one");
    assertEq(outbox.getRootData(1), bytes32(uint256(0xabc)), "outbox root overwritten");

    // The chain continues and its new epoch can be proven.
    _proposeAtSlot(slot + 1);
    _warpToSlot(slot + EPOCH);
    _prove(1, 2, slot / EPOCH);
    assertEq(rollup.getProvenBlockNumber(), 2, "re-proposed blocks proven");
  }

  function test_revertWhen_proposingOnPrunedTip() public {
    uint256 slot = EPOCH + WINDOW;
    _warpToSlot(slot);
    // Built on the old tip (block 3): after the automatic prune the tip is genesis again.
    Proposal memory p = _finalize(_headerFor(4, slot));
    vm.expectRevert(abi.encodeWithSelector(Errors.Rollup__InvalidBlockNumber.selector, 1, 4));
    _submit(p);
  }
}
