import { errorMessage } from '../errors/index.js';
import { REDACTED } from '../log/index.js';
import { ConfigError, ConfigParseError, settingName, type ConfigIssue } from './errors.js';
import type {
  ConfigMapping,
  ConfigMappings,
  ConfigOf,
  ConfigOfSections,
  ConfigOrigin,
  ConfigSections,
  ConfigSources,
} from './types.js';

/** A resolved config with, for each key, where its value came from. */
export interface Resolved<C> {
  config: C;
  origins: { [K in keyof C]: ConfigOrigin };
}

/** A resolved combined config with, per section and key, where each value came from. */
export interface ResolvedSections<S extends ConfigSections> {
  config: ConfigOfSections<S>;
  origins: { [K in keyof S]: { [P in keyof S[K]['mappings']]: ConfigOrigin } };
}

interface RawValue {
  raw: string;
  origin: Exclude<ConfigOrigin, 'default' | 'unset'>;
  /** The flag, variable or preset that gave it, for messages. */
  where: string;
}

// An empty value counts as not given at every layer: `.env` files and presets write `NAME=` for "unset".
function given(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function findRaw(m: ConfigMapping<unknown>, sources: ConfigSources): RawValue | undefined {
  for (const flag of [m.flag, ...(m.aliases ?? [])]) {
    const raw = sources.flags?.[flag];
    if (given(raw)) return { raw, origin: 'flag', where: `flag ${flag}` };
  }
  const envNames = m.env === undefined ? [] : [m.env, ...(m.envAliases ?? [])];
  for (const name of envNames) {
    const raw = sources.env?.[name];
    if (given(raw)) return { raw, origin: 'env', where: `environment variable ${name}` };
  }
  const preset = sources.preset;
  for (const name of envNames) {
    const raw = preset?.values[name];
    if (preset && given(raw)) return { raw, origin: 'preset', where: `network preset "${preset.name}" (${name})` };
  }
  return undefined;
}

function quote(raw: string): string {
  const shown = raw.length > 120 ? `${raw.slice(0, 117)}...` : raw;
  return JSON.stringify(shown);
}

function badValueIssue(m: ConfigMapping<unknown>, found: RawValue, err: unknown): ConfigIssue {
  const name = settingName(m.flag, m.env);
  const value = m.secret
    ? `the value from ${found.where} (not shown: secret)`
    : `${quote(found.raw)} from ${found.where}`;
  let reason = '';
  if (err instanceof ConfigParseError) reason = err.reason === undefined ? '' : ` (${err.reason})`;
  else if (!m.secret) reason = ` (${errorMessage(err)})`;
  const issue: ConfigIssue = {
    flag: m.flag,
    message: `${name}: ${value} is invalid${reason}; expected ${m.parse.expected}`,
  };
  if (m.env !== undefined) issue.env = m.env;
  return issue;
}

function resolveInto<M extends ConfigMappings>(mappings: M, sources: ConfigSources, issues: ConfigIssue[]) {
  const config: Record<string, unknown> = {};
  const origins: Record<string, ConfigOrigin> = {};
  for (const [key, m] of Object.entries(mappings)) {
    const found = findRaw(m, sources);
    if (found === undefined) {
      config[key] = m.default;
      origins[key] = m.default === undefined ? 'unset' : 'default';
      continue;
    }
    try {
      config[key] = m.parse(found.raw);
      origins[key] = found.origin;
    } catch (err) {
      issues.push(badValueIssue(m, found, err));
    }
  }
  return { config, origins } as unknown as Resolved<ConfigOf<M>>;
}

/**
 * Resolves one module's settings with precedence flag > environment variable > network preset > default.
 * Throws one `ConfigError` listing every bad value (flag, variable, expected form; secrets never quoted).
 */
export function resolveConfig<M extends ConfigMappings>(mappings: M, sources: ConfigSources): ConfigOf<M> {
  return resolveConfigWithOrigins(mappings, sources).config;
}

/** Like `resolveConfig`, also saying where each value came from. */
export function resolveConfigWithOrigins<M extends ConfigMappings>(
  mappings: M,
  sources: ConfigSources,
): Resolved<ConfigOf<M>> {
  const issues: ConfigIssue[] = [];
  const resolved = resolveInto(mappings, sources, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  return resolved;
}

/** Every environment variable read by some mapping of `sections`, aliases included. */
export function knownEnvVars(sections: ConfigSections): Set<string> {
  const names = new Set<string>();
  for (const s of Object.values(sections)) {
    for (const m of Object.values(s.mappings)) {
      if (m.env !== undefined) names.add(m.env);
      for (const a of m.envAliases ?? []) names.add(a);
    }
  }
  return names;
}

/**
 * Resolves several modules' settings at once into `{ l1: …, archiver: … }`. All problems of all sections are
 * collected into one `ConfigError`, including preset values that no setting reads.
 */
export function resolveSections<S extends ConfigSections>(sections: S, sources: ConfigSources): ResolvedSections<S> {
  const issues: ConfigIssue[] = [];
  const config: Record<string, unknown> = {};
  const origins: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(sections)) {
    const r = resolveInto(section.mappings, sources, issues);
    config[name] = r.config;
    origins[name] = r.origins;
  }
  if (sources.preset) {
    const known = knownEnvVars(sections);
    for (const key of Object.keys(sources.preset.values)) {
      if (!known.has(key)) {
        issues.push({ message: `network preset "${sources.preset.name}" sets ${key}, which is not a known variable` });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { config, origins } as unknown as ResolvedSections<S>;
}

/** A copy of `config` safe to print: secrets that have a value become `<redacted>`. */
export function redact<M extends ConfigMappings>(config: ConfigOf<M>, mappings: M): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const [key, m] of Object.entries(mappings)) {
    if (m.secret && out[key] !== undefined) out[key] = REDACTED;
  }
  return out;
}

/** `redact` for a combined config: `{ l1: {…}, validator: { validatorPrivateKey: '<redacted>' } }`. */
export function redactSections<S extends ConfigSections>(
  config: ConfigOfSections<S>,
  sections: S,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, section] of Object.entries(sections)) {
    out[name] = redact(config[name] as ConfigOf<ConfigMappings>, section.mappings);
  }
  return out;
}

/** Renders a value in its env-var text form, for help and messages: arrays comma-joined, bigints in decimal. */
export function formatConfigValue(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(formatConfigValue).join(',');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value.toString();
  return JSON.stringify(value);
}
