import type { Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { Registry } from 'prom-client';

import { Archiver } from '../archiver/archiver.js';
import { ArchiverStore } from '../archiver/store.js';
import { EpochCache } from '../epoch/epoch-cache.js';
import { RollupEpochReader } from '../epoch/rollup-reader.js';
import { epochOfSlot } from '../epoch/time.js';
import { NodeError } from '../foundation/errors/index.js';
import { JsonRpcServer, rpcNamespace } from '../foundation/json-rpc/index.js';
import { createLogger } from '../foundation/log/index.js';
import { openKvStore } from '../kv/index.js';
import type { L1ContractAddresses } from '../l1/addresses.js';
import { BeaconClient } from '../l1/beacon/index.js';
import { checkL1ChainId } from '../l1/chain-check.js';
import { createL1PublicClient, createL1WalletClient } from '../l1/clients.js';
import { RollupAbi } from '../l1/generated/index.js';
import { L1TxSender } from '../l1/tx-sender.js';
import { L2BlockFollower, TxPool } from '../p2p/tx-pool/index.js';
import { createP2PService } from '../p2p/factory.js';
import type { P2PService } from '../p2p/service.js';
import { ProverNode } from '../prover/prover-node.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../validator/slashing-protection.js';
import { ValidatorClient } from '../validator/validator-client.js';
import { createWorldState } from '../world-state/index.js';
import { createAdminApi } from './api/admin-api.js';
import type { TxPoolReader } from './api/deps.js';
import { createNodeApi } from './api/node-api.js';
import { createP2PApi } from './api/p2p-api.js';
import { nodeAdminApiSchema, nodeApiSchema, p2pApiSchema } from './api/schema.js';
import { BASE_FEES } from './base-fees.js';
import type { AztecConfig } from './config.js';
import { networkConfigRoute, nodeRoutes } from './http-routes.js';
import { resolveL1Addresses } from './l1-addresses.js';
import { Lifecycle } from './lifecycle.js';
import { NODE_STORE_NAME } from './node-store.js';
import { startSequencer } from './sequencer-factory.js';

/** Which modules `aztec start` runs in this process. */
export interface NodeModules {
  node: boolean;
  archiver: boolean;
  sequencer: boolean;
  proverNode: boolean;
}

/** A running node: where its APIs listen, and how to stop it. */
export interface RunningNode {
  rpcUrl: string;
  adminUrl: string;
  addresses: L1ContractAddresses;
  archiver: Archiver;
  /** The node's metrics registry, served on `GET /metrics` (benches and tests read it directly). */
  metrics: Registry;
  stop(): Promise<void>;
}

export const NODE_VERSION = '0.1.0';

/**
 * The composition root: builds the node's services from the configuration, in dependency order, and stops them
 * in reverse. L1 → archiver → world state → API; txs → pool → sequencer → L1. A failed start stops what started.
 */
export async function startAztecNode(
  config: AztecConfig,
  modules: NodeModules,
  opts: { l1Addresses?: L1ContractAddresses } = {},
): Promise<RunningNode> {
  const log = createLogger('node');
  const life = new Lifecycle(log);
  try {
    const l1 = config.l1;
    await checkL1ChainId(l1.l1RpcUrls, l1.l1ChainId);
    const clientOpts = { rpcUrls: l1.l1RpcUrls, chainId: l1.l1ChainId, pollingIntervalMs: 1_000 };
    const publicClient = createL1PublicClient(clientOpts);
    const addresses = opts.l1Addresses ?? (await resolveL1Addresses(l1, publicClient, config.node.network));
    const rollupVersion = await publicClient.readContract({
      address: addresses.rollup,
      abi: RollupAbi,
      functionName: 'VERSION',
    });

    const store = life.add(
      'store',
      await openKvStore({
        ...(config.node.dataDirectory ? { dataDirectory: config.node.dataDirectory } : {}),
        name: NODE_STORE_NAME,
      }),
      s => s.close(),
    );
    const worldState = createWorldState({ store, blockHistory: config.worldState.blockHistory });
    const beaconUrls = l1.l1ConsensusHostUrls ?? (l1.l1ChainId === 31337 ? l1.l1RpcUrls : undefined);
    if (!beaconUrls) {
      throw new NodeError(
        'MISSING_BEACON_URL',
        'The archiver needs a beacon node for blob data: set --l1-consensus-host-url (L1_CONSENSUS_HOST_URLS)',
      );
    }
    const archiver = new Archiver(
      {
        rollupAddress: addresses.rollup,
        inboxAddress: addresses.inbox,
        pollingIntervalMs: config.archiver.pollingIntervalMs,
        batchSize: config.archiver.batchSize,
      },
      {
        publicClient,
        blobSource: BeaconClient.fromConfig({
          l1ConsensusHostUrls: beaconUrls,
          ...(l1.l1ConsensusHostApiKeys ? { l1ConsensusHostApiKeys: l1.l1ConsensusHostApiKeys } : {}),
          ...(l1.l1ConsensusHostApiKeyHeaders ? { l1ConsensusHostApiKeyHeaders: l1.l1ConsensusHostApiKeyHeaders } : {}),
        }),
        store: new ArchiverStore(store),
        worldState,
      },
    );
    const poolCtx = {
      l1ChainId: BigInt(l1.l1ChainId),
      version: rollupVersion,
      feeJuicePortal: addresses.feeJuicePortal,
    };
    const txPool = new TxPool({ ...poolCtx, store, worldState, getBaseFees: () => BASE_FEES });
    // The pool follows the archiver's chain every P2P_BLOCK_CHECK_INTERVAL_MS (with or without P2P): mined txs leave
    // it, unwound ones come back. Started before the archiver, so it sees every block the archiver adds.
    const follower = new L2BlockFollower(
      { intervalMs: config.p2p.blockCheckIntervalMs },
      { source: archiver.store, listener: txPool },
    );
    await follower.start();
    life.add('tx pool block follower', follower, f => f.stop());
    life.add('archiver', archiver, a => a.stop());
    await archiver.start();

    const epochReader = new RollupEpochReader(publicClient, addresses.rollup);
    const constants = await epochReader.constants();
    const epochCache = new EpochCache(epochReader, constants);

    // One registry per node (no global one): every component registers its metrics here; `GET /metrics` serves it.
    const metrics = new Registry();
    let p2p: P2PService | undefined;
    if (config.p2p.enabled) {
      p2p = await createP2PService(
        {
          config: config.p2p,
          dataDirectory: config.node.dataDirectory,
          network: { l1ChainId: BigInt(l1.l1ChainId), rollupAddress: addresses.rollup, version: rollupVersion },
          nodeVersion: NODE_VERSION,
        },
        { txPool, chain: archiver.store, metrics },
      );
      await p2p.start();
      life.add('p2p', p2p, p => p.stop());
    }

    // Every signature of the validator key, with or without P2P, is recorded here first.
    const protection = new SlashingProtection(store, chainIdentityRoot(l1.l1ChainId, addresses.rollup));
    // With P2P, the committee's duties: validate and re-execute proposals, attest, collect attestations.
    let validatorClient: ValidatorClient | undefined;
    if (p2p) {
      const key = config.validator.validatorPrivateKey;
      validatorClient = new ValidatorClient(
        {
          p2p,
          epochCache,
          constants,
          worldState,
          txPool,
          l1ToL2Messages: n => archiver.store.getL1ToL2Messages(n),
          l1ChainId: l1.l1ChainId,
          feeJuicePortal: addresses.feeJuicePortal,
          rollup: addresses.rollup,
          rollupVersion,
          signer: key ? new ProtectedSigner(key, protection) : undefined,
        },
        config.validator,
      );
      validatorClient.start();
      life.add('validator client', validatorClient, v => v.stop());
    }

    let ready = true;
    const enr = p2p?.getEnr();
    const facts = {
      nodeVersion: NODE_VERSION,
      l1ChainId: l1.l1ChainId,
      rollupVersion: Number(rollupVersion),
      l1ContractAddresses: addresses,
      ...(enr ? { enr } : {}),
    };

    let sequencerControl: { setGovernancePayload(p: Hex | undefined): void } | undefined;
    if (modules.sequencer) {
      const seq = startSequencer({
        validatorClient,
        protection,
        config,
        addresses,
        publicClient,
        clientOpts,
        store,
        worldState,
        archiver,
        txPool,
        epochCache,
        constants,
        rollupVersion,
        metrics,
      });
      life.add('sequencer', seq.sequencer, s => s.stop());
      sequencerControl = seq.publisher;
    }
    if (modules.proverNode) {
      const key = config.prover.publisherPrivateKey;
      if (!key) {
        throw new NodeError(
          'MISSING_PROVER_KEY',
          '--prover-node needs --prover.publisherPrivateKey (PROVER_PUBLISHER_PRIVATE_KEY)',
        );
      }
      const wallet = createL1WalletClient(clientOpts, key);
      const sender = new L1TxSender(publicClient, wallet, {
        pollingIntervalMs: 500,
        stallTimeMs: 24_000,
        maxReplacements: 3,
      });
      const proverId = config.prover.proverId ?? `0x${privateKeyToAddress(key).slice(2).padStart(64, '0')}`;
      const prover = new ProverNode({
        publicClient,
        rollup: addresses.rollup,
        constants: { ...constants, proofSubmissionWindow: 0n },
        chain: archiver.store,
        worldState,
        sender,
        proverId,
        pollingIntervalMs: Math.max(1000, Number(constants.slotDuration) * 250),
      });
      prover.start();
      life.add('prover node', prover, p => p.stop());
    }

    const api = rpcNamespace(
      'node',
      nodeApiSchema,
      createNodeApi({
        chain: archiver.store,
        worldState,
        txPool: p2p ? gossipingPool(txPool, p2p) : txPool,
        facts,
        baseFees: () => BASE_FEES,
        isReady: () => ready,
        slotInfo: async () => {
          const now = await epochReader.latestTimestamp();
          const slot = epochCache.slotAt(now);
          return {
            slot,
            epoch: epochOfSlot(slot, constants),
            proposer: await epochCache.getProposerAttester(slot, now),
          };
        },
      }),
    );
    const server = new JsonRpcServer({
      host: config.node.host,
      port: config.node.port,
      namespaces: [api, rpcNamespace('p2p', p2pApiSchema, createP2PApi(p2p))],
      routes: {
        '/network-config': networkConfigRoute(() => ({
          l1ChainId: l1.l1ChainId,
          l1ContractAddresses: addresses,
          bootstrapNodes: [...(config.p2p.bootstrapNodes ?? []), ...(enr ? [enr] : [])],
        })),
        ...nodeRoutes(
          {
            isReady: () => ready,
            summary: () => ({
              'L2 block': Number(archiver.store.getLatestBlockNumber()),
              'proven block': Number(archiver.store.getProvenBlockNumber()),
              rollup: addresses.rollup,
              'L1 chain id': l1.l1ChainId,
              version: NODE_VERSION,
            }),
          },
          metrics,
        ),
      },
    });
    const port = await server.start();
    life.add('JSON-RPC server', server, s => s.stop());
    const admin = new JsonRpcServer({
      host: config.node.adminHost,
      port: config.node.adminPort,
      namespaces: [
        rpcNamespace('nodeAdmin', nodeAdminApiSchema, createAdminApi({ archiver, sequencer: sequencerControl })),
      ],
    });
    const adminPort = await admin.start();
    life.add('admin JSON-RPC server', admin, s => s.stop());

    const shown = (h: string) => (h === '0.0.0.0' ? '127.0.0.1' : h);
    const rpcUrl = `http://${shown(config.node.host)}:${port}`;
    log.info('Node started', { rpcUrl, rollup: addresses.rollup, modules });
    return {
      rpcUrl,
      adminUrl: `http://${shown(config.node.adminHost)}:${adminPort}`,
      addresses,
      archiver,
      metrics,
      stop: async () => {
        ready = false;
        await life.stopAll();
      },
    };
  } catch (err) {
    await life.stopAll();
    throw err;
  }
}

/** The pool as the API uses it, with accepted txs also gossiped to peers. */
function gossipingPool(pool: TxPool, p2p: P2PService): TxPoolReader {
  return {
    add: async tx => {
      const result = await pool.add(tx);
      if (result.accepted) await p2p.propagateTx(tx);
      return result;
    },
    getTxByHash: h => pool.getTxByHash(h),
    getPendingTxs: limit => pool.getPendingTxs(limit),
    getPendingCount: () => pool.getPendingCount(),
    getTxStatus: h => pool.getTxStatus(h),
  };
}
