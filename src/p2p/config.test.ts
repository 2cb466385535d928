import { describe, expect, it } from 'vitest';

import { ConfigError, resolveConfig } from '../foundation/config/index.js';
import { p2pConfigMappings } from './config.js';

const resolve = (env: Record<string, string>) => resolveConfig(p2pConfigMappings, { env });

describe('p2p config', () => {
  it("takes aztec-spartan's 'query' answer (P2P_QUERY_FOR_IP=true, P2P_IP empty or absent)", () => {
    for (const env of [{ P2P_QUERY_FOR_IP: 'true' }, { P2P_QUERY_FOR_IP: 'true', P2P_IP: '' }]) {
      const config = resolve(env);
      expect(config.queryForIp).toBe(true);
      expect(config.p2pIp).toBeUndefined();
    }
  });

  it('refuses P2P_IP=query (not a host to announce) and names the setting to use', () => {
    expect(() => resolve({ P2P_IP: 'query' })).toThrow(ConfigError);
    expect(() => resolve({ P2P_IP: 'query' })).toThrow(/leave P2P_IP unset and set P2P_QUERY_FOR_IP=true/);
    expect(resolve({ P2P_IP: 'node.example.org' }).p2pIp).toBe('node.example.org');
  });
});
