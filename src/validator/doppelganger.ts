import type { Address, Hex } from 'viem';

import { createLogger, type Logger } from '../foundation/log/index.js';
import { gauge, Registry, type MetricsRegistry } from '../foundation/metrics/index.js';
import { nowSeconds, type Clock } from '../foundation/time/index.js';
import { slotAt, type RollupTimeConstants } from '../protocol/epoch/time.js';
import type { SignedDutyLookup, SigningGate, SigningKind } from './slashing-protection.js';

/**
 * The one question doppelganger protection asks of the node's own signing record: which digest did one of our
 * nodes sign as `kind` for `signer` at `slot`? `SlashingProtection` answers it from the local store; with HA signing
 * the shared database answers it (`signedDutyLookup`), so that nodes sharing one database are not each other's
 * doppelgangers.
 */
export type SigningRecord = SignedDutyLookup;

/** Where a signature was seen. */
export type SignatureSource = 'gossip' | 'l1';

/** A valid signature by some attester over a proposal digest, seen on gossip or in a block on L1. */
export interface SeenSignature {
  kind: SigningKind;
  signer: Address;
  slot: bigint;
  digest: Hex;
  source: SignatureSource;
}

/** An attester's doppelganger state: `watching` until its watch ends, then `clear`; `detected` for good. */
export type DoppelgangerState = 'off' | 'watching' | 'clear' | 'detected';

/** What `status()` reports per attester (admin RPC, logs). */
export interface AttesterDoppelgangerStatus {
  attester: Address;
  state: DoppelgangerState;
  /** The first slot this attester may sign in (the end of its watch); absent when protection is off. */
  signsFromSlot?: bigint;
  /** The signature made elsewhere that put the attester in `detected`. */
  detected?: Omit<SeenSignature, 'signer'>;
}

/** The node's doppelganger protection, as `nodeAdmin_getValidatorStatus` shows it. */
export interface DoppelgangerStatus {
  epochs: number;
  /** The slot the watch started in (absent before `start()` or when off). */
  watchStartSlot?: bigint;
  attesters: AttesterDoppelgangerStatus[];
}

/** What `DoppelgangerProtection` works with. */
export interface DoppelgangerDeps {
  /** The node's attesters (keystore or VALIDATOR_PRIVATE_KEY). */
  attesters: readonly Address[];
  constants: RollupTimeConstants;
  /** L1 time: decides the slot the watch starts in and when it ends. */
  clock: Clock;
  /** The node's own signing record (local slashing protection, or the HA database). */
  record: SigningRecord;
  /** Where `aztec_validator_doppelganger_*` go (a private registry if absent). */
  metrics?: MetricsRegistry;
  logger?: Logger;
}

const lower = (a: string) => a.toLowerCase();
const what = (kind: SigningKind) => (kind === 'block' ? 'a block proposal' : 'an attestation');

/**
 * Doppelganger protection (`VALIDATOR_DOPPELGANGER_EPOCHS=N`): from `start()`, the node watches for `N` epochs
 * (`N × epochDuration` slots) for valid signatures by its attesters on gossip (proposals, attestations) and in the
 * blocks L1 accepted (attestations; the slot's proposer), and signs nothing with them until the watch is over. A
 * signature that the node's signing record does not hold with the same digest was made by another signer of the
 * same key: that attester is refused for the life of the process, logged as an error naming it, and reported by
 * the `aztec_validator_doppelganger_detected` gauge and `nodeAdmin_getValidatorStatus`. The node's other attesters
 * go on once their watch ends. Detection goes on after the watch, with the same rule: a doppelganger started later
 * is found too (the signing record holds every signature of ours before it is made, so ours are never mistaken).
 *
 * Signatures for slots before the watch started are not counted: they may be this key's own from before a restart
 * on a fresh data directory (import the old history with `aztec import-slashing-protection` and they are known).
 * An attester outside the committee for the whole watch cannot be seen signing (its signatures would be invalid):
 * the watch proves only that no other signer was active while it had duties.
 */
export class DoppelgangerProtection implements SigningGate {
  private readonly attesters: readonly Address[];
  private readonly detected = new Map<string, Omit<SeenSignature, 'signer'>>();
  private startSlot: bigint | undefined;
  private readonly log: Logger;
  private readonly detectedGauge;

  constructor(
    readonly config: { epochs: number },
    private readonly deps: DoppelgangerDeps,
  ) {
    this.attesters = [...deps.attesters];
    this.log = deps.logger ?? createLogger('validator');
    const registry = deps.metrics ?? new Registry();
    this.detectedGauge = gauge(registry, {
      name: 'aztec_validator_doppelganger_detected',
      help: 'Per attester: 1 once another signer of its key was seen on gossip or L1 (this node then never signs with it), else 0',
      labelNames: ['attester'],
    });
    const watchingNow = () => this.status().attesters.filter(a => a.state === 'watching').length;
    gauge(registry, {
      name: 'aztec_validator_doppelganger_watching',
      help: 'Attesters this node does not sign with yet because their doppelganger watch (VALIDATOR_DOPPELGANGER_EPOCHS) is not over',
      // Read at scrape time: the watch ends with the clock, not with an event.
      collect() {
        this.set(watchingNow());
      },
    });
    for (const a of this.attesters) this.detectedGauge.set({ attester: a }, 0);
  }

  /** Whether protection is on (`VALIDATOR_DOPPELGANGER_EPOCHS` > 0). */
  get enabled(): boolean {
    return this.config.epochs > 0;
  }

  /** Starts the watch at the current slot (idempotent). */
  start(): void {
    if (!this.enabled || this.startSlot !== undefined) return;
    this.startSlot = this.currentSlot();
    this.log.info('Doppelganger protection: watching gossip and L1 before signing', {
      attesters: this.attesters,
      epochs: this.config.epochs,
      fromSlot: this.startSlot,
      signsFromSlot: this.signsFromSlot(),
    });
  }

  /** The slot the watch started in; undefined when off or not started. Signatures before it are not counted. */
  get watchStartSlot(): bigint | undefined {
    return this.startSlot;
  }

  /** The first slot the node signs in (the end of the watch); undefined when off or not started. */
  signsFromSlot(): bigint | undefined {
    if (this.startSlot === undefined) return undefined;
    return this.startSlot + BigInt(this.config.epochs) * this.deps.constants.epochDuration;
  }

  /**
   * Checks a valid signature seen on gossip or L1: one by an attester of ours, for a slot of the watch or later, that
   * the signing record does not hold with this digest is a doppelganger's. Resolves once checked.
   */
  async observe(seen: SeenSignature): Promise<void> {
    if (!this.enabled || this.startSlot === undefined || seen.slot < this.startSlot) return;
    const attester = this.attesters.find(a => lower(a) === lower(seen.signer));
    if (attester === undefined || this.detected.has(lower(attester))) return;
    const ours = await this.deps.record.get(seen.kind, attester, seen.slot);
    if (ours !== undefined && lower(ours) === lower(seen.digest)) return;
    if (this.detected.has(lower(attester))) return; // seen twice while the record was read
    const { kind, slot, digest, source } = seen;
    this.detected.set(lower(attester), { kind, slot, digest, source });
    this.detectedGauge.set({ attester }, 1);
    this.log.error(
      `Doppelganger detected: attester ${attester} signed ${what(kind)} for slot ${slot} elsewhere (seen on ` +
        `${source === 'l1' ? 'L1' : 'gossip'}); this node will not sign with it until restarted. Stop the other ` +
        'node using this key (or share one HA database with it) before restarting this one.',
      { attester, kind, slot, digest, source, ourDigest: ours },
    );
  }

  /** Why `attester` may not sign now (watch not over, or a doppelganger seen); undefined when it may. */
  refusal(attester: Address): string | undefined {
    if (!this.enabled) return undefined;
    const found = this.detected.get(lower(attester));
    if (found) {
      return (
        `doppelganger protection: attester ${attester} is signing elsewhere (${what(found.kind)} for slot ${found.slot} ` +
        `seen on ${found.source === 'l1' ? 'L1' : 'gossip'}); not signing with it until restarted`
      );
    }
    const from = this.signsFromSlot();
    if (from === undefined) return `doppelganger protection: the watch of attester ${attester} has not started`;
    const slot = this.currentSlot();
    if (slot < from) {
      return (
        `doppelganger protection: watching for other signers of attester ${attester} until slot ${from} ` +
        `(VALIDATOR_DOPPELGANGER_EPOCHS=${this.config.epochs}); now slot ${slot}`
      );
    }
    return undefined;
  }

  /** Every attester's state. */
  status(): DoppelgangerStatus {
    const from = this.signsFromSlot();
    const watching = from !== undefined && this.currentSlot() < from;
    return {
      epochs: this.config.epochs,
      ...(this.startSlot !== undefined ? { watchStartSlot: this.startSlot } : {}),
      attesters: this.attesters.map(attester => {
        if (!this.enabled) return { attester, state: 'off' };
        const detected = this.detected.get(lower(attester));
        const state: DoppelgangerState = detected ? 'detected' : watching || from === undefined ? 'watching' : 'clear';
        return {
          attester,
          state,
          ...(from !== undefined ? { signsFromSlot: from } : {}),
          ...(detected ? { detected } : {}),
        };
      }),
    };
  }

  private currentSlot(): bigint {
    return slotAt(nowSeconds(this.deps.clock), this.deps.constants);
  }
}
