import { z } from 'zod';

/** A private key written in the keystore itself: `0x` and 64 hex characters. */
export const InlineKeySchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x followed by 64 hex characters');

/**
 * An encrypted JSON V3 key file. `path` and `passwordFile` are relative to the keystore file's folder; the password
 * may also be given inline (`password`), which is only for development.
 */
export const EncryptedKeySchema = z.strictObject({
  path: z.string().min(1),
  passwordFile: z.string().min(1).optional(),
  password: z.string().optional(),
});

/** Keys derived from a BIP-39 mnemonic on `m/44'/60'/accountIndex'/0/addressIndex`, `addressCount` of them. */
export const MnemonicKeySchema = z.strictObject({
  mnemonic: z.string().min(1),
  addressIndex: z.number().int().nonnegative().default(0),
  addressCount: z.number().int().positive().default(1),
  accountIndex: z.number().int().nonnegative().default(0),
});

/** One way of giving a key (or, for a mnemonic, several). */
export const KeySourceSchema = z.union([InlineKeySchema, EncryptedKeySchema, MnemonicKeySchema]);

/** One validator: its attester key, the L1 accounts that publish its blocks, where its rewards and fees go. */
export const ValidatorEntrySchema = z.strictObject({
  /** Signs proposals and attestations. A mnemonic with `addressCount` N gives N validators sharing the rest. */
  attester: KeySourceSchema,
  /** Sends its blocks to L1; the first with enough ETH is used. Default: the attester key. */
  publisher: z.union([KeySourceSchema, z.array(KeySourceSchema).min(1)]).optional(),
  /** L1 address of its block rewards. Default: COINBASE, else the attester's address. */
  coinbase: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'expected an L1 address (0x and 40 hex characters)')
    .optional(),
  /** L2 address of its fees. Default: FEE_RECIPIENT, else the attester's L2 address. */
  feeRecipient: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'expected an L2 address (0x and 64 hex characters)')
    .optional(),
});

/** A keystore file: `{ "schemaVersion": 1, "validators": [...] }`. */
export const KeystoreFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  validators: z.array(ValidatorEntrySchema).min(1),
});

export type KeySource = z.input<typeof KeySourceSchema>;
export type ValidatorEntry = z.input<typeof ValidatorEntrySchema>;
export type KeystoreFile = z.input<typeof KeystoreFileSchema>;
