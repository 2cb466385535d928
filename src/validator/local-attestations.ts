import type { Address, Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { proposalDigest, signProposalDigest, type Attestation } from '../l1/proposal-digest.js';
import { frToHex } from '../types/fr.js';
import { headerHash } from '../types/header-codec.js';
import type { AttestationSource, BuiltBlock } from '../sequencer/deps.js';

/**
 * Attestations this node can give on its own: its validator key's signature when it sits in the committee. Enough
 * for a committee of one (or an empty one); larger committees need the others' attestations over P2P.
 */
export class LocalAttestations implements AttestationSource {
  private readonly attester: Address;
  private readonly log: Logger;

  constructor(
    private readonly validatorKey: Hex,
    private readonly l1: { l1ChainId: number; rollup: Address },
    logger?: Logger,
  ) {
    this.attester = privateKeyToAddress(validatorKey);
    this.log = logger ?? createLogger('validator');
  }

  async collect(args: {
    built: BuiltBlock;
    committee: readonly Address[];
    quorum: number;
  }): Promise<{ attestations: Attestation[] } | { reason: string }> {
    const { committee, quorum, built } = args;
    if (committee.length === 0) return { attestations: [] };
    const mine = committee.findIndex(a => a.toLowerCase() === this.attester.toLowerCase());
    const available = mine >= 0 ? 1 : 0;
    if (available < quorum) {
      return {
        reason:
          `not enough attestations: ${available} of ${committee.length} committee members available, ` +
          `${quorum} needed (other members' attestations need P2P)`,
      };
    }
    const digest = proposalDigest(
      this.l1.l1ChainId,
      this.l1.rollup,
      frToHex(headerHash(built.block.header)),
      frToHex(built.block.archive.root),
    );
    const attestation = await signProposalDigest(digest, this.validatorKey);
    this.log.debug('Attested our own block', { slot: built.block.header.globalVariables.slotNumber });
    return { attestations: [attestation] };
  }
}
