/**
 * A rule's metadata without its implementation, and the source of rule-catalog.ts (the light
 * list `check --list-rules` reads; generated from the registry by
 * `node --import tsx test/check/gen-rules-doc.mjs`, a test keeps it equal to the registry).
 */
import type { Rule, RuleMeta } from './types.js';

/** The metadata of one rule, keys in a fixed order. */
export function ruleMeta(r: Rule): RuleMeta {
  return {
    id: r.id,
    severity: r.severity,
    category: r.category,
    scope: r.scope,
    ...(r.profile ? { profile: r.profile } : {}),
    doc: r.doc,
    hint: r.hint,
  };
}

/** The text of src/checks/rule-catalog.ts for these rules (Biome formats it after writing). */
export function ruleCatalogSource(list: readonly Rule[]): string {
  return [
    '/**',
    ' * Generated from src/checks/registry.ts by `node --import tsx test/check/gen-rules-doc.mjs`; do not edit.',
    ' * Every rule without its implementation, in registry order: what `check --list-rules` lists without',
    ' * loading the rules and their engines (test/check/rule-catalog.test.ts keeps it equal to the registry).',
    ' */',
    "import type { RuleMeta } from './types.js';",
    '',
    `export const ruleCatalog: readonly RuleMeta[] = ${JSON.stringify(list.map(ruleMeta), null, 2)};`,
    '',
  ].join('\n');
}
