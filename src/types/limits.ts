/** Nullifiers per tx: at least one (the first makes the tx unique), at most 64. */
export const MIN_NULLIFIERS_PER_TX = 1;
/** Maximum nullifiers per tx. */
export const MAX_NULLIFIERS_PER_TX = 64;
/** Maximum note hashes per tx. */
export const MAX_NOTE_HASHES_PER_TX = 64;
/** Maximum L2→L1 messages per tx. */
export const MAX_L2_TO_L1_MSGS_PER_TX = 8;
/** Maximum public logs per tx. */
export const MAX_PUBLIC_LOGS_PER_TX = 8;
/** Maximum fields in one public log. */
export const MAX_PUBLIC_LOG_FIELDS = 32;
/** Maximum protocol actions per tx. */
export const MAX_ACTIONS_PER_TX = 4;
/** Maximum size of an encoded tx, signature included: 64 KiB. */
export const MAX_TX_SIZE = 64 * 1024;
/** Length of a tx signature `r‖s‖v`. */
export const SIGNATURE_LENGTH = 65;

/** Nullifiers in a tx effect: the tx's own plus one per claim action. */
export const MAX_NULLIFIERS_PER_TX_EFFECT = MAX_NULLIFIERS_PER_TX + MAX_ACTIONS_PER_TX;
/** Public data writes in a tx effect: the fee payer, one recipient per action, the fee recipient. */
export const MAX_PUBLIC_DATA_WRITES_PER_TX_EFFECT = MAX_ACTIONS_PER_TX + 2;

/** Blob field elements per blob (EIP-4844). */
export const FIELDS_PER_BLOB = 4096;
/** Body bytes carried per blob field element (its first byte stays zero). */
export const BYTES_PER_BLOB_FIELD = 31;
/** Maximum blobs per block. */
export const MAX_BLOBS_PER_BLOCK = 6;
/** Maximum size of an encoded block body: what 6 blobs carry, less the `u32` length prefix. */
export const MAX_BLOCK_BODY_SIZE = MAX_BLOBS_PER_BLOCK * FIELDS_PER_BLOB * BYTES_PER_BLOB_FIELD - 4;
