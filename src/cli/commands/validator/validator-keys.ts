import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import type { Command } from 'commander';
import type { Hex } from 'viem';
import { generatePrivateKey, mnemonicToAccount, privateKeyToAddress } from 'viem/accounts';
import { toHex } from 'viem';

import { ConfigError, defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { validatorConfigMappings } from '../../../validator/config.js';
import {
  DEFAULT_SCRYPT_N,
  loadKeystore,
  writeKeystore,
  type KeyStorage,
  type NewValidator,
} from '../../../validator/keystore/index.js';
import { missingSetting, parseCommand, type CommandSpec } from '../../command-config.js';
import { passThroughCommand } from '../../flags.js';
import type { CliCommand, CliContext } from '../../types.js';

const keystore = {
  ...validatorConfigMappings.keyStoreDirectory,
  description: 'The keystore file (`aztec start --keystore` reads it; list also takes a folder of them).',
};

const writeMappings = defineConfigMappings({
  keystore,
  count: {
    flag: '--count',
    parse: p.integer({ min: 1, max: 1000 }),
    default: 1,
    description: 'How many validators (attester keys) to create.',
  },
  mnemonic: {
    env: 'VALIDATOR_KEYS_MNEMONIC',
    flag: '--mnemonic',
    parse: p.text('<words>', 'test test test test test test test test test test test junk'),
    secret: true,
    defaultText: 'new random keys',
    description: "Derive the attester keys from this BIP-39 mnemonic (m/44'/60'/0'/0/i) instead of generating them.",
  },
  addressIndex: {
    flag: '--address-index',
    parse: p.integer({ min: 0 }),
    default: 0,
    description: 'With --mnemonic: the index of the first key derived.',
  },
  publisherPrivateKey: {
    env: 'VALIDATOR_KEYS_PUBLISHER_PRIVATE_KEY',
    flag: '--publisher-private-key',
    parse: p.privateKey,
    secret: true,
    defaultText: 'each attester publishes its own blocks',
    description: 'The L1 account that publishes the new validators’ blocks (one publisher shared by all of them).',
  },
  coinbase: {
    flag: '--coinbase',
    parse: p.address,
    defaultText: 'COINBASE of the node, else the attester',
    description: 'L1 address of the new validators’ block rewards.',
  },
  feeRecipient: {
    flag: '--fee-recipient',
    parse: p.l2Address,
    defaultText: 'FEE_RECIPIENT of the node, else the attester’s L2 address',
    description: 'L2 address of the new validators’ fees.',
  },
  unencrypted: {
    flag: '--unencrypted',
    parse: p.boolean,
    default: false,
    description: 'Write the keys into the keystore as plain hex (development only) instead of encrypted JSON V3 files.',
  },
  passwordFile: {
    flag: '--password-file',
    parse: p.text('<file>', 'password.txt'),
    description: 'File whose first line is the password of the encrypted key files; the keystore refers to it.',
  },
  password: {
    env: 'VALIDATOR_KEYS_PASSWORD',
    flag: '--password',
    parse: p.text('<password>', 'correct horse battery staple'),
    secret: true,
    defaultText: 'asked for on the terminal',
    description: 'Password of the encrypted key files, stored in <keys-dir>/password (mode 0600) for the node to read.',
  },
  keysDir: {
    flag: '--keys-dir',
    parse: p.text('<dir>', 'keys'),
    defaultText: '<keystore folder>/keys',
    description: 'Where the encrypted key files go.',
  },
  scryptN: {
    flag: '--scrypt-n',
    parse: p.integer({ min: 2 }),
    default: DEFAULT_SCRYPT_N,
    description: 'scrypt cost of the encrypted key files (a power of two; lower is faster and weaker).',
  },
});

const listMappings = defineConfigMappings({ keystore });

type WriteSpec = CommandSpec<typeof writeMappings>;

const newSpec: WriteSpec = {
  name: 'validator-keys new',
  title: 'Validator keys',
  summary:
    'Writes a new keystore of --count validators (keys generated, or derived from --mnemonic), encrypted by ' +
    'default, and prints their addresses. Refuses to overwrite an existing file.',
  mappings: writeMappings,
};

const addSpec: WriteSpec = {
  ...newSpec,
  name: 'validator-keys add',
  summary: 'Adds --count validators to an existing keystore, as `validator-keys new` does, and prints their addresses.',
};

const listSpec: CommandSpec<typeof listMappings> = {
  name: 'validator-keys list',
  title: 'Validator keys',
  summary: 'Reads a keystore (decrypting its keys) and prints each validator’s attester, publishers and coinbase.',
  mappings: listMappings,
};

/** Reads a line from the terminal without echoing it. */
function prompt(question: string, ctx: CliContext): Promise<string> {
  if (!process.stdin.isTTY) {
    return Promise.reject(
      new ConfigError([
        {
          flag: '--password-file',
          message:
            'the encrypted key files need a password: give --password-file <file> or VALIDATOR_KEYS_PASSWORD ' +
            '(no terminal to ask on), or --unencrypted for development',
        },
      ]),
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Writes nothing back while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  ctx.stdout(question);
  return new Promise(done =>
    rl.question('', answer => {
      rl.close();
      ctx.stdout('\n');
      done(answer);
    }),
  );
}

type WriteOwn = ReturnType<typeof parseCommand<typeof writeMappings>> & { kind: 'run' };

async function storageOf(own: WriteOwn['own'], file: string, ctx: CliContext): Promise<KeyStorage> {
  if (own.unencrypted) return { kind: 'inline' };
  const keysDir = resolve(own.keysDir ?? join(dirname(file), 'keys'));
  const common = { kind: 'encrypted' as const, keysDir, scryptN: own.scryptN };
  if (own.passwordFile !== undefined) {
    const passwordFile = resolve(own.passwordFile);
    if (!existsSync(passwordFile)) {
      throw new ConfigError([{ flag: '--password-file', message: `--password-file ${passwordFile} does not exist` }]);
    }
    const password = readFileSync(passwordFile, 'utf8').split(/\r?\n/)[0] ?? '';
    return { ...common, passwordFile, password };
  }
  const passwordFile = join(keysDir, 'password');
  if (existsSync(passwordFile)) {
    // Extending a keystore: the key files share the password already stored.
    return { ...common, passwordFile, password: readFileSync(passwordFile, 'utf8').split(/\r?\n/)[0] ?? '' };
  }
  const password = own.password ?? (await prompt('Password for the encrypted key files: ', ctx));
  if (password === '') throw new ConfigError([{ flag: '--password', message: 'the password is empty' }]);
  return { ...common, passwordFile, password };
}

function newValidators(own: WriteOwn['own']): NewValidator[] {
  return Array.from({ length: own.count }, (_, i) => {
    const attesterPrivateKey: Hex =
      own.mnemonic === undefined
        ? generatePrivateKey()
        : toHex(mnemonicToAccount(own.mnemonic, { addressIndex: own.addressIndex + i }).getHdKey().privateKey!);
    return {
      attesterPrivateKey,
      ...(own.publisherPrivateKey ? { publisherPrivateKeys: [own.publisherPrivateKey] } : {}),
      ...(own.coinbase ? { coinbase: own.coinbase } : {}),
      ...(own.feeRecipient ? { feeRecipient: own.feeRecipient } : {}),
    };
  });
}

async function runWrite(spec: WriteSpec, extend: boolean, args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(spec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { own } = parsed;
  if (own.keystore === undefined) throw missingSetting(writeMappings.keystore, 'the keystore file to write');
  const file = resolve(own.keystore);
  const validators = newValidators(own);
  await writeKeystore(file, validators, await storageOf(own, file, ctx), { extend });
  ctx.stdout(`${extend ? 'Added to' : 'Wrote'} ${file}:\n`);
  for (const v of validators) {
    const publishers = (v.publisherPrivateKeys ?? []).map(k => privateKeyToAddress(k));
    ctx.stdout(
      `  attester ${privateKeyToAddress(v.attesterPrivateKey)}   publisher ${publishers.join(',') || 'itself'}\n`,
    );
  }
}

async function runList(args: string[], ctx: CliContext): Promise<void> {
  const parsed = parseCommand(listSpec, args, ctx.env);
  if (parsed.kind === 'help') return ctx.stdout(parsed.text);
  const { own } = parsed;
  if (own.keystore === undefined) throw missingSetting(listMappings.keystore, 'the keystore to read');
  const validators = await loadKeystore(own.keystore);
  ctx.stdout(`${validators.length} validator(s) in ${own.keystore}:\n`);
  for (const v of validators) {
    const publishers = v.publisherPrivateKeys.map(k => privateKeyToAddress(k));
    ctx.stdout(
      `  attester ${v.attester}   publisher ${publishers.join(',') || 'itself'}` +
        `${v.coinbase ? `   coinbase ${v.coinbase}` : ''}${v.feeRecipient ? `   feeRecipient ${v.feeRecipient}` : ''}\n`,
    );
  }
}

function sub(group: Command, name: string, summary: string, run: (args: string[]) => Promise<void>): void {
  passThroughCommand(group, name, summary)
    .exitOverride()
    .action(async (args: string[]) => run(args));
}

/** `aztec validator-keys new|add|list`. */
export const validatorKeysCommand: CliCommand = {
  name: 'validator-keys',
  register(program, ctx) {
    const group = program
      .command('validator-keys')
      .description('Creates, extends and lists validator keystores (`aztec start --keystore`).')
      .enablePositionalOptions()
      .exitOverride();
    sub(group, 'new', newSpec.summary, args => runWrite(newSpec, false, args, ctx));
    sub(group, 'add', addSpec.summary, args => runWrite(addSpec, true, args, ctx));
    sub(group, 'list', listSpec.summary, args => runList(args, ctx));
  },
};
