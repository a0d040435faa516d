/**
 * A local Helm chart repository for flate: charts copied from ../shared/charts, each relabelled to
 * the version a release asks (the templates are a neighbouring version's, the values the
 * repository's own; as test/check/references-corpus.test.ts does), packaged, with an index.yaml,
 * served on 127.0.0.1 by helm-repo-server.mjs (its own process, so that a synchronously spawned
 * flate can reach it). The unpacked copies are the folder our chart store maps the sources to.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts');

/**
 * Charts whose values schemas refer to remote URLs (app-template 4.1.1: its values.schema.json is a
 * `$ref` to the common library's schema on raw.githubusercontent.com, and the vendored common's
 * schema has that URL as its `$id`, so its relative refs are remote too). Helm 4 fetches them before
 * rendering, which fails offline on both sides (../shared/charts renders app-template with
 * --skip-schema-validation); in the copy both sides get, the values.schema.json files are left out.
 * A schema only accepts or refuses values; it changes no rendered object.
 */
const REMOTE_SCHEMA = new Set(['app-template']);

export interface ChartAsked {
  readonly chart: string;
  readonly version: string;
}

/** Copies each chart relabelled to `version` into ROOT/charts, packages it into ROOT/repo with an index.yaml. */
export function chartRepository(root: string, charts: readonly ChartAsked[]): { repo: string; charts: string } {
  const chartsDir = join(root, 'charts');
  const repo = join(root, 'repo');
  mkdirSync(repo, { recursive: true });
  const entries: string[] = [];
  for (const s of charts) {
    const dir = join(chartsDir, s.chart);
    cpSync(join(SHARED_CHARTS, s.chart), dir, { recursive: true });
    const cy = join(dir, 'Chart.yaml');
    writeFileSync(cy, readFileSync(cy, 'utf8').replace(/^version:.*$/m, `version: ${s.version}`));
    if (REMOTE_SCHEMA.has(s.chart))
      for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
        if (f === 'values.schema.json' || f.endsWith('/values.schema.json')) rmSync(join(dir, f));
    const tgz = `${s.chart}-${s.version}.tgz`;
    const r = spawnSync('tar', ['czf', join(repo, tgz), '-C', chartsDir, s.chart], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    entries.push(
      `  ${s.chart}:\n  - apiVersion: v2\n    name: ${s.chart}\n    version: ${s.version}\n` +
        `    urls: [${tgz}]\n    created: "2026-01-01T00:00:00Z"\n`,
    );
  }
  writeFileSync(
    join(repo, 'index.yaml'),
    `apiVersion: v1\nentries:\n${entries.join('')}generated: "2026-01-01T00:00:00Z"\n`,
  );
  return { repo, charts: chartsDir };
}

/** Serves DIR on a loopback port; kill `proc` when done. */
export async function serveChartRepository(dir: string): Promise<{ port: number; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(import.meta.dirname, 'helm-repo-server.mjs'), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
    proc.once('exit', (code) => reject(new Error(`helm repository server exited (${code})`)));
  });
  return { port, proc };
}
