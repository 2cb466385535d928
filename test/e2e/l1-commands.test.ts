import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAnvil, type Anvil } from '../../src/l1/anvil.js';
import { createL1PublicClient } from '../../src/l1/clients.js';
import { devAccount } from '../../src/l1/dev-accounts.js';
import { RollupAbi } from '../../src/l1/generated/index.js';
import { writeKeystore } from '../../src/validator/keystore/index.js';
import { runAztec } from '../helpers/cli.js';

/** `aztec deploy-l1-contracts` and `aztec add-l1-validator`, run as an operator would against a real L1. */
describe('aztec deploy-l1-contracts / add-l1-validator', () => {
  let anvil: Anvil;
  let dir: string;
  const deployer = devAccount(0).privateKey;

  beforeAll(async () => {
    anvil = await startAnvil();
    dir = mkdtempSync(join(tmpdir(), 'aztec-l1-'));
  });
  afterAll(async () => {
    await anvil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys with the preset constants, writes the addresses, and stakes validators through the handler', async () => {
    const out = join(dir, 'l1-contracts.json');
    const deploy = runAztec([
      'deploy-l1-contracts',
      '--l1-rpc-urls',
      anvil.url,
      '--private-key',
      deployer,
      '--network',
      'local',
      '--out',
      out,
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).not.toContain(deployer.slice(2));
    const addresses = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(addresses['l1ChainId']).toBe(31337);
    const client = createL1PublicClient({ rpcUrls: [anvil.url], chainId: 31337 });
    const rollup = addresses['rollup'] as `0x${string}`;
    // The local preset's constants reached the chain.
    expect(await client.readContract({ address: rollup, abi: RollupAbi, functionName: 'EPOCH_DURATION' })).toBe(8n);
    expect(await client.readContract({ address: rollup, abi: RollupAbi, functionName: 'TARGET_COMMITTEE_SIZE' })).toBe(
      4n,
    );

    const env = { STAKING_ASSET_HANDLER_CONTRACT_ADDRESS: addresses['stakingAssetHandler']!, L1_PRIVATE_KEY: deployer };
    for (const i of [1, 2]) {
      const add = runAztec(['add-l1-validator', '--l1-rpc-urls', anvil.url, '--attester', devAccount(i).address], env);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toContain(`Staked validator ${devAccount(i).address}`);
    }
    expect(await client.readContract({ address: rollup, abi: RollupAbi, functionName: 'getAttesters' })).toEqual([
      devAccount(1).address,
      devAccount(2).address,
    ]);

    const again = runAztec(['add-l1-validator', '--l1-rpc-urls', anvil.url, '--attester', devAccount(1).address], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/addValidator reverted: Staking__AlreadyRegistered/);
  });

  it('prints addresses to stdout without --out, and refuses an L1 on another chain than the preset says', () => {
    const wrongChain = runAztec([
      'deploy-l1-contracts',
      '--l1-rpc-urls',
      anvil.url,
      '--private-key',
      deployer,
      '--network',
      'alpha-testnet',
    ]);
    expect(wrongChain.code).toBe(1);
    expect(wrongChain.stderr).toContain(
      `L1 RPC ${anvil.url} is on chain 31337, but the configured L1 chain id is 11155111`,
    );

    const ok = runAztec(['deploy-l1-contracts', '--l1-rpc-urls', anvil.url, '--private-key', deployer]);
    expect(ok.code, ok.stderr).toBe(0);
    const printed = JSON.parse(ok.stdout) as { l1ChainId: number; rollup: string };
    expect(printed.l1ChainId).toBe(31337);
    expect(printed.rollup).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });

  it('names the missing flag and never echoes a bad key', () => {
    const noKey = runAztec(['deploy-l1-contracts', '--l1-rpc-urls', anvil.url]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('--private-key / L1_DEPLOYER_PRIVATE_KEY is required');

    const secret = '0x' + 'ab'.repeat(31);
    const badKey = runAztec(['add-l1-validator', '--attester', devAccount(1).address, '--private-key', secret]);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('--private-key / L1_PRIVATE_KEY');
    expect(badKey.stderr).not.toContain('ab'.repeat(31));

    // Without a handler address, and on a network whose preset has none, the command names the setting.
    const noHandler = runAztec(
      [
        'add-l1-validator',
        '--l1-rpc-urls',
        anvil.url,
        '--attester',
        devAccount(1).address,
        '--network',
        'alpha-testnet',
      ],
      { L1_PRIVATE_KEY: deployer, L1_CHAIN_ID: '31337' },
    );
    expect(noHandler.code).toBe(1);
    expect(noHandler.stderr).toContain('STAKING_ASSET_HANDLER_CONTRACT_ADDRESS is required');
  });

  it('uses the local preset’s handler address when none is given (the first deployment on a fresh L1)', () => {
    const add = runAztec(['add-l1-validator', '--l1-rpc-urls', anvil.url, '--attester', devAccount(3).address], {
      L1_PRIVATE_KEY: deployer,
    });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`Staked validator ${devAccount(3).address}`);
  });

  it('--keystore stakes every attester of a keystore, each with its first publisher as proposer', async () => {
    const file = join(dir, 'keystore.json');
    const validators = [
      { attesterPrivateKey: devAccount(4).privateKey, publisherPrivateKeys: [devAccount(6).privateKey] },
      { attesterPrivateKey: devAccount(5).privateKey },
    ];
    await writeKeystore(file, validators, { kind: 'inline' }, { extend: false });
    const add = runAztec(['add-l1-validator', '--l1-rpc-urls', anvil.url, '--keystore', file], {
      L1_PRIVATE_KEY: deployer,
    });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`Staked validator ${devAccount(4).address} (proposer ${devAccount(6).address})`);
    expect(add.stdout).toContain(`Staked validator ${devAccount(5).address} (proposer ${devAccount(5).address})`);
    const client = createL1PublicClient({ rpcUrls: [anvil.url], chainId: 31337 });
    const addresses = JSON.parse(readFileSync(join(dir, 'l1-contracts.json'), 'utf8')) as { rollup: `0x${string}` };
    const rollup = addresses.rollup;
    const proposerOf = (a: `0x${string}`) =>
      client.readContract({ address: rollup, abi: RollupAbi, functionName: 'getProposerForAttester', args: [a] });
    expect(await proposerOf(devAccount(4).address)).toBe(devAccount(6).address);
    expect(await proposerOf(devAccount(5).address)).toBe(devAccount(5).address);

    const both = runAztec(['add-l1-validator', '--keystore', file, '--attester', devAccount(7).address], {
      L1_PRIVATE_KEY: deployer,
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('leave out --attester');
  });
});
