// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice The few forge cheatcodes these tests use (forge-std is not available offline).
interface Vm {
  struct Log {
    bytes32[] topics;
    bytes data;
    address emitter;
  }

  function warp(uint256 timestamp) external;
  function fee(uint256 baseFee) external;
  function blobBaseFee(uint256 fee) external;
  function roll(uint256 blockNumber) external;
  function prank(address sender) external;
  function startPrank(address sender) external;
  function stopPrank() external;
  function expectRevert(bytes calldata revertData) external;
  function expectRevert(bytes4 selector) external;
  function expectRevert() external;
  function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;
  function recordLogs() external;
  function getRecordedLogs() external returns (Log[] memory);
  function prevrandao(bytes32 value) external;
  function blobhashes(bytes32[] calldata hashes) external;
  function chainId(uint256 id) external;
  function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
  function addr(uint256 privateKey) external pure returns (address);
  function deal(address account, uint256 balance) external;
  function toString(uint256 value) external pure returns (string memory);
  function toString(address value) external pure returns (string memory);
  function toString(bytes32 value) external pure returns (string memory);
}

/// @notice Minimal test base: the cheatcode handle and assertions that revert with a message.
abstract contract Test {
  Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

  function assertTrue(bool condition, string memory message) internal pure {
    if (!condition) revert(message);
  }

  function assertFalse(bool condition, string memory message) internal pure {
    if (condition) revert(message);
  }

  function assertEq(uint256 actual, uint256 expected, string memory message) internal pure {
    if (actual != expected) {
      revert(string.concat(message, ": got ", vm.toString(actual), ", want ", vm.toString(expected)));
    }
  }

  function assertGt(uint256 a, uint256 b, string memory message) internal pure {
    if (a <= b) revert(string.concat(message, ": ", vm.toString(a), " is not above ", vm.toString(b)));
  }

  function assertEq(address actual, address expected, string memory message) internal pure {
    if (actual != expected) {
      revert(string.concat(message, ": got ", vm.toString(actual), ", want ", vm.toString(expected)));
    }
  }

  function assertEq(bytes32 actual, bytes32 expected, string memory message) internal pure {
    if (actual != expected) {
      revert(string.concat(message, ": got ", vm.toString(actual), ", want ", vm.toString(expected)));
    }
  }

  function assertEq(address[] memory actual, address[] memory expected, string memory message) internal pure {
    assertEq(actual.length, expected.length, string.concat(message, " (length)"));
    for (uint256 i = 0; i < actual.length; i++) {
      assertEq(actual[i], expected[i], string.concat(message, " [", vm.toString(i), "]"));
    }
  }

  function assertNotEq(bytes32 actual, bytes32 other, string memory message) internal pure {
    if (actual == other) revert(string.concat(message, ": both ", vm.toString(actual)));
  }

  function contains(address[] memory list, address account) internal pure returns (bool) {
    for (uint256 i = 0; i < list.length; i++) {
      if (list[i] == account) return true;
    }
    return false;
  }
}
