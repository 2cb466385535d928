import { BufferWriter, decodeExact, EncodeError, type BufferReader } from '../foundation/serialization/index.js';
import { readFr, writeFr } from './fr.js';
import { HEADER_LENGTH, type AppendOnlyTreeSnapshot, type BlockHeader } from './header.js';
import { readHeader, writeHeader } from './header-codec.js';
import { MAX_BLOCK_BODY_SIZE } from './limits.js';
import { MIN_TX_EFFECT_SIZE, readTxEffect, writeTxEffect, type TxEffect } from './tx-effect.js';

/** An L2 block: its header, the archive tree after it, and its body (the effects of its txs, in order). */
export interface L2Block {
  header: BlockHeader;
  /** The archive snapshot after this block (its header hash appended). */
  archive: AppendOnlyTreeSnapshot;
  body: TxEffect[];
}

/** Most tx effects a body can hold within its size limit. */
export const MAX_TX_EFFECTS_PER_BODY = Math.floor((MAX_BLOCK_BODY_SIZE - 4) / MIN_TX_EFFECT_SIZE);
/** Size of an encoded archive snapshot: root then `u32` next index. */
const SNAPSHOT_SIZE = 32 + 4;
/** Maximum size of an encoded `L2Block`. */
export const MAX_L2_BLOCK_SIZE = HEADER_LENGTH + SNAPSHOT_SIZE + MAX_BLOCK_BODY_SIZE;

/** Writes a block body: a `u32` count then the tx effects. */
export function writeBlockBody(w: BufferWriter, body: readonly TxEffect[]): void {
  const start = w.size;
  w.vector(body, 'body', MAX_TX_EFFECTS_PER_BODY, writeTxEffect);
  if (w.size - start > MAX_BLOCK_BODY_SIZE) {
    throw new EncodeError(
      'TOO_LARGE',
      'body',
      `${w.size - start} bytes is above the maximum of ${MAX_BLOCK_BODY_SIZE}`,
    );
  }
}

/** Reads a block body (for decoding a larger encoding). */
export function readBlockBody(r: BufferReader): TxEffect[] {
  const start = r.offset;
  const body = r.vector('body', { max: MAX_TX_EFFECTS_PER_BODY, minItemSize: MIN_TX_EFFECT_SIZE }, readTxEffect);
  if (r.offset - start > MAX_BLOCK_BODY_SIZE) {
    r.fail('TOO_LARGE', 'body', `${r.offset - start} bytes is above the maximum of ${MAX_BLOCK_BODY_SIZE}`, start);
  }
  return body;
}

/** The block body encoding (`TxEffect[]`): the bytes published in blobs, at most 6 blobs' worth. */
export function encodeBlockBody(body: readonly TxEffect[]): Buffer {
  const w = new BufferWriter();
  writeBlockBody(w, body);
  return w.toBuffer();
}

/** Decodes exactly one block body; any malformed, oversized or trailing input is a `DecodeError`. */
export function decodeBlockBody(bytes: Uint8Array): TxEffect[] {
  return decodeExact(bytes, 'body', MAX_BLOCK_BODY_SIZE, readBlockBody);
}

/** Binary `L2Block`: the 800-byte ABI header, the archive (`Fr` root, `u32` next index), then the body. */
export function encodeL2Block(block: L2Block): Buffer {
  const w = new BufferWriter();
  writeHeader(w, block.header);
  writeFr(w, block.archive.root, 'block.archive.root');
  w.u32(block.archive.nextAvailableLeafIndex, 'block.archive.nextAvailableLeafIndex');
  writeBlockBody(w, block.body);
  return w.toBuffer();
}

/**
 * Decodes exactly one `L2Block`; any malformed, oversized or trailing input is a `DecodeError`. Structure only:
 * whether `numTxs`, `outHash` and the state match the body is for the validator to check.
 */
export function decodeL2Block(bytes: Uint8Array): L2Block {
  return decodeExact(bytes, 'block', MAX_L2_BLOCK_SIZE, r => ({
    header: readHeader(r),
    archive: {
      root: readFr(r, 'block.archive.root'),
      nextAvailableLeafIndex: r.u32('block.archive.nextAvailableLeafIndex'),
    },
    body: readBlockBody(r),
  }));
}
