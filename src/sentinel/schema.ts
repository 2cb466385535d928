import { z } from 'zod';

import { L1AddressSchema } from '../types/json.js';
import { VALIDATOR_STATUSES, type ValidatorStatusInSlot } from './types.js';

/** A slot (or timestamp) as the stats write it: a decimal string. */
const DecimalSchema = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal string');

const SlotTimeSchema = z.strictObject({ slot: DecimalSchema, timestamp: DecimalSchema, date: z.iso.datetime() });

const MissedStatsSchema = z.strictObject({
  currentStreak: z.number().int().min(0),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().min(0),
  total: z.number().int().min(0),
});

export const ValidatorStatusSchema = z.enum(VALIDATOR_STATUSES as [ValidatorStatusInSlot, ...ValidatorStatusInSlot[]]);

export const ValidatorStatsSchema = z.strictObject({
  address: L1AddressSchema,
  totalSlots: z.number().int().min(0),
  lastProposal: SlotTimeSchema.optional(),
  lastAttestation: SlotTimeSchema.optional(),
  missedProposals: MissedStatsSchema,
  missedAttestations: MissedStatsSchema,
  proposals: z.strictObject({ mined: z.number().int().min(0), proposed: z.number().int().min(0) }),
  attestations: z.strictObject({
    sent: z.number().int().min(0),
    seenOnGossip: z.number().int().min(0),
    includedOnL1: z.number().int().min(0),
  }),
  history: z.array(z.strictObject({ slot: DecimalSchema, status: ValidatorStatusSchema })),
});

const windowFields = {
  lastProcessedSlot: DecimalSchema.optional(),
  initialSlot: DecimalSchema.optional(),
  slotWindow: z.number().int().min(1),
  fromSlot: DecimalSchema.optional(),
  toSlot: DecimalSchema.optional(),
};

/** `node_getValidatorsStats`'s answer. */
export const ValidatorsStatsSchema = z.strictObject({
  ...windowFields,
  stats: z.record(z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an L1 address'), ValidatorStatsSchema),
});

/** `node_getValidatorStats`'s answer (null for a validator without any duty in the window). */
export const SingleValidatorStatsSchema = z.strictObject({
  ...windowFields,
  validator: ValidatorStatsSchema,
  epochs: z.array(
    z.strictObject({
      epoch: DecimalSchema,
      proposals: z.strictObject({ made: z.number().int().min(0), missed: z.number().int().min(0) }),
      attestations: z.strictObject({ sent: z.number().int().min(0), missed: z.number().int().min(0) }),
    }),
  ),
});

/** A slot in a request: a JSON integer or its decimal string. */
export const SlotParam = z
  .union([
    z.number().int('expected an integer slot').min(0, 'slot must be >= 0'),
    z.string().regex(/^\d{1,20}$/, 'expected a decimal slot number'),
  ])
  .transform(v => BigInt(v));
