import type { Address, Hex } from 'viem';

import { epochOfSlot, slotAt, timestampForSlot, type RollupTimeConstants } from '../epoch/time.js';
import { DecodeError } from '../foundation/serialization/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { asSlot, type Epoch, type Slot } from '../foundation/types/branded.js';
import { proposalDigest, recoverAttester } from '../l1/proposal-digest.js';
import type { P2PService } from '../p2p/service.js';
import type { TopicValidator, ValidationOutcome } from '../p2p/gossip.js';
import { decodeHeader, frToHex, headerHash, txHash, type BlockHeader, type Fr, type Tx } from '../types/index.js';
import { AttestationPool } from './attestation-pool.js';
import type { ValidatorConfig } from './config.js';
import { ValidatorError } from './errors.js';
import {
  decodeBlockAttestation,
  decodeBlockProposal,
  encodeBlockAttestation,
  type BlockAttestation,
  type BlockProposal,
} from './messages.js';
import { reexecuteProposal, type ReexecutionContext } from './reexecute.js';
import type { ProtectedSigner } from './slashing-protection.js';

/** The two L1 reads of `EpochCache` the validator uses. */
export interface ValidatorEpochSource {
  getCommittee(epoch: Epoch): Promise<{ committee: readonly Address[]; quorum: number }>;
  getProposerAttester(slot: Slot): Promise<Address | undefined>;
}

/** What happened to a received proposal (for logs, metrics and tests). */
export interface ProposalOutcome {
  /** Undefined when the proposal did not decode. */
  slot: Slot | undefined;
  digest: Hex | undefined;
  result: 'attested' | 'rejected' | 'invalid' | 'refused' | 'skipped';
  reason?: string;
}

/** What a `ValidatorClient` works with. */
export interface ValidatorClientDeps extends Omit<ReexecutionContext, 'now'> {
  p2p: Pick<P2PService, 'subscribe' | 'publish' | 'requestTxsByHash'>;
  epochCache: ValidatorEpochSource;
  constants: RollupTimeConstants;
  txPool: { getTxByHash(hash: Fr): Tx | undefined };
  rollup: Address;
  rollupVersion: bigint;
  /** The validator key behind slashing protection; absent: the client only validates and pools attestations. */
  signer?: ProtectedSigner | undefined;
  /** Wall clock in ms (default `Date.now`). */
  now?: () => number;
  /** Called with the outcome of every proposal received. */
  onProposal?: (outcome: ProposalOutcome) => void;
}

const reject = (code: 'INVALID_ENCODING' | 'INVALID_MESSAGE', reason: string): ValidationOutcome => ({
  result: 'reject',
  code,
  reason,
});

/**
 * The committee member's duties: validates block proposals at the gossip layer (signed by the slot's proposer,
 * for the current or next slot), re-executes them on a world-state fork and, when the archive matches and
 * slashing protection permits, signs and gossips an attestation. Also pools the valid attestations it sees.
 */
export class ValidatorClient {
  /** Valid attestations seen (and made), per slot and digest. */
  readonly pool = new AttestationPool();
  private running = false;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(
    readonly deps: ValidatorClientDeps,
    readonly config: Pick<ValidatorConfig, 'disabled' | 'attestationsWaitTimeoutMs' | 'attestationsPollingIntervalMs'>,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('validator');
    this.now = deps.now ?? Date.now;
  }

  /** The signer (and attester address) of this node, if it has a validator key. */
  get signer(): ProtectedSigner | undefined {
    return this.deps.signer;
  }

  /** Subscribes to the proposal and attestation topics. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.deps.p2p.subscribe('block_proposal', this.proposalValidator, (data, from) => this.onProposal(data, from));
    this.deps.p2p.subscribe('attestation', this.attestationValidator);
    this.log.info('Validator client started', { attester: this.signer?.address, disabled: this.config.disabled });
  }

  /** Stops handling proposals and attestations (messages are ignored from now on). */
  stop(): void {
    this.running = false;
  }

  /** The current slot by the wall clock. */
  currentSlot(): Slot {
    return slotAt(BigInt(Math.floor(this.now() / 1000)), this.deps.constants);
  }

  /** The proposal digest of a header hash and archive root on this rollup. */
  digestOf(headerHashFr: Fr, archive: Fr): Hex {
    return proposalDigest(this.deps.l1ChainId, this.deps.rollup, frToHex(headerHashFr), frToHex(archive));
  }

  /** The committee of `slot`'s epoch. */
  committeeOf(slot: Slot): Promise<{ committee: readonly Address[]; quorum: number }> {
    return this.deps.epochCache.getCommittee(epochOfSlot(slot, this.deps.constants));
  }

  private readonly proposalValidator: TopicValidator = async data => {
    if (!this.running) return { result: 'ignore', reason: 'validator stopped' };
    const checked = await this.checkProposal(data);
    if (!('outcome' in checked)) return { result: 'accept' };
    if (checked.outcome.result === 'reject') {
      const { reason } = checked.outcome;
      this.log.warn('Rejected a block proposal', { slot: checked.slot, reason });
      this.deps.onProposal?.({ slot: checked.slot, digest: undefined, result: 'rejected', reason });
    }
    return checked.outcome;
  };

  private async checkProposal(
    data: Uint8Array,
  ): Promise<
    { outcome: ValidationOutcome; slot?: Slot } | { proposal: BlockProposal; header: BlockHeader; digest: Hex }
  > {
    let proposal: BlockProposal;
    let header: BlockHeader;
    try {
      proposal = decodeBlockProposal(data);
      header = decodeHeader(proposal.header);
    } catch (err) {
      if (err instanceof DecodeError) return { outcome: reject('INVALID_ENCODING', err.message) };
      throw err;
    }
    const { slot } = proposal;
    const g = header.globalVariables;
    if (g.slotNumber !== slot) return { slot, outcome: reject('INVALID_MESSAGE', 'header slot differs') };
    if (g.chainId !== BigInt(this.deps.l1ChainId) || g.version !== this.deps.rollupVersion) {
      return { slot, outcome: reject('INVALID_MESSAGE', 'wrong chain id or rollup version') };
    }
    const current = this.currentSlot();
    if (slot !== current && slot !== current + 1n) {
      return { slot, outcome: { result: 'ignore', reason: `slot ${slot} is not current (${current}) or next` } };
    }
    const digest = this.digestOf(headerHash(header), proposal.archive);
    let signer: Address;
    try {
      signer = await recoverAttester(digest, proposal.signature);
    } catch {
      return { slot, outcome: reject('INVALID_MESSAGE', 'bad proposal signature') };
    }
    const proposer = await this.deps.epochCache.getProposerAttester(proposal.slot);
    if (proposer !== undefined && proposer.toLowerCase() !== signer.toLowerCase()) {
      return { slot, outcome: reject('INVALID_MESSAGE', `signed by ${signer}, not the slot's proposer ${proposer}`) };
    }
    return { proposal, header, digest };
  }

  private async onProposal(data: Uint8Array, from: string): Promise<void> {
    const checked = await this.checkProposal(data);
    if ('outcome' in checked) return;
    const outcome = await this.attest(checked.proposal, checked.header, checked.digest, from);
    if (outcome.result === 'attested') this.log.info('Attested a block proposal', { ...outcome, from });
    // Skipping is a node's normal state when it has no key or is outside the committee.
    else if (outcome.result === 'skipped')
      this.log.debug(`Block proposal not attested (skipped)`, { ...outcome, from });
    else this.log.warn(`Block proposal not attested (${outcome.result})`, { ...outcome, from });
    this.deps.onProposal?.(outcome);
  }

  private async attest(
    proposal: BlockProposal,
    header: BlockHeader,
    digest: Hex,
    from: string,
  ): Promise<ProposalOutcome> {
    const { slot } = proposal;
    const done = (result: ProposalOutcome['result'], reason?: string): ProposalOutcome =>
      reason === undefined ? { slot, digest, result } : { slot, digest, result, reason };
    const signer = this.signer;
    if (this.config.disabled || !signer) return done('skipped', 'validator disabled or without a key');
    const { committee } = await this.committeeOf(slot);
    if (!committee.some(a => a.toLowerCase() === signer.address.toLowerCase())) {
      return done('skipped', 'not in the committee');
    }
    const deadline = Number(timestampForSlot(asSlot(slot + 1n), this.deps.constants)) * 1000;
    const txs = await this.fetchTxs(proposal.txHashes, from);
    if (typeof txs === 'string') return done('invalid', txs);
    const result = await reexecuteProposal({ ...this.deps, now: this.now }, proposal, header, txs, deadline);
    if (!result.ok) return done('invalid', result.reason);
    let signature;
    try {
      signature = await signer.sign('attestation', slot, digest);
    } catch (err) {
      if (err instanceof ValidatorError) return done('refused', err.message);
      throw err;
    }
    const attestation: BlockAttestation = {
      slot,
      headerHash: headerHash(header),
      archive: proposal.archive,
      signature,
    };
    this.pool.add(slot, digest, signer.address, signature);
    await this.deps.p2p.publish('attestation', encodeBlockAttestation(attestation)).catch((err: unknown) => {
      this.log.warn('Could not gossip the attestation', { slot, err });
    });
    return done('attested');
  }

  /** The proposal's txs: from the pool, then by req/resp from the peer that sent it; a reason when some lack. */
  private async fetchTxs(hashes: readonly Fr[], from: string): Promise<Tx[] | string> {
    const found = new Map<Fr, Tx>();
    for (const h of hashes) {
      const tx = this.deps.txPool.getTxByHash(h);
      if (tx) found.set(h, tx);
    }
    const missing = hashes.filter(h => !found.has(h));
    if (missing.length > 0) {
      try {
        for (const tx of await this.deps.p2p.requestTxsByHash(from, missing)) found.set(txHash(tx), tx);
      } catch (err) {
        this.log.debug('Tx request failed', { from, err });
      }
    }
    const txs: Tx[] = [];
    for (const h of hashes) {
      const tx = found.get(h);
      if (!tx) return `missing tx ${frToHex(h)} (not in the pool, not served by ${from})`;
      txs.push(tx);
    }
    return txs;
  }

  private readonly attestationValidator: TopicValidator = async data => {
    if (!this.running) return { result: 'ignore', reason: 'validator stopped' };
    let a: BlockAttestation;
    try {
      a = decodeBlockAttestation(data);
    } catch (err) {
      if (err instanceof DecodeError) return reject('INVALID_ENCODING', err.message);
      throw err;
    }
    const current = this.currentSlot();
    if (a.slot + 1n < current || a.slot > current + 1n) {
      return { result: 'ignore', reason: `attestation for slot ${a.slot}, current is ${current}` };
    }
    const digest = this.digestOf(a.headerHash, a.archive);
    let attester: Address;
    try {
      attester = await recoverAttester(digest, a.signature);
    } catch {
      return reject('INVALID_MESSAGE', 'bad attestation signature');
    }
    const { committee } = await this.committeeOf(a.slot);
    if (!committee.some(m => m.toLowerCase() === attester.toLowerCase())) {
      return reject('INVALID_MESSAGE', `attester ${attester} is not in the committee of slot ${a.slot}`);
    }
    if (!this.pool.add(a.slot, digest, attester, a.signature)) return { result: 'ignore', reason: 'duplicate' };
    return { result: 'accept' };
  };
}
