import { z } from 'zod';

import { asL2BlockNumber, type L2BlockNumber } from '../foundation/types/branded.js';
import { frToHex, type Fr } from './fr.js';
import { FrSchema, parseJson } from './json.js';

/** A chain tip: a block number and, except for the genesis block 0, its header hash. */
export interface L2TipId {
  number: L2BlockNumber;
  /** Header hash; absent for block 0. */
  hash?: Fr;
}

/** The node's view of the chain: latest (pending) block, latest proven, latest finalized. */
export interface L2Tips {
  latest: L2TipId;
  proven: L2TipId;
  finalized: L2TipId;
}

/** JSON tip: `{ number, hash? }`, number a JSON integer, hash `0x` + 64 hex, present exactly when `number > 0`. */
export const L2TipIdSchema = z
  .strictObject({
    number: z.number().int('expected an integer').min(0, 'must be >= 0').max(Number.MAX_SAFE_INTEGER),
    hash: FrSchema.optional(),
  })
  .refine(t => (t.number === 0) === (t.hash === undefined), 'hash is required for a block > 0 and absent for block 0')
  .transform((t): L2TipId => {
    const tip: L2TipId = { number: asL2BlockNumber(t.number) };
    if (t.hash !== undefined) tip.hash = t.hash;
    return tip;
  });

/** JSON `L2Tips`. */
export const L2TipsSchema = z.strictObject({ latest: L2TipIdSchema, proven: L2TipIdSchema, finalized: L2TipIdSchema });

/** The JSON form of `L2Tips`. */
export type L2TipsJson = z.input<typeof L2TipsSchema>;

function tipToJSON(t: L2TipId): z.input<typeof L2TipIdSchema> {
  return t.hash === undefined ? { number: Number(t.number) } : { number: Number(t.number), hash: frToHex(t.hash) };
}

/** `L2Tips` as JSON. */
export function l2TipsToJSON(t: L2Tips): L2TipsJson {
  return { latest: tipToJSON(t.latest), proven: tipToJSON(t.proven), finalized: tipToJSON(t.finalized) };
}

/** `L2Tips` from JSON; throws `INVALID_JSON` listing every problem. */
export function l2TipsFromJSON(json: unknown): L2Tips {
  return parseJson(L2TipsSchema, json, 'L2 tips');
}
