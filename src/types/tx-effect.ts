import { BufferWriter, decodeExact, type BufferReader } from '../foundation/serialization/index.js';
import { readFr, writeFr, type Fr } from './fr.js';
import {
  MAX_BLOCK_BODY_SIZE,
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX_EFFECT,
  MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
  MIN_NULLIFIERS_PER_TX,
} from './limits.js';

/** The final value of a public data slot a tx changed. */
export interface PublicDataWrite {
  leafSlot: Fr;
  value: Fr;
}

/** What a tx did, as executed by the sequencer: what the block body carries and the world state applies. */
export interface TxEffect {
  txHash: Fr;
  /** The fee charged (`u128`). */
  transactionFee: bigint;
  /** 0..64, in tx order. */
  noteHashes: Fr[];
  /** The tx's own then its claim nullifiers: 1..68. */
  nullifiers: Fr[];
  /** L2→L1 message leaf hashes (`l2ToL1MessageLeaf`): 0..8. */
  l2ToL1Messages: Fr[];
  /** Fee payer, action recipients, fee recipient: 0..6 distinct slots. */
  publicDataWrites: PublicDataWrite[];
  /** 0..8 logs of 0..32 fields. */
  publicLogs: Fr[][];
}

const FR_SIZE = 32;
/** Size of a tx effect with one nullifier and nothing else: the least a body item takes. */
export const MIN_TX_EFFECT_SIZE = 32 + 16 + 4 + (4 + FR_SIZE) + 4 + 4 + 4;

const writeFrs = (w: BufferWriter, frs: readonly Fr[], what: string, max: number, min = 0) =>
  w.vector(frs, what, max, (w, fr) => writeFr(w, fr, `${what}[]`), min);

/** Writes a tx effect (for embedding in a larger encoding, such as the block body). */
export function writeTxEffect(w: BufferWriter, e: TxEffect): void {
  writeFr(w, e.txHash, 'txEffect.txHash');
  w.u128(e.transactionFee, 'txEffect.transactionFee');
  writeFrs(w, e.noteHashes, 'txEffect.noteHashes', MAX_NOTE_HASHES_PER_TX);
  writeFrs(w, e.nullifiers, 'txEffect.nullifiers', MAX_NULLIFIERS_PER_TX_EFFECT, MIN_NULLIFIERS_PER_TX);
  writeFrs(w, e.l2ToL1Messages, 'txEffect.l2ToL1Messages', MAX_L2_TO_L1_MSGS_PER_TX);
  w.vector(e.publicDataWrites, 'txEffect.publicDataWrites', MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT, (w, d) => {
    writeFr(w, d.leafSlot, 'txEffect.publicDataWrites[].leafSlot');
    writeFr(w, d.value, 'txEffect.publicDataWrites[].value');
  });
  w.vector(e.publicLogs, 'txEffect.publicLogs', MAX_PUBLIC_LOGS_PER_TX, (w, log) =>
    writeFrs(w, log, 'txEffect.publicLogs[]', MAX_PUBLIC_LOG_FIELDS),
  );
}

const readFrs = (r: BufferReader, what: string, max: number, min = 0) =>
  r.vector(what, { min, max, minItemSize: FR_SIZE }, r => readFr(r, `${what}[]`));

/** Reads a tx effect (for decoding a larger encoding). */
export function readTxEffect(r: BufferReader): TxEffect {
  return {
    txHash: readFr(r, 'txEffect.txHash'),
    transactionFee: r.u128('txEffect.transactionFee'),
    noteHashes: readFrs(r, 'txEffect.noteHashes', MAX_NOTE_HASHES_PER_TX),
    nullifiers: readFrs(r, 'txEffect.nullifiers', MAX_NULLIFIERS_PER_TX_EFFECT, MIN_NULLIFIERS_PER_TX),
    l2ToL1Messages: readFrs(r, 'txEffect.l2ToL1Messages', MAX_L2_TO_L1_MSGS_PER_TX),
    publicDataWrites: r.vector(
      'txEffect.publicDataWrites',
      { max: MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT, minItemSize: 2 * FR_SIZE },
      r => ({
        leafSlot: readFr(r, 'txEffect.publicDataWrites[].leafSlot'),
        value: readFr(r, 'txEffect.publicDataWrites[].value'),
      }),
    ),
    publicLogs: r.vector('txEffect.publicLogs', { max: MAX_PUBLIC_LOGS_PER_TX, minItemSize: 4 }, r =>
      readFrs(r, 'txEffect.publicLogs[]', MAX_PUBLIC_LOG_FIELDS),
    ),
  };
}

/** The binary encoding of a tx effect; its length is the tx's `daGas`. */
export function encodeTxEffect(e: TxEffect): Buffer {
  const w = new BufferWriter();
  writeTxEffect(w, e);
  return w.toBuffer();
}

/** Decodes exactly one tx effect; any malformed or trailing input is a `DecodeError`. */
export function decodeTxEffect(bytes: Uint8Array): TxEffect {
  return decodeExact(bytes, 'txEffect', MAX_BLOCK_BODY_SIZE, readTxEffect);
}

/** Encoded size of a tx effect in bytes (= `encodeTxEffect(e).length`, without encoding): the tx's `daGas`. */
export function txEffectSize(e: TxEffect): number {
  const vec = (n: number, itemSize: number) => 4 + n * itemSize;
  return (
    32 +
    16 +
    vec(e.noteHashes.length, FR_SIZE) +
    vec(e.nullifiers.length, FR_SIZE) +
    vec(e.l2ToL1Messages.length, FR_SIZE) +
    vec(e.publicDataWrites.length, 2 * FR_SIZE) +
    e.publicLogs.reduce((n, log) => n + vec(log.length, FR_SIZE), 4)
  );
}
