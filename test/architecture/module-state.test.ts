/**
 * No module-level mutable state that changes results (issue #20, 1): what a run shares lives in
 * its session (src/session). A module-level `let` or a module-level Map/WeakMap in src/ (test
 * helpers in testing/ folders aside) must be on the lists below, each with why it cannot
 * change a result: loaded-once constant data, caches of pure functions, a worker's own result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const SRC = join(PACKAGE_ROOT, 'src');

/** `file: name` -> why it cannot change a result. */
const ALLOWED_LETS: Record<string, string> = {
  'src/facts/aks-versions.ts: cached': 'data/aks-versions.json, read once',
  'src/facts/azure-data.ts: roles': 'data/azure-roles.json, read once',
  'src/facts/azure-data.ts: apis': 'data/azure-api-versions.json, read once',
  'src/schemas/validate.ts: ajv': 'the ajv instance, made once with constant options',
  'src/schemas/validate.ts: buildAjv':
    'the ajv instance of build CRDs (Go RE2 patterns), made once with constant options',
  'src/schemas/validate.ts: removed': 'data/k8s-removed-apis.json, read once',
  'src/schemas/k8s-openapi.ts: minorsListed':
    'the minors data/k8s-schemas holds (a folder of the package), listed once',
  'src/schemas/validate.ts: ecosystemIndex': 'data/ecosystem-crds, read and indexed once',
  'src/flux/substitute/yaml11.ts: resolver': 'a scalar resolver made once from a constant schema',
  'src/flux/build/build-cache.ts: engine': 'the digest of the running code, computed once',
  'src/day2/upgrade/rules.ts: cached': 'data/upgrade-rules.json, read once',
  'src/kustomize/fieldspecs/index.ts: dedupedDefaults': "kustomize's built-in field specs, built once",
  'src/kustomize/fieldspecs/index.ts: defaults': "kustomize's built-in field specs, built once",
  'src/cel/cost.ts: running':
    'the meter of the synchronous evaluation in progress, restored in finally (dynamic scope)',
  'src/cel/environment.ts: base': 'the base CEL environment, built once from constant options',
  'src/cel/program.ts: callOp': "cel-js's call operator, captured once from the library",
  'src/cli/main.ts: stdoutClosed': 'whether this process was started with stdout closed (a fact of the process)',
  'src/helm/funcs/index.ts: shared':
    'the stateless sprig/Helm functions, built once (per-render ones are added per call)',
  'src/helm/render/capabilities.ts: defaults': 'data/helm/capabilities.json, read once',
};

/** Files with module-level Map/WeakMap/Set that are written to -> why it cannot change a result. */
const ALLOWED_MAPS: Record<string, string> = {
  'src/yaml/go-resolve.ts': 'cache of a pure function (integer spellings)',
  'src/yaml/parse.ts': 'resolvers made once per constant schema',
  'src/generators/infra/flux.ts': 'WeakMap cache of a pure function of the (immutable) fleet',
  'src/schemas/validate.ts':
    'validators made once per apiVersion and kind (constant schemas); build CRD validators by schema digest (pure, capped at 1,000)',
  'src/schemas/k8s-openapi.ts':
    'per Kubernetes minor: data/k8s-schemas read once and its validators compiled once (constant schemas)',
  'src/gotemplate/value.ts': 'WeakMap type tags of Go values (identity, not results)',
  'src/checks/rules/flux-graph.ts': 'WeakMap per RepoFs (one snapshot) of parsed files',
  'src/checks/cluster/model.ts':
    'WeakMap per CheckContext (immutable, one cluster) of the cluster model, a pure function of it',
  'src/checks/platform-namespaces.ts':
    'WeakMap per CheckContext (immutable, one cluster) of its platform namespaces, a pure function of it',
  'src/flux/source/gitignore.ts': 'compiled matchers per pattern (pure)',
  'src/incremental/build-cache-dir.ts': 'the git directory of a repository root (asked of git once)',
  'src/slo/promql.ts': 'parse verdicts per expression (pure)',
  'src/admission/kyverno/engine/validate-cel.ts': 'compiled CEL programs per expression (pure, capped at 2,000)',
  'src/admission/kyverno/jmespath/interpreter.ts': 'parsed JMESPath per expression (pure, capped at 5,000)',
  'src/admission/kyverno/jmespath/regex.ts': 'compiled RE2 patterns (pure, capped at 1,000)',
  'src/cel/environment.ts': 'CEL environments per declared variable set (constant options, capped at 100)',
  'src/cel/library/regex.ts': 'compiled RE2 patterns (pure, capped at 1,000)',
  'src/schemas/crd-cel.ts': 'compiled CRD validation rules by expression (pure, capped at 2,000)',
  'src/helm/funcs/go-time.ts': 'time zones by name (pure data lookups)',
  'src/helm/funcs/regex.ts': 'compiled RE2 patterns (pure, capped at 1,000)',
  'src/flux/helmrelease/builtin-api-versions.ts':
    'built-in group/version/Kind list per Kubernetes minor (constant data)',
  'src/flux/helmrelease/stages.ts':
    "WeakMaps per loaded chart and rendered file (identity): a chart's CRD API list and a rendered file's " +
    'parsed objects, frozen, shared by every cluster (the stages after copy what they change)',
  'src/resources/mask.ts': 'WeakMap per frozen schema (identity, never changed): whether it holds encrypted fields',
  'src/schemas/build-crds.ts':
    'strict CRD schemas by schema digest (pure, capped at 1,000) and by frozen source schema (WeakMap, identity)',
};

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (n !== 'testing') sources(p, out);
    } else if (n.endsWith('.ts') && !n.endsWith('.test.ts') && n !== 'testing.ts') out.push(p);
  }
  return out;
}

test('no module-level let in src/ outside the allow-list', () => {
  const found: string[] = [];
  for (const f of sources(SRC)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:export )?(?:let|var) (\w+)/gm))
      found.push(`${relative(PACKAGE_ROOT, f)}: ${m[1]}`);
  }
  assert.ok(found.length > 0, 'the scan finds the known ones');
  assert.deepEqual(
    found.filter((x) => !(x in ALLOWED_LETS)),
    [],
  );
});

test('no module-level Map/WeakMap written to in src/ outside the allow-list', () => {
  const found = new Set<string>();
  for (const f of sources(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^(?:export )?const (\w+)(?:: [^=]+)? = new (?:Weak)?Map\b/gm)) {
      if (new RegExp(`\\b${m[1]}\\.(set|delete|clear)\\(`).test(text)) found.add(relative(PACKAGE_ROOT, f));
    }
  }
  assert.ok(found.size > 0, 'the scan finds the known ones');
  assert.deepEqual(
    [...found].filter((x) => !(x in ALLOWED_MAPS)),
    [],
  );
});
