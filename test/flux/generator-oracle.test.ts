/**
 * The generator against a real oracle: for every Flux Kustomization (and the cluster path) of
 * the corpus, the kustomization our generator produced is written into a copy of its source
 * artifact and built with `kustomize build --load-restrictor LoadRestrictionsNone` (v5.5.0 from
 * test/oracles, what `kubectl kustomize` prints); the
 * objects must equal what our kustomize engine builds from the same kustomization (order aside:
 * kubectl legacy-sorts, Flux keeps FIFO order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { buildCluster, SourceResolver, type KustomizationBuild } from '../../src/flux/index.js';
import type { ArtifactView } from '../../src/flux/source/artifact-view.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { toYaml } from '../../src/yaml/emit.js';
import { resourceId, isPlainObject } from '../../src/resources/resource.js';
import { CASES, CORPUS, haveCorpus, caseName } from './corpus.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip } from '../../src/kustomize/testing/oracle.js';

const skip = !haveCorpus ? `no corpus at ${CORPUS}` : kustomizeSkip();

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isPlainObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  return v;
}
function sortedObjects(objs: unknown[]): string[] {
  return objs.map((o) => `${resourceId(o as never)} ${JSON.stringify(canonical(o))}`).sort();
}

function materialize(view: ArtifactView, dest: string, dir = ''): void {
  for (const n of view.list(dir)) {
    const p = dir ? `${dir}/${n}` : n;
    if (view.isDir(p)) materialize(view, dest, p);
    else if (view.isFile(p)) {
      mkdirSync(dirname(join(dest, p)), { recursive: true });
      writeFileSync(join(dest, p), view.readBytes(p));
    }
  }
}

function kubectlBuild(
  root: string,
  dir: string,
  kustomization: Record<string, unknown>,
): { objects?: unknown[]; error?: string } {
  const abs = join(root, dir);
  for (const n of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) rmSync(join(abs, n), { force: true });
  writeFileSync(join(abs, 'kustomization.yaml'), toYaml(kustomization));
  const r = spawnSync(kustomizePath(), kustomizeArgv(abs, ['--load-restrictor', 'LoadRestrictionsNone']), {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) return { error: r.stderr };
  return { objects: parseYamlDocuments(r.stdout, 'kubectl-output').map((d) => d.value) };
}

for (const c of CASES) {
  test(`generator vs kubectl kustomize: ${caseName(c)}`, { skip }, (t) => {
    const repoFs = new DiskRepoFs(join(CORPUS, c.repo));
    const b = buildCluster(repoFs, c.opts);
    // Re-create the artifact views the build used (the resolver is deterministic).
    const resolver = new SourceResolver(repoFs, c.opts.sources);
    for (const r of [...b.root.resources, ...b.kustomizations.flatMap((k) => k.resources)]) {
      if (r.object.kind === 'ArtifactGenerator') resolver.addArtifactGenerator(r.object);
    }
    if (b.root.syncedBy) resolver.addThisRepo(b.kustomizations.find((k) => k.isRoot)!.sourceRef.id);
    const jobs: {
      name: string;
      view: ArtifactView;
      dir: string;
      kustomization: Record<string, unknown>;
      expectFailure?: RegExp;
    }[] = [];
    if (b.root.kustomization)
      jobs.push({
        name: '(cluster path)',
        view: resolver.fsFor(''),
        dir: b.root.path,
        kustomization: b.root.kustomization,
      });
    for (const k of b.kustomizations as KustomizationBuild[]) {
      if (!k.kustomization) continue;
      const src = resolver.resolve(k.sourceRef);
      assert.ok(src.ok, k.id);
      const dir =
        typeof (k.object.spec as any)?.path === 'string'
          ? String((k.object.spec as any).path)
              .replace(/^\.\/?/, '')
              .replace(/\/$/, '')
          : '';
      jobs.push({
        name: k.id,
        view: src.fs,
        dir,
        kustomization: k.kustomization,
        ...(c.failing?.[k.id] ? { expectFailure: c.failing[k.id] } : {}),
      });
    }
    const tmpRoots = new Map<ArtifactView, string>();
    let compared = 0;
    let objects = 0;
    try {
      for (const j of jobs) {
        let root = tmpRoots.get(j.view);
        if (!root) {
          root = mkdtempSync(join(tmpdir(), 'aksfleet-oracle-'));
          materialize(j.view, root);
          tmpRoots.set(j.view, root);
        }
        const oracle = kubectlBuild(root, j.dir, j.kustomization);
        let ours: unknown[] | undefined;
        let oursError: string | undefined;
        try {
          ours = buildKustomization(j.view, j.dir, {
            loadRestrictions: 'None',
            defaultSortOrder: 'fifo',
            rootKustomization: j.kustomization,
          }).map((r) => r.object);
        } catch (e) {
          oursError = (e as Error).message;
        }
        if (j.expectFailure) {
          assert.ok(
            oracle.error && j.expectFailure.test(oracle.error),
            `${j.name}: kubectl should fail too: ${oracle.error}`,
          );
          assert.ok(oursError && j.expectFailure.test(oursError), `${j.name}: ${oursError}`);
          continue;
        }
        assert.equal(oracle.error, undefined, `${j.name}: kubectl failed: ${oracle.error}`);
        assert.equal(oursError, undefined, `${j.name}: our engine failed: ${oursError}`);
        assert.deepEqual(sortedObjects(ours!), sortedObjects(oracle.objects!), j.name);
        compared++;
        objects += ours!.length;
      }
    } finally {
      for (const r of tmpRoots.values()) rmSync(r, { recursive: true, force: true });
    }
    t.diagnostic(`${caseName(c)}: ${compared} kustomizations equal to kubectl kustomize (${objects} objects)`);
    assert.ok(compared > 0);
  });
}
