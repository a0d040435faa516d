/**
 * #21 item 5: `check --list-rules` (and `check --help`) read the generated rule catalog and load no
 * rule implementation and no engine. A fresh process runs the CLI from the sources with a module
 * hook that records every module it loads; a rule module or an engine among them fails the test
 * (not a timed test: what is loaded, not how long it takes). The catalog equals the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../../checks/registry.js';
import { ruleCatalog } from '../../checks/rule-catalog.js';
import { ruleMeta } from '../../checks/rule-meta.js';
import { rulesList } from '../../checks/rules-list.js';
import { modulesLoadedBy } from '../testing/modules-loaded.js';

/** The engines and the rules: what neither `--version` nor listing the rules may load. */
const HEAVY =
  /^src\/(checks\/(rules\/|registry\.|index\.|run\.|cluster\/)|cli\/commands\/check-run\.|admission|cel|rego|helm|kustomize|flux\/(build\/build\.|helmrelease|kustomization)|schemas|yaml|parallel|incremental|report)|^node_modules\/(yaml|ajv|@marcbachmann|re2js|zod|@lezer|@prometheus-io|@jmespath-community)\//;

/** What `check --list-rules` may load beyond what `--version` loads (the CLI's own start-up). */
const LIST_RULES_EXTRA = [
  'src/checks/rule-catalog.ts',
  'src/checks/rules-list.ts',
  'src/cli/commands/check.ts',
  'src/cli/render-flags.ts',
];

test('check --list-rules loads the rule catalog, no rule and no engine', () => {
  const base = modulesLoadedBy(['--version']);
  const run = modulesLoadedBy(['check', '--list-rules']);
  assert.equal(run.code, 0);
  assert.equal(run.out, rulesList(ruleCatalog));
  assert.deepEqual(
    run.loaded.filter((f) => !base.loaded.includes(f)),
    LIST_RULES_EXTRA,
    'check --list-rules loads only the check command and the rule catalog beyond start-up',
  );
  assert.deepEqual(
    run.loaded.filter((f) => HEAVY.test(f)),
    [],
    'check --list-rules must not load rules or engines',
  );
});

test('check --help loads no rule and no engine either', () => {
  const run = modulesLoadedBy(['check', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.out, /--list-rules/);
  assert.deepEqual(
    run.loaded.filter((f) => HEAVY.test(f)),
    [],
  );
});

test('the same hook sees a real check load the rules and the engines (the test can fail)', () => {
  const run = modulesLoadedBy(['check', 'no-such-dir-for-this-test']);
  assert.ok(run.loaded.includes('src/checks/registry.ts'), run.loaded.join('\n'));
  assert.ok(run.loaded.some((f) => f.startsWith('src/admission/')));
  assert.ok(run.loaded.some((f) => HEAVY.test(f) && f.startsWith('node_modules/')));
});

test('the catalog is the registry without implementations (node --import tsx test/check/gen-rules-doc.mjs)', () => {
  assert.deepEqual(ruleCatalog, rules.map(ruleMeta));
  assert.equal(rulesList(ruleCatalog), rulesList(rules));
});
