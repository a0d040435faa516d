/**
 * Random strategic-merge cases for differential tests against kubectl kustomize: Deployments,
 * Services, ConfigMaps and CRD instances with random patches (merge-keyed lists, multi-key ports,
 * primitive lists, replaced lists, directives, nulls, quoted numbers). Deterministic for a seed.
 * `odd` (0..1) adds odd shapes: list items without their key, empty items, string ports.
 * Values such as `yes` are left out: our emitter writes them plain, while strategic-merge.ts
 * assumes hand-written Kubernetes YAML quotes them.
 */
import type { KObject } from '../../../resources/resource.js';
import { mulberry32 } from '../../../seeded-random.js';

export interface SmpFuzzCase {
  resource: KObject;
  patch: KObject;
}

export function generateSmpCases(total: number, seedIn: number, odd = 0): SmpFuzzCase[] {
  const ODD = odd;
  const rnd = mulberry32(seedIn);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  function some<T>(max: number, f: () => T): T[] {
    const n = Math.floor(rnd() * (max + 1));
    return Array.from({ length: n }, f);
  }

  function env(patch: boolean): Record<string, unknown> {
    if (chance(ODD)) return pick([{}, { value: 'nokey' }, { name: '' }, { name: 'X', value: 'dup' }]);
    const e: Record<string, unknown> = { name: pick(['X', 'Y', 'Z']) };
    if (patch && chance(0.15)) e.$patch = 'delete';
    else if (chance(0.5)) e.value = pick(['1', '2', 'a']);
    else if (patch && chance(0.3)) e.value = null;
    else e.valueFrom = { fieldRef: { fieldPath: pick(['metadata.name', 'spec.nodeName']) } };
    return e;
  }
  function port(patch: boolean): Record<string, unknown> {
    if (chance(ODD))
      return pick([
        { protocol: 'TCP' },
        { containerPort: '80' },
        { containerPort: 80, protocol: '' },
        { name: 'only' },
      ]);
    const p: Record<string, unknown> = { containerPort: pick([80, 443, 8080]) };
    if (chance(0.4)) p.protocol = pick(['TCP', 'UDP']);
    if (chance(0.4)) p.name = pick(['http', 'https', 'm']);
    if (patch && chance(0.1)) p.$patch = 'delete';
    return p;
  }
  function container(patch: boolean): Record<string, unknown> {
    const c: Record<string, unknown> = chance(ODD / 2) ? {} : { name: pick(['a', 'b', 'c']) };
    if (chance(0.6)) c.image = pick(['img:1', 'img:2', 'other']);
    if (chance(0.4)) c.env = some(3, () => env(patch));
    if (chance(0.4)) c.ports = some(3, () => port(patch));
    if (chance(0.3)) c.args = some(2, () => pick(['--a', '--b']));
    if (chance(0.3)) c.volumeMounts = some(2, () => ({ name: pick(['v1', 'v2']), mountPath: pick(['/a', '/b']) }));
    if (chance(0.2)) c.resources = { limits: chance(0.5) ? { cpu: pick(['1', '2']) } : { memory: '1Gi' } };
    if (patch && chance(0.08)) c.$patch = pick(['delete', 'replace']);
    return c;
  }
  function podSpec(patch: boolean): Record<string, unknown> {
    const s: Record<string, unknown> = {};
    if (!patch || chance(0.8)) {
      const cs = some(3, () => container(patch));
      if (patch && chance(0.08)) cs.unshift({ $patch: pick(['replace', 'merge']) });
      if (cs.length || !patch) s.containers = cs.length ? cs : [container(false)];
    }
    if (chance(0.3)) s.initContainers = some(2, () => container(patch));
    if (chance(0.3))
      s.volumes = some(2, () => ({
        name: pick(['v1', 'v2']),
        [pick(['emptyDir', 'configMap'])]: chance(0.5) ? {} : { name: 'x' },
      }));
    if (chance(0.3)) s.tolerations = some(2, () => ({ key: pick(['k1', 'k2']), operator: 'Exists' }));
    if (chance(0.2)) s.nodeSelector = { [pick(['zone', 'os'])]: pick(['a', 'b']) };
    if (patch && chance(0.1)) s[pick(['initContainers', 'tolerations', 'nodeSelector'])] = null;
    if (chance(0.15)) s.imagePullSecrets = some(2, () => ({ name: pick(['r1', 'r2']) }));
    return s;
  }
  function meta(name: string, patch: boolean): Record<string, unknown> {
    const m: Record<string, unknown> = { name };
    if (chance(0.4)) m.labels = Object.fromEntries(some(2, () => [pick(['app', 'tier', 'x']), pick(['a', 'b'])]));
    if (chance(0.2)) m.finalizers = some(3, () => pick(chance(ODD) ? ['f1', '', 'x y'] : ['f1', 'f2', 'f3']));
    if (patch && chance(0.05)) m.labels = null;
    return m;
  }
  function deployment(name: string, patch: boolean): KObject {
    const d: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, patch) };
    const spec: Record<string, unknown> = {};
    if (chance(0.3)) spec.replicas = pick([1, 2, 3]);
    if (!patch || chance(0.9)) spec.template = { spec: podSpec(patch) };
    if (chance(0.15))
      spec.strategy =
        patch && chance(0.3)
          ? { $patch: pick(['delete', 'replace']), type: 'Recreate' }
          : { type: pick(['Recreate', 'RollingUpdate']) };
    d.spec = spec;
    if (patch && chance(0.02)) d.$patch = 'delete';
    return d;
  }
  function service(name: string, patch: boolean): KObject {
    const ports = some(3, () => {
      const p: Record<string, unknown> = { port: pick([53, 80, 443]) };
      if (chance(0.4)) p.protocol = pick(['TCP', 'UDP']);
      if (chance(0.5)) p.name = pick(['dns', 'web', 'tls']);
      if (chance(0.4)) p.targetPort = pick([8080, 8443, 'http']);
      if (patch && chance(0.1)) p.$patch = 'delete';
      return p;
    });
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, patch),
      spec: { ports, ...(chance(0.3) ? { selector: { app: pick(['a', 'b']) } } : {}) },
    };
  }
  function configMap(name: string, patch: boolean): KObject {
    const values = ['1', 'x', 'true', '', 'a: b', '0x1F', '1.5', ...(patch ? [2, false, 0.5] : [])];
    const data = Object.fromEntries(some(3, () => [pick(['a', 'b', 'c']), patch && chance(0.2) ? null : pick(values)]));
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, patch), data };
  }
  function crd(name: string, patch: boolean): KObject {
    const items = some(3, () => {
      const it: Record<string, unknown> = { name: pick(['a', 'b']), value: pick([1, 2]) };
      if (patch && chance(0.15)) it.$patch = 'delete';
      return it;
    });
    return {
      apiVersion: 'example.com/v1',
      kind: 'Foo',
      metadata: meta(name, patch),
      spec: { items, deep: { x: pick([1, 2]), y: { z: pick(['p', 'q']) } } },
    };
  }
  const makers = [deployment, deployment, deployment, service, configMap, crd];

  const cases: SmpFuzzCase[] = [];
  for (let i = 0; i < total; i++) {
    const make = pick(makers);
    const name = `r${i}`;
    cases.push({ resource: make(name, false), patch: make(name, true) });
  }
  return cases;
}
