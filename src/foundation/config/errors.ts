import { NodeError } from '../errors/index.js';

/**
 * Thrown by a parser for a bad value. `reason` says what is wrong without quoting the value (the resolver
 * quotes non-secret values itself), so a secret never ends up in a message.
 */
export class ConfigParseError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? 'invalid value');
    this.name = 'ConfigParseError';
  }
}

/** One problem found while resolving the configuration. */
export interface ConfigIssue {
  /** The flag of the setting concerned, when there is one. */
  flag?: string;
  /** Its environment variable, when there is one. */
  env?: string;
  /** A complete sentence for the operator: what was wrong, where it came from, what is expected. */
  message: string;
}

/**
 * Every problem in a configuration at once, one per line. Raised by `resolveConfig` and friends; the CLI prints
 * `message` and exits 1. Secrets are never part of the message.
 */
export class ConfigError extends NodeError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', formatIssues(issues), { issues });
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const head = issues.length === 1 ? 'Invalid configuration:' : `Invalid configuration (${issues.length} problems):`;
  return [head, ...issues.map(i => `  - ${i.message}`)].join('\n');
}

/** Names a setting the way operators meet it: `--l1-rpc-urls / ETHEREUM_HOSTS`. */
export function settingName(flag: string | undefined, env: string | undefined): string {
  return [flag, env].filter((s): s is string => s !== undefined).join(' / ');
}
