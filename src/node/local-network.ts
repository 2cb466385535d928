import type { Address } from 'viem';
import { generatePrivateKey } from 'viem/accounts';

import { NodeError } from '../foundation/errors/index.js';
import { createLogger, type Logger } from '../foundation/log/index.js';
import { sleep } from '../foundation/timers/index.js';
import type { L1Deployment } from '../l1/addresses.js';
import { startAnvil, type Anvil } from '../l1/anvil.js';
import { BYTES_PER_BLOB } from '../l1/blobs/encoding.js';
import { getKzg, ZERO_BLOB_KZG } from '../l1/blobs/kzg.js';
import {
  createL1PublicClient,
  createL1WalletClient,
  type L1ClientOptions,
  type L1PublicClient,
} from '../l1/clients.js';
import type { L1Config } from '../l1/config.js';
import { deployL1Contracts } from '../l1/deploy.js';
import { deployParamsFromConfig } from '../l1/deploy-params.js';
import { devAccount } from '../l1/dev-accounts.js';
import { genesisArchiveRoot } from '../world-state/genesis.js';

/** A genesis validator of the local network: anvil account `accountIndex` is its attester and proposer. */
export interface LocalValidator {
  accountIndex: number;
  attester: Address;
}

/** A validator staked at genesis from a keystore: its attester, and the L1 account that publishes its blocks. */
export interface GenesisValidator {
  attester: Address;
  proposer: Address;
}

/** A running local network: its L1, the deployed contracts, the validator set. */
export interface LocalNetwork {
  anvil: Anvil;
  deployment: L1Deployment;
  /** The anvil-account validators (none when a keystore's were staked). */
  validators: LocalValidator[];
  /** Every validator staked at genesis. */
  genesis: GenesisValidator[];
  stop(): Promise<void>;
}

export class LocalNetworkError extends NodeError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('LOCAL_NETWORK', message, context);
  }
}

/** The loopback port the local L1 should use: the first --l1-rpc-urls entry, which must be http on loopback. */
export function localL1Port(l1: L1Config): number {
  const first = l1.l1RpcUrls[0];
  const url = first === undefined ? undefined : new URL(first);
  if (!url || url.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(url.hostname)) {
    throw new LocalNetworkError(
      `--local-network runs its own L1 on this machine, so --l1-rpc-urls / ETHEREUM_HOSTS must be ` +
        `http://127.0.0.1:<port> (got ${first ?? 'nothing'})`,
    );
  }
  return url.port === '' ? 80 : Number(url.port);
}

/** Options of `startLocalNetwork`. */
export interface LocalNetworkOptions {
  /** Genesis validators (anvil accounts 1..N). */
  validators: number;
  /** Instead of anvil accounts: these validators (a keystore's) are staked at genesis, their proposers given ETH. */
  keystoreValidators?: readonly GenesisValidator[];
  /**
   * Seconds from the end of the deployment to the start of slot 0: the time the network's nodes have to start before
   * their first slot (default one Aztec slot; 0: slot 0 starts at the Rollup's deployment block).
   */
  genesisDelaySeconds?: number;
  logger?: Logger;
}

/**
 * Starts anvil on the configured loopback port, deploys the contracts with the preset's constants (instantly,
 * mining a block per transaction), stakes `validators` genesis validators (anvil accounts 1..N), then switches
 * the L1 to a block every ETHEREUM_SLOT_DURATION seconds.
 *
 * Slot 0 begins `genesisDelaySeconds` after the deployment, so that the node started next proposes block 1 in slot
 * 0 rather than losing it to its own start-up. Before deploying, one blob transaction is sent: the first blob
 * transaction makes anvil (and this process) load the KZG trusted setup, seconds that would otherwise come out of
 * the first slot.
 *
 * Deviation from the committee issue ("registers N validators through the handler"): the validators are staked as
 * the genesis set (`Rollup.initialiseValidatorSet`), not through the StakingAssetHandler. A validator that joins
 * later sits out until the validator-set snapshot and the sampling seed catch up (two epochs), so a local network
 * registered through the handler would produce no block for its first two epochs. Joining through the handler is
 * what `aztec add-l1-validator` does, and its e2e covers it.
 */
export async function startLocalNetwork(l1: L1Config, opts: LocalNetworkOptions): Promise<LocalNetwork> {
  const log = opts.logger ?? createLogger('local-network');
  const port = localL1Port(l1);
  let anvil: Anvil;
  try {
    anvil = await startAnvil({ port, chainId: l1.l1ChainId, logger: log.child('anvil') });
  } catch (err) {
    throw new LocalNetworkError(
      `Could not start the local L1 on 127.0.0.1:${port}; is another local network or anvil running there? ` +
        `Stop it, or pick another port with --l1-rpc-urls http://127.0.0.1:<port>. (${err instanceof Error ? err.message : String(err)})`,
      { port },
    );
  }
  try {
    const clientOpts = { rpcUrls: [anvil.url], chainId: anvil.chainId, pollingIntervalMs: 100 };
    const publicClient = createL1PublicClient(clientOpts);
    const walletClient = createL1WalletClient(clientOpts, devAccount(0).privateKey);
    const validators = opts.keystoreValidators
      ? []
      : Array.from({ length: opts.validators }, (_, i) => ({
          accountIndex: i + 1,
          attester: devAccount(i + 1).address,
        }));
    const genesis: GenesisValidator[] =
      opts.keystoreValidators?.map(v => ({ ...v })) ??
      validators.map(v => ({ attester: v.attester, proposer: v.attester }));
    for (const address of new Set(opts.keystoreValidators?.map(v => v.proposer) ?? [])) {
      await publicClient.request({
        method: 'anvil_setBalance' as 'eth_chainId',
        params: [address, '0x3635c9adc5dea00000'] as never, // 1000 ETH
      });
    }
    await warmUpKzg(publicClient, clientOpts);
    const genesisDelay = BigInt(opts.genesisDelaySeconds ?? l1.aztecSlotDuration);
    const deployment = await deployL1Contracts(
      { publicClient, walletClient, logger: log.child('deploy') },
      deployParamsFromConfig(l1, {
        genesisArchiveRoot: genesisArchiveRoot(),
        initialValidators: genesis.map(v => ({
          attester: v.attester,
          proposer: v.proposer,
          withdrawer: v.attester,
        })),
        // As on a public network: `aztec add-l1-validator` registers through the handler with a sync proof.
        requireSyncProof: true,
        // Counted from the wall clock, which the automined deployment blocks' timestamps follow.
        ...(genesisDelay > 0n ? { genesisTime: BigInt(Math.ceil(Date.now() / 1000)) + genesisDelay } : {}),
      }),
    );
    await publicClient.request({ method: 'evm_setAutomine' as 'eth_chainId', params: [false] as never });
    await publicClient.request({
      method: 'evm_setIntervalMining' as 'eth_chainId',
      params: [l1.ethereumSlotDuration] as never,
    });
    log.info('Local network deployed', { rollup: deployment.addresses.rollup, validators: genesis.length });
    return { anvil, deployment, validators, genesis, stop: () => anvil.stop() };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

/**
 * Sends one blob transaction, from a throwaway account (so that the deployer's nonces, and with them the contract
 * addresses, stay as `src/l1/local-addresses.ts` has them): anvil and this process load the KZG trusted setup now.
 * The two loads overlap: the all-zero blob's commitment and proof are known constants, so the transaction goes out
 * first, and this process loads its own setup (seconds, blocking) while anvil loads its one to check the blob.
 */
async function warmUpKzg(publicClient: L1PublicClient, clientOpts: L1ClientOptions): Promise<void> {
  const walletClient = createL1WalletClient(clientOpts, generatePrivateKey());
  await publicClient.request({
    method: 'anvil_setBalance' as 'eth_chainId',
    params: [walletClient.account.address, '0xde0b6b3a7640000'] as never,
  });
  const request = await walletClient.prepareTransactionRequest({
    account: walletClient.account,
    chain: walletClient.chain,
    type: 'eip4844',
    to: walletClient.account.address,
    blobs: [new Uint8Array(BYTES_PER_BLOB)],
    kzg: ZERO_BLOB_KZG,
    maxFeePerBlobGas: 10n ** 9n,
  });
  const serializedTransaction = await walletClient.signTransaction(request);
  const sent = publicClient.sendRawTransaction({ serializedTransaction });
  sent.catch(() => undefined); // awaited below; this only keeps a rejection from going unhandled meanwhile
  // Let the request reach anvil before this thread blocks on its own setup.
  await sleep(50);
  getKzg();
  const hash = await sent;
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new LocalNetworkError('The KZG warm-up blob transaction reverted', { hash });
}
