// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

// The L2 block header as `propose` receives it: `abi.encode(Header)`, an all-static tuple of 25 words.

struct AppendOnlyTreeSnapshot {
  bytes32 root;
  uint32 nextAvailableLeafIndex;
}

struct ContentCommitment {
  uint256 numTxs;
  bytes32 blobsHash;
  bytes32 inHash;
  bytes32 outHash;
}

struct StateReference {
  AppendOnlyTreeSnapshot l1ToL2MessageTree;
  AppendOnlyTreeSnapshot noteHashTree;
  AppendOnlyTreeSnapshot nullifierTree;
  AppendOnlyTreeSnapshot publicDataTree;
}

struct GasFees {
  uint128 feePerDaGas;
  uint128 feePerL2Gas;
}

struct GlobalVariables {
  uint256 chainId;
  uint256 version;
  uint256 blockNumber;
  uint256 slotNumber;
  uint256 timestamp;
  address coinbase;
  bytes32 feeRecipient;
  GasFees gasFees;
}

struct Header {
  AppendOnlyTreeSnapshot lastArchive;
  ContentCommitment contentCommitment;
  StateReference state;
  GlobalVariables globalVariables;
  uint256 totalFees;
  uint256 totalManaUsed;
}

library HeaderLib {
  /** @notice Byte length of `abi.encode(Header)`: 25 static words. */
  uint256 internal constant HEADER_LENGTH = 800;

  /** @notice Decodes an ABI-encoded header. */
  function decode(bytes calldata header) internal pure returns (Header memory) {
    return abi.decode(header, (Header));
  }
}
