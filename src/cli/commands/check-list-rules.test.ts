/**
 * #21 item 5: `check --list-rules` (and `check --help`) read the generated rule catalog and load no
 * rule implementation and no engine. A fresh process runs the CLI from the sources with a module
 * hook that records every module it loads; a rule module or an engine among them fails the test
 * (not a timed test: what is loaded, not how long it takes). The catalog equals the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../package-root.js';
import { rules } from '../../checks/registry.js';
import { ruleCatalog } from '../../checks/rule-catalog.js';
import { ruleMeta } from '../../checks/rule-meta.js';
import { rulesList } from '../../checks/rules-list.js';

/** Every module (file) loaded by `main(argv)` in a fresh process, repository-relative, sorted. */
function modulesLoadedBy(argv: readonly string[]): { loaded: string[]; out: string; code: number | null } {
  const hook =
    `export async function load(url, ctx, next) { if (url.startsWith('file:')) ` +
    `process._rawDebug('AKSFLEET-LOADED ' + url); return next(url, ctx); }`;
  const script = [
    "import { register } from 'node:module';",
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`,
    `const { main } = await import(${JSON.stringify(pathToFileURL(`${PACKAGE_ROOT}/src/cli/main.ts`).href)});`,
    `process.exitCode = await main(${JSON.stringify(argv)});`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const loaded = [...r.stderr.matchAll(/^AKSFLEET-LOADED (\S+)$/gm)]
    .map((m) => fileURLToPath(m[1]!))
    // node_modules may be a link to another checkout's: name packages from node_modules/ on.
    .map((f) =>
      f.includes('/node_modules/') ? f.slice(f.lastIndexOf('/node_modules/') + 1) : relative(PACKAGE_ROOT, f),
    )
    .sort();
  return { loaded: [...new Set(loaded)], out: r.stdout, code: r.status };
}

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
