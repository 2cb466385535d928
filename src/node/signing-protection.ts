import { hostname } from 'node:os';

import type { Hex } from 'viem';

import { ConfigError, type ConfigIssue } from '../foundation/config/index.js';
import type { Logger } from '../foundation/log/index.js';
import { validatorConfigMappings } from '../validator/config.js';
import { HaSigningDatabase, redactDatabaseUrl } from '../validator/ha/index.js';
import type { SignedDutyLookup, SlashingProtection } from '../validator/slashing-protection.js';
import type { AztecConfig } from './config.js';
import { nodeConfigMappings } from './config.js';

const v = validatorConfigMappings;

/**
 * The problems of a node's signing-protection settings, before anything starts: HA signing without its database
 * URL, and (item 5 of the validator issue) a node that will sign with neither a data directory (its history would
 * die with the process, and a restart could sign a second, different block or attestation for a slot) nor HA
 * signing, unless VALIDATOR_ALLOW_EPHEMERAL_SIGNING_PROTECTION says that is meant. `signs`: the node holds
 * validator keys and runs a duty that signs (sequencer, or the P2P validator client), not disabled.
 */
export function signingProtectionProblems(
  config: Pick<AztecConfig, 'node' | 'validator'>,
  signs: boolean,
): ConfigIssue[] {
  const { haSigningEnabled, haDatabaseUrl, allowEphemeralSigningProtection } = config.validator;
  const issues: ConfigIssue[] = [];
  if (haSigningEnabled && haDatabaseUrl === undefined) {
    issues.push({
      flag: v.haDatabaseUrl.flag,
      env: v.haDatabaseUrl.env,
      message:
        `${v.haSigningEnabled.env}=true needs ${v.haDatabaseUrl.flag} / ${v.haDatabaseUrl.env}: the PostgreSQL ` +
        'database (postgres://user:password@host:5432/db) where the nodes of the set claim each duty before signing',
    });
  }
  if (signs && !haSigningEnabled && config.node.dataDirectory === undefined && !allowEphemeralSigningProtection) {
    issues.push({
      flag: nodeConfigMappings.dataDirectory.flag,
      env: nodeConfigMappings.dataDirectory.env,
      message:
        'Refusing to sign without slashing protection that outlives this process: with neither ' +
        `${nodeConfigMappings.dataDirectory.flag} / ${nodeConfigMappings.dataDirectory.env} nor HA signing ` +
        `(${v.haSigningEnabled.env}=true), the record of what the validator keys signed is kept in memory, and a ` +
        'restart could sign a second, different block or attestation for a slot already signed (slashable). Give a ' +
        `data directory, or enable HA signing, or set ${v.allowEphemeralSigningProtection.env}=true if losing the ` +
        'history at exit is meant (a throw-away test network)',
    });
  }
  return issues;
}

/** Throws one `ConfigError` with every problem of `signingProtectionProblems`. */
export function checkSigningProtection(config: Pick<AztecConfig, 'node' | 'validator'>, signs: boolean): void {
  const issues = signingProtectionProblems(config, signs);
  if (issues.length > 0) throw new ConfigError(issues);
}

/** This node's id in the HA signing database: VALIDATOR_HA_NODE_ID, else the host name. */
export function haNodeId(config: Pick<AztecConfig, 'validator'>): string {
  return config.validator.haNodeId ?? hostname();
}

/**
 * With VALIDATOR_HA_SIGNING_ENABLED, the HA signing database of this chain, connected and its schema checked
 * (errors name VALIDATOR_HA_DATABASE_URL); undefined without HA.
 */
export async function connectHaSigning(
  config: Pick<AztecConfig, 'validator'>,
  chainRoot: Hex,
  log: Logger,
): Promise<HaSigningDatabase | undefined> {
  const { haSigningEnabled, haDatabaseUrl } = config.validator;
  if (!haSigningEnabled || haDatabaseUrl === undefined) return undefined;
  const nodeId = haNodeId(config);
  const db = await HaSigningDatabase.connect({ url: haDatabaseUrl, chainRoot, nodeId });
  log.info('HA signing database connected', { url: redactDatabaseUrl(haDatabaseUrl), nodeId });
  return db;
}

/**
 * "Was this signed by us": with HA, by any node of the set (the database); then by this node (its LMDB history,
 * which also holds what it signed before HA was enabled). `await` the answer.
 */
export function signedDutyLookup(local: SlashingProtection, ha: HaSigningDatabase | undefined): SignedDutyLookup {
  if (!ha) return local;
  return {
    get: async (kind, signer, slot) => (await ha.get(kind, signer, slot)) ?? local.get(kind, signer, slot),
  };
}
