/**
 * The console's model kept between saves (watch-model.ts): after each edit of a small two-cluster
 * repository, the kept model is the one a fresh `buildConsoleModel` in a new session gives (every
 * API answer, objects and sources included), and only the clusters the edit can change are
 * checked again; the views of the others are the same objects as before (kept, not made again).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession } from '../session/session.js';
import { diskFingerprint } from '../incremental/watch-inputs.js';
import { tempDir, twoClusterRepo, writeTree } from '../cli/testing/fixture-repos.js';
import { buildConsoleModel, type ModelInputs } from './build-model.js';
import { ConsoleWatchModel } from './watch-model.js';
import { consoleObject } from './kept-object.js';
import type { ConsoleModel } from './model.js';

/** The whole model as text: maps as their entries in order. */
function modelText(m: ConsoleModel): string {
  return JSON.stringify(m, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v), 1);
}

function edit(dir: string, file: string, from: string, to: string): void {
  const p = join(dir, file);
  const before = readFileSync(p, 'utf8');
  assert.ok(before.includes(from), `${file} has ${from}`);
  writeFileSync(p, before.replace(from, to));
}

test('ui watch model: each run equals a fresh model; only the clusters an edit can change are made again', () => {
  const dir = tempDir('aksfleet-ui-watch-model-');
  try {
    writeTree(dir, twoClusterRepo());
    const kept = new ConsoleWatchModel();
    const session = createSession();
    const inputs = (s = session): ModelInputs => ({ root: dir, isGit: false, session: s });
    const run = () => {
      const r = kept.run(inputs(), diskFingerprint(dir));
      assert.equal(modelText(r.model), modelText(buildConsoleModel(inputs(createSession()))));
      return r;
    };
    const first = run();
    assert.deepEqual(first.checked, ['clusters/dev', 'clusters/prod']);
    assert.equal(first.total, 2);
    const prodBefore = first.model.clusters.find((c) => c.name === 'prod');

    edit(dir, 'clusters/dev/flux.yaml', 'path: ./apps/dev', 'path: ./apps/nope');
    const broken = run();
    assert.deepEqual(broken.checked, ['clusters/dev']);
    assert.notEqual(modelText(broken.model), modelText(first.model));
    assert.ok(broken.model.findings.some((f) => f.rule === 'kustomization-path-exists' && f.cluster === 'dev'));
    // prod was not checked again: its view is the one kept.
    assert.equal(
      broken.model.clusters.find((c) => c.name === 'prod'),
      prodBefore,
    );

    edit(dir, 'clusters/dev/flux.yaml', 'path: ./apps/nope', 'path: ./apps/dev');
    const fixed = run();
    assert.deepEqual(fixed.checked, ['clusters/dev']);
    assert.equal(modelText(fixed.model), modelText(first.model));

    edit(dir, 'apps/base/deploy.yaml', 'web:latest', 'web:1.0.1');
    const both = run();
    assert.deepEqual(both.checked, ['clusters/dev', 'clusters/prod']);
    const web = both.model.objects.get('dev')?.get('Deployment/apps/web');
    assert.match(web ? consoleObject(web).yaml : '', /image: web:1\.0\.1/);
    assert.match(both.model.sources.get('apps/base/deploy.yaml') ?? '', /web:1\.0\.1/);

    // Nothing changed: nothing checked again, the same model.
    const same = run();
    assert.deepEqual(same.checked, []);
    assert.equal(modelText(same.model), modelText(both.model));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The Kubernetes objects (apiVersion, kind and metadata) reachable from `root`, by kind. */
function objectKinds(root: unknown): Set<string> {
  const kinds = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) walk(k), walk(x);
    else if (v instanceof Set || Array.isArray(v)) for (const x of v) walk(x);
    else {
      const o = v as Record<string, unknown>;
      if (typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.metadata) kinds.add(o.kind);
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(root);
  return kinds;
}

test('ui watch model: the kept views hold no render, only the objects the planners read', () => {
  const dir = tempDir('aksfleet-ui-watch-kept-');
  try {
    writeTree(dir, twoClusterRepo());
    const kept = new ConsoleWatchModel();
    const r = kept.run({ root: dir, isGit: false, session: createSession() }, diskFingerprint(dir));
    // The clusters apply a GitRepository, a Kustomization, a Namespace and a Deployment: the page
    // serves every one of them, the views keep only the Deployment (the drain check reads it).
    assert.deepEqual([...r.model.objects.get('dev')!.keys()].sort(), [
      'Deployment/apps/web',
      'GitRepository/flux-system/flux-system',
      'Kustomization/flux-system/apps',
      'Namespace/apps',
    ]);
    const views = (kept as unknown as { views: Map<string, unknown> }).views;
    assert.equal(views.size, 2);
    assert.deepEqual([...objectKinds(views)], ['Deployment']);
    assert.deepEqual([...objectKinds(r.model)], []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
