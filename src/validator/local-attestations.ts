import type { Address } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { proposalDigest, type Attestation } from '../protocol/proposal-digest.js';
import type { AttestationRequest, AttestationSource } from '../protocol/attestations.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import { ValidatorError } from './errors.js';
import type { ProtectedSigner } from './slashing-protection.js';

/**
 * Attestations this node can give on its own: its validator key's signature when it sits in the committee. Enough
 * for a committee of one (or an empty one); larger committees need the others' attestations over P2P. Signs through
 * slashing protection like the P2P path, so a restart on the same data directory cannot attest a different block
 * for a slot it already attested.
 */
export class LocalAttestations implements AttestationSource {
  private readonly log: Logger;

  constructor(
    private readonly signer: ProtectedSigner,
    private readonly l1: { l1ChainId: number; rollup: Address },
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('validator');
  }

  async collect(
    args: Pick<AttestationRequest, 'built' | 'committee' | 'quorum'>,
  ): Promise<{ attestations: Attestation[] } | { reason: string }> {
    const { committee, quorum, built } = args;
    if (committee.length === 0) return { attestations: [] };
    const mine = committee.findIndex(a => a.toLowerCase() === this.signer.address.toLowerCase());
    const available = mine >= 0 ? 1 : 0;
    if (available < quorum) {
      return {
        reason:
          `not enough attestations: ${available} of ${committee.length} committee members available, ` +
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
    let attestation: Attestation;
    try {
      attestation = await this.signer.sign('attestation', slot, digest);
    } catch (err) {
      if (err instanceof ValidatorError) return { reason: `slashing protection: ${err.message}` };
      throw err;
    }
    this.log.debug('Attested our own block', { slot });
    return { attestations: [attestation] };
  }
}
