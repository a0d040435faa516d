/**
 * `check --list-rules`: one line per rule (id, severity, profile, what it requires), read from the
 * generated catalog, so that listing the rules loads no rule implementation and no engine.
 */
import { ruleCatalog } from './rule-catalog.js';
import type { RuleMeta } from './types.js';

export function rulesList(list: readonly RuleMeta[] = ruleCatalog): string {
  const w = Math.max(...list.map((r) => r.id.length));
  return `${list.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${(r.profile ?? 'generic').padEnd(12)}  ${r.doc}`).join('\n')}\n`;
}
