import { getAddress, type Address } from 'viem';

import { asSlot } from '../foundation/types/branded.js';
import { epochOfSlot, timestampForSlot, type RollupTimeConstants } from '../protocol/epoch/time.js';
import type { SentinelStore } from './store.js';
import type { StoredDuty, ValidatorStatusInSlot } from './types.js';

/** A slot with its start time: when a validator last did a duty. Bigints as decimal strings, as the API writes them. */
export interface SlotTimeJson {
  slot: string;
  timestamp: string;
  date: string;
}

/** How often a validator missed one kind of duty in the window. */
export interface MissedStatsJson {
  /** Misses in a row up to the newest duty of this kind. */
  currentStreak: number;
  /** `count / total`; absent without any duty of this kind. */
  rate?: number;
  count: number;
  total: number;
}

/** One validator's duties over a slot window (Aztec's `ValidatorStats`, plus where attestations were seen). */
export interface ValidatorStatsJson {
  address: Address;
  /** Slots in the window in which it had a duty. */
  totalSlots: number;
  lastProposal?: SlotTimeJson;
  lastAttestation?: SlotTimeJson;
  missedProposals: MissedStatsJson;
  missedAttestations: MissedStatsJson;
  proposals: { mined: number; proposed: number };
  attestations: { sent: number; seenOnGossip: number; includedOnL1: number };
  /** Every duty in the window, oldest first. */
  history: { slot: string; status: ValidatorStatusInSlot }[];
}

/** The slots a stats answer covers. */
export interface StatsWindowJson {
  /** Newest slot settled (both L1 and gossip looked at), absent before the first. */
  lastProcessedSlot?: string;
  /** Oldest slot still stored. */
  initialSlot?: string;
  /** How many slots the sentinel keeps (SENTINEL_HISTORY_LENGTH_IN_EPOCHS × epoch duration). */
  slotWindow: number;
  /** The slots this answer counts, inclusive (absent before the first slot is settled). */
  fromSlot?: string;
  toSlot?: string;
}

/** `node_getValidatorsStats`: every validator with a duty in the window. */
export interface ValidatorsStatsJson extends StatsWindowJson {
  stats: Record<Address, ValidatorStatsJson>;
}

/** One epoch of one validator's duties. */
export interface EpochPerformanceJson {
  epoch: string;
  proposals: { made: number; missed: number };
  attestations: { sent: number; missed: number };
}

/** `node_getValidatorStats`: one validator over a window, with its duties per epoch. */
export interface SingleValidatorStatsJson extends StatsWindowJson {
  validator: ValidatorStatsJson;
  epochs: EpochPerformanceJson[];
}

const isProposal = (s: ValidatorStatusInSlot) => s.startsWith('block-');

function missed(duties: readonly StoredDuty[], miss: ValidatorStatusInSlot): MissedStatsJson {
  let currentStreak = 0;
  for (let i = duties.length - 1; i >= 0 && duties[i]!.status === miss; i--) currentStreak++;
  const count = duties.filter(d => d.status === miss).length;
  const total = duties.length;
  return total === 0 ? { currentStreak, count, total } : { currentStreak, rate: count / total, count, total };
}

/**
 * Reads the sentinel's store into the API's answers: per validator, misses with their rate and current streak,
 * proposals and attestations by where they were seen, the last duty done, and the history of statuses.
 */
export class SentinelStats {
  constructor(
    private readonly store: SentinelStore,
    private readonly constants: RollupTimeConstants,
  ) {}

  /** The window `[from, to]` an answer covers: the whole history by default, clamped to what is stored. */
  private window(fromSlot?: bigint, toSlot?: bigint): { from: bigint; to: bigint; json: StatsWindowJson } | undefined {
    const last = this.store.getLastProcessedSlot();
    const first = this.store.getFirstSlot();
    const base: StatsWindowJson = { slotWindow: this.store.historySlots };
    if (last === undefined || first === undefined) return undefined;
    const from = fromSlot !== undefined && fromSlot > first ? fromSlot : first;
    const to = toSlot !== undefined && toSlot < last ? toSlot : last;
    return {
      from,
      to,
      json: {
        ...base,
        lastProcessedSlot: last.toString(),
        initialSlot: first.toString(),
        fromSlot: from.toString(),
        toSlot: to.toString(),
      },
    };
  }

  /** Every validator with a duty in `[fromSlot, toSlot]` (default: the whole stored window). */
  validatorsStats(fromSlot?: bigint, toSlot?: bigint): ValidatorsStatsJson {
    const w = this.window(fromSlot, toSlot);
    if (!w) return { stats: {}, slotWindow: this.store.historySlots };
    const byValidator = new Map<Address, StoredDuty[]>();
    for (const d of this.store.dutiesIn(w.from, w.to)) {
      const list = byValidator.get(d.validator) ?? [];
      list.push(d);
      byValidator.set(d.validator, list);
    }
    const stats: Record<Address, ValidatorStatsJson> = {};
    for (const [validator, duties] of [...byValidator].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const json = this.validatorJson(validator, duties);
      stats[json.address] = json;
    }
    return { ...w.json, stats };
  }

  /** One validator in `[fromSlot, toSlot]`, with its epochs; undefined when it had no duty there. */
  validatorStats(address: Address, fromSlot?: bigint, toSlot?: bigint): SingleValidatorStatsJson | undefined {
    const w = this.window(fromSlot, toSlot);
    if (!w) return undefined;
    const duties = [...this.store.dutiesIn(w.from, w.to, address)];
    if (duties.length === 0) return undefined;
    const epochs = new Map<bigint, EpochPerformanceJson>();
    for (const d of duties) {
      const epoch = epochOfSlot(asSlot(d.slot), this.constants);
      let e = epochs.get(epoch);
      if (!e) {
        e = { epoch: epoch.toString(), proposals: { made: 0, missed: 0 }, attestations: { sent: 0, missed: 0 } };
        epochs.set(epoch, e);
      }
      if (d.status === 'block-missed') e.proposals.missed++;
      else if (isProposal(d.status)) e.proposals.made++;
      else if (d.status === 'attestation-missed') e.attestations.missed++;
      else e.attestations.sent++;
    }
    return { ...w.json, validator: this.validatorJson(address, duties), epochs: [...epochs.values()] };
  }

  private validatorJson(address: Address, duties: readonly StoredDuty[]): ValidatorStatsJson {
    const proposals = duties.filter(d => isProposal(d.status));
    const attestations = duties.filter(d => !isProposal(d.status));
    const lastProposal = proposals.filter(d => d.status !== 'block-missed').at(-1);
    const lastAttestation = attestations.filter(d => d.status === 'attestation-sent').at(-1);
    const sent = attestations.filter(d => d.status === 'attestation-sent');
    return {
      address: getAddress(address),
      totalSlots: duties.length,
      ...(lastProposal ? { lastProposal: this.slotTime(lastProposal.slot) } : {}),
      ...(lastAttestation ? { lastAttestation: this.slotTime(lastAttestation.slot) } : {}),
      missedProposals: missed(proposals, 'block-missed'),
      missedAttestations: missed(attestations, 'attestation-missed'),
      proposals: {
        mined: proposals.filter(d => d.status === 'block-mined').length,
        proposed: proposals.filter(d => d.status === 'block-proposed').length,
      },
      attestations: {
        sent: sent.length,
        seenOnGossip: sent.filter(d => d.gossip === true).length,
        includedOnL1: sent.filter(d => d.l1 === true).length,
      },
      history: duties.map(d => ({ slot: d.slot.toString(), status: d.status })),
    };
  }

  private slotTime(slot: bigint): SlotTimeJson {
    const timestamp = timestampForSlot(asSlot(slot), this.constants);
    return {
      slot: slot.toString(),
      timestamp: timestamp.toString(),
      date: new Date(Number(timestamp) * 1000).toISOString(),
    };
  }
}
