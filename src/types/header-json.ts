import { z } from 'zod';

import { asL2BlockNumber, asSlot, asUnixSeconds } from '../foundation/types/branded.js';
import { frToHex } from './fr.js';
import type { AppendOnlyTreeSnapshot, BlockHeader, GasFees } from './header.js';
import {
  FrSchema,
  L1AddressSchema,
  U128StringSchema,
  U256StringSchema,
  U32Schema,
  addressToJson,
  parseJson,
  toDecimal,
} from './json.js';

/** JSON `AppendOnlyTreeSnapshot`: `{ root: 0x…64, nextAvailableLeafIndex: number }`. */
export const AppendOnlyTreeSnapshotSchema = z.strictObject({ root: FrSchema, nextAvailableLeafIndex: U32Schema });

/** JSON `GasFees`: both fees as decimal strings. */
export const GasFeesSchema = z.strictObject({ feePerDaGas: U128StringSchema, feePerL2Gas: U128StringSchema });

/** JSON `BlockHeader`: fields as hex, `uint256`s as decimal strings, `u32`s as numbers. */
export const BlockHeaderSchema = z.strictObject({
  lastArchive: AppendOnlyTreeSnapshotSchema,
  contentCommitment: z.strictObject({
    numTxs: U32Schema,
    blobsHash: FrSchema,
    inHash: FrSchema,
    outHash: FrSchema,
  }),
  state: z.strictObject({
    l1ToL2MessageTree: AppendOnlyTreeSnapshotSchema,
    noteHashTree: AppendOnlyTreeSnapshotSchema,
    nullifierTree: AppendOnlyTreeSnapshotSchema,
    publicDataTree: AppendOnlyTreeSnapshotSchema,
  }),
  globalVariables: z.strictObject({
    chainId: U256StringSchema,
    version: U256StringSchema,
    blockNumber: U256StringSchema.transform(asL2BlockNumber),
    slotNumber: U256StringSchema.transform(asSlot),
    timestamp: U256StringSchema.transform(asUnixSeconds),
    coinbase: L1AddressSchema,
    feeRecipient: FrSchema,
    gasFees: GasFeesSchema,
  }),
  totalFees: U256StringSchema,
  totalManaUsed: U256StringSchema,
});

/** The JSON form of a `BlockHeader`. */
export type BlockHeaderJson = z.input<typeof BlockHeaderSchema>;
/** The JSON form of an `AppendOnlyTreeSnapshot`. */
export type AppendOnlyTreeSnapshotJson = z.input<typeof AppendOnlyTreeSnapshotSchema>;
/** The JSON form of `GasFees`. */
export type GasFeesJson = z.input<typeof GasFeesSchema>;

/** An `AppendOnlyTreeSnapshot` as JSON. */
export function snapshotToJSON(s: AppendOnlyTreeSnapshot): AppendOnlyTreeSnapshotJson {
  return { root: frToHex(s.root), nextAvailableLeafIndex: s.nextAvailableLeafIndex };
}

/** `GasFees` as JSON. */
export function gasFeesToJSON(g: GasFees): GasFeesJson {
  return { feePerDaGas: toDecimal(g.feePerDaGas), feePerL2Gas: toDecimal(g.feePerL2Gas) };
}

/** A `BlockHeader` as JSON. */
export function blockHeaderToJSON(h: BlockHeader): BlockHeaderJson {
  const c = h.contentCommitment;
  const s = h.state;
  const g = h.globalVariables;
  return {
    lastArchive: snapshotToJSON(h.lastArchive),
    contentCommitment: {
      numTxs: c.numTxs,
      blobsHash: frToHex(c.blobsHash),
      inHash: frToHex(c.inHash),
      outHash: frToHex(c.outHash),
    },
    state: {
      l1ToL2MessageTree: snapshotToJSON(s.l1ToL2MessageTree),
      noteHashTree: snapshotToJSON(s.noteHashTree),
      nullifierTree: snapshotToJSON(s.nullifierTree),
      publicDataTree: snapshotToJSON(s.publicDataTree),
    },
    globalVariables: {
      chainId: toDecimal(g.chainId),
      version: toDecimal(g.version),
      blockNumber: toDecimal(g.blockNumber),
      slotNumber: toDecimal(g.slotNumber),
      timestamp: toDecimal(g.timestamp),
      coinbase: addressToJson(g.coinbase),
      feeRecipient: frToHex(g.feeRecipient),
      gasFees: gasFeesToJSON(g.gasFees),
    },
    totalFees: toDecimal(h.totalFees),
    totalManaUsed: toDecimal(h.totalManaUsed),
  };
}

/** A `BlockHeader` from JSON; throws `INVALID_JSON` listing every problem. */
export function blockHeaderFromJSON(json: unknown): BlockHeader {
  return parseJson(BlockHeaderSchema, json, 'block header');
}
