import { defineConfigMappings, parsers as p } from '../../../foundation/config/index.js';
import { createRpcClient } from '../../../foundation/json-rpc/index.js';
import { nodeApiSchema } from '../../../node/api/schema.js';
import { configCommand, type CommandSpec } from '../../command-config.js';

const mappings = defineConfigMappings({
  nodeUrl: {
    flag: '--node-url',
    parse: p.url(),
    default: 'http://127.0.0.1:8080',
    description: "URL of a node's JSON-RPC API.",
  },
});

const spec: CommandSpec<typeof mappings> = {
  name: 'get-info',
  title: 'Node',
  summary:
    'Prints what the network looks like from a node: pending and proven block, current epoch and slot, proposer.',
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

/** `aztec get-info --node-url <url>`. */
export const getInfoCommand = configCommand(spec, async ({ own }, ctx) => {
  ctx.stdout((await getInfoLines(own.nodeUrl)).join('\n') + '\n');
});
