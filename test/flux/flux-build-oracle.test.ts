/**
 * `aksfleet build` against the real `flux build kustomization NAME --dry-run --kustomization-file F
 * --path P` (flux v2.9.5 from test/oracles) on every Flux Kustomization of the corpus repositories
 * (test/flux/corpus.ts): for each Kustomization our cluster build reaches whose source is the
 * repository, F is the Kustomization object as its parent's build rendered it and P the directory
 * it builds (in a temp copy of the repository: the corpus is never edited). The objects are
 * compared parsed, in order, after Flux's SOPS masking is applied to ours (flux build masks SOPS
 * data; our build keeps it). What a dry run cannot know is given to it the way the controller
 * would have it: substituteFrom ConfigMaps/Secrets found in our cluster build are inlined into
 * `postBuild.substitute` (flux --dry-run reads no substituteFrom). Known differences, each with its
 * reason, are listed in KNOWN (and docs/conformance.md); any other difference fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allResources, type KustomizationBuild } from '../../src/flux/index.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { toYaml } from '../../src/yaml/emit.js';
import { isPlainObject, resourceId, type Resource } from '../../src/resources/resource.js';
import { CASES, CORPUS, haveCorpus, caseName } from './corpus.js';
import { oracle } from '../oracles/index.js';

const flux = oracle('flux-2.9');
const skip = !haveCorpus ? `no corpus at ${CORPUS}` : flux.skip;

/** `<case> <namespace/name>` -> why flux and we differ there (each also in docs/conformance.md). */
const KNOWN: Readonly<Record<string, string>> = {
  'onedr0p+home-ops kubernetes/flux/cluster kube-system/cilium':
    'Service kube-api: ours has ports[0].protocol: TCP. By design: aksfleet build applies ' +
    "kustomize-controller's apply normalisation (fluxcd/pkg ssa/normalize, src/flux/build/normalize.ts), " +
    'flux build prints the objects before it.',
  'onedr0p+home-ops kubernetes/flux/cluster network/cloudflare-tunnel':
    'DNSEndpoint: flux keeps ${CLOUDFLARE_TUNNEL_ID}, ours reads it as empty. Its only variable source is ' +
    'substituteFrom Secret cloudflare-tunnel-id-secret, which exists only in the cluster: flux --dry-run ' +
    'then has no variables and does not substitute at all; our build (allowMissingVars, as the corpus case ' +
    'asks) substitutes the unknown variable with an empty string.',
};

const MASK = '**SOPS**';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Flux's maskSopsData (flux2 internal/build/build.go) on a copy of one object. */
function fluxMaskSops(o: Record<string, unknown>): Record<string, unknown> {
  if (o.kind !== 'Secret') return o;
  const c = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  const data = isPlainObject(c.data) ? (c.data as Record<string, string>) : undefined;
  const stringData = isPlainObject(c.stringData) ? (c.stringData as Record<string, string>) : undefined;
  const text = toYaml(c);
  if (text.includes('sops:') && text.includes('mac: ENC[')) {
    delete c.sops;
    const docker = (c.type ?? 'Opaque') === 'kubernetes.io/dockerconfigjson';
    const masked = docker ? JSON.stringify({ mask: MASK }) : MASK;
    for (const k of Object.keys(data ?? {})) data![k] = b64(masked);
    for (const k of Object.keys(stringData ?? {})) stringData![k] = masked;
  } else {
    const encrypted = (v: string) => v.includes('sops') && v.includes('ENC[');
    for (const [k, v] of Object.entries(data ?? {}))
      if (encrypted(Buffer.from(String(v), 'base64').toString('utf8'))) data![k] = b64(MASK);
    for (const [k, v] of Object.entries(stringData ?? {})) if (encrypted(String(v))) stringData![k] = b64(MASK);
  }
  return c;
}

/** The variables of a ConfigMap or Secret as the controller loads them for substituteFrom. */
function variablesOf(o: Record<string, unknown>): Record<string, string> | undefined {
  if (JSON.stringify(o).includes('"mac":"ENC[')) return undefined;
  const out: Record<string, string> = {};
  const put = (m: unknown, decode: boolean) => {
    if (isPlainObject(m))
      for (const [k, v] of Object.entries(m))
        out[k] = (decode ? Buffer.from(String(v), 'base64').toString('utf8') : String(v)).replaceAll('\n', '');
  };
  if (o.kind === 'ConfigMap') put(o.data, false);
  else {
    put(o.data, true);
    put(o.stringData, false);
  }
  return out;
}

/**
 * The Kustomization for `--kustomization-file`: substituteFrom found in our build inlined into postBuild.substitute.
 */
function kustomizationFile(k: KustomizationBuild, all: readonly Resource[]): Record<string, unknown> {
  const ks = JSON.parse(JSON.stringify(k.object)) as {
    spec?: { postBuild?: { substitute?: Record<string, string>; substituteFrom?: { kind: string; name: string }[] } };
  };
  const post = ks.spec?.postBuild;
  if (!post?.substituteFrom) return ks;
  const vars: Record<string, string> = {};
  for (const ref of post.substituteFrom) {
    const found = all.find(
      (r) =>
        r.object.kind === ref.kind &&
        r.object.metadata?.name === ref.name &&
        (r.object.metadata?.namespace ?? k.namespace) === k.namespace,
    );
    Object.assign(vars, found ? (variablesOf(found.object as Record<string, unknown>) ?? {}) : {});
  }
  post.substitute = { ...vars, ...(post.substitute ?? {}) };
  delete post.substituteFrom;
  return ks;
}

type FluxResult = { ok: true; objects: unknown[] } | { ok: false; error: string };

function fluxBuild(k: KustomizationBuild, file: string, path: string): FluxResult {
  const r = spawnSync(
    flux.path,
    ['build', 'kustomization', k.name, '-n', k.namespace, '--dry-run', '--kustomization-file', file, '--path', path],
    {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      env: { PATH: process.env.PATH, HOME: tmpdir(), KUBECONFIG: join(tmpdir(), 'aksfleet-no-kubeconfig') },
    },
  );
  if (r.status !== 0) return { ok: false, error: (r.stderr || r.error?.message || '').trim() };
  return {
    ok: true,
    objects: parseYamlDocuments(r.stdout, 'flux-output')
      .map((d) => d.value)
      .filter((v) => v !== null && v !== undefined),
  };
}

/** The first difference between flux's objects and ours, or undefined. */
function difference(want: unknown[], got: unknown[]): string | undefined {
  if (isDeepStrictEqual(want, got)) return undefined;
  const ids = (l: unknown[]) => l.map((o) => resourceId(o as never)).join(', ');
  if (want.length !== got.length)
    return `count ${got.length} != flux's ${want.length}; flux: ${ids(want)}; ours: ${ids(got)}`;
  const i = want.findIndex((w, j) => !isDeepStrictEqual(w, got[j]));
  return (
    `object #${i} ${resourceId(want[i] as never)}: flux ${JSON.stringify(want[i]).slice(0, 500)} ours ` +
    `${JSON.stringify(got[i]).slice(0, 500)}`
  );
}

/** Agreement over the whole corpus, for the docs: filled by the tests, printed after each. */
const totals = { compared: 0, equal: 0, bothFail: 0, known: 0, notCompared: 0 };

for (const c of CASES) {
  test(`flux build kustomization agrees with aksfleet build: ${caseName(c)}`, { skip }, (t) => {
    const b = buildCluster(new DiskRepoFs(join(CORPUS, c.repo)), c.opts);
    const all = allResources(b);
    const work = mkdtempSync(join(tmpdir(), 'aksfleet-flux-'));
    const differences: string[] = [];
    try {
      cpSync(join(CORPUS, c.repo), join(work, 'repo'), { recursive: true });
      for (const k of b.kustomizations) {
        if (k.status === 'not-buildable' || k.path === undefined) {
          totals.notCompared++;
          t.diagnostic(`not compared: ${k.id} (${k.status}: its source is not this repository)`);
          continue;
        }
        const file = join(work, `${k.namespace}-${k.name}.yaml`);
        writeFileSync(file, toYaml(kustomizationFile(k, all)));
        const want = fluxBuild(k, file, join(work, 'repo', k.path));
        const ours =
          k.status === 'built' ? k.resources.map((r) => fluxMaskSops(JSON.parse(JSON.stringify(r.object)))) : undefined;
        totals.compared++;
        let diff: string | undefined;
        if (!want.ok && !ours) totals.bothFail++;
        else if (want.ok && ours) diff = difference(want.objects, ours);
        else
          diff = want.ok
            ? `we fail (${k.errors
                .map((e) => e.message)
                .join('; ')
                .slice(0, 300)}), flux builds`
            : `flux fails (${want.error.slice(0, 300)}), we build`;
        const key = `${caseName(c)} ${k.id}`;
        if (!diff) {
          totals.equal++;
          if (KNOWN[key])
            differences.push(
              `${key}: listed as a known difference, but flux and we now agree (remove it from KNOWN and ` +
                `docs/conformance.md)`,
            );
        } else if (KNOWN[key]) {
          totals.known++;
          t.diagnostic(`known difference ${key}: ${KNOWN[key]}`);
        } else differences.push(`${key}: ${diff}`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    t.diagnostic(`running totals: ${JSON.stringify(totals)}`);
    assert.deepEqual(differences, [], `${differences.length} Kustomizations differ from flux build`);
  });
}
