import { z } from 'zod';

import { snapshotIndexSchema } from '../../snapshot/format.js';

import { L1AddressSchema, FrSchema } from '../../types/json.js';
import { GasFeesSchema, BlockHeaderSchema } from '../../types/header-json.js';
import { L2BlockSchema } from '../../types/block-json.js';
import { L2TipsSchema } from '../../types/tips.js';
import { TxSchema } from '../../types/tx-json.js';
import { SingleValidatorStatsSchema, SlotParam, ValidatorsStatsSchema } from '../../sentinel/schema.js';
import { WireL1ContractAddressesSchema } from './wire-addresses.js';

/** Largest block number accepted in a request (the archive tree holds 2^29 leaves). */
export const MAX_BLOCK_NUMBER = 2 ** 32 - 1;

/** A block number: a JSON integer (or its decimal string) in [0, 2^32). */
export const BlockNumberParam = z
  .union([z.number(), z.string().regex(/^\d{1,10}$/, 'expected a decimal block number')])
  .transform(v => Number(v))
  .pipe(z.number().int('expected an integer block number').min(0, 'must be >= 0').max(MAX_BLOCK_NUMBER));

// Every way a block param can be wrong gets the same message: what it may be.
const badBlock = { error: `expected "latest" or a decimal block number (0 to ${MAX_BLOCK_NUMBER})` };

/** A block number (a JSON integer or its decimal string) or `"latest"`; anything else is refused saying so. */
export const BlockParam = z
  .union(
    [
      z.literal('latest', badBlock),
      z.number(badBlock).int(badBlock).min(0, badBlock).max(MAX_BLOCK_NUMBER, badBlock),
      z.string(badBlock).regex(/^\d{1,10}$/, badBlock),
    ],
    badBlock,
  )
  .transform(v => (v === 'latest' ? v : Number(v)))
  .pipe(z.union([z.literal('latest'), z.number().max(MAX_BLOCK_NUMBER, badBlock)], badBlock));

/** A leaf index: a JSON integer or decimal string, as a bigint below 2^40. */
export const LeafIndexParam = z
  .union([z.number().int().min(0), z.string().regex(/^\d{1,13}$/, 'expected a decimal leaf index')])
  .transform(v => BigInt(v))
  .refine(v => v < 2n ** 40n, 'leaf index must be below 2^40');

/** A sibling path on the wire: base64 of `[u32 big-endian count][count × 32-byte node]`, leaf level first. */
export const SiblingPathSchema = z.base64();

const MembershipWitnessSchema = z.strictObject({ index: z.string(), siblingPath: SiblingPathSchema });
const IndexedWitnessSchema = z.strictObject({
  index: z.string(),
  siblingPath: SiblingPathSchema,
  leaf: z.record(z.string(), z.string()),
});

export const TxReceiptSchema = z.strictObject({
  txHash: FrSchema,
  status: z.enum(['pending', 'success', 'dropped']),
  blockNumber: z.number().int().optional(),
  blockHash: FrSchema.optional(),
  transactionFee: z.string().optional(),
  error: z.string().optional(),
});

/** The addresses under their short names: the node's own `/network-config` format. The API uses Aztec's names. */
export const L1ContractAddressesSchema = z.strictObject({
  registry: L1AddressSchema,
  rollup: L1AddressSchema,
  inbox: L1AddressSchema,
  outbox: L1AddressSchema,
  stakingAsset: L1AddressSchema,
  feeAsset: L1AddressSchema,
  feeJuicePortal: L1AddressSchema,
  governanceProposer: L1AddressSchema,
  stakingAssetHandler: L1AddressSchema,
  verifier: L1AddressSchema,
  slasher: L1AddressSchema,
});

export const NodeInfoSchema = z.strictObject({
  nodeVersion: z.string(),
  l1ChainId: z.number().int(),
  rollupVersion: z.number().int(),
  l1ContractAddresses: WireL1ContractAddressesSchema,
  enr: z.string().optional(),
});

/** The L1 clock as the node sees it: what `aztec get-info` prints besides the tips. */
export const SlotInfoSchema = z.strictObject({
  slot: z.number().int(),
  epoch: z.number().int(),
  proposer: L1AddressSchema.nullable(),
});

/**
 * The `archiver_` namespace: the synced chain's reads, served whenever the archiver runs (alone with `--archiver`,
 * the only namespace besides the admin one). The `node_` namespace serves the same methods under its own prefix.
 */
export const archiverApiSchema = {
  getL2Tips: { params: z.tuple([]), result: L2TipsSchema },
  getBlockNumber: { params: z.tuple([]), result: z.number().int() },
  getProvenBlockNumber: { params: z.tuple([]), result: z.number().int() },
  getBlock: { params: z.tuple([BlockParam]), result: L2BlockSchema.nullable() },
  getBlocks: {
    params: z.tuple([BlockNumberParam, z.number().int().min(1).max(100)]),
    result: z.array(L2BlockSchema),
  },
  getBlockHeader: { params: z.tuple([BlockParam.optional()]), result: BlockHeaderSchema.nullable() },
  /** The 16 L1→L2 message leaves of a block (zero-filled), as the archiver synced them from the Inbox. */
  getL1ToL2Messages: { params: z.tuple([BlockNumberParam]), result: z.array(FrSchema) },
  isReady: { params: z.tuple([]), result: z.boolean() },
} as const;

/** The `node_` namespace: what operators, wallets and other nodes call. */
export const nodeApiSchema = {
  ...archiverApiSchema,
  getArchiveSiblingPath: { params: z.tuple([BlockParam, LeafIndexParam]), result: SiblingPathSchema },
  getNoteHashSiblingPath: { params: z.tuple([BlockParam, LeafIndexParam]), result: SiblingPathSchema },
  getL1ToL2MessageSiblingPath: { params: z.tuple([BlockParam, LeafIndexParam]), result: SiblingPathSchema },
  getNullifierMembershipWitness: { params: z.tuple([BlockParam, FrSchema]), result: IndexedWitnessSchema.nullable() },
  getLowNullifierMembershipWitness: { params: z.tuple([BlockParam, FrSchema]), result: IndexedWitnessSchema },
  getPublicDataWitness: { params: z.tuple([BlockParam, FrSchema]), result: IndexedWitnessSchema },
  getL1ToL2MessageMembershipWitness: {
    params: z.tuple([BlockParam, FrSchema]),
    result: MembershipWitnessSchema.nullable(),
  },
  getArchiveMembershipWitness: { params: z.tuple([BlockParam, FrSchema]), result: MembershipWitnessSchema.nullable() },
  getPublicStorageAt: { params: z.tuple([BlockParam, FrSchema]), result: FrSchema },
  sendTx: { params: z.tuple([TxSchema]), result: FrSchema },
  getTxReceipt: { params: z.tuple([FrSchema]), result: TxReceiptSchema },
  getTxByHash: { params: z.tuple([FrSchema]), result: TxSchema.nullable() },
  getPendingTxs: { params: z.tuple([z.number().int().min(1).max(1000).optional()]), result: z.array(TxSchema) },
  getPendingTxCount: { params: z.tuple([]), result: z.number().int() },
  getNodeInfo: { params: z.tuple([]), result: NodeInfoSchema },
  getNodeVersion: { params: z.tuple([]), result: z.string() },
  getChainId: { params: z.tuple([]), result: z.number().int() },
  getVersion: { params: z.tuple([]), result: z.number().int() },
  getL1ContractAddresses: { params: z.tuple([]), result: WireL1ContractAddressesSchema },
  getCurrentBaseFees: { params: z.tuple([]), result: GasFeesSchema },
  getSlotInfo: { params: z.tuple([]), result: SlotInfoSchema },
  /** This node's ENR (`enr:…`) when P2P is enabled, else null. */
  getEncodedEnr: { params: z.tuple([]), result: z.string().startsWith('enr:').nullable() },
  /** Every validator's duties over the sentinel's window (docs/sentinel.md); UNAVAILABLE with SENTINEL_ENABLED=false. */
  getValidatorsStats: { params: z.tuple([]), result: ValidatorsStatsSchema },
  /** One validator's duties over `[fromSlot, toSlot]` (default: the whole window), per epoch too; null if none. */
  getValidatorStats: {
    params: z.tuple([L1AddressSchema, SlotParam.optional(), SlotParam.optional()]),
    result: SingleValidatorStatsSchema.nullable(),
  },
} as const;

/** One attester's doppelganger protection state, as `nodeAdmin_getValidatorStatus` reports it. */
export const AttesterStatusSchema = z.strictObject({
  attester: L1AddressSchema,
  /** `off` (VALIDATOR_DOPPELGANGER_EPOCHS=0), `watching` (not signing yet), `clear` (signing), `detected` (never). */
  doppelganger: z.enum(['off', 'watching', 'clear', 'detected']),
  /** The first slot this attester signs in (the end of its watch). */
  signsFromSlot: z.number().int().min(0).optional(),
  /** The signature by another signer of this key that was seen. */
  detected: z
    .strictObject({
      kind: z.enum(['block', 'attestation']),
      slot: z.number().int().min(0),
      digest: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
      source: z.enum(['gossip', 'l1']),
    })
    .optional(),
});

/** The node's validator duties: its attesters and their doppelganger protection. */
export const ValidatorStatusSchema = z.strictObject({
  doppelgangerEpochs: z.number().int().min(0),
  /** The slot the doppelganger watch started in. */
  watchStartSlot: z.number().int().min(0).optional(),
  attesters: z.array(AttesterStatusSchema),
});

/** The `nodeAdmin_` namespace, on the admin port only. */
export const nodeAdminApiSchema = {
  /** The node's attesters and their doppelganger protection state (none without a validator key). */
  getValidatorStatus: { params: z.tuple([]), result: ValidatorStatusSchema },
  setConfig: { params: z.tuple([z.record(z.string(), z.string())]), result: z.null() },
  pauseSync: { params: z.tuple([]), result: z.null() },
  resumeSync: { params: z.tuple([]), result: z.null() },
  rollbackTo: { params: z.tuple([BlockNumberParam]), result: z.null() },
  /**
   * Writes a snapshot of the running node's chain (archiver store and world state at its tip, docs/snapshots.md) to a
   * directory on the node's machine (or to `<path>.json` with the data beside it), without stopping anything.
   */
  exportSnapshot: { params: z.tuple([z.string().min(1, 'expected an output path')]), result: snapshotIndexSchema },
} as const;

/** A peer's chain status, as it reported it (over `status` req/resp) when it connected. */
export const PeerStatusSchema = z.strictObject({
  latestBlockNumber: z.number().int().min(0),
  latestArchiveRoot: FrSchema,
  provenBlockNumber: z.number().int().min(0),
  nodeVersion: z.string(),
});

export const PeerInfoSchema = z.strictObject({
  id: z.string(),
  addresses: z.array(z.string()),
  score: z.number(),
  status: PeerStatusSchema.optional(),
});

/** The `p2p_` namespace: the node's view of its peers (errors with P2P disabled). */
export const p2pApiSchema = {
  /** The open connections: peer id, remote addresses, application score, and the chain status it reported. */
  getPeers: { params: z.tuple([]), result: z.array(PeerInfoSchema) },
} as const;
