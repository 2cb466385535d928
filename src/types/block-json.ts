import { z } from 'zod';

import { frToHex, type Fr } from './fr.js';
import { AppendOnlyTreeSnapshotSchema, BlockHeaderSchema, blockHeaderToJSON, snapshotToJSON } from './header-json.js';
import { FrSchema, U128StringSchema, parseJson, toDecimal } from './json.js';
import type { L2Block } from './l2-block.js';
import { MAX_TX_EFFECTS_PER_BODY } from './l2-block.js';
import {
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX_EFFECT,
  MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
  MIN_NULLIFIERS_PER_TX,
} from './limits.js';
import type { TxEffect } from './tx-effect.js';

/** JSON `TxEffect`, with the binary codec's count limits. */
export const TxEffectSchema = z.strictObject({
  txHash: FrSchema,
  transactionFee: U128StringSchema,
  noteHashes: z.array(FrSchema).max(MAX_NOTE_HASHES_PER_TX),
  nullifiers: z.array(FrSchema).min(MIN_NULLIFIERS_PER_TX).max(MAX_NULLIFIERS_PER_TX_EFFECT),
  l2ToL1Messages: z.array(FrSchema).max(MAX_L2_TO_L1_MSGS_PER_TX),
  publicDataWrites: z
    .array(z.strictObject({ leafSlot: FrSchema, value: FrSchema }))
    .max(MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT),
  publicLogs: z.array(z.array(FrSchema).max(MAX_PUBLIC_LOG_FIELDS)).max(MAX_PUBLIC_LOGS_PER_TX),
});

/** JSON `L2Block`. The body size limit (6 blobs) is checked by the binary codec, not here. */
export const L2BlockSchema = z.strictObject({
  header: BlockHeaderSchema,
  archive: AppendOnlyTreeSnapshotSchema,
  body: z.array(TxEffectSchema).max(MAX_TX_EFFECTS_PER_BODY),
});

/** The JSON form of a `TxEffect`. */
export type TxEffectJson = z.input<typeof TxEffectSchema>;
/** The JSON form of an `L2Block`. */
export type L2BlockJson = z.input<typeof L2BlockSchema>;

const frsToJSON = (frs: readonly Fr[]) => frs.map(frToHex);

/** A `TxEffect` as JSON. */
export function txEffectToJSON(e: TxEffect): TxEffectJson {
  return {
    txHash: frToHex(e.txHash),
    transactionFee: toDecimal(e.transactionFee),
    noteHashes: frsToJSON(e.noteHashes),
    nullifiers: frsToJSON(e.nullifiers),
    l2ToL1Messages: frsToJSON(e.l2ToL1Messages),
    publicDataWrites: e.publicDataWrites.map(d => ({ leafSlot: frToHex(d.leafSlot), value: frToHex(d.value) })),
    publicLogs: e.publicLogs.map(frsToJSON),
  };
}

/** A `TxEffect` from JSON; throws `INVALID_JSON` listing every problem. */
export function txEffectFromJSON(json: unknown): TxEffect {
  return parseJson(TxEffectSchema, json, 'tx effect');
}

/** An `L2Block` as JSON. */
export function l2BlockToJSON(b: L2Block): L2BlockJson {
  return { header: blockHeaderToJSON(b.header), archive: snapshotToJSON(b.archive), body: b.body.map(txEffectToJSON) };
}

/** An `L2Block` from JSON; throws `INVALID_JSON` listing every problem. */
export function l2BlockFromJSON(json: unknown): L2Block {
  return parseJson(L2BlockSchema, json, 'L2 block');
}
