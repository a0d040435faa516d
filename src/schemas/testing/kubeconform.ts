/**
 * Test helpers: give `kubeconform -strict` the very schemas aksfleet judges built-in kinds by
 * (data/k8s-schemas, src/schemas/k8s-openapi.ts), offline, and read its verdicts.
 *
 * kubeconform reads one standalone schema file per kind from `-schema-location` (a path template;
 * https://github.com/yannh/kubeconform#overriding-schemas-location). Each file written here is that
 * kind's definition with the definitions it refers to under `$defs` (the data's own `#/$defs/...`
 * references resolve unchanged): the same JSON Schema, only split per kind.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KObject } from '../../resources/resource.js';
import { minorSchemas } from '../k8s-openapi.js';

/**
 * kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}` for an apiVersion and kind (`deployment-apps-v1`,
 * `configmap-v1`).
 */
export function kindFileName(apiVersion: string, kind: string): string {
  const [groupOrVersion, version] = apiVersion.split('/');
  const group = groupOrVersion!.split('.')[0]!.toLowerCase();
  const suffix = `-${group}${version !== undefined ? `-${version.toLowerCase()}` : ''}`;
  return `${kind.toLowerCase()}${suffix}`;
}

function refsOf(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) refsOf(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')) out.add(x.slice('#/$defs/'.length));
      else refsOf(x, out);
    }
  }
}

/** The standalone schema of one kind of `minor`: its definition plus every definition it reaches. */
export function standaloneSchema(minor: string, apiVersion: string, kind: string): object {
  const data = minorSchemas(minor);
  const root = data.kinds[`${apiVersion} ${kind}`];
  if (root === undefined) throw new Error(`no ${apiVersion} ${kind} in Kubernetes ${minor}`);
  const reached = new Set<string>();
  const todo = [root];
  while (todo.length) {
    const name = todo.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    const refs = new Set<string>();
    refsOf(data.defs[name], refs);
    todo.push(...refs);
  }
  const $defs = Object.fromEntries([...reached].sort().map((n) => [n, data.defs[n]]));
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...(data.defs[root] as object), $defs };
}

/** Writes `DIR/v<minor>.0/<kind file>.json` for each `apiVersion kind`; returns the -schema-location template. */
export function writeKubeconformSchemas(dir: string, minor: string, kinds: readonly string[]): string {
  const folder = join(dir, `v${minor}.0`);
  mkdirSync(folder, { recursive: true });
  for (const k of new Set(kinds)) {
    const [apiVersion, kind] = k.split(' ') as [string, string];
    writeFileSync(
      join(folder, `${kindFileName(apiVersion, kind)}.json`),
      JSON.stringify(standaloneSchema(minor, apiVersion, kind)),
    );
  }
  return join(dir, '{{ .NormalizedKubernetesVersion }}', '{{ .ResourceKind }}{{ .KindSuffix }}.json');
}

export interface KubeconformVerdict {
  readonly valid: boolean;
  /** Instance paths of the errors (`/spec/replicas`, read from its message's `at '...'`), sorted, unique. */
  readonly paths: readonly string[];
  readonly message: string;
}

/**
 * Runs `kubeconform -strict -kubernetes-version <minor>.0 -output json` on the objects (one YAML
 * stream) and gives each object's verdict by metadata.name (names must be unique).
 */
export function runKubeconform(
  bin: string,
  dir: string,
  minor: string,
  objects: readonly KObject[],
): Map<string, KubeconformVerdict> {
  const location = writeKubeconformSchemas(
    dir,
    minor,
    objects.map((o) => `${o.apiVersion} ${o.kind}`),
  );
  return runKubeconformAt(bin, dir, location, minor, objects);
}

/** The same schema with each `pattern` back as published (`x-go-pattern`): kubeconform matches with Go's regexp. */
export function withGoPatterns(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withGoPatterns);
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'x-go-pattern') o[k] = withGoPatterns(x);
  const go = (v as Record<string, unknown>)['x-go-pattern'];
  if (typeof go === 'string') o.pattern = go;
  return o;
}

/**
 * Writes `DIR/crds/<kind file>.json` for each CRD schema given (`apiVersion kind` -> the schema
 * aksfleet compiles, strict, with the published Go patterns); returns the -schema-location template.
 */
export function writeKubeconformCrdSchemas(dir: string, schemas: ReadonlyMap<string, object>): string {
  const folder = join(dir, 'crds');
  mkdirSync(folder, { recursive: true });
  for (const [k, schema] of schemas) {
    const [apiVersion, kind] = k.split(' ') as [string, string];
    writeFileSync(join(folder, `${kindFileName(apiVersion, kind)}.json`), JSON.stringify(withGoPatterns(schema)));
  }
  return join(folder, '{{ .ResourceKind }}{{ .KindSuffix }}.json');
}

/** kubeconform -strict over the objects with the schemas at `location`; verdicts by metadata.name. */
export function runKubeconformAt(
  bin: string,
  dir: string,
  location: string,
  minor: string,
  objects: readonly KObject[],
): Map<string, KubeconformVerdict> {
  const input = join(dir, `in-${minor}.yaml`);
  // As JSON documents: kubeconform reads YAML 1.1, where a plain `n` or `on` would be a boolean.
  writeFileSync(input, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  const r = spawnSync(
    bin,
    [
      '-strict',
      '-kubernetes-version',
      `${minor}.0`,
      '-schema-location',
      location,
      '-output',
      'json',
      '-verbose',
      '-n',
      '1',
      input,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (r.error) throw r.error;
  const out = JSON.parse(r.stdout) as {
    resources?: { name: string; status: string; msg?: string; validationErrors?: { path: string; msg: string }[] }[];
  };
  const verdicts = new Map<string, KubeconformVerdict>();
  for (const res of out.resources ?? []) {
    if (res.status === 'statusError') throw new Error(`kubeconform could not validate ${res.name}: ${res.msg ?? ''}`);
    verdicts.set(res.name, {
      valid: res.status === 'statusValid',
      // validationErrors' paths stop at the first level: the message has each error's full path.
      paths: [...new Set([...(res.msg ?? '').matchAll(/ at '([^']*)': /g)].map((m) => m[1]!))].sort(),
      message: res.msg ?? '',
    });
  }
  return verdicts;
}
