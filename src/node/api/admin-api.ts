import { isAddress, type Hex } from 'viem';

import { ArchiverError } from '../../archiver/errors.js';
import { RpcError, RpcErrorCode, type RpcImplementation } from '../../foundation/json-rpc/index.js';
import { createLogger } from '../../foundation/log/index.js';
import type { DoppelgangerStatus } from '../../validator/doppelganger.js';
import { SnapshotExportError } from '../../snapshot/errors.js';
import type { SnapshotIndex } from '../../snapshot/format.js';
import type { nodeAdminApiSchema } from './schema.js';

/** What the admin API controls. */
export interface AdminApiDeps {
  archiver: { pauseSync(): Promise<void>; resumeSync(): void; rollbackTo(n: bigint): Promise<void> };
  sequencer: { setGovernancePayload(p: Hex | undefined): void } | undefined;
  /** The node's attesters' doppelganger protection; undefined: the node has no validator key. */
  validators?: { status(): DoppelgangerStatus } | undefined;
  /** Exports a snapshot of the node store (absent: the node keeps no world state, so there is nothing to export). */
  snapshot: { export(out: string): Promise<SnapshotIndex> } | undefined;
}

/** Settings `nodeAdmin_setConfig` may change at run time, by environment variable name. */
const SETTABLE = ['GOVERNANCE_PROPOSER_PAYLOAD_ADDRESS'] as const;

/** The `nodeAdmin_` methods: change settings, pause/resume syncing, roll the chain back. */
export function createAdminApi(d: AdminApiDeps): RpcImplementation<typeof nodeAdminApiSchema> {
  const log = createLogger('node:admin');
  return {
    getValidatorStatus: () => {
      const status = d.validators?.status() ?? { epochs: 0, attesters: [] };
      return {
        doppelgangerEpochs: status.epochs,
        ...(status.watchStartSlot !== undefined ? { watchStartSlot: Number(status.watchStartSlot) } : {}),
        attesters: status.attesters.map(a => ({
          attester: a.attester,
          doppelganger: a.state,
          ...(a.signsFromSlot !== undefined ? { signsFromSlot: Number(a.signsFromSlot) } : {}),
          ...(a.detected ? { detected: { ...a.detected, slot: Number(a.detected.slot) } } : {}),
        })),
      };
    },
    setConfig: changes => {
      for (const [key, value] of Object.entries(changes)) {
        if (!(SETTABLE as readonly string[]).includes(key)) {
          throw new RpcError(
            RpcErrorCode.INVALID_PARAMS,
            `${key} cannot be changed at run time; settable: ${SETTABLE.join(', ')}`,
          );
        }
        if (value !== '' && !isAddress(value)) {
          throw new RpcError(RpcErrorCode.INVALID_PARAMS, `${key} must be an L1 address (0x + 40 hex) or empty`);
        }
        if (!d.sequencer) throw new RpcError(RpcErrorCode.UNAVAILABLE, `${key} needs the sequencer (--sequencer)`);
        d.sequencer.setGovernancePayload(value === '' ? undefined : value);
        log.info('Setting changed', { [key]: value });
      }
      return null;
    },
    pauseSync: async () => {
      await d.archiver.pauseSync();
      return null;
    },
    resumeSync: () => {
      d.archiver.resumeSync();
      return null;
    },
    exportSnapshot: async out => {
      if (!d.snapshot) {
        throw new RpcError(RpcErrorCode.UNAVAILABLE, 'A snapshot needs the world state: run the node with --node');
      }
      try {
        return await d.snapshot.export(out);
      } catch (err) {
        if (err instanceof SnapshotExportError) throw new RpcError(RpcErrorCode.INVALID_PARAMS, err.message);
        throw err;
      }
    },
    rollbackTo: async n => {
      try {
        await d.archiver.rollbackTo(BigInt(n));
      } catch (err) {
        // A block above the latest one is the caller's mistake: say so, not "Internal error".
        if (err instanceof ArchiverError && err.code === 'ARCHIVER_BAD_ROLLBACK') {
          throw new RpcError(RpcErrorCode.INVALID_PARAMS, err.message);
        }
        throw err;
      }
      return null;
    },
  };
}
