/**
 * Surge capacity: how many extra nodes a node pool upgrade creates. maxSurge is a node count
 * ('1', '3') or a percentage of the pool's node count ('33%'), rounded as the rules say (AKS: up).
 */
import type { UpgradeRules } from './types.js';

export function surgeNodes(maxSurge: string, count: number, rules: UpgradeRules): number {
  const pct = /^(\d+)%$/.exec(maxSurge.trim());
  if (pct) {
    const exact = (count * Number(pct[1])) / 100;
    return rules.surge.percentRounding === 'up' ? Math.ceil(exact) : Math.floor(exact);
  }
  const n = Number(maxSurge);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`maxSurge must be a count or a percentage, got ${JSON.stringify(maxSurge)}`);
  return n;
}
