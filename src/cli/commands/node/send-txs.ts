import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { devAccount } from '../../../l1/dev-accounts.js';
import { configCommand, type CommandSpec } from '../../command-config.js';
import { sendTraffic } from '../../traffic/send-traffic.js';

const mappings = defineConfigMappings({
  nodeUrl: {
    flag: '--node-url',
    parse: p.url(),
    default: 'http://127.0.0.1:8080',
    description: "URL of a node's JSON-RPC API.",
  },
  count: { flag: '--count', parse: p.integer({ min: 1, max: 10_000 }), default: 10, description: 'Txs to send.' },
  privateKey: {
    env: 'L1_PRIVATE_KEY',
    flag: '--private-key',
    parse: p.privateKey,
    secret: true,
    defaultText: "anvil's first account (local network only)",
    description: 'L1 account that bridges the fee juice (it mints the fee asset first if it is a minter).',
  },
});

const spec: CommandSpec<typeof mappings> = {
  name: 'send-txs',
  title: 'Traffic',
  summary:
    'Makes traffic as a user would: a new L2 account funded with fee juice bridged from L1, then --count txs; ' +
    'waits until each is mined.',
  mappings,
};

/** `aztec send-txs`. */
export const sendTxsCommand = configCommand(spec, async ({ own, config }, ctx) => {
  const result = await sendTraffic({
    nodeUrl: own.nodeUrl,
    l1RpcUrls: config.l1.l1RpcUrls,
    l1PrivateKey: own.privateKey ?? devAccount(0).privateKey,
    count: own.count,
  });
  ctx.stdout(`Account ${result.account} sent ${result.txs.length} txs:\n`);
  for (const t of result.txs) ctx.stdout(`  ${t.txHash}  block ${t.blockNumber}  fee ${t.fee}\n`);
});
