/**
 * `aksfleet build` side by side with flate 0.6 (`flate build ks`) on the fleet that `aksfleet
 * generate` writes from examples/fleet.yaml, each cluster, without charts. The ConfigMap
 * `flux-system/aksfleet-outputs` (written by the IaC in the cluster, so absent from the repository)
 * is given to both with the same values: to ours as `--vars`, to flate as a ConfigMap file beside
 * the cluster's sync objects. Every difference is classified by cause (docs/conformance.md, flate).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { inCi, oracle } from '../oracles/index.js';
import { runFlate, runOurs, compare, keyOf, type Difference, type OurRun } from './flate.js';
import { CLUSTER_SCOPED_WITHOUT_CRD, OUTPUTS, OUTPUTS_CONFIGMAP } from './example-fleet.js';

const flate = oracle('flate-0.6');
// In CI never skipped (test tier: .ci/run builds it); elsewhere run when built (see flate-corpus.test.ts).
const skip =
  !flate.built && !inCi() && process.env.AKSFLEET_ALL_ORACLES !== '1'
    ? 'oracle flate-0.6 is not built (test/oracles/build.sh flate-0.6)'
    : flate.skip;

function cause(d: Difference, ours: OurRun, flateKeys: ReadonlySet<string>): string | undefined {
  if (d.what === 'only-ours' && ours.roots.has(d.key))
    return 'root object (read from the --path folder: flate takes it as an input and prints only what it renders)';
  const [kind, ns, name] = d.key.split('/');
  if (CLUSTER_SCOPED_WITHOUT_CRD.has(kind!)) {
    if (
      d.what === 'only-ours' &&
      ns === '' &&
      [...flateKeys].some((k) => k.startsWith(`${kind}/`) && k.endsWith(`/${name}`))
    )
      return `cluster-scoped ${kind} (CRD from a chart): flate gives it the Kustomization's namespace`;
    if (d.what === 'only-flate' && ns === 'flux-system' && ours.objects.some((o) => keyOf(o) === `${kind}//${name}`))
      return `cluster-scoped ${kind} (CRD from a chart): flate gives it the Kustomization's namespace`;
  }
  return undefined;
}

const EXPECTED_FLATE_FAILURE = /proxyconnect|127\.0\.0\.1:9/;

test('flate side by side: the generated example fleet, each cluster', { skip }, (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-flate-fleet-'));
  try {
    const fleet = parseFleet(readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8'));
    for (const f of generateAll(fleet)) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), f.content);
    }
    const clusters = fleet.spec.clusters.map((c) => c.name);
    assert.ok(clusters.length >= 3);
    let compared = 0;
    let equal = 0;
    const byCause = new Map<string, number>();
    for (const cl of clusters) {
      const path = `clusters/${cl}`;
      const f = runFlate(flate.path, root, path, { [`${path}/aksfleet-outputs.yaml`]: OUTPUTS_CONFIGMAP });
      const ours = runOurs(root, { path, vars: OUTPUTS });
      assert.deepEqual(ours.errors, [], `${cl}: our build`);
      const failures = f.stderr.split('\n').filter((l) => /^\s*✗\s+[A-Z]\w+\s+\S+/.test(l));
      assert.deepEqual(
        failures.filter((l) => !EXPECTED_FLATE_FAILURE.test(l)),
        [],
        `${cl}: unexpected flate failures`,
      );
      assert.ok(!failures.some((l) => /^\s*✗\s+Kustomization\s/.test(l)), `${cl}: flate failed a Kustomization`);
      const flateKeys = new Set(f.objects.map(keyOf));
      const diffs = compare(f.objects, ours.objects);
      assert.deepEqual(
        diffs.filter((d) => !cause(d, ours, flateKeys)).map((d) => `${d.what} ${d.key} ${d.detail}`),
        [],
        `${cl}: differences with flate not listed`,
      );
      const differing = new Set(diffs.map((d) => d.key));
      const both = f.objects.filter((o) => ours.objects.some((x) => keyOf(x) === keyOf(o)));
      compared += both.length;
      equal += both.filter((o) => !differing.has(keyOf(o))).length;
      for (const d of diffs) {
        const k = cause(d, ours, flateKeys)!;
        byCause.set(k, (byCause.get(k) ?? 0) + 1);
      }
      t.diagnostic(
        `${cl}: flate ${f.objects.length} objects (${f.ms} ms, ${failures.length} expected failures), ours ` +
          `${ours.objects.length} (${ours.ms} ms); ${both.length} in both, ${diffs.length} differences`,
      );
    }
    assert.ok(compared > 100, `only ${compared} objects compared`);
    t.diagnostic(`${clusters.length} clusters, ${compared} objects in both, ${equal} equal`);
    for (const [k, n] of [...byCause].sort()) t.diagnostic(`${n} × ${k}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
