import type { Hex } from 'viem';

import { createLogger } from '../../foundation/log/index.js';
import type { AttestationRequest, AttestationSource } from '../../protocol/attestations.js';
import { signProposalDigest } from '../../protocol/proposal-digest.js';
import { encodeHeader, headerHash, txHash, type Fr } from '../../types/index.js';
import { encodeBlockProposal } from '../../validator/messages.js';
import type { ValidatorClient } from '../../validator/validator-client.js';

const log = createLogger('slasher:testing');

/**
 * Tests only (not built into dist/, reachable only through `startAztecNode`'s `testing` option): makes a node
 * equivocate. In the first `times` slots it proposes in, it first gossips a second proposal of the same header with
 * another archive root, signed with `privateKey` directly (skipping slashing protection), then proposes its real
 * block as usual. Committee members refuse the fake one (re-execution gives another archive) but have seen two
 * digests signed by the slot's proposer.
 */
export function equivocatingProposer(
  privateKey: Hex,
  opts: { times?: number; onEquivocated?: (slot: bigint) => void } = {},
): (source: AttestationSource, client: ValidatorClient | undefined) => AttestationSource {
  let remaining = opts.times ?? 1;
  return (source, client) => ({
    async collect(args: AttestationRequest) {
      if (remaining > 0 && client && args.committee.length > 0) {
        remaining--;
        const { header, archive } = args.built.block;
        const slot = header.globalVariables.slotNumber;
        const otherArchive = (archive.root ^ 1n) as Fr;
        const digest = client.digestOf(headerHash(header), otherArchive);
        const signature = await signProposalDigest(digest, privateKey);
        const fake = {
          slot,
          header: encodeHeader(header),
          archive: otherArchive,
          txHashes: args.built.included.map(tx => txHash(tx)),
          signature,
        };
        const peers = await client.deps.p2p.publish('block_proposal', encodeBlockProposal(fake));
        log.warn('Gossiped a second, conflicting block proposal (test-only equivocation)', { slot, digest, peers });
        opts.onEquivocated?.(slot);
      }
      return source.collect(args);
    },
  });
}
