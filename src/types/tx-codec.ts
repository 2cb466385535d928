import { BufferWriter, decodeExact, EncodeError, type BufferReader } from '../foundation/serialization/index.js';
import { asL2BlockNumber } from '../foundation/types/branded.js';
import { readL1Address, writeL1Address } from './address.js';
import { hashToFr, readFr, writeFr, type Fr } from './fr.js';
import type { GasSettings } from './gas.js';
import {
  MAX_ACTIONS_PER_TX,
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
  MAX_TX_SIZE,
  MIN_NULLIFIERS_PER_TX,
  SIGNATURE_LENGTH,
} from './limits.js';
import { PROTOCOL_ACTION_TAG, type ProtocolAction, type Tx, type UnsignedTx } from './tx.js';

// Smallest encodings, so a count is checked against the bytes left before its items are read.
const FR_SIZE = 32;
const MESSAGE_SIZE = 20 + 32;
const MIN_LOG_SIZE = 4;
const MIN_ACTION_SIZE = 1 + 32 + 16;

function writeGasSettings(w: BufferWriter, g: GasSettings): void {
  w.u32(g.gasLimits.daGas, 'tx.gasSettings.gasLimits.daGas');
  w.u32(g.gasLimits.l2Gas, 'tx.gasSettings.gasLimits.l2Gas');
  w.u128(g.maxFeesPerGas.feePerDaGas, 'tx.gasSettings.maxFeesPerGas.feePerDaGas');
  w.u128(g.maxFeesPerGas.feePerL2Gas, 'tx.gasSettings.maxFeesPerGas.feePerL2Gas');
}

function readGasSettings(r: BufferReader): GasSettings {
  return {
    gasLimits: { daGas: r.u32('tx.gasSettings.gasLimits.daGas'), l2Gas: r.u32('tx.gasSettings.gasLimits.l2Gas') },
    maxFeesPerGas: {
      feePerDaGas: r.u128('tx.gasSettings.maxFeesPerGas.feePerDaGas'),
      feePerL2Gas: r.u128('tx.gasSettings.maxFeesPerGas.feePerL2Gas'),
    },
  };
}

function writeAction(w: BufferWriter, a: ProtocolAction): void {
  w.u8(PROTOCOL_ACTION_TAG[a.type], 'tx.actions[].tag');
  writeFr(w, a.to, 'tx.actions[].to');
  w.u128(a.amount, 'tx.actions[].amount');
  if (a.type === 'claim') {
    writeFr(w, a.secret, 'tx.actions[].secret');
    w.u64(a.leafIndex, 'tx.actions[].leafIndex');
  }
}

function readAction(r: BufferReader): ProtocolAction {
  const at = r.offset;
  const tag = r.u8('tx.actions[].tag');
  if (tag === PROTOCOL_ACTION_TAG.claim) {
    return {
      type: 'claim',
      to: readFr(r, 'tx.actions[].to'),
      amount: r.u128('tx.actions[].amount'),
      secret: readFr(r, 'tx.actions[].secret'),
      leafIndex: r.u64('tx.actions[].leafIndex'),
    };
  }
  if (tag === PROTOCOL_ACTION_TAG.transfer) {
    return { type: 'transfer', to: readFr(r, 'tx.actions[].to'), amount: r.u128('tx.actions[].amount') };
  }
  return r.fail('INVALID_TAG', 'tx.actions[].tag', `unknown protocol action tag ${tag}`, at);
}

const writeFrItem = (what: string) => (w: BufferWriter, fr: Fr) => writeFr(w, fr, what);

/** Writes the fields the tx hash covers: everything but the signature. */
export function writeUnsignedTx(w: BufferWriter, tx: UnsignedTx): void {
  w.u64(tx.chainId, 'tx.chainId');
  w.u64(tx.version, 'tx.version');
  w.u64(tx.expiryBlockNumber, 'tx.expiryBlockNumber');
  writeFr(w, tx.feePayer, 'tx.feePayer');
  writeGasSettings(w, tx.gasSettings);
  w.vector(
    tx.nullifiers,
    'tx.nullifiers',
    MAX_NULLIFIERS_PER_TX,
    writeFrItem('tx.nullifiers[]'),
    MIN_NULLIFIERS_PER_TX,
  );
  w.vector(tx.noteHashes, 'tx.noteHashes', MAX_NOTE_HASHES_PER_TX, writeFrItem('tx.noteHashes[]'));
  w.vector(tx.l2ToL1Messages, 'tx.l2ToL1Messages', MAX_L2_TO_L1_MSGS_PER_TX, (w, m) => {
    writeL1Address(w, m.recipient, 'tx.l2ToL1Messages[].recipient');
    writeFr(w, m.content, 'tx.l2ToL1Messages[].content');
  });
  w.vector(tx.publicLogs, 'tx.publicLogs', MAX_PUBLIC_LOGS_PER_TX, (w, log) =>
    w.vector(log, 'tx.publicLogs[]', MAX_PUBLIC_LOG_FIELDS, writeFrItem('tx.publicLogs[][]')),
  );
  w.vector(tx.actions, 'tx.actions', MAX_ACTIONS_PER_TX, writeAction);
}

function readUnsignedTx(r: BufferReader): UnsignedTx {
  const frItem = (what: string) => (r: BufferReader) => readFr(r, what);
  return {
    chainId: r.u64('tx.chainId'),
    version: r.u64('tx.version'),
    expiryBlockNumber: asL2BlockNumber(r.u64('tx.expiryBlockNumber')),
    feePayer: readFr(r, 'tx.feePayer'),
    gasSettings: readGasSettings(r),
    nullifiers: r.vector(
      'tx.nullifiers',
      { min: MIN_NULLIFIERS_PER_TX, max: MAX_NULLIFIERS_PER_TX, minItemSize: FR_SIZE },
      frItem('tx.nullifiers[]'),
    ),
    noteHashes: r.vector(
      'tx.noteHashes',
      { max: MAX_NOTE_HASHES_PER_TX, minItemSize: FR_SIZE },
      frItem('tx.noteHashes[]'),
    ),
    l2ToL1Messages: r.vector('tx.l2ToL1Messages', { max: MAX_L2_TO_L1_MSGS_PER_TX, minItemSize: MESSAGE_SIZE }, r => ({
      recipient: readL1Address(r, 'tx.l2ToL1Messages[].recipient'),
      content: readFr(r, 'tx.l2ToL1Messages[].content'),
    })),
    publicLogs: r.vector('tx.publicLogs', { max: MAX_PUBLIC_LOGS_PER_TX, minItemSize: MIN_LOG_SIZE }, r =>
      r.vector('tx.publicLogs[]', { max: MAX_PUBLIC_LOG_FIELDS, minItemSize: FR_SIZE }, frItem('tx.publicLogs[][]')),
    ),
    actions: r.vector('tx.actions', { max: MAX_ACTIONS_PER_TX, minItemSize: MIN_ACTION_SIZE }, readAction),
  };
}

function readSignature(r: BufferReader): Buffer {
  const at = r.offset;
  const sig = r.bytes(SIGNATURE_LENGTH, 'tx.signature');
  const v = sig[SIGNATURE_LENGTH - 1];
  if (v !== 27 && v !== 28) r.fail('VALUE_OUT_OF_RANGE', 'tx.signature', `v must be 27 or 28, got ${v}`, at);
  return sig;
}

/** The bytes the tx hash covers: the tx encoding without its trailing signature. */
export function encodeUnsignedTx(tx: UnsignedTx): Buffer {
  const w = new BufferWriter();
  writeUnsignedTx(w, tx);
  return w.toBuffer();
}

/** Writes a whole tx: the unsigned fields then the 65-byte signature (for embedding in a larger encoding). */
export function writeTx(w: BufferWriter, tx: Tx): void {
  const start = w.size;
  writeUnsignedTx(w, tx);
  const v = tx.signature[SIGNATURE_LENGTH - 1];
  if (tx.signature.length !== SIGNATURE_LENGTH || (v !== 27 && v !== 28)) {
    throw new EncodeError('VALUE_OUT_OF_RANGE', 'tx.signature', 'expected 65 bytes r‖s‖v with v = 27 or 28');
  }
  w.bytes(tx.signature, 'tx.signature', SIGNATURE_LENGTH);
  if (w.size - start > MAX_TX_SIZE) {
    throw new EncodeError('TOO_LARGE', 'tx', `${w.size - start} bytes is above the maximum of ${MAX_TX_SIZE}`);
  }
}

/** Reads a whole tx (for decoding a larger encoding). */
export function readTx(r: BufferReader): Tx {
  const unsigned = readUnsignedTx(r);
  return { ...unsigned, signature: readSignature(r) };
}

/** The binary encoding of a signed tx (docs/l2-protocol.md): at most 64 KiB. */
export function encodeTx(tx: Tx): Buffer {
  const w = new BufferWriter();
  writeTx(w, tx);
  return w.toBuffer();
}

/** Decodes exactly one tx; any malformed, oversized or trailing input is a `DecodeError`. */
export function decodeTx(bytes: Uint8Array): Tx {
  return decodeExact(bytes, 'tx', MAX_TX_SIZE, readTx);
}

/** Tx hash = `sha256ToField(encode(tx without signature))`. */
export function txHash(tx: UnsignedTx): Fr {
  return hashToFr(encodeUnsignedTx(tx));
}
