/**
 * Differential test against the real `kubeconform -strict` (v0.8.0, test/oracles): on generated
 * variations of built-in objects (typos in field names, unknown fields, wrong types, removed
 * fields) for each Kubernetes minor 1.31-1.35, aksfleet's schema verdict and the instance paths of
 * its errors equal kubeconform's. kubeconform gets the same schema data offline
 * (src/schemas/testing/kubeconform.ts writes data/k8s-schemas back out as one standalone schema per
 * kind, for `-schema-location`): what is compared is the validation, not the data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { oracle } from '../../test/oracles/oracle.mjs';
import { generateAll } from '../generators/index.js';
import { exampleFile } from '../package-root.js';
import type { KObject } from '../resources/resource.js';
import { mulberry32 } from '../seeded-random.js';
import { loadFleet } from '../spec/load.js';
import { hasKind } from './k8s-openapi.js';
import { runKubeconform } from './testing/kubeconform.js';
import { mutate, type Path } from './testing/mutate.js';
import { validateObject } from './validate.js';

const kubeconform = oracle('kubeconform-0.8');
const MINORS = ['1.31', '1.32', '1.33', '1.34', '1.35'];

const podSpec = {
  containers: [
    {
      name: 'app',
      image: 'registry.example.com/app:1.2.3',
      ports: [{ containerPort: 8080, name: 'http' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
    },
  ],
};
const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };

/** Hand-written objects of the kinds fleets hold most, besides those the example fleet generates. */
const HAND: KObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'x' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template,
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's', namespace: 'n' },
    spec: {
      serviceName: 's',
      selector: { matchLabels: { app: 'x' } },
      template,
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c', namespace: 'n' },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: { spec: { backoffLimit: 2, template: { spec: { ...podSpec, restartPolicy: 'OnFailure' } } } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace: 'n' },
    spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'i', namespace: 'n' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'a.example.com',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'svc', port: { number: 80 } } } }],
          },
        },
      ],
    },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h', namespace: 'n' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    },
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'p', namespace: 'n' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } },
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'n', labels: { a: 'b' } },
    data: { key: 'value' },
  },
  // Pod-level resources: a PodSpec field from 1.32 on (unknown to 1.31's schema).
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'plr', namespace: 'n' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { ...template, spec: { ...podSpec, resources: { limits: { cpu: '1' } } } },
    },
  },
];

/** Built-in objects of the generated example fleet, and the hand-written ones; unique names. */
function bases(): KObject[] {
  const out: KObject[] = [...HAND];
  for (const f of generateAll(loadFleet(exampleFile('fleet.yaml')))) {
    if (!f.path.endsWith('.yaml')) continue;
    for (const d of parseAllDocuments(f.content)) {
      const o = d.toJS() as KObject | null;
      if (
        o &&
        typeof o.apiVersion === 'string' &&
        typeof o.kind === 'string' &&
        hasKind('1.31', o.apiVersion, o.kind) &&
        !JSON.stringify(o).includes('${')
      )
        out.push(o);
    }
  }
  return out.map((o, i) => ({ ...o, metadata: { ...(o.metadata ?? {}), name: `b${i}` } }));
}

/**
 * A variation anywhere but where kubeconform reads apiVersion, kind, metadata.name and metadata.namespace as strings
 * before any schema.
 */
const varied = (p: Path): boolean =>
  p[0] !== 'apiVersion' && p[0] !== 'kind' && !(p[0] === 'metadata' && (p[1] === 'name' || p[1] === 'namespace'));

function ourVerdict(o: KObject, minor: string): { valid: boolean; paths: string[] } {
  const problems = validateObject(o, `${minor}.0`).filter((p) => p.severity === 'error');
  return { valid: problems.length === 0, paths: [...new Set(problems.map((p) => p.path))].sort() };
}

test('kubeconform -strict and aksfleet agree on generated variations, per Kubernetes minor', {
  skip: kubeconform.skip,
}, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-kubeconform-'));
  try {
    const base = bases();
    assert.ok(base.length >= 20, `${base.length} base objects`);
    let compared = 0;
    let invalid = 0;
    const disagree: string[] = [];
    for (const minor of MINORS) {
      const r = mulberry32(Number(minor.replace('.', '')));
      const cases: { obj: KObject; what: string }[] = base.map((o) => ({ obj: o, what: 'as generated' }));
      for (let i = 0; i < 120; i++) {
        const b = base[Math.floor(r() * base.length)]!;
        const m = mutate(b, r, varied);
        cases.push({
          obj: { ...m.obj, metadata: { ...(m.obj.metadata ?? {}), name: `m${i}` } },
          what: `${b.kind} ${b.metadata?.name}: ${m.what}`,
        });
      }
      const theirs = runKubeconform(
        kubeconform.path,
        dir,
        minor,
        cases.map((c) => c.obj),
      );
      for (const c of cases) {
        const name = c.obj.metadata!.name!;
        const k = theirs.get(name);
        assert.ok(k, `kubeconform judged ${name}`);
        const ours = ourVerdict(c.obj, minor);
        compared++;
        if (!k.valid) invalid++;
        if (ours.valid !== k.valid || ours.paths.join(' ') !== k.paths.join(' ')) {
          disagree.push(
            `${minor} ${name} (${c.what}): ours ${ours.valid ? 'valid' : ours.paths.join(' ')} ` +
              `/ kubeconform ${k.valid ? 'valid' : `${k.paths.join(' ')}: ${k.message}`}`,
          );
        }
      }
    }
    t.diagnostic(
      `${compared} objects (${base.length} bases x ${MINORS.length} minors + 120 variations a minor), ` +
        `${invalid} invalid, ${disagree.length} disagreements`,
    );
    assert.deepEqual(disagree, []);
    // The minor matters, and both sides see it: the pod-level resources Deployment fails on 1.31 only.
    assert.deepEqual(
      MINORS.map((m) => ourVerdict({ ...HAND.at(-1)!, metadata: { name: 'x' } }, m).valid),
      [false, true, true, true, true],
    );
    // The variations exercise both verdicts.
    assert.ok(invalid > compared / 4 && invalid < compared, `${invalid} of ${compared} invalid`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
