import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

import { commandEntries } from '../../src/cli/commands/index.js';
import { parseStartCommand } from '../../src/cli/commands/start/parse.js';
import { knownEnvVars } from '../../src/foundation/config/index.js';
import { aztecConfigSections } from '../../src/node/config.js';
import { runAztec } from '../helpers/cli.js';

// No cluster runs here: the manifests are checked against the Kubernetes API schemas (kubernetes-models), against
// each other (selectors, ports, references), and what their pods run is parsed by the node's own code.

const DIR = fileURLToPath(new URL('../../k8s', import.meta.url));
const IMAGE = 'aztec-sequencer-node';

type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string }[];
};
const docs: Doc[] = kustomization.resources.flatMap(file =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map(d => {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map(e => e.message).join('; ')}`);
    return d.toJS() as Doc;
  }),
);
const ofKind = <T = Doc>(kind: string) => docs.filter(d => d.kind === kind) as unknown as T[];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name: string; containerPort: number; protocol: string; hostPort?: number }[];
}
interface Sts {
  metadata: { name: string };
  spec: {
    serviceName: string;
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    volumeClaimTemplates?: unknown[];
    template: {
      metadata: { labels: Record<string, string> };
      spec: { containers: Container[]; initContainers?: Container[] };
    };
  };
}
interface Svc {
  metadata: { name: string };
  spec: {
    clusterIP?: string;
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: string; protocol: string }[];
  };
}

const configMaps = new Map(
  ofKind<{ metadata: { name: string }; data: Record<string, string> }>('ConfigMap').map(c => [c.metadata.name, c.data]),
);
const secrets = new Map(
  ofKind<{ metadata: { name: string }; stringData: Record<string, string> }>('Secret').map(s => [
    s.metadata.name,
    s.stringData,
  ]),
);
const statefulSets = ofKind<Sts>('StatefulSet');
const ours = statefulSets.flatMap(s =>
  [...(s.spec.template.spec.initContainers ?? []), ...s.spec.template.spec.containers]
    .filter(c => c.image === IMAGE)
    .map(c => ({ sts: s.metadata.name, container: c })),
);
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The container's environment as the node sees it: envFrom ConfigMaps, then env (values, Secret and ConfigMap keys). */
function environment(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const data = configMaps.get(from.configMapRef!.name);
    expect(data, `ConfigMap ${from.configMapRef!.name}`).toBeDefined();
    Object.assign(env, data);
  }
  for (const e of c.env ?? []) {
    const secretRef = e.valueFrom?.secretKeyRef;
    const mapRef = e.valueFrom?.configMapKeyRef;
    const value = secretRef
      ? secrets.get(secretRef.name)?.[secretRef.key]
      : mapRef
        ? configMaps.get(mapRef.name)?.[mapRef.key]
        : e.value;
    expect(value, `${c.name}: ${e.name} (its value, or the Secret/ConfigMap key it refers to)`).toBeDefined();
    env[e.name] = value!;
  }
  return env;
}

describe('k8s/ manifests', () => {
  it('lists every manifest file in kustomization.yaml, and the image is the one scripts/docker-build.mjs builds', () => {
    const files = readdirSync(DIR).filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.images.map(i => i.name)).toEqual([IMAGE]);
    const build = readFileSync(fileURLToPath(new URL('../../scripts/docker-build.mjs', import.meta.url)), 'utf8');
    expect(build).toContain(`DEFAULT_IMAGE = '${IMAGE}:latest'`);
  });

  it('validates every object against the Kubernetes API schemas (and the validation does refuse a bad one)', () => {
    expect(docs.length).toBeGreaterThanOrEqual(10);
    for (const d of docs) {
      const Model = MODELS[`${d.apiVersion}/${d.kind}`];
      expect(Model, `${d.apiVersion} ${d.kind} ${d.metadata.name}: no schema`).toBeDefined();
      expect(() => new Model!(d as never).validate(), `${d.kind} ${d.metadata.name}`).not.toThrow();
    }
    const broken = structuredClone(statefulSets[0]!) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => new StatefulSet(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it('runs the node and the validators as StatefulSets with volumes, JSON-RPC and P2P (TCP+UDP) Services, a PDB', () => {
    const node = statefulSets.find(s => s.metadata.name === 'aztec-node')!;
    const validators = statefulSets.find(s => s.metadata.name === 'aztec-validator')!;
    const postgres = statefulSets.find(s => s.metadata.name === 'aztec-ha-postgres')!;
    expect(validators.spec.replicas).toBe(2);
    const services = ofKind<Svc>('Service');
    const p2pPort = Number(configMaps.get('aztec-network')!['P2P_PORT']);
    for (const sts of [node, validators, postgres]) {
      expect(sts.spec.volumeClaimTemplates, sts.metadata.name).toHaveLength(1);
      expect(matches(sts.spec.selector.matchLabels, sts.spec.template.metadata.labels)).toBe(true);
      // Its governing Service exists and is headless where it is the P2P one.
      expect(services.some(s => s.metadata.name === sts.spec.serviceName)).toBe(true);
    }
    for (const sts of [node, validators]) {
      const p2p = services.find(s => s.metadata.name === sts.spec.serviceName)!;
      expect(p2p.spec.clusterIP).toBe('None');
      expect(p2p.spec.ports.map(p => `${p.port}/${p.protocol}`).sort()).toEqual([`${p2pPort}/TCP`, `${p2pPort}/UDP`]);
      const rpc = services.find(s => s !== p2p && matches(s.spec.selector, sts.spec.template.metadata.labels))!;
      expect(rpc.spec.ports.map(p => p.port)).toEqual([Number(configMaps.get('aztec-network')!['AZTEC_PORT'])]);
    }
    // Every Service selects pods of some StatefulSet, and every named target port is a port of those pods.
    for (const svc of services) {
      const pods = statefulSets.filter(s => matches(svc.spec.selector, s.spec.template.metadata.labels));
      expect(pods.length, `Service ${svc.metadata.name} selects no pods`).toBeGreaterThan(0);
      for (const port of svc.spec.ports) {
        const found = pods.every(s =>
          s.spec.template.spec.containers.some(c =>
            (c.ports ?? []).some(p => p.name === port.targetPort && p.protocol === port.protocol),
          ),
        );
        expect(found, `Service ${svc.metadata.name} port ${port.name}`).toBe(true);
      }
    }
    const [pdb] = ofKind<{ spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>(
      'PodDisruptionBudget',
    );
    expect(matches(pdb!.spec.selector.matchLabels, validators.spec.template.metadata.labels)).toBe(true);
    expect(pdb!.spec.minAvailable).toBeGreaterThan(0);
    expect(pdb!.spec.minAvailable).toBeLessThan(validators.spec.replicas);
    // The ports the containers listen on are the ones the config gives the node.
    for (const { container } of ours.filter(o => o.container.args?.[0] === 'start')) {
      const ports = Object.fromEntries((container.ports ?? []).map(p => [p.name, p.containerPort]));
      expect(ports).toEqual({ 'json-rpc': 8080, 'p2p-tcp': p2pPort, 'p2p-udp': p2pPort });
    }
  });

  it('gives the node only environment variables it declares, each with a value its parser accepts', () => {
    const declared = knownEnvVars(aztecConfigSections);
    expect(ours.length).toBeGreaterThanOrEqual(3);
    for (const { sts, container } of ours) {
      for (const name of Object.keys(environment(container))) {
        expect(declared.has(name), `${sts}/${container.name}: ${name} is not declared`).toBe(true);
      }
    }
    // The check can fail: a misspelt variable is caught.
    expect(declared.has('VALIDATOR_DOPPELGANGER_EPOCH')).toBe(false);
  });

  it('parses every `aztec start` command line with its environment as the node would, outside a cluster', () => {
    const starts = ours.filter(o => o.container.args?.[0] === 'start');
    expect(starts.map(o => o.sts).sort()).toEqual(['aztec-node', 'aztec-validator']);
    for (const { sts, container } of starts) {
      const parsed = parseStartCommand(container.args!.slice(1), environment(container));
      expect(parsed.kind, sts).toBe('start');
      if (parsed.kind !== 'start') continue;
      expect(parsed.config.p2p.enabled).toBe(true);
      expect(parsed.config.node.dataDirectory).toBe('/var/lib/aztec');
      if (sts === 'aztec-validator') {
        expect(parsed.modules.sequencer).toBe(true);
        expect(parsed.config.validator.keyStoreDirectory).toBe('/keys/keystore.json');
        expect(parsed.config.validator.doppelgangerEpochs).toBe(2);
      }
    }
    // A bad value in the same environment is refused by the same parse.
    const env = { ...environment(starts[0]!.container), P2P_PORT: '0' };
    expect(() => parseStartCommand(starts[0]!.container.args!.slice(1), env)).toThrow(/P2P_PORT/);
  });

  it('runs only registered `aztec` commands, each of which accepts its arguments (with --help)', () => {
    const others = ours.filter(o => o.container.args?.[0] !== 'start');
    expect(others.map(o => o.container.args)).toEqual([['migrate-ha-db', 'up']]);
    for (const { container } of others) {
      const name = container.args![0]!;
      expect(
        commandEntries.some(c => c.name === name),
        `aztec ${name} is not a command`,
      ).toBe(true);
      const r = runAztec([...container.args!, '--help'], environment(container));
      expect(r.code, r.stderr).toBe(0);
    }
  });
});
