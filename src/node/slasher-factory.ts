import { zeroAddress, type Address, type Hex } from 'viem';

import type { MetricsRegistry } from '../foundation/metrics/index.js';
import { asSlot } from '../foundation/types/branded.js';
import { SlasherContract, type RollupConstants } from '../l1/contracts/index.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import type { EpochCache } from '../protocol/epoch/epoch-cache.js';
import { timestampForSlot } from '../protocol/epoch/time.js';
import type { SentinelStats } from '../sentinel/index.js';
import { SlasherClient, type InactivityStats, type SlasherClientDeps } from '../slasher/index.js';
import type { AztecConfig } from './config.js';
import type { L1Connection } from './l1-connection.js';
import type { NodeValidator } from './validator-keys.js';

/** What voting against inactive validators is wired from (a sequencer and the sentinel). */
export interface SlasherInactivityDeps {
  /** The sequencer's L1 tx sender of each publisher key: a signal comes from the attester's registered proposer. */
  senders: ReadonlyMap<Hex, L1TxSender>;
  epochCache: Pick<EpochCache, 'currentSlot' | 'getProposerAttester'>;
  constants: RollupConstants;
  /** The sentinel's stats, once it runs (it starts after the slasher). */
  stats: () => SentinelStats | undefined;
}

/** What the slasher is built from. */
export interface SlasherFactoryDeps {
  config: AztecConfig;
  l1: L1Connection;
  /** The node's validators: never reported; a slash of one of them is a warning. */
  validators: readonly NodeValidator[];
  /** The sequencer's sender of the first validator's first publisher key; none: nothing is reported. */
  sender: L1TxSender | undefined;
  metrics: MetricsRegistry;
  /** With a sequencer and the sentinel: this node votes against inactive validators (SLASH_INACTIVITY_ENABLED). */
  inactivity?: SlasherInactivityDeps | undefined;
  /** Tests: outcomes of reports, votes and slashes seen. */
  hooks?: Pick<SlasherClientDeps, 'onReported' | 'onSlashed' | 'onSignalled' | 'onVotedSlash'>;
}

/** The sentinel's per-validator counts as the slasher reads them: duties and misses (proposals and attestations). */
export function inactivityStatsOf(stats: SentinelStats): InactivityStats {
  return {
    dutiesIn: (from, to) => {
      const json = stats.validatorsStats(from, to);
      return {
        lastProcessedSlot: json.lastProcessedSlot === undefined ? undefined : BigInt(json.lastProcessedSlot),
        initialSlot: json.initialSlot === undefined ? undefined : BigInt(json.initialSlot),
        validators: Object.values(json.stats).map(v => ({
          validator: v.address,
          duties: v.totalSlots,
          missed: v.missedProposals.count + v.missedAttestations.count,
        })),
      };
    },
  };
}

/** The node's slasher (not started); none when the rollup has no Slasher. */
export function createSlasher(d: SlasherFactoryDeps): SlasherClient | undefined {
  const address = d.l1.addresses.slasher;
  if (address === zeroAddress) return undefined;
  const slasher = new SlasherContract(d.l1.publicClient, address);
  return new SlasherClient(d.config.slasher, {
    l1: d.l1.publicClient,
    slasher,
    sender: d.sender,
    ownAttesters: d.validators.map(v => v.attester),
    metrics: d.metrics,
    pollingIntervalMs: Math.max(250, (d.config.l1.ethereumSlotDuration * 1000) / 2),
    // Up to three L1 blocks: usually one honest node's report lands before the others send theirs.
    maxJitterMs: 3 * d.config.l1.ethereumSlotDuration * 1000,
    ...(d.inactivity ? { inactivity: inactivityDeps(d.inactivity, d.validators, slasher) } : {}),
    ...d.hooks,
  });
}

function inactivityDeps(
  d: SlasherInactivityDeps,
  validators: readonly NodeValidator[],
  slasher: SlasherContract,
): NonNullable<SlasherClientDeps['inactivity']> {
  const registered = new Map<string, Promise<Address>>();
  return {
    epochDuration: d.constants.epochDuration,
    stats: () => {
      const stats = d.stats();
      return stats && inactivityStatsOf(stats);
    },
    currentSlot: () => d.epochCache.currentSlot(),
    proposerAt: slot => d.epochCache.getProposerAttester(asSlot(slot)),
    senderFor: async attester => {
      const key = attester.toLowerCase();
      let proposer = registered.get(key);
      if (!proposer) {
        proposer = slasher.proposerForAttester(attester);
        registered.set(key, proposer);
        proposer.catch(() => registered.delete(key));
      }
      const want = (await proposer).toLowerCase();
      const validator = validators.find(v => v.attester.toLowerCase() === key);
      for (const k of validator?.publisherPrivateKeys ?? []) {
        const sender = d.senders.get(k);
        if (sender?.address.toLowerCase() === want) return sender;
      }
      return undefined;
    },
    slotEnd: slot => new Date(Number(timestampForSlot(asSlot(slot + 1n), d.constants)) * 1000),
  };
}
