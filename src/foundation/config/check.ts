import type { ConfigSections } from './types.js';

// How commander names an option's value: `--l1-rpc-urls` → `l1RpcUrls`; two flags with one name would collide.
function attributeName(flag: string): string {
  return flag.replace(/^--?/, '').replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/**
 * Names used by more than one setting across `sections`: flags (aliases included, also as commander attribute
 * names) and environment variables (aliases included). Empty when every name is unique.
 */
export function duplicateConfigNames(sections: ConfigSections): string[] {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  const claim = (name: string, owner: string) => {
    const previous = seen.get(name);
    if (previous !== undefined && previous !== owner) duplicates.push(`${name} (${previous} and ${owner})`);
    seen.set(name, owner);
  };
  for (const [sectionName, section] of Object.entries(sections)) {
    for (const [key, m] of Object.entries(section.mappings)) {
      const owner = `${sectionName}.${key}`;
      for (const flag of [m.flag, ...(m.aliases ?? [])]) {
        claim(`flag ${flag}`, owner);
        claim(`option name ${attributeName(flag)}`, owner);
      }
      for (const env of [...(m.env === undefined ? [] : [m.env]), ...(m.envAliases ?? [])]) claim(`env ${env}`, owner);
    }
  }
  return duplicates;
}
