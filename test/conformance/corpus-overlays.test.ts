/**
 * Differential conformance on real resources under transformation: for every kustomization
 * folder of the corpus, an overlay that lists it as a base and adds prefixes/suffixes, a
 * namespace, labels (with selectors), annotations, image and replacement rules (one of three
 * variants per folder, rotating). The corpus is copied to a temp dir (it is never edited); the
 * overlay is built there by `kubectl kustomize` and by us; the printed YAML must be identical
 * or both must refuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { kustomizePath, kustomizeSkip } from '../../src/kustomize/testing/oracle.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const corpus = resolve(repoRoot, '../shared/corpus');

const VARIANTS = [
  'namePrefix: pre-\nnamespace: fuzz\ncommonLabels: {fuzz: "yes"}\n',
  'nameSuffix: -suf\nlabels:\n- pairs: {tier: x}\n  includeSelectors: true\ncommonAnnotations: {note: "1"}\nimages:\n- name: ghcr.io/.*\n  newTag: fuzz\n',
  'namespace: other\nreplicas: []\nreplacements:\n- source: {kind: Namespace, fieldPath: metadata.name}\n  targets:\n  - select: {kind: HelmRelease}\n    fieldPaths: [spec.targetNamespace]\n    options: {create: true}\n',
];

const skip = !existsSync(corpus) ? `corpus not found at ${corpus}` : kustomizeSkip();

test('corpus folders under an overlay build like kubectl kustomize', { skip }, (t) => {
  const work = mkdtempSync(join(tmpdir(), 'aksfleet-ov-'));
  try {
    let n = 0, equal = 0, bothFail = 0;
    const failures: string[] = [];
    for (const repo of readdirSync(corpus).filter((x) => statSync(join(corpus, x)).isDirectory()).sort()) {
      const copy = join(work, repo);
      cpSync(join(corpus, repo), copy, { recursive: true });
      const dirs: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d).sort()) {
          const p = join(d, e);
          if (statSync(p).isDirectory()) walk(p);
          else if (e === 'kustomization.yaml' && !/^kind:\s*Component\b/m.test(readFileSync(p, 'utf8'))) dirs.push(d);
        }
      };
      walk(copy);
      for (const d of dirs) {
        const ov = join(copy, `zz-overlay-${n}`);
        mkdirSync(ov);
        writeFileSync(join(ov, 'kustomization.yaml'), `resources: [../${relative(copy, d)}]\n${VARIANTS[n % VARIANTS.length]}`);
        n++;
        let want: string;
        try {
          want = execFileSync(kustomizePath(), ['build', ov], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        } catch {
          want = '<error>';
        }
        let got: string;
        try {
          got = toGoYamlStream(buildKustomization(new DiskRepoFs(copy), relative(copy, ov)).map((r) => r.object));
        } catch {
          got = '<error>';
        }
        if (want === got) {
          equal++;
          if (want === '<error>') bothFail++;
        } else failures.push(`${repo}/${relative(copy, d)} (variant ${(n - 1) % VARIANTS.length}): ${want === '<error>' ? 'kubectl fails, we build' : got === '<error>' ? 'we fail, kubectl builds' : 'output differs'}`);
      }
    }
    t.diagnostic(`overlays equal ${equal}/${n} (both refuse: ${bothFail})`);
    assert.ok(n > 100, `expected >100 corpus folders, found ${n}`);
    assert.ok(equal - bothFail > n / 2, `too few overlays built (${equal - bothFail} of ${n}); the variants are too error-prone`);
    assert.deepEqual(failures, [], `${failures.length} of ${n} overlays differ from kubectl kustomize`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
