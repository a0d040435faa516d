import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import { commands } from '../commands/index.js';
import { cliMarkdown, commandMarkdown } from './markdown.js';

test('docs/cli.md is generated from the option data (npm run docs rewrites it)', async () => {
  const want = await cliMarkdown(commands);
  const have = readFileSync(join(PACKAGE_ROOT, 'docs', 'cli.md'), 'utf8');
  assert.ok(
    have === want,
    'docs/cli.md is out of date with src/cli/help/options.ts: run `npm run docs` (or write ' +
      'cliMarkdown(commands) to docs/cli.md)',
  );
});

test('a command section: usage, then one row per option with a pipe in a value escaped', () => {
  const md = commandMarkdown(
    { name: 'backup plan', summary: 'plan backups' },
    {
      usage: 'aksfleet backup plan [repo]',
      options: { format: { type: 'string' }, file: { type: 'string', short: 'f' } },
    },
  );
  assert.equal(
    md,
    [
      '## `aksfleet backup plan`',
      '',
      'Plan backups.',
      '',
      '```text',
      'aksfleet backup plan [repo]',
      '```',
      '',
      '| option | what | default | example |',
      '|---|---|---|---|',
      '| `--format markdown\\|yaml\\|json` | output format: markdown (the plan and the restore playbook), or ' +
        'the plan as yaml or json (one document) | markdown | `--format yaml` |',
      '| `-f, --file FILE` | the fleet spec | ./fleet.yaml | `-f ../my-fleet/fleet.yaml` |',
      '',
    ].join('\n'),
  );
});
