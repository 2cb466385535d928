import { getAddress, type Address } from 'viem';

/** One validator's duties over some slots, as the sentinel counted them. */
export interface ValidatorDuties {
  validator: Address;
  /** Slots in which it had a duty (to propose or to attest). */
  duties: number;
  /** Those it missed. */
  missed: number;
}

/** The sentinel's counts over a slot window (the node adapts `SentinelStats` to this). */
export interface InactivityStats {
  /**
   * Every validator with a duty in `[fromSlot, toSlot]`, and the slots the sentinel covers: the newest settled and
   * the oldest still stored (both absent before the first settled slot).
   */
  dutiesIn(
    fromSlot: bigint,
    toSlot: bigint,
  ): { lastProcessedSlot?: bigint | undefined; initialSlot?: bigint | undefined; validators: ValidatorDuties[] };
}

/** One slash of a payload: what the L1 `SlashAction` holds. */
export interface SlashActionInput {
  attester: Address;
  amount: bigint;
}

/** The inactivity rule (SLASH_INACTIVITY_*). */
export interface InactivityRule {
  /** Share of an epoch's duties missed that makes the epoch inactive (0 < x ≤ 1). */
  targetPercentage: number;
  /** Consecutive inactive epochs that make an offender. */
  epochs: number;
  /** Stake taken from each offender. */
  penalty: bigint;
}

/** The epochs a vote round judges, and their slots. */
export interface InactivityWindow {
  firstEpoch: bigint;
  lastEpoch: bigint;
  fromSlot: bigint;
  toSlot: bigint;
}

/**
 * Slots between the end of the last epoch judged and the round's first slot: the sentinel settles a slot two slots
 * after it ended, so by the round's first slot the epochs it judges are settled on every node.
 */
export const SETTLE_MARGIN_SLOTS = 2n;

/**
 * The epochs round `round` judges: the `rule.epochs` last epochs that ended at least `SETTLE_MARGIN_SLOTS` slots
 * before its first slot. Fixed per round (not per slot), so every proposer of the round computes the same payload.
 * Undefined when there are not that many epochs before it.
 */
export function inactivityWindow(
  round: bigint,
  roundSize: bigint,
  epochDuration: bigint,
  epochs: number,
): InactivityWindow | undefined {
  const roundStart = round * roundSize;
  if (roundStart < SETTLE_MARGIN_SLOTS) return undefined;
  // The newest epoch e with (e + 1) * D <= roundStart - margin, i.e. its last slot at least margin + 1 slots back.
  const lastEpoch = (roundStart - SETTLE_MARGIN_SLOTS) / epochDuration - 1n;
  const firstEpoch = lastEpoch - BigInt(epochs) + 1n;
  if (firstEpoch < 0n) return undefined;
  return { firstEpoch, lastEpoch, fromSlot: firstEpoch * epochDuration, toSlot: (lastEpoch + 1n) * epochDuration - 1n };
}

/** Why no offenders were computed for a round. */
export type NotReady = 'too_early' | 'not_settled' | 'history_too_short';

/**
 * The offenders of a window: validators that, in every epoch of it, had at least one duty and missed at least
 * `targetPercentage` of their duties; never one of `exclude` (this node's attesters, SLASH_VALIDATORS_NEVER).
 * Canonical: attesters ascending (as the SlashFactory requires), each with `penalty`, so honest nodes that counted
 * the same misses compute the same list, hence the same payload address.
 */
export function computeOffenders(
  epochs: readonly (readonly ValidatorDuties[])[],
  rule: Pick<InactivityRule, 'targetPercentage' | 'penalty'>,
  exclude: readonly Address[],
): SlashActionInput[] {
  if (epochs.length === 0) return [];
  const excluded = new Set(exclude.map(a => a.toLowerCase()));
  const inactive = (d: ValidatorDuties) => d.duties > 0 && d.missed >= rule.targetPercentage * d.duties;
  let candidates: Set<string> | undefined;
  for (const epoch of epochs) {
    const here = new Set(epoch.filter(inactive).map(d => d.validator.toLowerCase()));
    candidates = candidates ? new Set([...candidates].filter(v => here.has(v))) : here;
  }
  return [...(candidates ?? [])]
    .filter(v => !excluded.has(v))
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))
    .map(v => ({ attester: getAddress(v), amount: rule.penalty }));
}

/**
 * The offenders round `round` votes for, from the sentinel: per epoch of its window, each validator's duties and
 * misses. `not_settled` while the sentinel has not settled the window's last slot; `history_too_short` when its
 * history does not reach back to the window's first slot (a node that started later would count fewer epochs).
 */
export function offendersForRound(
  stats: InactivityStats,
  round: bigint,
  constants: { roundSize: bigint; epochDuration: bigint },
  rule: InactivityRule,
  exclude: readonly Address[],
): { window: InactivityWindow; offenders: SlashActionInput[] } | { notReady: NotReady } {
  const window = inactivityWindow(round, constants.roundSize, constants.epochDuration, rule.epochs);
  if (!window) return { notReady: 'too_early' };
  const perEpoch: ValidatorDuties[][] = [];
  for (let e = window.firstEpoch; e <= window.lastEpoch; e++) {
    const from = e * constants.epochDuration;
    const got = stats.dutiesIn(from, from + constants.epochDuration - 1n);
    if (got.lastProcessedSlot === undefined || got.lastProcessedSlot < window.toSlot)
      return { notReady: 'not_settled' };
    if (got.initialSlot === undefined || got.initialSlot > window.fromSlot) return { notReady: 'history_too_short' };
    perEpoch.push(got.validators);
  }
  return { window, offenders: computeOffenders(perEpoch, rule, exclude) };
}
