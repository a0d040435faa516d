/**
 * Differential conformance: every kustomization folder of the real-repo corpus
 * (../shared/corpus relative to the repo root), built by `kubectl kustomize` and by our engine;
 * parsed objects and their order must be equal. Components are skipped (they only build
 * through a parent). A folder where both kubectl and we fail counts as equal (both refuse it).
 * The printed YAML is also compared byte for byte (our go-yaml v2 emitter vs kubectl's output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { firstDifference, kustomizeBuild, kustomizeSkip, plain } from '../../src/kustomize/testing/oracle.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const corpus = resolve(repoRoot, '../shared/corpus');
const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizationDirs(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (NAMES.includes(n)) {
        const text = readFileSync(p, 'utf8');
        if (!/^kind:\s*Component\b/m.test(text)) out.push(d);
      }
    }
  };
  walk(corpus);
  return out;
}

const skip = !existsSync(corpus) ? `corpus not found at ${corpus}` : kustomizeSkip();

test('corpus: every kustomization folder builds like kubectl kustomize', { skip }, async (t) => {
  const dirs = kustomizationDirs();
  assert.ok(dirs.length > 100, `expected the corpus to hold >100 kustomization folders, found ${dirs.length}`);
  let equal = 0;
  let bothFail = 0;
  let byteEqual = 0;
  const failures: string[] = [];
  const byteFailures: string[] = [];
  for (const d of dirs) {
    const rel = relative(corpus, d);
    const repoDir = join(corpus, rel.split('/')[0]!);
    const want = kustomizeBuild(d);
    let got: { ok: true; objects: unknown[]; text: string } | { ok: false; error: string };
    try {
      const res = buildKustomization(new DiskRepoFs(repoDir), relative(repoDir, d));
      got = { ok: true, objects: res.map((r) => plain(r.object)), text: toGoYamlStream(res.map((r) => r.object)) };
    } catch (e) {
      got = { ok: false, error: (e as { format?: () => string }).format?.() ?? String(e) };
    }
    if (!want.ok && !got.ok) {
      equal++;
      bothFail++;
      continue;
    }
    if (want.ok && got.ok) {
      const diff = firstDifference(want.objects, got.objects);
      if (!diff) {
        equal++;
        if (want.text === got.text) byteEqual++;
        else byteFailures.push(rel);
        continue;
      }
      failures.push(`${rel}: ${diff}`);
    } else if (want.ok) failures.push(`${rel}: kubectl builds it, we fail: ${(got as { error: string }).error.slice(0, 400)}`);
    else failures.push(`${rel}: kubectl fails (${want.error.trim().slice(0, 200)}), we build it`);
  }
  t.diagnostic(`equal ${equal}/${dirs.length} (both refuse: ${bothFail}); byte-identical output ${byteEqual}/${equal - bothFail}`);
  assert.deepEqual(failures, [], `${failures.length} of ${dirs.length} folders differ from kubectl kustomize`);
  assert.deepEqual(byteFailures, [], 'folders whose objects agree but whose printed YAML differs from kubectl');
});
