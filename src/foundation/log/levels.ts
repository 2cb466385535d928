/** Log levels, most to least verbose. */
export const LOG_LEVELS = ['trace', 'debug', 'verbose', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Parses a level spec such as `info` or `info;debug:archiver,sequencer;warn:p2p`: a default level, then
 * per-module overrides. A module matches its own name and its children (`archiver` matches `archiver:l1`).
 */
export function parseLevelSpec(spec: string): { defaultLevel: LogLevel; overrides: [string, LogLevel][] } {
  let defaultLevel: LogLevel = 'info';
  const overrides: [string, LogLevel][] = [];
  for (const part of spec
    .split(';')
    .map(s => s.trim())
    .filter(Boolean)) {
    // Split at the first colon only: module names have colons of their own (`debug:p2p:gossip`).
    const colon = part.indexOf(':');
    const level = (colon < 0 ? part : part.slice(0, colon)).trim();
    const modules = colon < 0 ? undefined : part.slice(colon + 1).trim();
    if (!isLogLevel(level)) {
      throw new Error(`Invalid log level "${level}" in LOG_LEVEL="${spec}"; expected one of ${LOG_LEVELS.join(', ')}`);
    }
    if (modules === undefined) {
      defaultLevel = level;
    } else {
      for (const m of modules.split(',').map(s => s.trim())) if (m) overrides.push([m, level]);
    }
  }
  return { defaultLevel, overrides };
}

export function levelFor(module: string, spec: ReturnType<typeof parseLevelSpec>): LogLevel {
  let best: [string, LogLevel] | undefined;
  for (const o of spec.overrides) {
    if ((module === o[0] || module.startsWith(`${o[0]}:`)) && (!best || o[0].length > best[0].length)) best = o;
  }
  return best?.[1] ?? spec.defaultLevel;
}
