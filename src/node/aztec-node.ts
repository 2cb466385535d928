import { Registry } from 'prom-client';
import type { Hex } from 'viem';

import { Archiver } from '../archiver/archiver.js';
import { archiverMetrics } from '../archiver/metrics.js';
import { ArchiverStore } from '../archiver/store.js';
import { ConfigError } from '../foundation/config/index.js';
import { createLogger } from '../foundation/log/index.js';
import { retryUntilDone } from '../foundation/timers/index.js';
import { openKvStore } from '../kv/index.js';
import type { L1ContractAddresses } from '../l1/addresses.js';
import { BeaconClient } from '../l1/beacon/index.js';
import { BlobVerifier } from '../l1/blobs/index.js';
import { L1HeadWatcher } from '../l1/head-watcher.js';
import { L1Clock } from '../l1/l1-clock.js';
import type { P2PChainSource, P2PService } from '../p2p/service.js';
import type { SequencerState } from '../sequencer/state.js';
import type { SlasherClient } from '../slasher/index.js';
import type { L1TxSender } from '../l1/tx-sender.js';
import { exportSnapshot } from '../snapshot/export.js';
import { syncFromSnapshot } from '../snapshot/import.js';
import { EpochCache } from '../protocol/epoch/epoch-cache.js';
import { RollupBaseFees } from '../protocol/fees/index.js';
import { epochOfSlot } from '../protocol/epoch/time.js';
import { L2BlockFollower, TxPool } from '../tx-pool/index.js';
import { DoppelgangerProtection } from '../validator/doppelganger.js';
import { L1SignatureWatch } from '../validator/l1-signature-watch.js';
import { chainIdentityRoot, ProtectedSigner, SlashingProtection } from '../validator/slashing-protection.js';
import { validatorMetrics } from '../validator/metrics.js';
import { ValidatorClient } from '../validator/validator-client.js';
import { createWorldState } from '../world-state/index.js';
import { createApiServers, listenApiServers } from './api-servers.js';
import type { TxPoolReader } from './api/deps.js';
import type { AztecConfig } from './config.js';
import { connectL1 } from './l1-connection.js';
import { Lifecycle } from './lifecycle.js';
import { moduleProblems, type NodeModules } from './modules.js';
import { registerNodeMetrics } from './node-metrics.js';
import { NODE_STORE_NAME } from './node-store.js';
import { createProverNode } from './prover-factory.js';
import { nodeBlobSources } from './blob-sources.js';
import { archiverStatus, Readiness } from './readiness.js';
import { createSequencer, type SequencerFactoryDeps } from './sequencer-factory.js';
import type { SentinelStats } from '../sentinel/index.js';
import { startSentinel } from './sentinel-factory.js';
import { checkSigningProtection, connectHaSigning, signedDutyLookup } from './signing-protection.js';
import { createSlasher, type SlasherFactoryDeps } from './slasher-factory.js';
import { nodeStatusView } from './status/node-status.js';
import { resolveNodeValidators } from './validator-keys.js';
import { NODE_VERSION } from './version.js';

export type { NodeModules } from './modules.js';
export { NODE_VERSION } from './version.js';

/** A running node: where its APIs listen, and how to stop it. */
export interface RunningNode {
  rpcUrl: string;
  adminUrl: string;
  addresses: L1ContractAddresses;
  archiver: Archiver;
  /** The node's metrics registry, served on `GET /metrics` (benches and tests read it directly). */
  metrics: Registry;
  /** What `GET /status` and `node_isReady` report. */
  readiness: Readiness;
  stop(): Promise<void>;
}

/** Options of `startAztecNode`. */
export interface StartNodeOptions {
  /** The contract addresses, when the caller knows them (the local network); else resolved from the config. */
  l1Addresses?: L1ContractAddresses;
  /** Aborts a start that is still waiting (for an L1 endpoint, say): Ctrl-C during start-up. */
  signal?: AbortSignal;
  /**
   * Tests only: hooks that make this node misbehave or report what it did (src/slasher/testing). The CLI never sets
   * them, and no flag or variable reaches them.
   */
  testing?: {
    wrapAttestationSource?: SequencerFactoryDeps['wrapAttestationSource'];
    slasher?: SlasherFactoryDeps['hooks'];
    /** What P2P serves as this node's chain (`block`, `status`): a peer serving wrong bodies (src/p2p/testing). */
    wrapServedChain?: (chain: P2PChainSource) => P2PChainSource;
  };
}

/**
 * The composition root: builds the services the modules ask for, in dependency order (L1 → archiver → world state
 * → API; txs → pool → sequencer → L1), registering each for teardown before it starts, so a start that fails
 * half-way stops what it started, in reverse. Refuses module combinations that cannot work, naming the flag.
 */
export async function startAztecNode(
  config: AztecConfig,
  modules: NodeModules,
  opts: StartNodeOptions = {},
): Promise<RunningNode> {
  const problems = moduleProblems(modules, config.p2p.enabled);
  if (problems.length > 0) throw new ConfigError(problems);
  // The node's attesters (the keystore's, or VALIDATOR_PRIVATE_KEY's one), read first: a bad keystore stops the start.
  const validators = await resolveNodeValidators(config);
  // A node that signs needs slashing protection that outlives it: a data directory or HA signing (or the allowance).
  const signs =
    validators.length > 0 && !config.validator.disabled && (modules.sequencer || (config.p2p.enabled && modules.node));
  checkSigningProtection(config, signs);
  const log = createLogger('node');
  const life = new Lifecycle(log);
  const readiness = new Readiness();
  // One registry per node (no global one): every component registers its metrics here; `GET /metrics` serves it.
  const metrics = new Registry();
  try {
    const signalOpt = opts.signal ? { signal: opts.signal } : {};
    const l1 = await connectL1(config.l1, {
      network: config.node.network,
      log,
      metrics,
      ...(opts.l1Addresses ? { addresses: opts.l1Addresses } : {}),
      ...signalOpt,
    });
    const { addresses, constants } = l1;
    const l1BlockTime = config.l1.ethereumSlotDuration;

    // One clock, L1 time, for every component that reasons in slots.
    const clock = new L1Clock();
    const head = life.add(
      'L1 head watcher',
      new L1HeadWatcher(l1.publicClient, clock, {
        intervalMs: Math.max(250, (l1BlockTime * 1000) / 4),
        blockTimeMs: l1BlockTime * 1000,
      }),
      h => h.stop(),
    );
    await retryUntilDone(() => head.start(), { what: 'the L1 head', log, ...signalOpt });

    // SYNC_MODE=snapshot|force-snapshot: a verified snapshot replaces the chain data before the store opens.
    await syncFromSnapshot({
      config: config.snapshot,
      dataDirectory: config.node.dataDirectory,
      storeName: NODE_STORE_NAME,
      l1ChainId: config.l1.l1ChainId,
      rollupAddress: addresses.rollup,
      l1: {
        archiveAt: n => l1.rollup.archiveAt(n),
        pendingBlockNumber: async () => (await l1.rollup.getTips()).pending,
      },
    });

    const store = life.add(
      'store',
      await openKvStore({
        ...(config.node.dataDirectory ? { dataDirectory: config.node.dataDirectory } : {}),
        name: NODE_STORE_NAME,
      }),
      s => s.close(),
    );
    const worldState: ReturnType<typeof createWorldState> | undefined =
      modules.node || modules.proverNode
        ? createWorldState({ store, blockHistory: config.worldState.blockHistory })
        : undefined;

    const archiverM = archiverMetrics(metrics);
    // Shared by the beacon client and the archiver: a blob is committed to once, on the pool's worker threads.
    const blobVerifier = life.add(
      'blob verifier',
      new BlobVerifier({ threads: config.archiver.blobVerifyThreads }),
      v => v.stop(),
    );
    blobVerifier.start();
    // Bodies from the beacon, then BLOB_ARCHIVE_URLS, then peers (docs/blob-archive.md).
    const blobs = nodeBlobSources({
      beacon: beaconFor(config, blobVerifier),
      beaconName: blobSourceName(config),
      archiveUrls: config.archiver.blobArchiveUrls,
      p2p: config.p2p.enabled && modules.node && worldState !== undefined,
      verifier: blobVerifier,
      metrics: archiverM,
    });
    const archiver = new Archiver(
      {
        rollupAddress: addresses.rollup,
        inboxAddress: addresses.inbox,
        pollingIntervalMs: config.archiver.pollingIntervalMs,
        batchSize: config.archiver.batchSize,
      },
      {
        publicClient: l1.publicClient,
        blobSource: blobs.source,
        blobVerifier,
        store: new ArchiverStore(store),
        worldState,
        metrics: archiverM,
        l1Head: head,
      },
    );
    readiness.add('archiver', () => archiverStatus(archiver.syncStatus(), clock.latestBlock()?.number));
    if (worldState) {
      readiness.add('worldState', () => {
        const block = worldState.getBlockNumber();
        const tip = archiver.store.getLatestBlockNumber();
        return block === tip
          ? { ready: true, block: Number(block) }
          : { ready: false, reason: `at block ${block}, the archiver at ${tip}`, block: Number(block) };
      });
    }
    const epochCache = new EpochCache(l1.rollup, constants, clock);
    // The Rollup's base fees (docs/fees.md): read for each block built or attested, and for the next slot for the API.
    const baseFees = life.add(
      'base fees',
      new RollupBaseFees(
        { rollup: l1.rollup, constants, clock },
        { intervalMs: Math.max(250, (l1BlockTime * 1000) / 2) },
      ),
      b => b.stop(),
    );
    await retryUntilDone(() => baseFees.start(), { what: 'the base fees', log, ...signalOpt });
    // The Rollup's fee inputs change only with its own transactions: read them again when the chain changes.
    archiver.subscribe(() => baseFees.invalidate());

    let txPool: TxPool | undefined;
    if (modules.node && worldState) {
      txPool = new TxPool({
        l1ChainId: BigInt(config.l1.l1ChainId),
        version: constants.version,
        feeJuicePortal: addresses.feeJuicePortal,
        store,
        worldState,
        maxPendingTxs: config.p2p.maxPendingTxCount,
        maxPendingBytes: config.p2p.maxTxPoolSize,
        metrics,
      });
      // The pool follows the archiver's chain every P2P_BLOCK_CHECK_INTERVAL_MS (with or without P2P): mined txs
      // leave it, unwound ones come back. Started before the archiver, so it sees every block the archiver adds.
      const follower = life.add(
        'tx pool block follower',
        new L2BlockFollower(
          { intervalMs: config.p2p.blockCheckIntervalMs },
          { source: archiver.store, listener: txPool },
        ),
        f => f.stop(),
      );
      await follower.start();
    }
    // Every signature of a validator key, with or without P2P, is recorded here first; with HA signing, its duty is
    // claimed in the shared database before that.
    const chainRoot = chainIdentityRoot(config.l1.l1ChainId, addresses.rollup);
    const protection = new SlashingProtection(store, chainRoot);
    const ha = signs ? await connectHaSigning(config, chainRoot, log) : undefined;
    if (ha) life.add('HA signing database', ha, h => h.close());
    // Doppelganger protection (VALIDATOR_DOPPELGANGER_EPOCHS): the watch starts now; the signers wait for its end.
    // `record` answers "did one of our nodes sign this": with HA signing, any node of the set (the shared database),
    // so that the nodes of one HA set are not each other's doppelgangers; then this node's own history.
    const doppelganger = new DoppelgangerProtection(
      { epochs: validators.length > 0 ? config.validator.doppelgangerEpochs : 0 },
      {
        attesters: validators.map(v => v.attester),
        constants,
        clock,
        record: signedDutyLookup(protection, ha),
        metrics,
      },
    );
    doppelganger.start();
    if (doppelganger.enabled) {
      // Subscribed before the archiver starts, so every block it adds from now on is read.
      life
        .add(
          'doppelganger L1 watch',
          new L1SignatureWatch({
            archiver,
            txInput: async hash => (await l1.publicClient.getTransaction({ hash })).input,
            epochCache,
            l1ChainId: config.l1.l1ChainId,
            rollup: addresses.rollup,
            fromSlot: () => doppelganger.watchStartSlot,
            onSignature: seen => doppelganger.observe(seen),
          }),
          w => w.stop(),
        )
        .start();
    }
    const signers = validators.map(
      v => new ProtectedSigner(v.attesterPrivateKey, protection, { ha, gate: doppelganger }),
    );

    life.add('archiver', archiver, a => a.stop());
    await archiver.start();

    let p2p: P2PService | undefined;
    if (config.p2p.enabled && txPool) {
      // Loaded only when P2P runs: libp2p and discv5 are about a thousand modules a follower without P2P never uses.
      const { createP2PService } = await import('../p2p/factory.js');
      p2p = life.add(
        'p2p',
        await createP2PService(
          {
            config: config.p2p,
            dataDirectory: config.node.dataDirectory,
            network: {
              l1ChainId: BigInt(config.l1.l1ChainId),
              rollupAddress: addresses.rollup,
              version: constants.version,
            },
            nodeVersion: NODE_VERSION,
          },
          { txPool, chain: opts.testing?.wrapServedChain?.(archiver.store) ?? archiver.store, metrics },
        ),
        p => p.stop(),
      );
      await p2p.start();
      blobs.attachPeers(p2p);
      const service = p2p;
      const lonely = (config.p2p.bootstrapNodes ?? []).length === 0;
      readiness.add('p2p', () => {
        const peers = service.getPeers().length;
        return peers > 0 || lonely
          ? { ready: true, peers }
          : { ready: false, reason: 'no peers yet (BOOTSTRAP_NODES are set)', peers };
      });
    }

    // With P2P, the committee's duties: validate and re-execute proposals, attest, collect attestations.
    let validatorClient: ValidatorClient | undefined;
    let slasher: SlasherClient | undefined;
    if (p2p && txPool && worldState) {
      validatorClient = life.add(
        'validator client',
        new ValidatorClient(
          {
            p2p,
            epochCache,
            constants,
            clock,
            worldState,
            txPool,
            l1ToL2Messages: n => archiver.store.getL1ToL2Messages(n),
            l1ChainId: config.l1.l1ChainId,
            feeJuicePortal: addresses.feeJuicePortal,
            baseFees: ts => baseFees.at(ts),
            rollup: addresses.rollup,
            rollupVersion: constants.version,
            signers,
            metrics: validatorMetrics(metrics),
            onSignature: seen => doppelganger.observe(seen),
            // The slasher is built after the sequencer (it reports through a publisher's sender).
            observer: s => slasher?.observe(s),
          },
          config.validator,
        ),
        v => v.stop(),
      );
      validatorClient.start();
    }

    let sequencerState: (() => SequencerState) | undefined;
    let sequencerControl: { setGovernancePayload(p: Hex | undefined): void } | undefined;
    let reportSender: L1TxSender | undefined;
    let publisherSenders: ReadonlyMap<Hex, L1TxSender> | undefined;
    if (modules.sequencer && txPool && worldState) {
      const { sequencer, publishers, senders } = createSequencer({
        config,
        l1,
        clock,
        store,
        worldState,
        chain: archiver.store,
        txPool,
        epochCache,
        baseFees,
        validatorClient,
        signers,
        gate: doppelganger,
        metrics,
        validators,
        wrapAttestationSource: opts.testing?.wrapAttestationSource,
      });
      const firstPublisher = validators[0]?.publisherPrivateKeys[0];
      reportSender = firstPublisher ? senders.get(firstPublisher) : undefined;
      publisherSenders = senders;
      life.add('sequencer', sequencer, s => s.stop());
      sequencer.start();
      sequencerControl = { setGovernancePayload: p => publishers.forEach(pub => pub.setGovernancePayload(p)) };
      sequencerState = () => sequencer.getState();
      readiness.add('sequencer', () => ({ ready: sequencer.isRunning(), state: sequencer.getState() }));
    }
    if (modules.proverNode && worldState) {
      const prover = life.add(
        'prover node',
        createProverNode({ config, l1, clock, chain: archiver.store, worldState, metrics }),
        p => p.stop(),
      );
      prover.start();
    }
    // Equivocation seen on gossip goes to the L1 Slasher; slashes of our validators are watched for. With a
    // sequencer and the sentinel, our proposers vote against inactive validators.
    const slasherStats: { current?: SentinelStats | undefined } = {};
    if (validatorClient || validators.length > 0) {
      const created = createSlasher({
        config,
        l1,
        validators,
        sender: reportSender,
        metrics,
        inactivity: publisherSenders && {
          senders: publisherSenders,
          epochCache,
          constants,
          stats: () => slasherStats.current,
        },
        ...(opts.testing?.slasher ? { hooks: opts.testing.slasher } : {}),
      });
      if (created) {
        slasher = life.add('slasher', created, s => s.stop());
        await slasher.start();
      }
    }

    // Every validator's duties, from the archiver's L1 blocks and (with P2P) the validator client's gossip pools.
    const sentinel = config.sentinel.enabled
      ? startSentinel({
          config,
          life,
          store,
          archiver,
          epochCache,
          constants,
          rollup: addresses.rollup,
          clock,
          validatorClient,
          validators,
          metrics,
        })
      : undefined;
    slasherStats.current = sentinel;

    registerNodeMetrics(metrics, {
      archiver: () => ({ ...archiver.syncStatus(), provenBlockNumber: archiver.store.getProvenBlockNumber() }),
      l1Head: () => clock.latestBlock()?.number,
      worldState,
      sequencerState,
      dataDirectory: config.node.dataDirectory,
    });

    const enr = p2p?.getEnr();
    const servers = createApiServers({
      config,
      archiver,
      node: txPool &&
        worldState && {
          chain: archiver.store,
          worldState,
          txPool: p2p ? gossipingPool(txPool, p2p) : txPool,
          facts: {
            nodeVersion: NODE_VERSION,
            l1ChainId: config.l1.l1ChainId,
            rollupVersion: Number(constants.version),
            l1ContractAddresses: addresses,
            ...(enr ? { enr } : {}),
          },
          baseFees: () => baseFees.current(),
          isReady: () => readiness.isReady(),
          slotInfo: async () => {
            const slot = epochCache.currentSlot();
            return {
              slot,
              epoch: epochOfSlot(slot, constants),
              proposer: await epochCache.getProposerAttester(slot),
            };
          },
          p2p,
          ...(sentinel ? { validatorStats: sentinel } : {}),
        },
      sequencer: sequencerControl,
      validators: validators.length > 0 ? doppelganger : undefined,
      snapshot: worldState && {
        export: async out =>
          (await exportSnapshot({ store, l1ChainId: config.l1.l1ChainId, rollupAddress: addresses.rollup, out })).index,
      },
      status: {
        report: () => readiness.report(),
        view: nodeStatusView({
          facts: { version: NODE_VERSION, l1ChainId: config.l1.l1ChainId, rollup: addresses.rollup },
          readiness,
          archiver,
          clock,
          worldState,
          epochCache,
          constants,
          p2p,
          attesters: validators.map(v => v.attester),
          protection,
          l1ChainId: config.l1.l1ChainId,
          rollup: addresses.rollup,
          ...(sentinel ? { sentinel } : {}),
        }),
      },
      metrics,
      networkConfig: () => ({
        l1ChainId: config.l1.l1ChainId,
        l1ContractAddresses: addresses,
        bootstrapNodes: [...(config.p2p.bootstrapNodes ?? []), ...(enr ? [enr] : [])],
      }),
    });
    life.add('JSON-RPC server', servers.rpc, s => s.stop());
    life.add('admin JSON-RPC server', servers.admin, s => s.stop());
    const { rpcUrl, adminUrl } = await listenApiServers(config, servers);
    readiness.markStarted();
    log.info('Node started', { rpcUrl, rollup: addresses.rollup, modules, p2p: p2p !== undefined });
    return {
      rpcUrl,
      adminUrl,
      addresses,
      archiver,
      metrics,
      readiness,
      stop: async () => {
        readiness.markStopping();
        await life.stopAll();
      },
    };
  } catch (err) {
    await life.stopAll();
    throw err;
  }
}

/**
 * The blob source: the beacon URLs (L1_CONSENSUS_HOST_URLS) with their keys; on a local L1 (chain 31337) without
 * them, anvil's own beacon endpoint at the execution URL.
 */
function beaconFor(config: AztecConfig, verifier: BlobVerifier): BeaconClient {
  const l1 = config.l1;
  const beaconUrls = l1.l1ConsensusHostUrls ?? (l1.l1ChainId === 31337 ? l1.l1RpcUrls : undefined);
  if (!beaconUrls) {
    throw new ConfigError([
      {
        flag: '--l1-consensus-host-urls',
        env: 'L1_CONSENSUS_HOST_URLS',
        message: 'The archiver needs a beacon node for blob data: set --l1-consensus-host-url (L1_CONSENSUS_HOST_URLS)',
      },
    ]);
  }
  return BeaconClient.fromConfig(
    {
      l1ConsensusHostUrls: beaconUrls,
      ...(l1.l1ConsensusHostApiKeys ? { l1ConsensusHostApiKeys: l1.l1ConsensusHostApiKeys } : {}),
      ...(l1.l1ConsensusHostApiKeyHeaders ? { l1ConsensusHostApiKeyHeaders: l1.l1ConsensusHostApiKeyHeaders } : {}),
    },
    { verifier },
  );
}

/** The blob source's label on `aztec_archiver_blob_fetch_duration_seconds`. */
function blobSourceName(config: AztecConfig): string {
  return config.l1.l1ConsensusHostUrls ? 'beacon' : 'execution_rpc';
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
