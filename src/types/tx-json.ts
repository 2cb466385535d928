import { z } from 'zod';

import { asL2BlockNumber } from '../foundation/types/branded.js';
import { frToHex, type Fr } from './fr.js';
import type { GasSettings } from './gas.js';
import { GasFeesSchema, gasFeesToJSON } from './header-json.js';
import {
  FrSchema,
  L1AddressSchema,
  U128StringSchema,
  U32Schema,
  U64StringSchema,
  addressToJson,
  bytesToJsonHex,
  hexBytesSchema,
  parseJson,
  toDecimal,
} from './json.js';
import {
  MAX_ACTIONS_PER_TX,
  MAX_L2_TO_L1_MSGS_PER_TX,
  MAX_NOTE_HASHES_PER_TX,
  MAX_NULLIFIERS_PER_TX,
  MAX_PUBLIC_LOG_FIELDS,
  MAX_PUBLIC_LOGS_PER_TX,
  MIN_NULLIFIERS_PER_TX,
  SIGNATURE_LENGTH,
} from './limits.js';
import type { L2ToL1Message, ProtocolAction, Tx, UnsignedTx } from './tx.js';

/** JSON `GasSettings`: limits as numbers, fees as decimal strings. */
export const GasSettingsSchema = z.strictObject({
  gasLimits: z.strictObject({ daGas: U32Schema, l2Gas: U32Schema }),
  maxFeesPerGas: GasFeesSchema,
});

/** JSON `L2ToL1Message`. */
export const L2ToL1MessageSchema = z.strictObject({ recipient: L1AddressSchema, content: FrSchema });

/** JSON `ProtocolAction`, discriminated by `type` (`claim` or `transfer`). */
export const ProtocolActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('claim'),
    to: FrSchema,
    amount: U128StringSchema,
    secret: FrSchema,
    leafIndex: U64StringSchema,
  }),
  z.strictObject({ type: z.literal('transfer'), to: FrSchema, amount: U128StringSchema }),
]);

/** JSON tx signature: 65 bytes `r‖s‖v` as hex, v = 27 (`1b`) or 28 (`1c`). */
export const SignatureSchema = hexBytesSchema(SIGNATURE_LENGTH).refine(
  b => b[SIGNATURE_LENGTH - 1] === 27 || b[SIGNATURE_LENGTH - 1] === 28,
  'signature v (last byte) must be 27 or 28',
);

const unsignedTxShape = {
  chainId: U64StringSchema,
  version: U64StringSchema,
  expiryBlockNumber: U64StringSchema.transform(asL2BlockNumber),
  feePayer: FrSchema,
  gasSettings: GasSettingsSchema,
  nullifiers: z.array(FrSchema).min(MIN_NULLIFIERS_PER_TX).max(MAX_NULLIFIERS_PER_TX),
  noteHashes: z.array(FrSchema).max(MAX_NOTE_HASHES_PER_TX),
  l2ToL1Messages: z.array(L2ToL1MessageSchema).max(MAX_L2_TO_L1_MSGS_PER_TX),
  publicLogs: z.array(z.array(FrSchema).max(MAX_PUBLIC_LOG_FIELDS)).max(MAX_PUBLIC_LOGS_PER_TX),
  actions: z.array(ProtocolActionSchema).max(MAX_ACTIONS_PER_TX),
};

/** JSON `UnsignedTx` (a `Tx` without `signature`), with the same count limits as the binary codec. */
export const UnsignedTxSchema = z.strictObject(unsignedTxShape);

/** JSON `Tx`, with the same count limits as the binary codec (64 KiB cannot be exceeded within them). */
export const TxSchema = z.strictObject({ ...unsignedTxShape, signature: SignatureSchema });

/** The JSON form of a `Tx`. */
export type TxJson = z.input<typeof TxSchema>;
/** The JSON form of an `UnsignedTx`. */
export type UnsignedTxJson = z.input<typeof UnsignedTxSchema>;
/** The JSON form of a `ProtocolAction`. */
export type ProtocolActionJson = z.input<typeof ProtocolActionSchema>;

/** `GasSettings` as JSON. */
export function gasSettingsToJSON(g: GasSettings): z.input<typeof GasSettingsSchema> {
  return {
    gasLimits: { daGas: g.gasLimits.daGas, l2Gas: g.gasLimits.l2Gas },
    maxFeesPerGas: gasFeesToJSON(g.maxFeesPerGas),
  };
}

/** A `ProtocolAction` as JSON. */
export function protocolActionToJSON(a: ProtocolAction): ProtocolActionJson {
  if (a.type === 'claim') {
    const { to, amount, secret, leafIndex } = a;
    return {
      type: 'claim',
      to: frToHex(to),
      amount: toDecimal(amount),
      secret: frToHex(secret),
      leafIndex: toDecimal(leafIndex),
    };
  }
  return { type: 'transfer', to: frToHex(a.to), amount: toDecimal(a.amount) };
}

const frsToJSON = (frs: readonly Fr[]) => frs.map(frToHex);
const messageToJSON = (m: L2ToL1Message) => ({ recipient: addressToJson(m.recipient), content: frToHex(m.content) });

/** An `UnsignedTx` as JSON (a `signature` field on the input is ignored). */
export function unsignedTxToJSON(tx: UnsignedTx): UnsignedTxJson {
  return {
    chainId: toDecimal(tx.chainId),
    version: toDecimal(tx.version),
    expiryBlockNumber: toDecimal(tx.expiryBlockNumber),
    feePayer: frToHex(tx.feePayer),
    gasSettings: gasSettingsToJSON(tx.gasSettings),
    nullifiers: frsToJSON(tx.nullifiers),
    noteHashes: frsToJSON(tx.noteHashes),
    l2ToL1Messages: tx.l2ToL1Messages.map(messageToJSON),
    publicLogs: tx.publicLogs.map(frsToJSON),
    actions: tx.actions.map(protocolActionToJSON),
  };
}

/** A `Tx` as JSON. */
export function txToJSON(tx: Tx): TxJson {
  return { ...unsignedTxToJSON(tx), signature: bytesToJsonHex(tx.signature) };
}

/** A `Tx` from JSON; throws `INVALID_JSON` listing every problem. */
export function txFromJSON(json: unknown): Tx {
  return parseJson(TxSchema, json, 'tx');
}

/** An `UnsignedTx` from JSON; throws `INVALID_JSON` listing every problem. */
export function unsignedTxFromJSON(json: unknown): UnsignedTx {
  return parseJson(UnsignedTxSchema, json, 'unsigned tx');
}
