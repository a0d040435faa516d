/**
 * Fuzzing the YAML -> build -> check path with fast-check (bounded in runs and time): random
 * repositories made of mutated real manifests, kustomizations with random fields and Flux
 * Kustomizations pointing anywhere. Whatever the input, the engine answers with a result or an
 * input error (AksfleetError), never with any other exception. Crashers found are kept below as
 * regression cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { buildCluster } from '../../src/flux/index.js';
import { checkRepository } from '../../src/checks/index.js';
import { AksfleetError } from '../../src/errors.js';

const MANIFESTS = [
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: app\ndata:\n  a: "1"\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n' +
    '    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n' +
    '      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n',
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n',
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n' +
    '  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
];

const FIELDS: fc.Arbitrary<string>[] = [
  fc.constant('namespace: ns1'),
  fc.constant('namePrefix: p-'),
  fc.constant('nameSuffix: -s'),
  fc.constant('commonLabels: {team: a}'),
  fc.constant('labels:\n- pairs: {x: y}\n  includeSelectors: true'),
  fc.constant('commonAnnotations: {note: "yes"}'),
  fc.constant('images:\n- name: nginx\n  newTag: "1.28"'),
  fc.constant('replicas:\n- name: web\n  count: 5'),
  fc.constant('configMapGenerator:\n- name: gen\n  literals: [a=b]'),
  fc.constant('secretGenerator:\n- name: sec\n  literals: [k=v]'),
  fc.constant(
    'patches:\n- target: {kind: Deployment}\n  patch: |\n    - op: replace\n      path: /spec/replicas\n      value: 3',
  ),
  fc.constant(
    'patches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n' +
      '    metadata: {name: web}\n    spec: {replicas: 9}',
  ),
  fc.constant('components: [../comp]'),
  fc.constant('resources: [../other]'),
  fc.string({ maxLength: 30 }),
];

/** Random edits of a text: delete, duplicate or insert YAML-ish characters at random places. */
const mutated = (text: string) =>
  fc
    .array(
      fc.tuple(
        fc.nat(text.length),
        fc.constantFrom(
          '',
          ':',
          '-',
          ' ',
          '\n',
          '[',
          ']',
          '{',
          '}',
          '&a',
          '*a',
          '"',
          '\t',
          '#',
          '${X}',
          '!!str',
          '---\n',
          'ä',
          '\u0000',
        ),
      ),
      { maxLength: 4 },
    )
    .map((edits) => {
      let t = text;
      for (const [pos, ins] of edits) {
        const p = Math.min(pos, t.length);
        t = ins === '' ? t.slice(0, p) + t.slice(p + 1) : t.slice(0, p) + ins + t.slice(p);
      }
      return t;
    });

const repoArb = fc
  .record({
    manifests: fc.array(
      fc.constantFrom(...MANIFESTS).chain((m) => fc.oneof(fc.constant(m), mutated(m))),
      { minLength: 1, maxLength: 4 },
    ),
    fields: fc.array(fc.oneof(...FIELDS), { maxLength: 4 }),
    fluxPath: fc.constantFrom('./app', './', './missing', '../escape', './clusters/c'),
    substitute: fc.boolean(),
  })
  .map(({ manifests, fields, fluxPath, substitute }) => {
    const files: Record<string, string> = {};
    manifests.forEach((m, i) => (files[`app/r${i}.yaml`] = m));
    files['app/kustomization.yaml'] =
      `resources:\n${manifests.map((_, i) => `- r${i}.yaml`).join('\n')}\n${fields.join('\n')}\n`;
    files['comp/kustomization.yaml'] =
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels: {comp: "1"}\n';
    files['other/kustomization.yaml'] = 'resources: [cm.yaml]\n';
    files['other/cm.yaml'] = MANIFESTS[0]!.replace('name: cm', 'name: other');
    files['clusters/c/sync.yaml'] =
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n` +
      `  name: app\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${fluxPath}\n` +
      `  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n` +
      (substitute ? '  postBuild:\n    substitute:\n      X: "yes"\n' : '');
    return files;
  });

function allowed(e: unknown): boolean {
  return e instanceof AksfleetError;
}

/** Runs the whole path on one repository; returns the unexpected exception, if any. */
function exercise(files: Record<string, string>): unknown {
  const fs = new MemoryRepoFs(files);
  for (const step of [
    () => buildKustomization(fs, 'app'),
    () => buildCluster(fs, { path: 'clusters/c', allowMissingVars: true }),
    () => checkRepository(fs, { today: '2026-11-25' }),
  ]) {
    try {
      step();
    } catch (e) {
      if (!allowed(e)) return e;
    }
  }
  return undefined;
}

test('fuzz: random repositories never crash the build or the check', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(repoArb, (files) => {
      const e = exercise(files);
      if (e)
        throw new Error(
          `unexpected ${(e as Error)?.constructor?.name}: ${(e as Error)?.stack ?? String(e)}\n` +
            `${JSON.stringify(files)}`,
        );
    }),
    {
      numRuns: Number(process.env.FUZZ_RUNS ?? 300),
      seed: Number(process.env.FUZZ_SEED ?? 20261125),
      interruptAfterTimeLimit: 60_000,
    },
  );
});

/** Crashers the fuzzer found, kept as regression cases (each was fixed). */
const REGRESSIONS: Record<string, Record<string, string>> = {};

for (const [name, files] of Object.entries(REGRESSIONS)) {
  test(`fuzz regression: ${name}`, () => {
    assert.equal(exercise(files), undefined);
  });
}
