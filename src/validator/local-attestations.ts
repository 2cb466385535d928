import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { proposalDigest, type Attestation } from '../protocol/proposal-digest.js';
import type { AttestationRequest, AttestationSource } from '../protocol/attestations.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { ValidatorError } from './errors.js';
import type { ProtectedSigner } from './slashing-protection.js';

/**
 * Attestations this node can give on its own: the signatures of each of its attesters that sits in the committee.
 * Enough when the node holds a quorum of the committee (a local network of one node with several attesters, or a
 * committee of one); otherwise the others' attestations need P2P. Each signs through slashing protection like the
 * P2P path, so a restart on the same data directory cannot attest a different block for a slot it already attested.
 */
export class LocalAttestations implements AttestationSource {
  private readonly log: Logger;

  constructor(
    private readonly signers: readonly ProtectedSigner[],
    private readonly l1: { l1ChainId: number; rollup: Address },
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('validator');
  }

  async collect(
    args: Pick<AttestationRequest, 'built' | 'committee' | 'quorum'> & Partial<Pick<AttestationRequest, 'proposer'>>,
  ): Promise<{ attestations: Attestation[] } | { reason: string }> {
    const { committee, quorum, built } = args;
    if (committee.length === 0) return { attestations: [] };
    // In committee order, as L1 checks them.
    const mine = committee
      .map(a => this.signers.find(s => s.address.toLowerCase() === a.toLowerCase()))
      .filter((s, i, all): s is ProtectedSigner => s !== undefined && all.indexOf(s) === i)
      // A key held back by doppelganger protection does not attest.
      .filter(s => s.refusal() === undefined);
    if (mine.length < quorum) {
      return {
        reason:
          `not enough attestations: ${mine.length} of ${committee.length} committee members available, ` +
          `${quorum} needed (other members' attestations need P2P)`,
      };
    }
    const slot = built.block.header.globalVariables.slotNumber;
    const digest = proposalDigest(
      this.l1.l1ChainId,
      this.l1.rollup,
      frToHex(headerHash(built.block.header)),
      frToHex(built.block.archive.root),
    );
    const attestations: Attestation[] = [];
    // The proposal is claimed first (it is not gossiped here): with HA signing, only the node of the set that wins
    // it attests with the set's attesters, so two nodes never split the committee's attestations between them.
    const proposer = args.proposer && this.signers.find(s => s.address.toLowerCase() === args.proposer!.toLowerCase());
    if (proposer) {
      try {
        await proposer.sign('block', slot, digest);
      } catch (err) {
        if (err instanceof ValidatorError) return { reason: `slashing protection: ${err.message}` };
        throw err;
      }
    }
    for (const signer of mine) {
      try {
        attestations.push(await signer.sign('attestation', slot, digest));
      } catch (err) {
        if (err instanceof ValidatorError) return { reason: `slashing protection: ${err.message}` };
        throw err;
      }
    }
    this.log.debug('Attested our own block', { slot, attesters: mine.length });
    return { attestations };
  }
}
