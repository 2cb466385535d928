/**
 * A parser of one setting's raw text (from a flag, an environment variable or a network preset). It throws
 * `ConfigParseError` for a bad value; its messages never contain the raw value, so a secret cannot leak
 * through them. The metadata feeds `--help`, error messages and the tests that parse every declaration.
 */
export interface ConfigParser<T> {
  (raw: string): T;
  /** What a valid value looks like, for errors and help: "a port number (an integer from 1 to 65535)". */
  readonly expected: string;
  /** Shown after the flag in help: `<port>`. */
  readonly placeholder: string;
  /** A valid example value; tests parse every declaration with it. */
  readonly sample: string;
  /** Booleans are flags: given alone on the command line they mean `true`. */
  readonly isBoolean: boolean;
}

/**
 * One setting, declared once: its flag, environment variable, parser, default and description. The
 * `aztec start` options, their help text and the error messages are generated from it.
 */
export interface ConfigMapping<T> {
  /** Environment variable, named as in the operator guide. Absent for command-line-only switches. */
  env?: string;
  /** Other environment variable names accepted for the same setting (misspellings kept for compatibility). */
  envAliases?: readonly string[];
  /** The command-line flag with its dashes: `--l1-rpc-urls`, `--archiver.pollingIntervalMs`. */
  flag: string;
  /** Other flags accepted for the same setting: `--l1-consensus-host-url` for `--l1-consensus-host-urls`. */
  aliases?: readonly string[];
  /** Turns the raw text into the typed value; see `parsers.ts`. */
  parse: ConfigParser<T>;
  /** Used when no flag, variable or preset gives a value. Without one the setting is `undefined`. */
  default?: T;
  /** Shown in help instead of the default when the default is computed elsewhere ("the validator's address"). */
  defaultText?: string;
  /** One line for `--help`. */
  description: string;
  /** Secrets are never printed: not in logs, errors, help or `redact()` output. */
  secret?: boolean;
  /** `flag` takes no value on the command line (booleans); `option` takes one. Derived from the parser. */
  kind?: 'flag' | 'option';
}

/** A module's settings, keyed by the name they have in its typed config object. */
export type ConfigMappings = Record<string, ConfigMapping<unknown>>;

/** What a mapping's parser returns. */
export type ParsedOf<M> = M extends { parse: ConfigParser<infer T> } ? T : never;

/** The typed value of one mapping: what its parser returns, `| undefined` when it has no default. */
export type ValueOf<M> = M extends { default: unknown } ? ParsedOf<M> : ParsedOf<M> | undefined;

/** The typed config object of a set of mappings: `type ArchiverConfig = ConfigOf<typeof archiverConfigMappings>`. */
export type ConfigOf<M extends ConfigMappings> = { [K in keyof M]: ValueOf<M[K]> };

/**
 * Declares a module's mappings, checking each default against its parser while keeping the exact shape so
 * `ConfigOf<typeof mappings>` can be inferred.
 */
export function defineConfigMappings<M extends ConfigMappings>(
  mappings: M & { [K in keyof M]: ConfigMapping<ParsedOf<M[K]>> },
): M {
  return mappings;
}

/** A titled group of mappings: one module's settings, as a section of `aztec start --help`. */
export interface ConfigSection<M extends ConfigMappings = ConfigMappings> {
  title: string;
  mappings: M;
}

/** Several modules' settings, keyed by the name of their part of the combined config object. */
export type ConfigSections = Record<string, ConfigSection>;

/** The combined typed config of several sections: `{ l1: L1Config; archiver: ArchiverConfig; … }`. */
export type ConfigOfSections<S extends ConfigSections> = { [K in keyof S]: ConfigOf<S[K]['mappings']> };

/** Where a resolved value came from. */
export type ConfigOrigin = 'flag' | 'env' | 'preset' | 'default' | 'unset';

/** The layers a config is resolved from, highest precedence first. */
export interface ConfigSources {
  /** Raw command-line values keyed by flag, dashes included (`--l1-rpc-urls`); `'true'` for a bare boolean flag. */
  flags?: Readonly<Record<string, string | undefined>>;
  /** Environment variables (normally `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A network preset: env-style values parsed by the same parsers. */
  preset?: { readonly name: string; readonly values: Readonly<Record<string, string>> };
}

/** The command-line form of a mapping: booleans are flags unless declared otherwise. */
export function kindOf(mapping: ConfigMapping<unknown>): 'flag' | 'option' {
  return mapping.kind ?? (mapping.parse.isBoolean ? 'flag' : 'option');
}
