/**
 * Schema validation of Kubernetes objects, for the generator's tests and the `schema` check rule.
 *
 * Where the schemas come from (`schemaSource(apiVersion, kind)` says which one is used):
 *   - built-in kinds: `kubernetes-models` 4.5.1 (the Kubernetes 1.27.1 OpenAPI);
 *   - Flux: `@kubernetes-models/flux-cd` 2.3.4 (GitRepository v1, Kustomization v1 exactly; for
 *     HelmRelease v2 and HelmRepository/OCIRepository v1, which that release predates, the
 *     v2beta2/v1beta2 schema: a *sibling* version, marked `exact: false`);
 *   - cert-manager: `@kubernetes-models/cert-manager` 4.4.4; prometheus-operator:
 *     `@kubernetes-models/prometheus-operator` 4.4.4; Gateway API: `@kubernetes-models/gateway-api` 0.5.1;
 *   - Velero, SecretProviderClass, Gatekeeper ConstraintTemplate, Kyverno ClusterPolicy: the published CRDs in
 *     data/crds (see its README; Kyverno's as its gzipped v1 openAPIV3Schema only), checked with ajv, unknown
 *     fields rejected (as kubectl's strict field validation does);
 *   - anything else (Kyverno Policy, Gatekeeper constraints, ...): no schema; validateObject reports one `no-schema`
 *     warning so callers can tell "valid" from "not checked".
 * The package schemas do not reject unknown fields; the CRD schemas do.
 * Values are checked as written: a Flux `${VAR}` in a non-string field fails its type check,
 * so validate after postBuild substitution when the input has variables there.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../package-root.js';
import type { KObject } from '../resources/resource.js';

export interface SchemaProblem {
  /** JSON pointer into the object (`/spec/replicas`), `` for the object itself. */
  readonly path: string;
  readonly message: string;
  /** `error`: the object does not match its schema; `warning`: no schema to check it against. */
  readonly severity: 'error' | 'warning';
  readonly code: 'schema' | 'unknown-field' | 'no-schema' | 'not-an-object' | 'removed-api';
}

export interface SchemaSource {
  /** npm package and model, or data/crds file. */
  readonly from: string;
  /** False when a sibling API version's schema stands in for the object's own. */
  readonly exact: boolean;
  readonly note?: string;
}

type Validator = (obj: KObject, modelFastPath: boolean) => { instancePath: string; message: string; unknownField?: string }[];

interface Entry {
  readonly source: SchemaSource;
  readonly load: () => Validator;
}

const require = createRequire(import.meta.url);

/** A model class of a kubernetes-models package: `new C(obj).validate()` throws with ajv errors. */
function modelValidator(modulePath: string): Validator {
  const mod = require(modulePath) as Record<string, unknown>;
  const cls = Object.values(mod).find((v) => typeof v === 'function') as (new (o: unknown) => { validate(): void }) | undefined;
  if (!cls) throw new Error(`no model class in ${modulePath}`);
  return (obj, modelFastPath) => {
    try {
      // The model's constructor deep-copies the object without its undefined values, then
      // validates the copy. An object with no undefined value anywhere (what YAML and JSON give)
      // needs only a shallow copy on the model's prototype (validate() may read the schema id
      // from it), keys in the constructor's order: the same data for the same validate function.
      if (modelFastPath && !hasUndefined(obj)) {
        (Object.assign(Object.create(cls.prototype) as object, { apiVersion: obj.apiVersion, kind: obj.kind }, obj) as unknown as { validate(): void }).validate();
      } else new cls(obj).validate();
      return [];
    } catch (e) {
      const errors = (e as { errors?: ErrorObject[] }).errors;
      if (!Array.isArray(errors)) throw e;
      return errors.map((er) => ({ instancePath: er.instancePath, message: ajvMessage(er) }));
    }
  };
}

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasUndefined(v[i])) return true;
    return false;
  }
  for (const k in v) if (hasUndefined((v as Record<string, unknown>)[k])) return true;
  return false;
}

function ajvMessage(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown field '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`;
  if (e.keyword === 'required') return `missing required field '${String((e.params as { missingProperty?: string }).missingProperty)}'`;
  if (e.keyword === 'enum') return `${e.message ?? 'must be one of the allowed values'}: ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

/** Makes a CRD's structural schema strict (unknown fields rejected) and ajv-compatible. */
function strictify(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strictify);
  if (s === null || typeof s !== 'object') return s;
  const o: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(s as Record<string, unknown>)) {
    if (k === 'properties' && val && typeof val === 'object') {
      o[k] = Object.fromEntries(Object.entries(val as Record<string, unknown>).map(([pk, pv]) => [pk, strictify(pv)]));
    } else o[k] = strictify(val);
  }
  if (o['x-kubernetes-int-or-string'] === true) {
    delete o.type;
    o.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (o.properties && o.additionalProperties === undefined && o['x-kubernetes-preserve-unknown-fields'] !== true) o.additionalProperties = false;
  if (o.nullable === true && typeof o.type === 'string') {
    o.type = [o.type, 'null'];
    delete o.nullable;
  }
  return o;
}

/**
 * The openAPIV3Schema of one version of a data/crds file: a CRD as YAML, or (`.schema.json.gz`)
 * that version's schema alone as gzipped JSON, for CRDs too large to keep whole.
 */
function crdSchema(file: string, version: string): unknown {
  const path = join(PACKAGE_ROOT, 'data', 'crds', file);
  if (file.endsWith('.schema.json.gz')) return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as unknown;
  const crd = parseYaml(readFileSync(path, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`data/crds/${file} has no version ${version}`);
  return v.schema.openAPIV3Schema;
}

/** ajv's options for the CRD schemas (the precompiled validators are made with the same). */
export const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false } as const;

/** The strict, ajv-ready schema of one version of a data/crds file. */
export function strictCrdSchema(file: string, version: string): object {
  return strictify(crdSchema(file, version)) as object;
}

/**
 * Where `npm run build` puts the CRD validators it precompiled (scripts/compile-validators.mjs,
 * ajv standalone code): named by a digest of the schema and the ajv version, so a validator is
 * only used for exactly the schema it was made from. Compiling Kyverno's ClusterPolicy schema
 * takes about 0.3 s; loading its precompiled code about 0.01 s.
 */
export function compiledValidatorPath(schema: object): string {
  const digest = createHash('sha256').update(`${AJV_VERSION}\0${JSON.stringify(AJV_OPTIONS)}\0${JSON.stringify(schema)}`).digest('hex').slice(0, 24);
  return join(PACKAGE_ROOT, 'dist', 'schemas', 'compiled', `${digest}.cjs`);
}

const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;

let ajv: Ajv | undefined;
function crdValidator(file: string, version: string): Validator {
  const schema = strictCrdSchema(file, version);
  const compiled = compiledValidatorPath(schema);
  let fn: ValidateFunction;
  if (existsSync(compiled)) {
    fn = require(compiled) as ValidateFunction;
  } else {
    ajv ??= new Ajv(AJV_OPTIONS);
    fn = ajv.compile(schema);
  }
  return (obj) => {
    if (fn(obj)) return [];
    return (fn.errors ?? []).map((er) => ({
      instancePath: er.instancePath,
      message: ajvMessage(er),
      ...(er.keyword === 'additionalProperties' ? { unknownField: String((er.params as { additionalProperty?: string }).additionalProperty) } : {}),
    }));
  };
}

const PKG = {
  core: 'kubernetes-models',
  flux: '@kubernetes-models/flux-cd',
  certManager: '@kubernetes-models/cert-manager',
  prometheus: '@kubernetes-models/prometheus-operator',
  gateway: '@kubernetes-models/gateway-api',
} as const;

/** Flux API versions newer than @kubernetes-models/flux-cd 2.3.4: the sibling whose schema stands in. */
const FLUX_SIBLINGS: Record<string, string> = {
  'helm.toolkit.fluxcd.io/v2 HelmRelease': 'helm.toolkit.fluxcd.io/v2beta2',
  'source.toolkit.fluxcd.io/v1 HelmRepository': 'source.toolkit.fluxcd.io/v1beta2',
  'source.toolkit.fluxcd.io/v1 OCIRepository': 'source.toolkit.fluxcd.io/v1beta2',
  'source.toolkit.fluxcd.io/v1 HelmChart': 'source.toolkit.fluxcd.io/v1beta2',
  'source.toolkit.fluxcd.io/v1 Bucket': 'source.toolkit.fluxcd.io/v1beta2',
};

export const CRD_FILES: Readonly<Record<string, { file: string; version: string; exact: boolean; note?: string }>> = {
  'velero.io/v1 Schedule': { file: 'velero.io_schedules.yaml', version: 'v1', exact: true },
  'templates.gatekeeper.sh/v1 ConstraintTemplate': { file: 'templates.gatekeeper.sh_constrainttemplates.yaml', version: 'v1', exact: true },
  'velero.io/v1 BackupStorageLocation': { file: 'velero.io_backupstoragelocations.yaml', version: 'v1', exact: true },
  'kyverno.io/v1 ClusterPolicy': { file: 'kyverno.io_clusterpolicies.v1.schema.json.gz', version: 'v1', exact: true },
  'secrets-store.csi.x-k8s.io/v1alpha1 SecretProviderClass': { file: 'secrets-store.csi.x-k8s.io_secretproviderclasses.yaml', version: 'v1alpha1', exact: true },
  'secrets-store.csi.x-k8s.io/v1 SecretProviderClass': {
    file: 'secrets-store.csi.x-k8s.io_secretproviderclasses.yaml',
    version: 'v1alpha1',
    exact: false,
    note: 'v1 was promoted from v1alpha1 with the same schema',
  },
};

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function resolvable(path: string): boolean {
  try {
    require.resolve(path);
    return true;
  } catch {
    return false;
  }
}

function findEntry(apiVersion: string, kind: string): Entry | undefined {
  if (!/^[A-Za-z0-9.-]+(\/[A-Za-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const key = `${apiVersion} ${kind}`;
  const crd = CRD_FILES[key];
  if (crd) {
    return {
      source: { from: `data/crds/${crd.file} (${crd.version})`, exact: crd.exact, ...(crd.note ? { note: crd.note } : {}) },
      load: () => crdValidator(crd.file, crd.version),
    };
  }
  const g = groupOf(apiVersion);
  const sibling = FLUX_SIBLINGS[key];
  let pkg: string | undefined;
  if (g.endsWith('.toolkit.fluxcd.io')) pkg = PKG.flux;
  else if (g === 'cert-manager.io' || g === 'acme.cert-manager.io') pkg = PKG.certManager;
  else if (g === 'monitoring.coreos.com') pkg = PKG.prometheus;
  else if (g === 'gateway.networking.k8s.io') pkg = PKG.gateway;
  else if (g === '' || !g.includes('.') || g.endsWith('.k8s.io')) pkg = PKG.core;
  if (!pkg) return undefined;
  const modulePath = `${pkg}/${sibling ?? apiVersion}/${kind}`;
  if (!resolvable(modulePath)) return undefined;
  return {
    source: sibling
      ? { from: `${pkg} ${sibling} ${kind}`, exact: false, note: `${apiVersion} is newer than the package; its ${sibling} schema stands in` }
      : { from: `${pkg} ${apiVersion} ${kind}`, exact: true },
    load: () => {
      const v = modelValidator(modulePath);
      // The sibling's model checks apiVersion against its own version: present it as that version.
      return sibling ? (obj, fast) => v({ ...obj, apiVersion: sibling }, fast) : v;
    },
  };
}

const cache = new Map<string, { entry: Entry; validator?: Validator } | null>();

function lookup(apiVersion: string, kind: string): { entry: Entry; validator?: Validator } | undefined {
  const key = `${apiVersion} ${kind}`;
  if (!cache.has(key)) {
    const entry = findEntry(apiVersion, kind);
    cache.set(key, entry ? { entry } : null);
  }
  return cache.get(key) ?? undefined;
}

/** Which schema checks objects of this apiVersion and kind, if any. */
export function schemaSource(apiVersion: string, kind: string): SchemaSource | undefined {
  return lookup(apiVersion, kind)?.entry.source;
}

let removed: Record<string, string> | undefined;
/** data/k8s-removed-apis.json: `apiVersion kind` -> the minor release that stopped serving it. */
function removedApis(): Record<string, string> {
  removed ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'k8s-removed-apis.json'), 'utf8')) as { removed: Record<string, string> }).removed;
  return removed;
}

function minor(v: string): number {
  const m = /^v?1\.(\d+)/.exec(v);
  return m ? Number(m[1]) : Number.NaN;
}

/** How validateObject calls a kubernetes-models validator (tests compare both ways; the results are the same). */
export interface ValidateOptions {
  /**
   * Validate a plain copy on the model's prototype when the object has no undefined value
   * (default true) instead of constructing the model (which deep-copies it).
   */
  readonly modelFastPath?: boolean;
}

/**
 * Validates one object against the schema of its apiVersion and kind. Returns every problem
 * (empty: valid). With `k8sVersion` (`1.33.5` or `1.33`), an API that version no longer serves
 * (data/k8s-removed-apis.json) is one `removed-api` error; the built-in schemas themselves are
 * those of Kubernetes 1.27.1 whatever the version.
 */
export function validateObject(obj: KObject, k8sVersion?: string, options: ValidateOptions = {}): SchemaProblem[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [{ path: '', message: 'not a Kubernetes object (expected a map)', severity: 'error', code: 'not-an-object' }];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    return [{ path: '', message: 'apiVersion and kind are required strings', severity: 'error', code: 'not-an-object' }];
  }
  if (k8sVersion !== undefined) {
    const removedIn = removedApis()[`${apiVersion} ${kind}`];
    if (removedIn !== undefined && minor(k8sVersion) >= minor(removedIn)) {
      return [{ path: '/apiVersion', message: `${apiVersion} ${kind} is no longer served since Kubernetes ${removedIn} (the cluster runs ${k8sVersion})`, severity: 'error', code: 'removed-api' }];
    }
  }
  const hit = lookup(apiVersion, kind);
  if (!hit) return [{ path: '', message: `no schema known for ${apiVersion} ${kind}; not checked`, severity: 'warning', code: 'no-schema' }];
  hit.validator ??= hit.entry.load();
  return hit.validator(obj, options.modelFastPath !== false).map((e) => ({
    path: e.instancePath,
    message: e.message,
    severity: 'error' as const,
    code: e.unknownField !== undefined ? ('unknown-field' as const) : ('schema' as const),
  }));
}
