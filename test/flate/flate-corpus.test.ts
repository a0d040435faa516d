/**
 * `aksfleet build` side by side with flate 0.6 (`flate build ks`, test/oracles `flate-0.6`) on the
 * corpus repositories (test/flux/corpus.ts), without charts: flate's `build ks` renders no
 * HelmRelease and our build runs without --fetch-charts. The object sets (kind/namespace/name) and
 * every object's content are compared. flate is a peer, not the ground truth: each difference is
 * classified by its cause below (and in the "flate" section of docs/conformance.md); any other
 * difference fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CASES, CORPUS, haveCorpus, caseName } from '../flux/corpus.js';
import { inCi, oracle } from '../oracles/index.js';
import { runFlate, runOurs, compare, type Difference, type OurRun } from './flate.js';

const flate = oracle('flate-0.6');
// flate-0.6 is a test-tier oracle (test/oracles/manifest.json; .ci/run builds it): in CI this suite
// never skips (a missing build fails it). Elsewhere it runs when flate is built, never starting its
// 40-minute cold build from here (AKSFLEET_ALL_ORACLES=1 does).
const notBuilt =
  !flate.built && !inCi() && process.env.AKSFLEET_ALL_ORACLES !== '1'
    ? 'oracle flate-0.6 is not built (test/oracles/build.sh flate-0.6)'
    : false;
const skip = !haveCorpus ? `no corpus at ${CORPUS}` : notBuilt || flate.skip;

/** Content differences, by `case | kind/namespace/name | field path`, each with its reason. */
const KNOWN: Readonly<Record<string, string>> = {
  'onedr0p+home-ops kubernetes/flux/cluster | Service/kube-system/kube-api | spec.ports':
    "ours has ports[0].protocol: TCP. By design: aksfleet build applies kustomize-controller's apply " +
    'normalisation (fluxcd/pkg ssa/normalize); flate prints the objects before it (as flux build does)',
  'onedr0p+home-ops kubernetes/flux/cluster | DNSEndpoint/network/cloudflare-tunnel | spec.endpoints':
    'its only variable source is substituteFrom Secret cloudflare-tunnel-id-secret, which exists only in the ' +
    'cluster (ExternalSecret): flate skips the missing Secret and, with no variables, does not substitute ' +
    '(as flux build --dry-run); ours (allowMissingVars, as the corpus case asks) reads the unknown variable ' +
    'as empty. In the cluster the Secret provides the value',
};

/** Why a difference is expected, or undefined when it is not. */
function cause(c: string, d: Difference, ours: OurRun): string | undefined {
  if (d.what === 'only-ours' && ours.roots.has(d.key))
    return 'root object (read from the --path folder: flate takes it as an input and prints only what it renders)';
  if (d.what === 'only-ours' && ours.fromExternalArtifact.has(d.key))
    return (
      'ExternalArtifact source (Flux 2.7 ArtifactGenerator): flate 0.6 does not resolve it ("ExternalArtifact ' +
      'not found")'
    );
  if (d.what === 'content') return KNOWN[`${c} | ${d.key} | ${d.detail}`] ? `content: ${d.key} ${d.detail}` : undefined;
  return undefined;
}

/** flate's failures that are expected offline: fetches of sources outside the repository, and ExternalArtifacts. */
const EXPECTED_FLATE_FAILURE = /proxyconnect|127\.0\.0\.1:9|ExternalArtifact\s+\S+\s+not found/;

const totals = { cases: 0, compared: 0, equal: 0, byCause: new Map<string, number>() };

for (const c of CASES) {
  const name = caseName(c);
  test(`flate side by side: ${name}`, { skip }, (t) => {
    const dir = join(CORPUS, c.repo);
    const f = runFlate(flate.path, dir, c.opts.path!);
    const ours = runOurs(dir, c.opts);
    // Every Kustomization flate could not render failed for an expected reason (else its objects would be missing
    // unnoticed).
    // Kustomizations our build fails too (test/flux/corpus.ts `failing`) must fail in flate for the same reason.
    const failures = f.stderr.split('\n').filter((l) => /^\s*✗\s+[A-Z]\w+\s+\S+/.test(l));
    const failingToo = (l: string) =>
      Object.entries(c.failing ?? {}).some(([id, why]) => l.includes(` ${id} `) && why.test(l));
    assert.deepEqual(
      failures.filter((l) => !EXPECTED_FLATE_FAILURE.test(l) && !failingToo(l)),
      [],
      `unexpected flate failures in ${name}`,
    );
    const diffs = compare(f.objects, ours.objects);
    const unexplained = diffs.filter((d) => !cause(name, d, ours)).map((d) => `${d.what} ${d.key} ${d.detail}`);
    assert.deepEqual(
      unexplained,
      [],
      `differences with flate not listed in test/flate/flate-corpus.test.ts and docs/conformance.md (flate)`,
    );
    // A listed content difference that no longer occurs is stale.
    const seen = new Set(diffs.filter((d) => d.what === 'content').map((d) => `${name} | ${d.key} | ${d.detail}`));
    assert.deepEqual(
      Object.keys(KNOWN).filter((k) => k.startsWith(`${name} |`) && !seen.has(k)),
      [],
      'stale KNOWN entries',
    );
    const differing = new Set(diffs.map((d) => d.key));
    const both = f.objects.filter((o) =>
      ours.objects.some(
        (x) =>
          `${x.kind}/${x.metadata?.namespace ?? ''}/${x.metadata?.name}` ===
          `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`,
      ),
    );
    const equal = both.filter(
      (o) => !differing.has(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`),
    ).length;
    totals.cases++;
    totals.compared += both.length;
    totals.equal += equal;
    for (const d of diffs) {
      const k = cause(name, d, ours)!;
      totals.byCause.set(k, (totals.byCause.get(k) ?? 0) + 1);
    }
    t.diagnostic(
      `${name}: flate ${f.objects.length} objects (${f.ms} ms, ${failures.length} expected failures), ours ` +
        `${ours.objects.length} (${ours.ms} ms); ${both.length} in both, ${equal} equal; ${diffs.length} ` +
        `differences`,
    );
  });
}

test('flate side by side: totals', { skip }, (t) => {
  assert.equal(totals.cases, CASES.length);
  assert.ok(totals.compared > 500, `only ${totals.compared} objects compared`);
  t.diagnostic(`${totals.cases} cases, ${totals.compared} objects in both, ${totals.equal} equal`);
  for (const [k, n] of [...totals.byCause].sort()) t.diagnostic(`${n} × ${k}`);
});
