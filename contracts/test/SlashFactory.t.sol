// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SlashFactory} from "../src/SlashFactory.sol";
import {SlashAction, SlashPayload} from "../src/SlashPayload.sol";
import {Errors} from "../src/libraries/Errors.sol";
import {Test} from "./utils/Test.sol";

/// @notice The payload factory: one address per canonical list of actions, deployed once; rejections.
contract SlashFactoryTest is Test {
  SlashFactory internal factory;

  function setUp() public {
    factory = new SlashFactory();
  }

  function _actions(address a, uint256 x, address b, uint256 y) internal pure returns (SlashAction[] memory actions) {
    actions = new SlashAction[](2);
    actions[0] = SlashAction(a, x);
    actions[1] = SlashAction(b, y);
  }

  function test_deploysAtThePredictedAddressOnceAndReturnsItAgain() public {
    SlashAction[] memory actions = _actions(address(0x1111), 5e18, address(0x2222), 7e18);
    address predicted = factory.getAddress(actions, 7);
    assertEq(predicted.code.length, 0, "not there yet");
    vm.expectEmit(true, true, false, true, address(factory));
    emit SlashFactory.SlashPayloadCreated(predicted, 7, actions);
    address payload = factory.createPayload(actions, 7);
    assertEq(payload, predicted, "predicted address");
    assertGt(payload.code.length, 0, "deployed");
    SlashAction[] memory stored = SlashPayload(payload).getActions();
    assertEq(stored.length, 2, "two actions");
    assertEq(stored[0].attester, address(0x1111), "first attester");
    assertEq(stored[1].amount, 7e18, "second amount");

    // A second call (another node) gets the same payload and deploys nothing.
    vm.recordLogs();
    assertEq(factory.createPayload(actions, 7), payload, "same payload");
    assertEq(vm.getRecordedLogs().length, 0, "no second deployment");
  }

  function test_differentActionsOrTagsGetDifferentAddresses() public view {
    address a = factory.getAddress(_actions(address(0x1111), 5e18, address(0x2222), 7e18), 1);
    address b = factory.getAddress(_actions(address(0x1111), 5e18, address(0x2222), 8e18), 1);
    address c = factory.getAddress(_actions(address(0x1111), 5e18, address(0x3333), 7e18), 1);
    address d = factory.getAddress(_actions(address(0x1111), 5e18, address(0x2222), 7e18), 2);
    assertTrue(a != b && a != c && b != c && a != d, "distinct");
  }

  function test_revertWhen_noActions() public {
    vm.expectRevert(Errors.SlashFactory__NoActions.selector);
    factory.createPayload(new SlashAction[](0), 1);
  }

  function test_revertWhen_zeroAttester() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.SlashFactory__ZeroAttester.selector, 0));
    factory.createPayload(_actions(address(0), 5e18, address(0x2222), 7e18), 1);
  }

  function test_revertWhen_zeroAmount() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.SlashFactory__ZeroAmount.selector, 1));
    factory.createPayload(_actions(address(0x1111), 5e18, address(0x2222), 0), 1);
  }

  function test_revertWhen_notSorted() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.SlashFactory__NotSorted.selector, 1));
    factory.createPayload(_actions(address(0x2222), 5e18, address(0x1111), 7e18), 1);
  }

  function test_revertWhen_duplicateAttester() public {
    vm.expectRevert(abi.encodeWithSelector(Errors.SlashFactory__NotSorted.selector, 1));
    factory.createPayload(_actions(address(0x1111), 5e18, address(0x1111), 7e18), 1);
  }
}
