import { isatty } from 'node:tty';

import { LOG_LEVELS, levelFor, parseLevelSpec, type LogLevel } from './levels.js';

export type LogFields = Record<string, unknown>;

/** A module's logger: one line per event, `(message, fields)`. */
export interface Logger {
  readonly module: string;
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  verbose(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger for a sub-component: `archiver` → `archiver:l1`. */
  child(name: string): Logger;
}

/** Where formatted lines go; tests capture them. */
export type LogSink = (line: string) => void;

interface LogSettings {
  spec: ReturnType<typeof parseLevelSpec>;
  json: boolean;
  sink: LogSink;
}

const SECRET_KEY = /(private_?key|secret|password|api_?key|mnemonic)/i;
export const REDACTED = '<redacted>';

let settings: LogSettings = defaultSettings();

function defaultSettings(): LogSettings {
  return {
    spec: parseLevelSpec(process.env['LOG_LEVEL'] ?? 'info'),
    json: process.env['LOG_JSON'] !== undefined ? process.env['LOG_JSON'] !== 'false' : !isatty(2),
    sink: line => process.stderr.write(line + '\n'),
  };
}

/** Changes the process-wide log settings (level spec such as `info;debug:archiver`, JSON or text, sink). */
export function configureLogging(opts: { level?: string; json?: boolean; sink?: LogSink }): void {
  settings = {
    spec: opts.level !== undefined ? parseLevelSpec(opts.level) : settings.spec,
    json: opts.json ?? settings.json,
    sink: opts.sink ?? settings.sink,
  };
}

function safeValue(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

function serialize(fields: LogFields): string {
  return JSON.stringify(fields, (key, value: unknown) => safeValue(key, value));
}

function write(module: string, level: LogLevel, msg: string, fields: LogFields | undefined): void {
  if (settings.json) {
    settings.sink(serialize({ level, time: new Date().toISOString(), module, msg, ...fields }));
    return;
  }
  const extra = fields && Object.keys(fields).length > 0 ? ' ' + serialize(fields) : '';
  settings.sink(`${level.toUpperCase()}: ${module} ${msg}${extra}`);
}

/** Creates a logger for a module, e.g. `createLogger('archiver')`. Levels come from `LOG_LEVEL`. */
export function createLogger(module: string): Logger {
  const enabled = (level: LogLevel) =>
    LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(levelFor(module, settings.spec)) && level !== 'silent';
  const at = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (enabled(level)) write(module, level, msg, fields);
  };
  return {
    module,
    trace: at('trace'),
    debug: at('debug'),
    verbose: at('verbose'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: enabled,
    child: (name: string) => createLogger(`${module}:${name}`),
  };
}
