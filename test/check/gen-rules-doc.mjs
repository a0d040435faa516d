#!/usr/bin/env node
// Writes docs/rules.md and src/checks/rule-catalog.ts (the light list `check --list-rules` reads)
// from the check rule registry. Run: node --import tsx test/check/gen-rules-doc.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const { rulesMarkdown } = await import('../../src/checks/docs.ts');
const { rules } = await import('../../src/checks/registry.ts');
const { ruleCatalogSource } = await import('../../src/checks/rule-meta.ts');
writeFileSync(new URL('../../docs/rules.md', import.meta.url), rulesMarkdown());
const catalog = fileURLToPath(new URL('../../src/checks/rule-catalog.ts', import.meta.url));
writeFileSync(catalog, ruleCatalogSource(rules));
execFileSync(fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url)), ['format', '--write', catalog], {
  stdio: 'inherit',
});
