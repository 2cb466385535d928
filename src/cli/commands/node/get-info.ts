import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { createRpcClient } from '../../../foundation/json-rpc/index.js';
import { nodeApiSchema } from '../../../node/api/schema.js';
import { configCommand, type CommandSpec } from '../../command-config.js';
import { validatorStatsLines } from './validator-stats-lines.js';

const mappings = defineConfigMappings({
  nodeUrl: {
    flag: '--node-url',
    parse: p.url(),
    default: 'http://127.0.0.1:8080',
    description: "URL of a node's JSON-RPC API.",
  },
  validator: {
    flag: '--validator',
    parse: p.address,
    description: "Also print this validator's duties as the node's sentinel recorded them (node_getValidatorStats).",
  },
  json: {
    flag: '--json',
    parse: p.boolean,
    default: false,
    description: 'Print one JSON object instead of lines (with --validator, its node_getValidatorStats answer too).',
  },
});

const spec: CommandSpec<typeof mappings> = {
  name: 'get-info',
  title: 'Node',
  summary:
    'Prints what the network looks like from a node: pending and proven block, current epoch and slot, proposer; ' +
    "with --validator, that validator's proposals and attestations, made and missed.",
  mappings,
};

/** The lines `aztec get-info` prints (the guide's bot prints the same). */
export async function getInfoLines(nodeUrl: string): Promise<string[]> {
  const node = createRpcClient(nodeUrl, 'node', nodeApiSchema);
  const [tips, slot] = await Promise.all([node.getL2Tips(), node.getSlotInfo()]);
  return [
    `Pending block: ${tips.latest.number}`,
    `Proven block: ${tips.proven.number}`,
    `Current epoch: ${slot.epoch}`,
    `Current slot: ${slot.slot}`,
    `Proposer now: ${slot.proposer ?? '0x0000000000000000000000000000000000000000'}`,
  ];
}

/** `aztec get-info --node-url <url> [--validator <address>] [--json]`. */
export const getInfoCommand = configCommand(spec, async ({ own }, ctx) => {
  const node = createRpcClient(own.nodeUrl, 'node', nodeApiSchema);
  const stats = own.validator === undefined ? undefined : await node.getValidatorStats(own.validator);
  if (own.json) {
    const [tips, slot] = await Promise.all([node.getL2Tips(), node.getSlotInfo()]);
    const info = {
      pendingBlock: tips.latest.number,
      provenBlock: tips.proven.number,
      currentEpoch: slot.epoch,
      currentSlot: slot.slot,
      proposer: slot.proposer,
      ...(stats !== undefined ? { validator: stats } : {}),
    };
    ctx.stdout(JSON.stringify(info, null, 2) + '\n');
    return;
  }
  const lines = await getInfoLines(own.nodeUrl);
  if (own.validator !== undefined && stats !== undefined) lines.push(...validatorStatsLines(own.validator, stats));
  ctx.stdout(lines.join('\n') + '\n');
});
