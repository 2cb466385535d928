import type { Address, Hex } from 'viem';

import { nowSeconds, type Clock } from '../foundation/time/index.js';
import { epochOfSlot, slotAt, timestampForSlot, type RollupTimeConstants } from '../protocol/epoch/time.js';
import { DecodeError } from '../foundation/serialization/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { asSlot, type Epoch, type Slot } from '../foundation/types/branded.js';
import { proposalDigest, recoverAttester, type Attestation } from '../protocol/proposal-digest.js';
import type { P2PService } from '../p2p/service.js';
import type { TopicValidator, ValidationOutcome } from '../p2p/gossip.js';
import { decodeHeader, frToHex, headerHash, txHash, type BlockHeader, type Fr, type Tx } from '../types/index.js';
import { AttestationPool } from './attestation-pool.js';
import { SeenProposals } from './seen-proposals.js';
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
import type { ValidatorMetrics } from './metrics.js';
import type { SeenSignature } from './doppelganger.js';
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

/** A proposal that passed the gossip checks: decoded, its digest computed, signed by the slot's proposer. */
interface CheckedProposal {
  proposal: BlockProposal;
  header: BlockHeader;
  digest: Hex;
}

/**
 * A proposal or attestation signature that passed the gossip checks (signer recovered from the digest computed
 * here, the slot's proposer or a committee member): what the slasher looks for equivocation in.
 */
export interface ObservedSignature {
  kind: 'proposal' | 'attestation';
  slot: bigint;
  signer: Address;
  digest: Hex;
  headerHash: Hex;
  /** The encoded header: proposals only. */
  header?: Uint8Array;
  archive: Hex;
  signature: Attestation;
}

/** What a `ValidatorClient` works with. */
export interface ValidatorClientDeps extends Omit<ReexecutionContext, 'clock' | 'signal'> {
  p2p: Pick<P2PService, 'subscribe' | 'publish' | 'requestTxsByHash'>;
  epochCache: ValidatorEpochSource;
  constants: RollupTimeConstants;
  txPool: { getTxByHash(hash: Fr): Tx | undefined };
  rollup: Address;
  rollupVersion: bigint;
  /** The node's attester keys behind slashing protection; none: the client only validates and pools attestations. */
  signers?: readonly ProtectedSigner[] | undefined;
  /** L1 time: decides the current slot and the re-execution deadline. */
  clock: Clock;
  /** Called with the outcome of every proposal received. */
  onProposal?: (outcome: ProposalOutcome) => void;
  /** Attestation outcomes and re-execution time (`aztec_validator_*`); none: not measured. */
  metrics?: ValidatorMetrics | undefined;
  /**
   * Every valid signature seen on gossip (a proposal by the slot's proposer, an attestation by a committee member),
   * awaited before the message is accepted: doppelganger protection's gossip watch.
   */
  onSignature?: ((seen: SeenSignature) => void | Promise<void>) | undefined;
  /** Told of every checked proposal and attestation signature, before duplicates are dropped (the slasher). */
  observer?: ((s: ObservedSignature) => void) | undefined;
}

/** A validation outcome that does not accept the message. */
type Refusal = Exclude<ValidationOutcome, { result: 'accept' }>;

const reject = (code: 'INVALID_ENCODING' | 'INVALID_MESSAGE', reason: string): Refusal => ({
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
  /** Valid proposals seen (and gossiped), per slot and signer: what the sentinel reads besides the pool. */
  readonly proposals = new SeenProposals();
  private running = false;
  private readonly log: Logger;
  private controller = new AbortController();

  constructor(
    readonly deps: ValidatorClientDeps,
    readonly config: Pick<ValidatorConfig, 'disabled' | 'attestationsWaitTimeoutMs' | 'attestationsPollingIntervalMs'>,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('validator');
  }

  /** The node's attester keys (each with its address). */
  get signers(): readonly ProtectedSigner[] {
    return this.deps.signers ?? [];
  }

  /** The node's key of `attester`, if it holds it. */
  signerFor(attester: Address): ProtectedSigner | undefined {
    return this.signers.find(s => s.address.toLowerCase() === attester.toLowerCase());
  }

  /** Subscribes to the proposal and attestation topics. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.controller = new AbortController();
    this.deps.p2p.subscribe<CheckedProposal>('block_proposal', this.proposalValidator, (_data, from, checked) =>
      this.onProposal(checked, from),
    );
    this.deps.p2p.subscribe('attestation', this.attestationValidator);
    this.log.info('Validator client started', {
      attesters: this.signers.map(s => s.address),
      disabled: this.config.disabled,
    });
  }

  /** Stops handling proposals and attestations (messages are ignored from now on); aborts re-executions. */
  stop(): void {
    this.running = false;
    this.controller.abort();
  }

  /** The current slot by the clock. */
  currentSlot(): Slot {
    return slotAt(nowSeconds(this.deps.clock), this.deps.constants);
  }

  /** The proposal digest of a header hash and archive root on this rollup. */
  digestOf(headerHashFr: Fr, archive: Fr): Hex {
    return proposalDigest(this.deps.l1ChainId, this.deps.rollup, frToHex(headerHashFr), frToHex(archive));
  }

  /** The committee of `slot`'s epoch. */
  committeeOf(slot: Slot): Promise<{ committee: readonly Address[]; quorum: number }> {
    return this.deps.epochCache.getCommittee(epochOfSlot(slot, this.deps.constants));
  }

  /** Checks a proposal once, before it is forwarded; the handler gets the checked proposal (no second check). */
  private readonly proposalValidator: TopicValidator<CheckedProposal> = async data => {
    if (!this.running) return { result: 'ignore', reason: 'validator stopped' };
    const checked = await this.checkProposal(data);
    if (!('outcome' in checked)) return { result: 'accept', value: checked };
    if (checked.outcome.result === 'reject') {
      const { reason } = checked.outcome;
      this.log.warn('Rejected a block proposal', { slot: checked.slot, reason });
      this.deps.onProposal?.({ slot: checked.slot, digest: undefined, result: 'rejected', reason });
    }
    return checked.outcome;
  };

  private async checkProposal(data: Uint8Array): Promise<{ outcome: Refusal; slot?: Slot } | CheckedProposal> {
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
    await this.seen({ kind: 'block', signer, slot, digest, source: 'gossip' });
    this.proposals.add(slot, signer, digest);
    this.deps.observer?.({
      kind: 'proposal',
      slot,
      signer,
      digest,
      headerHash: frToHex(headerHash(header)),
      header: proposal.header,
      archive: frToHex(proposal.archive),
      signature: proposal.signature,
    });
    return { proposal, header, digest };
  }

  private async onProposal(checked: CheckedProposal | undefined, from: string): Promise<void> {
    if (!checked || !this.running) return;
    const outcome = await this.attest(checked.proposal, checked.header, checked.digest, from);
    if (outcome.result === 'attested') this.log.info('Attested a block proposal', { ...outcome, from });
    // Skipping is a node's normal state when it has no key or is outside the committee.
    else if (outcome.result === 'skipped')
      this.log.debug(`Block proposal not attested (skipped)`, { ...outcome, from });
    else this.log.warn(`Block proposal not attested (${outcome.result})`, { ...outcome, from });
    this.deps.metrics?.attestations.inc({ outcome: outcome.result });
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
    if (this.config.disabled || this.signers.length === 0) {
      return done('skipped', 'validator disabled or without a key');
    }
    const { committee } = await this.committeeOf(slot);
    const inCommittee = this.signers.filter(s => committee.some(a => a.toLowerCase() === s.address.toLowerCase()));
    if (inCommittee.length === 0) return done('skipped', 'not in the committee');
    // Keys held back by doppelganger protection are refused before any re-execution.
    const held = inCommittee.map(s => s.refusal()).filter((r): r is string => r !== undefined);
    const members = inCommittee.filter(s => s.refusal() === undefined);
    if (members.length === 0) return done('refused', held.join('; '));
    const deadline = Number(timestampForSlot(asSlot(slot + 1n), this.deps.constants)) * 1000;
    const txs = await this.fetchTxs(proposal.txHashes, from);
    if (typeof txs === 'string') return done('invalid', txs);
    const endReexecution = this.deps.metrics?.reexecution.startTimer();
    const result = await reexecuteProposal(
      { ...this.deps, signal: this.controller.signal },
      proposal,
      header,
      txs,
      deadline,
    );
    endReexecution?.();
    if (!result.ok) return done('invalid', result.reason);
    // Each of our attesters in the committee attests once, each through its own slashing protection.
    const refusals: string[] = [];
    for (const signer of members) {
      let signature;
      try {
        signature = await signer.sign('attestation', slot, digest);
      } catch (err) {
        if (err instanceof ValidatorError) {
          refusals.push(`${signer.address}: ${err.message}`);
          continue;
        }
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
        this.log.warn('Could not gossip the attestation', { slot, attester: signer.address, err });
      });
    }
    if (refusals.length === members.length) return done('refused', refusals.join('; '));
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
    await this.seen({ kind: 'attestation', signer: attester, slot: a.slot, digest, source: 'gossip' });
    this.deps.observer?.({
      kind: 'attestation',
      slot: a.slot,
      signer: attester,
      digest,
      headerHash: frToHex(a.headerHash),
      archive: frToHex(a.archive),
      signature: a.signature,
    });
    if (!this.pool.add(a.slot, digest, attester, a.signature)) return { result: 'ignore', reason: 'duplicate' };
    return { result: 'accept' };
  };

  private async seen(seen: SeenSignature): Promise<void> {
    try {
      await this.deps.onSignature?.(seen);
    } catch (err) {
      this.log.warn('Could not check a gossiped signature for doppelgangers', { ...seen, err });
    }
  }
}
