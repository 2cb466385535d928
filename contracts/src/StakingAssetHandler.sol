// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IMintableERC20} from "./interfaces/IMintableERC20.sol";
import {IRollup} from "./interfaces/IRollup.sol";
import {Errors} from "./libraries/Errors.sol";
import {MerkleLib} from "./libraries/MerkleLib.sol";

/**
 * @title StakingAssetHandler
 * @notice A faucet for validators: mints `MINIMUM_STAKE` of the staking asset and deposits it for a new attester,
 *         rate limited, optionally only for callers who prove their node is synced with an archive sibling path.
 * @dev Must be a minter of the staking asset.
 */
contract StakingAssetHandler is Ownable {
  IRollup public immutable ROLLUP;
  IMintableERC20 public immutable STAKING_ASSET;

  address public withdrawer;
  uint256 public mintInterval;
  uint256 public recencyWindow;
  bool public requireSyncProof;
  uint256 public lastMintTimestamp;
  mapping(address => bool) public isUnhinged;

  event ValidatorAdded(address indexed attester, address indexed proposer, address indexed withdrawer);
  event WithdrawerUpdated(address withdrawer);
  event MintIntervalUpdated(uint256 mintInterval);
  event RecencyWindowUpdated(uint256 recencyWindow);
  event RequireSyncProofUpdated(bool requireSyncProof);
  event UnhingedUpdated(address indexed account, bool unhinged);

  constructor(
    address owner,
    IRollup rollup,
    address withdrawer_,
    uint256 mintInterval_,
    uint256 recencyWindow_,
    bool requireSyncProof_
  ) Ownable(owner) {
    ROLLUP = rollup;
    STAKING_ASSET = IMintableERC20(address(rollup.STAKING_ASSET()));
    withdrawer = withdrawer_;
    mintInterval = mintInterval_;
    recencyWindow = recencyWindow_;
    requireSyncProof = requireSyncProof_;
  }

  /** @notice Mints and deposits a minimum stake for `attester`; closed when a sync proof is required. */
  function addValidator(address attester, address proposer) external {
    bool unhinged = isUnhinged[msg.sender];
    if (requireSyncProof && !unhinged) revert Errors.StakingAssetHandler__SyncProofRequired();
    _addValidator(attester, proposer, unhinged);
  }

  /**
   * @notice Like `addValidator`, after checking that `archivePath` proves block `blockNumber`'s header hash at
   *         leaf `blockNumber` of the archive tree whose root is `archiveAt(blockNumber)`, for a recent block.
   */
  function addValidatorWithSyncProof(
    address attester,
    address proposer,
    uint256 blockNumber,
    bytes32[] calldata archivePath
  ) external {
    uint256 pending = ROLLUP.getPendingBlockNumber();
    if (blockNumber > pending) revert Errors.StakingAssetHandler__BlockNotFound(blockNumber, pending);
    if (blockNumber + recencyWindow < pending) {
      revert Errors.StakingAssetHandler__BlockTooOld(blockNumber, pending, recencyWindow);
    }
    bytes32 archive = ROLLUP.archiveAt(blockNumber);
    bytes32 computed = MerkleLib.computeRoot(ROLLUP.getBlock(blockNumber).headerHash, blockNumber, archivePath);
    if (computed != archive) revert Errors.StakingAssetHandler__InvalidSyncProof(blockNumber, archive, computed);
    _addValidator(attester, proposer, isUnhinged[msg.sender]);
  }

  /** @notice Owner only: withdrawer recorded for new validators. */
  function setWithdrawer(address withdrawer_) external onlyOwner {
    withdrawer = withdrawer_;
    emit WithdrawerUpdated(withdrawer_);
  }

  /** @notice Owner only: minimum seconds between two mints by rate-limited callers. */
  function setMintInterval(uint256 mintInterval_) external onlyOwner {
    mintInterval = mintInterval_;
    emit MintIntervalUpdated(mintInterval_);
  }

  /** @notice Owner only: how many blocks behind the pending tip a sync proof may be. */
  function setRecencyWindow(uint256 recencyWindow_) external onlyOwner {
    recencyWindow = recencyWindow_;
    emit RecencyWindowUpdated(recencyWindow_);
  }

  /** @notice Owner only: whether `addValidator` without a sync proof is closed. */
  function setRequireSyncProof(bool requireSyncProof_) external onlyOwner {
    requireSyncProof = requireSyncProof_;
    emit RequireSyncProofUpdated(requireSyncProof_);
  }

  /** @notice Owner only: exempts `account` from the rate limit and the sync-proof requirement. */
  function setUnhinged(address account, bool unhinged) external onlyOwner {
    isUnhinged[account] = unhinged;
    emit UnhingedUpdated(account, unhinged);
  }

  function _addValidator(address attester, address proposer, bool unhinged) internal {
    if (!unhinged) {
      // forge-lint: disable-next-line(block-timestamp)
      if (block.timestamp < lastMintTimestamp + mintInterval) {
        revert Errors.StakingAssetHandler__NotEnoughTimeSinceLastMint(lastMintTimestamp, mintInterval);
      }
      lastMintTimestamp = block.timestamp;
    }
    uint256 amount = ROLLUP.MINIMUM_STAKE();
    STAKING_ASSET.mint(address(this), amount);
    STAKING_ASSET.approve(address(ROLLUP), amount);
    ROLLUP.deposit(attester, proposer, withdrawer, amount);
    emit ValidatorAdded(attester, proposer, withdrawer);
  }
}
