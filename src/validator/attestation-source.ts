import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { sleep } from '../foundation/timers/index.js';
import { counter, histogram, Registry, type MetricsRegistry } from '../foundation/metrics/index.js';
import type { Attestation } from '../protocol/proposal-digest.js';
import type { AttestationRequest, AttestationSource } from '../protocol/attestations.js';
import { encodeHeader, headerHash, txHash } from '../types/index.js';
import { ValidatorError } from './errors.js';
import { encodeBlockAttestation, encodeBlockProposal } from './messages.js';
import type { ValidatorClient } from './validator-client.js';

/** How long a quorum takes and how often it does not come, for the proposer's `/metrics`. */
function attestationMetrics(registry: MetricsRegistry) {
  return {
    quorumSeconds: histogram(registry, {
      name: 'aztec_sequencer_proposal_quorum_seconds',
      help: 'Seconds from gossiping our block proposal to holding a quorum of committee attestations',
      buckets: [0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6],
    }),
    slotsWithoutQuorum: counter(registry, {
      name: 'aztec_sequencer_slots_without_quorum_total',
      help: 'Slots this proposer gave up because too few committee members attested in time',
    }),
  };
}

/**
 * The sequencer's `AttestationSource` over P2P: signs the proposal and its own attestations (all through slashing
 * protection, the proposal first), gossips the proposal, then polls the validator client's attestation pool every
 * `attestationsPollingIntervalMs` (for at most `attestationsWaitTimeoutMs`, and not past the deadline) until a quorum
 * of committee members attested. Attestations come back in committee order.
 */
export class P2PAttestationSource implements AttestationSource {
  private readonly log: Logger;
  private readonly metrics: ReturnType<typeof attestationMetrics>;

  /** `metrics`: where the latency histogram and the no-quorum counter go (the node's registry; private if absent). */
  constructor(
    private readonly client: ValidatorClient,
    opts: { logger?: Logger; metrics?: MetricsRegistry } = {},
  ) {
    this.log = opts.logger ?? createLogger('validator');
    this.metrics = attestationMetrics(opts.metrics ?? new Registry());
  }

  async collect(args: AttestationRequest): Promise<{ attestations: Attestation[] } | { reason: string }> {
    const { built, committee, quorum } = args;
    if (committee.length === 0) return { attestations: [] };
    const proposer = this.client.signerFor(args.proposer);
    if (!proposer) return { reason: `no key of the proposer ${args.proposer} to sign the proposal with` };
    const held = proposer.refusal();
    if (held !== undefined) return { reason: held };
    const { header, archive } = built.block;
    const slot = header.globalVariables.slotNumber;
    const hash = headerHash(header);
    const digest = this.client.digestOf(hash, archive.root);
    const pool = this.client.pool;
    const { p2p } = this.client.deps;

    let signature: Attestation;
    try {
      // The proposal first: with HA signing, the node that wins the block claim is the one that attests its own
      // block with the set's attesters, so two nodes of the set never split those attestations between them.
      signature = await proposer.sign('block', slot, digest);
      // Every attester of ours in the committee attests our own block (gossip does not bring our proposal back).
      for (const signer of this.client.signers) {
        if (!committee.some(a => a.toLowerCase() === signer.address.toLowerCase())) continue;
        // A key held back by doppelganger protection does not attest; the others still may.
        if (signer.refusal() !== undefined) continue;
        const own = await signer.sign('attestation', slot, digest);
        pool.add(slot, digest, signer.address, own);
        const attestation = { slot, headerHash: hash, archive: archive.root, signature: own };
        await p2p
          .publish('attestation', encodeBlockAttestation(attestation))
          .catch((err: unknown) => this.log.warn('Could not gossip our attestation', { slot, err }));
      }
    } catch (err) {
      if (err instanceof ValidatorError) return { reason: `slashing protection: ${err.message}` };
      throw err;
    }
    const proposal = {
      slot,
      header: encodeHeader(header),
      archive: archive.root,
      txHashes: built.included.map(tx => txHash(tx)),
      signature,
    };
    this.client.proposals.add(slot, proposer.address, digest);
    const gossipedAt = performance.now();
    const peers = await p2p.publish('block_proposal', encodeBlockProposal(proposal)).catch((err: unknown) => {
      this.log.warn('Could not gossip the block proposal', { slot, err });
      return 0;
    });
    this.log.info('Gossiped block proposal', { slot, digest, txs: proposal.txHashes.length, peers });

    const { attestationsWaitTimeoutMs: timeout, attestationsPollingIntervalMs: interval } = this.client.config;
    const clock = this.client.deps.clock;
    const until = Math.min(args.deadline.getTime(), clock.nowMs() + timeout);
    for (;;) {
      const have = pool.get(slot, digest);
      const ordered: Attestation[] = [];
      const used = new Set<string>();
      for (const member of committee) {
        const key = member.toLowerCase() as Address;
        const a = have.get(key);
        if (a && !used.has(key)) ordered.push(a);
        used.add(key);
      }
      if (ordered.length >= quorum) {
        const ms = performance.now() - gossipedAt;
        this.metrics.quorumSeconds.observe(ms / 1000);
        this.log.info('Collected attestations', {
          slot,
          attestations: ordered.length,
          quorum,
          quorumMs: Math.round(ms),
        });
        return { attestations: ordered };
      }
      if (clock.nowMs() + interval > until) {
        this.metrics.slotsWithoutQuorum.inc();
        return {
          reason:
            `not enough attestations: ${ordered.length} of ${committee.length} committee members attested, ` +
            `${quorum} needed`,
        };
      }
      // Rejects with AbortedError when the node stops: the sequencer gives the slot up at once.
      await sleep(interval, args.signal);
    }
  }
}
