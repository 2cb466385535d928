// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {GovernanceProposer} from "../src/GovernanceProposer.sol";
import {Registry} from "../src/Registry.sol";
import {StakingAssetHandler} from "../src/StakingAssetHandler.sol";
import {IRegistry} from "../src/interfaces/IRegistry.sol";
import {AttesterInfo, Status} from "../src/interfaces/IRollup.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {MerkleLib} from "../src/libraries/MerkleLib.sol";
import {RollupTestBase} from "./utils/RollupTestBase.sol";

contract RegistryTest is RollupTestBase {
  Registry internal registry;

  function setUp() public {
    _deploy(0, 4);
    registry = new Registry(owner);
  }

  function test_registry() public {
    vm.expectRevert(Errors.Registry__NoRollup.selector);
    registry.getCanonicalRollup();
    vm.prank(owner);
    vm.expectEmit(true, true, false, true, address(registry));
    emit IRegistry.InstanceAdded(address(rollup), VERSION);
    registry.addRollup(address(rollup));
    assertEq(registry.getCanonicalRollup(), address(rollup), "canonical");
    assertEq(registry.getRollup(VERSION), address(rollup), "by version");
    assertEq(registry.numberOfVersions(), 1, "versions");
    assertEq(registry.getVersion(0), VERSION, "first version");
    vm.expectRevert(abi.encodeWithSelector(Errors.Registry__RollupNotRegistered.selector, VERSION + 1));
    registry.getRollup(VERSION + 1);
    vm.prank(owner);
    vm.expectRevert(abi.encodeWithSelector(Errors.Registry__RollupAlreadyRegistered.selector, VERSION));
    registry.addRollup(address(rollup));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(this)));
    registry.addRollup(address(rollup));
  }
}

contract TokenTest is RollupTestBase {
  function setUp() public {
    _deploy(0, 4);
  }

  function test_tokens() public {
    assertEq(keccak256(bytes(stakingAsset.symbol())), keccak256("TST"), "staking symbol");
    assertEq(keccak256(bytes(stakingAsset.name())), keccak256("Staking Asset"), "staking name");
    assertEq(keccak256(bytes(feeAsset.symbol())), keccak256("FEE"), "fee symbol");
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Errors.MintableERC20__NotMinter.selector, address(0xBAD)));
    stakingAsset.mint(address(0xBAD), 1);
    vm.prank(address(0xBAD));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xBAD)));
    feeAsset.addMinter(address(0xBAD));
    stakingAsset.mint(address(0xB0B), 7);
    assertEq(stakingAsset.balanceOf(address(0xB0B)), 7, "minter mints");
    vm.prank(owner);
    stakingAsset.removeMinter(address(this));
    vm.expectRevert(abi.encodeWithSelector(Errors.MintableERC20__NotMinter.selector, address(this)));
    stakingAsset.mint(address(0xB0B), 7);
  }
}

contract GovernanceProposerTest is RollupTestBase {
  GovernanceProposer internal gov;
  address internal constant PAYLOAD = address(0x9A710AD);

  function setUp() public {
    _deploy(4, 4);
    gov = new GovernanceProposer(rollup, 3, 4);
  }

  function _slotProposer() internal view returns (address) {
    return rollup.getProposerForAttester(rollup.getCurrentProposer());
  }

  function _signalAt(uint256 slot, address payload) internal {
    _warpToSlot(slot);
    vm.prank(_slotProposer());
    gov.signal(payload);
  }

  function test_signalOnlyByProposerOncePerSlot() public {
    address proposer = _slotProposer();
    vm.prank(address(0xBAD));
    vm.expectRevert(
      abi.encodeWithSelector(Errors.GovernanceProposer__OnlyProposerCanSignal.selector, proposer, address(0xBAD))
    );
    gov.signal(PAYLOAD);

    vm.prank(proposer);
    vm.expectEmit(true, true, true, true, address(gov));
    emit GovernanceProposer.SignalCast(PAYLOAD, 0, proposer);
    gov.signal(PAYLOAD);
    assertEq(gov.signalCount(0, PAYLOAD), 1, "one signal");

    vm.prank(proposer);
    vm.expectRevert(abi.encodeWithSelector(Errors.GovernanceProposer__SignalAlreadyCastForSlot.selector, 0));
    gov.signal(PAYLOAD);
  }

  function test_executeProposalWithQuorum() public {
    _signalAt(0, PAYLOAD);
    _signalAt(1, PAYLOAD);
    _signalAt(2, address(0x0DD));
    _signalAt(3, PAYLOAD);
    vm.expectRevert(abi.encodeWithSelector(Errors.GovernanceProposer__RoundNotEnded.selector, 0, 0));
    gov.executeProposal(0);

    _warpToSlot(4);
    vm.expectEmit(true, true, false, true, address(gov));
    emit GovernanceProposer.ProposalExecuted(PAYLOAD, 0);
    uint256 id = gov.executeProposal(0);
    assertEq(id, 0, "first proposal");
    assertEq(gov.proposalCount(), 1, "recorded");
    assertEq(gov.getProposal(0), PAYLOAD, "payload");
    vm.expectRevert(abi.encodeWithSelector(Errors.GovernanceProposer__ProposalAlreadyExecuted.selector, 0));
    gov.executeProposal(0);
  }

  function test_revertWhen_quorumNotReached() public {
    _signalAt(4, PAYLOAD);
    _signalAt(5, PAYLOAD);
    _signalAt(6, address(0x0DD));
    _warpToSlot(8);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.GovernanceProposer__QuorumNotReached.selector, 1, PAYLOAD, 2, 3)
    );
    gov.executeProposal(1);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.GovernanceProposer__QuorumNotReached.selector, 0, address(0), 0, 3)
    );
    gov.executeProposal(0);
  }

  function test_revertWhen_badConfig() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.GovernanceProposer__InvalidConfig.selector, 2, 4));
    new GovernanceProposer(rollup, 2, 4);
  }
}

contract StakingAssetHandlerTest is RollupTestBase {
  StakingAssetHandler internal handler;
  address internal constant WITHDRAWER = address(0x3D3D);
  uint256 internal constant INTERVAL = 1 hours;

  function setUp() public {
    _deploy(4, 4);
    handler = new StakingAssetHandler(owner, rollup, WITHDRAWER, INTERVAL, 1, false);
    vm.prank(owner);
    stakingAsset.addMinter(address(handler));
  }

  function test_addValidatorRateLimited() public {
    vm.warp(block.timestamp + INTERVAL);
    handler.addValidator(address(0xA7), address(0xB7));
    AttesterInfo memory info = rollup.getInfo(address(0xA7));
    assertTrue(info.status == Status.VALIDATING, "deposited");
    assertEq(info.withdrawer, WITHDRAWER, "handler's withdrawer");
    assertEq(info.proposer, address(0xB7), "proposer");
    assertEq(info.stake, MIN_STAKE, "minimum stake");

    uint256 last = block.timestamp;
    vm.warp(last + INTERVAL - 1);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.StakingAssetHandler__NotEnoughTimeSinceLastMint.selector, last, INTERVAL)
    );
    handler.addValidator(address(0xA8), address(0xB8));

    vm.warp(last + INTERVAL);
    handler.addValidator(address(0xA8), address(0xB8));
    assertEq(rollup.getAttesterCount(), 6, "two added");
  }

  function test_unhingedBypassesLimits() public {
    vm.prank(owner);
    handler.setUnhinged(address(this), true);
    vm.prank(owner);
    handler.setRequireSyncProof(true);
    handler.addValidator(address(0xA7), address(0xB7));
    handler.addValidator(address(0xA8), address(0xB8));
    assertEq(rollup.getAttesterCount(), 6, "no rate limit, no sync proof");
  }

  function test_revertWhen_syncProofRequired() public {
    vm.prank(owner);
    handler.setRequireSyncProof(true);
    vm.warp(block.timestamp + INTERVAL);
    vm.expectRevert(Errors.StakingAssetHandler__SyncProofRequired.selector);
    handler.addValidator(address(0xA7), address(0xB7));
  }

  function test_syncProof() public {
    vm.prank(owner);
    handler.setRequireSyncProof(true);
    _proposeAtSlot(0);
    _proposeAtSlot(1);
    _proposeAtSlot(2);
    vm.warp(block.timestamp + INTERVAL);

    // Archive after block 2 has leaves 0..2; block 2's header hash is leaf 2.
    bytes32[] memory leaves = new bytes32[](3);
    for (uint256 i = 0; i < 3; i++) leaves[i] = archiveLeaves[i];
    (bytes32 archive2, bytes32[] memory path) = _treeWalk(leaves, 2);
    assertEq(archive2, rollup.archiveAt(2), "test archive matches the chain");
    assertEq(path.length, 29, "height-29 path");

    bytes32[] memory bad = new bytes32[](29);
    for (uint256 i = 0; i < 29; i++) bad[i] = path[i];
    bad[0] = bytes32(uint256(1));
    bytes32 computed = MerkleLib.computeRoot(archiveLeaves[2], 2, bad);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.StakingAssetHandler__InvalidSyncProof.selector, 2, archive2, computed)
    );
    handler.addValidatorWithSyncProof(address(0xA7), address(0xB7), 2, bad);

    vm.expectRevert(abi.encodeWithSelector(Errors.StakingAssetHandler__BlockTooOld.selector, 1, 3, 1));
    handler.addValidatorWithSyncProof(address(0xA7), address(0xB7), 1, path);

    // Block 2's path offered for block 1 (recent enough now) does not verify.
    vm.prank(owner);
    handler.setRecencyWindow(2);
    computed = MerkleLib.computeRoot(archiveLeaves[1], 1, path);
    vm.expectRevert(
      abi.encodeWithSelector(Errors.StakingAssetHandler__InvalidSyncProof.selector, 1, rollup.archiveAt(1), computed)
    );
    handler.addValidatorWithSyncProof(address(0xA7), address(0xB7), 1, path);
    vm.expectRevert(abi.encodeWithSelector(Errors.StakingAssetHandler__BlockNotFound.selector, 4, 3));
    handler.addValidatorWithSyncProof(address(0xA7), address(0xB7), 4, path);

    handler.addValidatorWithSyncProof(address(0xA7), address(0xB7), 2, path);
    assertTrue(rollup.getInfo(address(0xA7)).status == Status.VALIDATING, "deposited with a sync proof");
  }
}
