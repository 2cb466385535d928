import { getAddress, isAddress, type Address } from 'viem';

import { BufferWriter, EncodeError, decodeExact, type BufferReader } from '../foundation/serialization/index.js';
import { asL2BlockNumber, asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { hashToFr, isFr, type Fr } from './fr.js';
import { type AppendOnlyTreeSnapshot, type BlockHeader, type GasFees } from './header.js';

// abi.encode of an all-static tuple is one 32-byte word per leaf value, in declaration order. A decoder must
// reject words whose padding is not zero (Solidity's abi.decode reverts on them), so each read checks its width.

function writeWord(w: BufferWriter, v: bigint, bits: number, what: string): void {
  if (v < 0n || v >> BigInt(bits) !== 0n)
    throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${v} is not a uint${bits}`);
  w.uintBE(v, 32, what);
}

function writeFrWord(w: BufferWriter, v: Fr, what: string): void {
  if (!isFr(v)) throw new EncodeError('VALUE_OUT_OF_RANGE', what, `${v} is not a field element`);
  w.uintBE(v, 32, what);
}

function writeAddressWord(w: BufferWriter, a: Address, what: string): void {
  if (!isAddress(a, { strict: false }))
    throw new EncodeError('VALUE_OUT_OF_RANGE', what, `"${String(a)}" is not an address`);
  w.uintBE(BigInt(a), 32, what);
}

function readWord(r: BufferReader, bits: number, what: string): bigint {
  const at = r.offset;
  const v = r.uintBE(32, what);
  if (v >> BigInt(bits) !== 0n) r.fail('VALUE_OUT_OF_RANGE', what, `ABI word is not a uint${bits}`, at);
  return v;
}

function readFrWord(r: BufferReader, what: string): Fr {
  const at = r.offset;
  const v = r.uintBE(32, what);
  if (!isFr(v)) r.fail('VALUE_OUT_OF_RANGE', what, 'field element is >= 2^254', at);
  return v as Fr;
}

function readAddressWord(r: BufferReader, what: string): Address {
  const v = readWord(r, 160, what);
  return getAddress(`0x${v.toString(16).padStart(40, '0')}`);
}

function writeSnapshot(w: BufferWriter, s: AppendOnlyTreeSnapshot, what: string): void {
  writeFrWord(w, s.root, `${what}.root`);
  writeWord(w, BigInt(s.nextAvailableLeafIndex), 32, `${what}.nextAvailableLeafIndex`);
}

function readSnapshot(r: BufferReader, what: string): AppendOnlyTreeSnapshot {
  return {
    root: readFrWord(r, `${what}.root`),
    nextAvailableLeafIndex: Number(readWord(r, 32, `${what}.nextAvailableLeafIndex`)),
  };
}

function writeGasFees(w: BufferWriter, g: GasFees, what: string): void {
  writeWord(w, g.feePerDaGas, 128, `${what}.feePerDaGas`);
  writeWord(w, g.feePerL2Gas, 128, `${what}.feePerL2Gas`);
}

function readGasFees(r: BufferReader, what: string): GasFees {
  return { feePerDaGas: readWord(r, 128, `${what}.feePerDaGas`), feePerL2Gas: readWord(r, 128, `${what}.feePerL2Gas`) };
}

/** Writes the 800-byte `abi.encode(Header)` of `h` (for embedding in a larger encoding). */
export function writeHeader(w: BufferWriter, h: BlockHeader): void {
  writeSnapshot(w, h.lastArchive, 'header.lastArchive');
  const c = h.contentCommitment;
  writeWord(w, BigInt(c.numTxs), 32, 'header.contentCommitment.numTxs');
  writeFrWord(w, c.blobsHash, 'header.contentCommitment.blobsHash');
  writeFrWord(w, c.inHash, 'header.contentCommitment.inHash');
  writeFrWord(w, c.outHash, 'header.contentCommitment.outHash');
  writeSnapshot(w, h.state.l1ToL2MessageTree, 'header.state.l1ToL2MessageTree');
  writeSnapshot(w, h.state.noteHashTree, 'header.state.noteHashTree');
  writeSnapshot(w, h.state.nullifierTree, 'header.state.nullifierTree');
  writeSnapshot(w, h.state.publicDataTree, 'header.state.publicDataTree');
  const g = h.globalVariables;
  writeWord(w, g.chainId, 256, 'header.globalVariables.chainId');
  writeWord(w, g.version, 256, 'header.globalVariables.version');
  writeWord(w, g.blockNumber, 256, 'header.globalVariables.blockNumber');
  writeWord(w, g.slotNumber, 256, 'header.globalVariables.slotNumber');
  writeWord(w, g.timestamp, 256, 'header.globalVariables.timestamp');
  writeAddressWord(w, g.coinbase, 'header.globalVariables.coinbase');
  writeFrWord(w, g.feeRecipient, 'header.globalVariables.feeRecipient');
  writeGasFees(w, g.gasFees, 'header.globalVariables.gasFees');
  writeWord(w, h.totalFees, 256, 'header.totalFees');
  writeWord(w, h.totalManaUsed, 256, 'header.totalManaUsed');
}

/** Reads an 800-byte `abi.encode(Header)` (for decoding a larger encoding). */
export function readHeader(r: BufferReader): BlockHeader {
  const lastArchive = readSnapshot(r, 'header.lastArchive');
  const contentCommitment = {
    // uint256 on L1, but a block of 2^32 txs cannot exist: keep it a number.
    numTxs: Number(readWord(r, 32, 'header.contentCommitment.numTxs')),
    blobsHash: readFrWord(r, 'header.contentCommitment.blobsHash'),
    inHash: readFrWord(r, 'header.contentCommitment.inHash'),
    outHash: readFrWord(r, 'header.contentCommitment.outHash'),
  };
  const state = {
    l1ToL2MessageTree: readSnapshot(r, 'header.state.l1ToL2MessageTree'),
    noteHashTree: readSnapshot(r, 'header.state.noteHashTree'),
    nullifierTree: readSnapshot(r, 'header.state.nullifierTree'),
    publicDataTree: readSnapshot(r, 'header.state.publicDataTree'),
  };
  const globalVariables = {
    chainId: readWord(r, 256, 'header.globalVariables.chainId'),
    version: readWord(r, 256, 'header.globalVariables.version'),
    blockNumber: asL2BlockNumber(readWord(r, 256, 'header.globalVariables.blockNumber')),
    slotNumber: asSlot(readWord(r, 256, 'header.globalVariables.slotNumber')),
    timestamp: asUnixSeconds(readWord(r, 256, 'header.globalVariables.timestamp')),
    coinbase: readAddressWord(r, 'header.globalVariables.coinbase'),
    feeRecipient: readFrWord(r, 'header.globalVariables.feeRecipient'),
    gasFees: readGasFees(r, 'header.globalVariables.gasFees'),
  };
  return {
    lastArchive,
    contentCommitment,
    state,
    globalVariables,
    totalFees: readWord(r, 256, 'header.totalFees'),
    totalManaUsed: readWord(r, 256, 'header.totalManaUsed'),
  };
}

/** `abi.encode(Header)`: the 800 bytes `propose` takes and the header hash covers. */
export function encodeHeader(h: BlockHeader): Buffer {
  const w = new BufferWriter();
  writeHeader(w, h);
  return w.toBuffer();
}

/**
 * Decodes exactly 800 bytes of `abi.encode(Header)`. Beyond what L1's `abi.decode` checks, the `bytes32` fields
 * must be field elements (`< 2^254`) and `numTxs` must be `< 2^32`; any violation is a `DecodeError`.
 */
export function decodeHeader(bytes: Uint8Array): BlockHeader {
  // Fixed size: anything past byte 800 is reported as trailing bytes (nothing beyond it is read).
  return decodeExact(bytes, 'header', Number.MAX_SAFE_INTEGER, readHeader);
}

/** Header hash = `sha256ToField(abi.encode(Header))`: the block's leaf in the archive tree. */
export function headerHash(h: BlockHeader): Fr {
  return hashToFr(encodeHeader(h));
}
