/**
 * Schema validation of Kubernetes objects, for the generator's tests and the `schema` check rule.
 *
 * Where the schemas come from (`schemaSource(apiVersion, kind, ...)` says which one is used), first match wins:
 *   - the CustomResourceDefinitions of the cluster's own build (`options.crds`, src/schemas/build-crds.ts: the
 *     repository's CRDs and the chart CRDs of rendered HelmReleases);
 *   - Velero, SecretProviderClass, Gatekeeper ConstraintTemplate, Kyverno ClusterPolicy: the published CRDs in
 *     data/crds (see its README; Kyverno's as its gzipped v1 openAPIV3Schema only);
 *   - built-in kinds: the OpenAPI of the cluster's Kubernetes minor (data/k8s-schemas, src/schemas/k8s-openapi.ts:
 *     1.29-1.37 from the PyPI package kubernetes-validate);
 *   - Flux (2.9.5's controllers), cert-manager, Gateway API (experimental channel), Prometheus operator and
 *     Flux Operator: their real CRDs at the pinned versions, every served version (data/ecosystem-crds,
 *     src/schemas/ecosystem-crds.ts; made by scripts/ecosystem-crds.mjs). A version of one of these kinds that
 *     its CRD does not serve (e.g. kustomize.toolkit.fluxcd.io/v1beta2) is one `removed-api` error, unless the
 *     cluster's own build defines it;
 *   - anything else (Kyverno Policy, Gatekeeper constraints, ...): no schema; validateObject reports one `no-schema`
 *     warning so callers can tell "valid" from "not checked".
 * Every schema rejects unknown fields (as the API server's strict field validation and `kubeconform -strict`
 * do; CRD schemas through strictify.ts), with a did-you-mean.
 * Values are checked as written: a Flux `${VAR}` in a non-string field fails its type check,
 * so validate after postBuild substitution when the input has variables there.
 */
import { unescapePointerToken } from '../field-path.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ContentStore } from '../content-store.js';
import { ajvVersion, storedValidator } from './stored-validator.js';
import { parse as parseYaml } from 'yaml';
import { PACKAGE_ROOT } from '../package-root.js';
import type { KObject } from '../resources/resource.js';
import { withObjectFields, type BuildCrds } from './build-crds.js';
import { ECOSYSTEM_DIR, indexEcosystem, readEcosystemProjects, type EcosystemSchema } from './ecosystem-crds.js';
import { chooseMinor, hasKind, kindValidator, type MinorChoice } from './k8s-openapi.js';
import { strictify } from './strictify.js';
import { goRegExp } from './go-pattern.js';
import { celValidations, hasCelRules } from './crd-cel.js';
import { closestName } from './suggest.js';

export interface SchemaProblem {
  /** JSON pointer into the object (`/spec/replicas`), `` for the object itself. */
  readonly path: string;
  readonly message: string;
  /** `error`: the object does not match its schema; `warning`: no schema to check it against. */
  readonly severity: 'error' | 'warning';
  readonly code: 'schema' | 'unknown-field' | 'no-schema' | 'not-an-object' | 'removed-api';
  /** For `unknown-field`: the field's name (its key is at `path` + this name). */
  readonly field?: string;
  /** The object fails a CRD's `x-kubernetes-validations` rule (src/schemas/crd-cel.ts), not its structural schema. */
  readonly celRule?: true;
}

export interface SchemaSource {
  /** The data file (and, for ecosystem CRDs, the module and file) the schema comes from. */
  readonly from: string;
  /** False when a sibling API version's schema stands in for the object's own. */
  readonly exact: boolean;
  readonly note?: string;
  /** For built-in kinds: the Kubernetes minor whose OpenAPI judges the object. */
  readonly kubernetesMinor?: string;
}

type Validator = (
  obj: KObject,
) => { instancePath: string; message: string; unknownField?: string; severity?: 'warning'; celRule?: true }[];

interface Entry {
  readonly source: SchemaSource;
  readonly load: (store: ContentStore | undefined) => Validator;
}

const require = createRequire(import.meta.url);

function ajvMessage(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties')
    return `unknown field '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`;
  if (e.keyword === 'required')
    return `missing required field '${String((e.params as { missingProperty?: string }).missingProperty)}'`;
  if (e.keyword === 'type' && Array.isArray((e.params as { type?: unknown }).type)) {
    // The OpenAPI's fields are nullable (`[integer, null]`): name the type meant.
    const types = (e.params as { type: unknown[] }).type.filter((t) => t !== 'null');
    return `must be ${types.join(' or ')}`;
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${e.message ?? 'must be one of the allowed values'}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return e.message ?? e.keyword;
}

/** The types the branches of a oneOf/anyOf accept (`string or integer`), when each branch is only a type. */
function branchTypes(branches: unknown): string | undefined {
  if (!Array.isArray(branches)) return undefined;
  const types: string[] = [];
  for (const b of branches) {
    const t = (b as { type?: unknown } | null)?.type;
    const list = Array.isArray(t) ? t : [t];
    for (const x of list) if (typeof x === 'string' && x !== 'null' && !types.includes(x)) types.push(x);
  }
  return types.length ? types.join(' or ') : undefined;
}

/** The object schema at an ajv schemaPath (`#/properties/spec/additionalProperties` -> that of spec). */
function schemaAt(root: unknown, schemaPath: string): unknown {
  let cur: unknown = root;
  for (const seg of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[unescapePointerToken(seg)];
  }
  return cur;
}

type ValidatorError = ReturnType<Validator>[number];

/**
 * ajv's errors as problems: an unknown field with the closest known field of its object (did-you-mean),
 * a failed oneOf/anyOf as one error naming the accepted types (its branches' errors dropped).
 * `root`: the schema compiled, for the known fields when the errors do not carry their schema.
 */
function problemsOf(errors: readonly ErrorObject[], root?: unknown): ValidatorError[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const out: ValidatorError[] = [];
  for (const er of errors) {
    if (
      alternatives.some(
        (a) => a !== er && a.instancePath === er.instancePath && er.schemaPath.startsWith(`${a.schemaPath}/`),
      )
    )
      continue;
    if (er.keyword === 'additionalProperties') {
      const field = String((er.params as { additionalProperty?: string }).additionalProperty);
      const parent = (er.parentSchema ?? schemaAt(root, er.schemaPath)) as
        | { properties?: Record<string, unknown> }
        | undefined;
      const known = parent?.properties ? Object.keys(parent.properties) : [];
      const close = closestName(field, known);
      out.push({
        instancePath: er.instancePath,
        message: `unknown field '${field}'${close ? `; did you mean '${close}'?` : ''}`,
        unknownField: field,
      });
      continue;
    }
    if (
      (er.keyword === 'oneOf' || er.keyword === 'anyOf') &&
      !Array.isArray((er.params as { passingSchemas?: unknown }).passingSchemas)
    ) {
      const types = branchTypes(er.schema ?? schemaAt(root, `${er.schemaPath}/x`));
      out.push({ instancePath: er.instancePath, message: types ? `must be ${types}` : ajvMessage(er) });
      continue;
    }
    out.push({ instancePath: er.instancePath, message: ajvMessage(er) });
  }
  return out;
}

/**
 * The openAPIV3Schema of one version of a data/crds file: a CRD as YAML, or (`.schema.json.gz`)
 * that version's schema alone as gzipped JSON, for CRDs too large to keep whole.
 */
function crdSchema(file: string, version: string): unknown {
  const path = join(PACKAGE_ROOT, 'data', 'crds', file);
  if (file.endsWith('.schema.json.gz')) return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as unknown;
  const crd = parseYaml(readFileSync(path, 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] };
  };
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
  const digest = createHash('sha256')
    .update(`${ajvVersion()}\0${JSON.stringify(AJV_OPTIONS)}\0${JSON.stringify(schema)}`)
    .digest('hex')
    .slice(0, 24);
  return join(PACKAGE_ROOT, 'dist', 'schemas', 'compiled', `${digest}.cjs`);
}

/** The ajv-ready (strictified) schema of one served version of an ecosystem CRD. */
export function strictEcosystemSchema(s: EcosystemSchema): object {
  return withObjectFields(strictify(s.version.schema) as Record<string, unknown>);
}

let ajv: Ajv | undefined;
/** A strict CRD schema's validator: precompiled by `npm run build` when there, else kept in `store` or compiled now. */
function crdValidator(schema: object, store: ContentStore | undefined): Validator {
  const compiled = compiledValidatorPath(schema);
  let fn: ValidateFunction;
  if (existsSync(compiled)) {
    fn = require(compiled) as ValidateFunction;
  } else if (store) {
    fn = storedCrdValidator(schema, false, store);
  } else {
    ajv ??= new Ajv(AJV_OPTIONS);
    fn = ajv.compile(schema);
  }
  return schemaValidator(fn, schema);
}

/**
 * A schema's validator from the persistent store (src/schemas/stored-validator.ts), keyed by the
 * schema, the ajv version and options and the regex engine; compiled and kept there when absent.
 */
function storedCrdValidator(
  schema: object,
  go: boolean,
  store: ContentStore,
  json = JSON.stringify(schema),
): ValidateFunction {
  const key = ['ajv crd 1', ajvVersion(), JSON.stringify(AJV_OPTIONS), go ? 'goRegExp' : 'RegExp', json];
  return storedValidator(store, key.join('\0'), () => {
    const own = new Ajv({ ...AJV_OPTIONS, code: { source: true, ...(go ? { regExp: goRegExp } : {}) } });
    return { ajv: own, fn: own.compile(schema) };
  });
}

/**
 * The schema's structural check, then its CEL validation rules (`x-kubernetes-validations`,
 * src/schemas/crd-cel.ts) as the API server evaluates them on create.
 */
function schemaValidator(fn: ValidateFunction, schema: object): Validator {
  const structural: Validator = (obj) => (fn(obj) ? [] : problemsOf(fn.errors ?? [], schema));
  if (!hasCelRules(schema)) return structural;
  return (obj) => [...structural(obj), ...celValidations(schema, obj)];
}

/** Validators of build CRD schemas by digest (pure: the same schema compiles to the same validator); at most 1,000. */
const buildCrdValidators = new Map<string, Validator>();

let buildAjv: Ajv | undefined;
/**
 * A CRD of the cluster's own build: its `pattern`s compiled as the API server compiles them (Go
 * RE2, src/schemas/go-pattern.ts). A schema that does not compile (a pattern Go refuses) checks
 * nothing: every object of the kind gets one error saying why, never a crash or a silent pass.
 */
function buildCrdValidator(
  schema: object,
  from = 'its CustomResourceDefinition',
  store: ContentStore | undefined = undefined,
): Validator {
  const json = JSON.stringify(schema);
  const digest = createHash('sha256').update(json).digest('hex');
  let v = buildCrdValidators.get(digest);
  if (!v) {
    buildAjv ??= new Ajv({ ...AJV_OPTIONS, code: { regExp: goRegExp } });
    try {
      const fn = store ? storedCrdValidator(schema, true, store, json) : buildAjv.compile(schema);
      v = schemaValidator(fn, schema);
    } catch (e) {
      const why =
        `the schema of ${from} does not compile as the API server compiles it (${(e as Error).message}); ` +
        `the API server refuses such a CRD, and its objects were not checked`;
      v = () => [{ instancePath: '', message: why }];
    } finally {
      buildAjv.removeSchema(schema);
    }
    if (buildCrdValidators.size >= 1000) buildCrdValidators.clear();
    buildCrdValidators.set(digest, v);
  }
  return v;
}

/**
 * Validators of build CRD schemas by schema object: found without serialising the schema again for
 * each object (buildCrds gives every cluster the same object for the same CRD).
 */
const ownCrdValidators = new WeakMap<object, Validator>();

function ownCrdValidator(schema: object, from: string, store: ContentStore | undefined): Validator {
  let v = ownCrdValidators.get(schema);
  if (!v) {
    v = buildCrdValidator(schema, from, store);
    ownCrdValidators.set(schema, v);
  }
  return v;
}

/** A built-in kind of one Kubernetes minor (src/schemas/k8s-openapi.ts). */
function coreValidator(minor: string, apiVersion: string, kind: string, store: ContentStore | undefined): Validator {
  const fn = kindValidator(minor, apiVersion, kind, store)!;
  return (obj) => (fn(obj) ? [] : problemsOf(fn.errors ?? []));
}

export const CRD_FILES: Readonly<Record<string, { file: string; version: string; exact: boolean; note?: string }>> = {
  'velero.io/v1 Schedule': { file: 'velero.io_schedules.yaml', version: 'v1', exact: true },
  'templates.gatekeeper.sh/v1 ConstraintTemplate': {
    file: 'templates.gatekeeper.sh_constrainttemplates.yaml',
    version: 'v1',
    exact: true,
  },
  'velero.io/v1 BackupStorageLocation': { file: 'velero.io_backupstoragelocations.yaml', version: 'v1', exact: true },
  'kyverno.io/v1 ClusterPolicy': { file: 'kyverno.io_clusterpolicies.v1.schema.json.gz', version: 'v1', exact: true },
  'secrets-store.csi.x-k8s.io/v1alpha1 SecretProviderClass': {
    file: 'secrets-store.csi.x-k8s.io_secretproviderclasses.yaml',
    version: 'v1alpha1',
    exact: true,
  },
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

let ecosystemIndex: ReturnType<typeof indexEcosystem> | undefined;
/** data/ecosystem-crds, read and indexed once (constant data). */
function ecosystem(): ReturnType<typeof indexEcosystem> {
  ecosystemIndex ??= indexEcosystem(readEcosystemProjects());
  return ecosystemIndex;
}

/**
 * Schemas up to this size (JSON characters) are precompiled by `npm run build`; larger ones (the
 * Prometheus operator's Prometheus, PrometheusAgent, Alertmanager, AlertmanagerConfig, ScrapeConfig
 * and ThanosRuler, 80-120 K: 1.1-1.8 MB of standalone code each, 9 MB together, which the package
 * size cap does not allow) are compiled when an object of their kind is first met (about 1-2 s).
 */
export const PRECOMPILE_MAX_SCHEMA_CHARS = 60_000;

/**
 * Every bundled CRD schema, strict and ajv-ready, by `apiVersion kind` (data/crds and
 * data/ecosystem-crds): what scripts/compile-validators.mjs precompiles (`precompile`) and the
 * tests compare.
 */
export function bundledCrdSchemas(): { key: string; label: string; schema: object; precompile: boolean }[] {
  const out: { key: string; label: string; schema: object }[] = [];
  for (const [key, { file, version }] of Object.entries(CRD_FILES))
    out.push({ key, label: `${file} ${version}`, schema: strictCrdSchema(file, version) });
  for (const [key, eco] of ecosystem().schemas)
    out.push({
      key,
      label: `${ECOSYSTEM_DIR}/${eco.project} ${eco.crd.from} ${eco.version.name}`,
      schema: strictEcosystemSchema(eco),
    });
  return out.map((b) => ({ ...b, precompile: JSON.stringify(b.schema).length <= PRECOMPILE_MAX_SCHEMA_CHARS }));
}

/** For a kind of data/ecosystem-crds at a version its CRD does not serve: why it is refused. */
function unservedEcosystemVersion(apiVersion: string, kind: string): string | undefined {
  if (ecosystem().schemas.has(`${apiVersion} ${kind}`)) return undefined;
  const k = ecosystem().kinds.get(`${groupOf(apiVersion)} ${kind}`);
  if (!k) return undefined;
  const served = k.served.map((v) => `${k.crd.group}/${v}`).join(', ');
  return (
    `${apiVersion} ${kind} is not served by the ${k.project} CRD aksfleet knows (${k.crd.from}); ` +
    `it serves ${served || 'no version'}`
  );
}

function findEntry(apiVersion: string, kind: string, minor: MinorChoice): Entry | undefined {
  if (!/^[A-Za-z0-9.-]+(\/[A-Za-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const key = `${apiVersion} ${kind}`;
  const crd = CRD_FILES[key];
  if (crd) {
    return {
      source: {
        from: `data/crds/${crd.file} (${crd.version})`,
        exact: crd.exact,
        ...(crd.note ? { note: crd.note } : {}),
      },
      load: (store) => crdValidator(strictCrdSchema(crd.file, crd.version), store),
    };
  }
  if (hasKind(minor.minor, apiVersion, kind)) {
    return {
      source: {
        from: `Kubernetes ${minor.minor} OpenAPI (data/k8s-schemas)`,
        exact: minor.exact,
        kubernetesMinor: minor.minor,
        ...(minor.note ? { note: minor.note } : {}),
      },
      load: (store) => coreValidator(minor.minor, apiVersion, kind, store),
    };
  }
  const eco = ecosystem().schemas.get(key);
  if (eco) {
    return {
      source: {
        from: `data/${ECOSYSTEM_DIR}/${eco.project}.json.gz: ${eco.crd.from} (${eco.version.name})`,
        exact: true,
      },
      load: (store) => crdValidator(strictEcosystemSchema(eco), store),
    };
  }
  return undefined;
}

/** Entries by minor, apiVersion and kind (constant schemas: made once). */
const cache = new Map<string, { entry: Entry; validator?: Validator } | null>();

function lookup(
  apiVersion: string,
  kind: string,
  k8sVersion: string | undefined,
  crds: BuildCrds | undefined,
): { entry: Entry; validator?: Validator } | undefined {
  const own = crds?.get(`${apiVersion} ${kind}`);
  if (own)
    return {
      entry: { source: { from: own.from, exact: true }, load: (store) => ownCrdValidator(own.schema, own.from, store) },
    };
  const minor = chooseMinor(k8sVersion);
  const key = `${minor.minor}${minor.exact ? '' : '~'} ${apiVersion} ${kind}`;
  if (!cache.has(key)) {
    const entry = findEntry(apiVersion, kind, minor);
    cache.set(key, entry ? { entry } : null);
  }
  return cache.get(key) ?? undefined;
}

/**
 * Which schema checks objects of this apiVersion and kind, if any, on a cluster of `k8sVersion`
 * (default: the newest AKS minor, src/schemas/k8s-openapi.ts) with `crds` from its build.
 */
export function schemaSource(
  apiVersion: string,
  kind: string,
  k8sVersion?: string,
  crds?: BuildCrds,
): SchemaSource | undefined {
  return lookup(apiVersion, kind, k8sVersion, crds)?.entry.source;
}

let removed: Record<string, string> | undefined;
/** data/k8s-removed-apis.json: `apiVersion kind` -> the minor release that stopped serving it. */
function removedApis(): Record<string, string> {
  removed ??= (
    JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'k8s-removed-apis.json'), 'utf8')) as {
      removed: Record<string, string>;
    }
  ).removed;
  return removed;
}

function minorNumber(v: string): number {
  const m = /^v?1\.(\d+)/.exec(v);
  return m ? Number(m[1]) : Number.NaN;
}

/** Options of validateObject. */
export interface ValidateOptions {
  /** The CRDs of the cluster's own build (src/schemas/build-crds.ts): they judge their kinds first. */
  readonly crds?: BuildCrds;
  /** Compiled validators kept between runs (ajv standalone code; src/content-store.ts): compiled once, not per run. */
  readonly validatorStore?: ContentStore;
}

/**
 * Validates one object against the schema of its apiVersion and kind on a cluster of `k8sVersion`
 * (`1.33.5` or `1.33`; default: the newest AKS minor). Returns every problem (empty: valid).
 * An API that version no longer serves (data/k8s-removed-apis.json) is one `removed-api` error.
 */
export function validateObject(obj: KObject, k8sVersion?: string, options: ValidateOptions = {}): SchemaProblem[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [
      { path: '', message: 'not a Kubernetes object (expected a map)', severity: 'error', code: 'not-an-object' },
    ];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    return [
      { path: '', message: 'apiVersion and kind are required strings', severity: 'error', code: 'not-an-object' },
    ];
  }
  if (k8sVersion !== undefined) {
    const removedIn = removedApis()[`${apiVersion} ${kind}`];
    if (removedIn !== undefined && minorNumber(k8sVersion) >= minorNumber(removedIn)) {
      return [
        {
          path: '/apiVersion',
          message:
            `${apiVersion} ${kind} is no longer served since ` +
            `Kubernetes ${removedIn} (the cluster runs ${k8sVersion})`,
          severity: 'error',
          code: 'removed-api',
        },
      ];
    }
  }
  if (!options.crds?.get(`${apiVersion} ${kind}`)) {
    const unserved = unservedEcosystemVersion(apiVersion, kind);
    if (unserved) return [{ path: '/apiVersion', message: unserved, severity: 'error', code: 'removed-api' }];
  }
  const hit = lookup(apiVersion, kind, k8sVersion, options.crds);
  if (!hit)
    return [
      {
        path: '',
        message: `no schema known for ${apiVersion} ${kind}; not checked`,
        severity: 'warning',
        code: 'no-schema',
      },
    ];
  hit.validator ??= hit.entry.load(options.validatorStore);
  return hit.validator(obj).map((e) => ({
    path: e.instancePath,
    message: e.message,
    severity: e.severity ?? ('error' as const),
    code: e.unknownField !== undefined ? ('unknown-field' as const) : ('schema' as const),
    ...(e.unknownField !== undefined ? { field: e.unknownField } : {}),
    ...(e.celRule ? { celRule: true as const } : {}),
  }));
}
