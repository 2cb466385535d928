// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AttesterInfo, IStaking, Status, Validator} from "../interfaces/IRollup.sol";
import {Errors} from "../libraries/Errors.sol";
import {SnapshottedAddressSet} from "../libraries/SnapshottedAddressSet.sol";

/**
 * @title Staking
 * @notice Stake deposits and withdrawals over a snapshotted active attester set; the rollup samples committees
 *         from that set's history.
 */
abstract contract Staking is IStaking {
  using SafeERC20 for IERC20;
  using SnapshottedAddressSet for SnapshottedAddressSet.Set;

  IERC20 public immutable STAKING_ASSET;
  uint256 public immutable MINIMUM_STAKE;
  uint256 public immutable EXIT_DELAY;

  mapping(address attester => AttesterInfo) internal _info;
  mapping(address attester => address) internal _exitRecipient;
  SnapshottedAddressSet.Set internal _attesters;
  bool internal _everAdded;
  address internal _slasher;

  constructor(IERC20 stakingAsset, uint256 minimumStake, uint256 exitDelay) {
    STAKING_ASSET = stakingAsset;
    MINIMUM_STAKE = minimumStake;
    EXIT_DELAY = exitDelay;
  }

  /** @notice Stakes `amount` of the staking asset (pulled from the caller) for `attester`. */
  function deposit(address attester, address proposer, address withdrawer, uint256 amount) external {
    _beforeSetChange();
    _deposit(attester, proposer, withdrawer, amount, block.timestamp);
  }

  /** @notice Withdrawer only: removes `attester` from the active set now; stake claimable after `EXIT_DELAY`. */
  function initiateWithdraw(address attester, address recipient) external {
    _beforeSetChange();
    AttesterInfo storage info = _info[attester];
    if (info.status != Status.VALIDATING) revert Errors.Staking__NotValidating(attester);
    if (msg.sender != info.withdrawer) revert Errors.Staking__NotWithdrawer(info.withdrawer, msg.sender);
    if (recipient == address(0)) revert Errors.Staking__InvalidAddress();
    _exit(attester, info, recipient);
  }

  /**
   * @notice Slasher only: takes up to `amount` of `attester`'s stake (validating or exiting) and sends it to the
   *         slasher. An attester left below `MINIMUM_STAKE` exits as `initiateWithdraw` does, its remaining stake
   *         claimable by its withdrawer after `EXIT_DELAY`. Returns the amount taken.
   */
  function slash(address attester, uint256 amount) external returns (uint256 slashed) {
    address slasher = _slasher;
    if (slasher == address(0) || msg.sender != slasher) revert Errors.Staking__NotSlasher(slasher, msg.sender);
    AttesterInfo storage info = _info[attester];
    if (info.status == Status.NONE) revert Errors.Staking__NoStake(attester);
    _beforeSetChange();
    slashed = amount < info.stake ? amount : info.stake;
    info.stake -= slashed;
    emit Slashed(attester, slashed);
    if (info.status == Status.VALIDATING && info.stake < MINIMUM_STAKE) _exit(attester, info, info.withdrawer);
    STAKING_ASSET.safeTransfer(slasher, slashed);
  }

  /** @notice The only account allowed to `slash` (zero until set). */
  function getSlasher() external view returns (address) {
    return _slasher;
  }

  /** @notice Pays an exited attester's stake to its recipient once `exitableAt` is reached (anyone may call). */
  function finaliseWithdraw(address attester) external {
    AttesterInfo storage info = _info[attester];
    if (info.status != Status.EXITING) revert Errors.Staking__NotExiting(attester);
    // forge-lint: disable-next-line(block-timestamp)
    if (block.timestamp < info.exitableAt) {
      revert Errors.Staking__WithdrawalNotUnlocked(info.exitableAt, block.timestamp);
    }
    uint256 amount = info.stake;
    address recipient = _exitRecipient[attester];
    // The proposer stays recorded: committees frozen before the exit may still name this attester.
    info.stake = 0;
    info.status = Status.NONE;
    info.exitableAt = 0;
    delete _exitRecipient[attester];
    STAKING_ASSET.safeTransfer(recipient, amount);
    emit WithdrawFinalised(attester, recipient, amount);
  }

  /** @notice Staking record of `attester`. */
  function getInfo(address attester) external view returns (AttesterInfo memory) {
    return _info[attester];
  }

  /** @notice The current active set. */
  function getAttesters() external view returns (address[] memory) {
    return _attesters.values();
  }

  /** @notice Size of the current active set. */
  function getAttesterCount() external view returns (uint256) {
    return _attesters.length();
  }

  /** @notice Size of the active set as of the end of the last L1 block with timestamp < `ts`. */
  function attesterCountAt(uint256 ts) external view returns (uint256) {
    return _attesters.lengthAt(ts);
  }

  /** @notice Attester at `index` as of the end of the last L1 block with timestamp < `ts`. */
  function attesterAtIndexAt(uint256 index, uint256 ts) external view returns (address) {
    return _attesters.atIndexAt(index, ts);
  }

  /** @notice The L1 account allowed to publish blocks for `attester`. */
  function getProposerForAttester(address attester) public view returns (address) {
    return _info[attester].proposer;
  }

  /** @dev Stakes the genesis validators at key 0 so that they are sampled from epoch 0. */
  function _initialiseValidatorSet(Validator[] calldata validators) internal {
    if (_everAdded) revert Errors.Staking__ValidatorSetAlreadyInitialised();
    for (uint256 i = 0; i < validators.length; i++) {
      Validator calldata v = validators[i];
      _deposit(v.attester, v.proposer, v.withdrawer, v.amount, 0);
    }
  }

  /** @dev Sets the slasher, once. */
  function _setSlasher(address slasher) internal {
    if (slasher == address(0)) revert Errors.Staking__InvalidAddress();
    if (_slasher != address(0)) revert Errors.Staking__SlasherAlreadySet(_slasher);
    _slasher = slasher;
    emit SlasherSet(slasher);
  }

  /** @dev Leaves the active set now; the stake is claimable by `recipient` after `EXIT_DELAY`. */
  function _exit(address attester, AttesterInfo storage info, address recipient) private {
    info.status = Status.EXITING;
    info.exitableAt = block.timestamp + EXIT_DELAY;
    _exitRecipient[attester] = recipient;
    _attesters.remove(attester, block.timestamp);
    emit WithdrawInitiated(attester, recipient, info.stake);
  }

  /** @dev Hook run before a deposit or withdrawal changes the set (the rollup sets up the epoch). */
  function _beforeSetChange() internal virtual;

  function _deposit(address attester, address proposer, address withdrawer, uint256 amount, uint256 key) private {
    if (attester == address(0) || proposer == address(0) || withdrawer == address(0)) {
      revert Errors.Staking__InvalidAddress();
    }
    if (amount < MINIMUM_STAKE) revert Errors.Staking__InsufficientStake(MINIMUM_STAKE, amount);
    if (_info[attester].status != Status.NONE) revert Errors.Staking__AlreadyRegistered(attester);
    STAKING_ASSET.safeTransferFrom(msg.sender, address(this), amount);
    _info[attester] = AttesterInfo({
      proposer: proposer,
      withdrawer: withdrawer,
      stake: amount,
      status: Status.VALIDATING,
      exitableAt: 0
    });
    _attesters.add(attester, key);
    _everAdded = true;
    emit Deposit(attester, proposer, withdrawer, amount);
  }
}
