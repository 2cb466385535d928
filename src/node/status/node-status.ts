import type { Address } from 'viem';

import type { Archiver } from '../../archiver/archiver.js';
import { asSlot } from '../../foundation/types/branded.js';
import type { L1Clock } from '../../l1/l1-clock.js';
import type { PeerInfo } from '../../p2p/service.js';
import type { EpochCache } from '../../protocol/epoch/epoch-cache.js';
import { epochOfSlot, type RollupTimeConstants } from '../../protocol/epoch/time.js';
import { proposalDigest } from '../../protocol/proposal-digest.js';
import { frToHex } from '../../types/index.js';
import type { SingleValidatorStatsJson } from '../../sentinel/stats.js';
import type { SlashingProtection } from '../../validator/slashing-protection.js';
import type { Readiness } from '../readiness.js';
import { collectStatus, type StatusSources } from './collect.js';
import { chainDigestsBySlot, localValidators } from './duties.js';
import type { StatusView } from './view.js';

/** The node's components the status page reads. */
export interface NodeStatusDeps {
  facts: StatusSources['facts'];
  readiness: Readiness;
  archiver: Archiver;
  clock: L1Clock;
  worldState: { getBlockNumber(): bigint } | undefined;
  epochCache: EpochCache;
  constants: RollupTimeConstants;
  p2p: { getPeerInfo(): PeerInfo[] } | undefined;
  /** This node's attester addresses. */
  attesters: readonly Address[];
  protection: SlashingProtection;
  l1ChainId: number;
  rollup: Address;
  /** With the sentinel (SENTINEL_ENABLED): its figures for one validator over its window, joined to each row. */
  sentinel?: { validatorStats(address: Address): SingleValidatorStatsJson | undefined };
}

/** The sentinel's figures shown on a validator's row (name → value). */
export function sentinelFigures(s: SingleValidatorStatsJson | undefined): Record<string, number | string> | null {
  if (s === undefined) return null;
  const v = s.validator;
  const rate = (r: number | undefined) => (r === undefined ? '–' : `${(r * 100).toFixed(1)}%`);
  return {
    'sentinel: slots with a duty': v.totalSlots,
    'blocks mined': v.proposals.mined,
    'proposals missed': `${v.missedProposals.count} (${rate(v.missedProposals.rate)})`,
    'attestations sent': v.attestations.sent,
    'attestations missed': `${v.missedAttestations.count} (${rate(v.missedAttestations.rate)})`,
    'miss streak': Math.max(v.missedProposals.currentStreak, v.missedAttestations.currentStreak),
  };
}

/**
 * The status view of a running node. Validators come from `localValidators` (its own signatures and the chain); when
 * the sentinel runs, its figures join each row (`ValidatorRow.stats`, `source: 'local+sentinel'`).
 */
export function nodeStatusView(d: NodeStatusDeps): () => Promise<StatusView> {
  const store = d.archiver.store;
  const sources: StatusSources = {
    facts: d.facts,
    readiness: () => d.readiness.report(),
    archiver: () => d.archiver.syncStatus(),
    tips: () => ({ proven: store.getProvenBlockNumber(), finalized: store.getFinalizedBlockNumber() }),
    l1Head: () => d.clock.latestBlock()?.number,
    worldStateBlock: d.worldState && (() => d.worldState!.getBlockNumber()),
    slot: () => {
      const slot = d.epochCache.currentSlot();
      return { slot, epoch: epochOfSlot(slot, d.constants) };
    },
    peers: d.p2p && (() => d.p2p!.getPeerInfo()),
    validators: async () => {
      const local = await localValidators({
        attesters: d.attesters,
        signed: (signer, from, to) => d.protection.signedBetween(signer, from, to),
        blockDigests: (from, to) =>
          chainDigestsBySlot(
            store,
            (hash, archive) => proposalDigest(d.l1ChainId, d.rollup, frToHex(hash), frToHex(archive)),
            from,
            to,
          ),
        roles: async slot => {
          const s = asSlot(slot);
          const { committee } = await d.epochCache.getCommittee(epochOfSlot(s, d.constants));
          return { proposer: await d.epochCache.getProposerAttester(s), committee };
        },
        currentSlot: () => d.epochCache.currentSlot(),
      });
      const sentinel = d.sentinel;
      if (sentinel === undefined) return local;
      return {
        ...local,
        source: 'local+sentinel' as const,
        list: local.list.map(row => ({
          ...row,
          stats: sentinelFigures(sentinel.validatorStats(row.address as Address)),
        })),
      };
    },
  };
  return () => collectStatus(sources);
}
