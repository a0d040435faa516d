#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/test.mjs [--fast] [filter...]   (a filter keeps files whose path contains it)
//   --fast: the fast tier (`npm run test:fast`): leaves out the oracle, corpus and end-to-end suites
//           (fullOnly below). `npm test` runs them all.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const fast = argv.includes('--fast');
const filters = argv.filter((a) => a !== '--fast');
/**
 * The suites only the full run has. By what they read or run (a marker in the file): whole real
 * repositories of ../shared/corpus, real oracles (kubectl, helm, promtool... through
 * test/oracles), processes killed on purpose, worker threads; and by path, the end-to-end
 * suites that drive git repositories through whole CLI runs.
 */
const FULL_ONLY_MARKERS =
  /shared', 'corpus'|shared\/corpus|\bCORPUS\b|haveCorpus|kubectl|\boracle\(|promtool|SIGKILL|checkRepositoryParallel|'--jobs'/;
const FULL_ONLY_PATHS = [
  'test/conformance/', // the kustomize engine against kubectl kustomize and the corpus
  'test/oracles/', // the oracle toolbox itself
  'test/docs/', // the README run in the demo repository; the compiled bundle against the sources
  'test/demo/', // npm start end to end
  'test/promotion/', // promote end to end (git, push, pull request)
  'test/ui/', // the console over a generated repository
  'test/flux/changed-since', // --changed-since end to end (git history)
  'test/flux/build-cache-cli', // the build cache across runs (git directory)
  'test/package/pack-install-run', // npm pack, npm install of the tarball, every command from it
  'test/package/gate', // the CI gate's steps as scripts over a git repository, whole CLI runs
];
const fullOnly = (f) =>
  FULL_ONLY_PATHS.some((x) => f.includes(x)) || FULL_ONLY_MARKERS.test(readFileSync(join(root, f), 'utf8'));
const files = [];
function walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(relative(root, p));
  }
}
walk(join(root, 'src'));
walk(join(root, 'test'));
const tier = fast ? files.filter((f) => !fullOnly(f)) : files;
const selected = filters.length ? tier.filter((f) => filters.some((x) => f.includes(x))) : tier;
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(2);
}
if (fast) console.error(`fast tier: ${selected.length} of ${files.length} test files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, AKSFLEET_ROOT: root },
});
process.exit(r.status ?? 1);
