#!/usr/bin/env node
// Regenerates the docs that come from code: docs/fleet-spec.md, docs/cli.md (and docs/rules.md when present).
import { writeFileSync } from 'node:fs';
const root = new URL('..', import.meta.url).pathname;
const { fleetSpecMarkdown } = await import(root + 'dist/spec/docs.js');
writeFileSync(root + 'docs/fleet-spec.md', fleetSpecMarkdown());
try {
  const { rulesMarkdown } = await import(root + 'dist/checks/docs.js');
  writeFileSync(root + 'docs/rules.md', rulesMarkdown());
} catch (e) {
  if (e.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}
const { cliMarkdown } = await import(root + 'dist/cli/help/markdown.js');
const { commands } = await import(root + 'dist/cli/commands/index.js');
writeFileSync(root + 'docs/cli.md', await cliMarkdown(commands));
console.error('docs regenerated');
