/**
 * The CustomResourceDefinitions of a cluster's own build (the repository's CRDs and the chart CRDs
 * of rendered HelmReleases): custom resources of the cluster are validated against these before
 * any bundled schema, as the API server would (src/schemas/validate.ts, `options.crds`).
 */
import { createHash } from 'node:crypto';
import { formatLocation } from '../diagnostic.js';
import type { KObject, Resource } from '../resources/resource.js';
import { strictify } from './strictify.js';

export interface BuildCrd {
  /** The strict, ajv-ready openAPIV3Schema of that version. */
  readonly schema: object;
  /** `CustomResourceDefinition NAME (FILE:LINE)`, for messages. */
  readonly from: string;
}

/** `group/version Kind` -> the schema of that served version. */
export type BuildCrds = ReadonlyMap<string, BuildCrd>;

interface CrdVersion {
  readonly name?: unknown;
  readonly served?: unknown;
  readonly schema?: unknown;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The root of a custom resource: the API server accepts apiVersion, kind and metadata whether
 * the CRD lists them or not.
 */
export function withObjectFields(schema: Record<string, unknown>): object {
  if (!isMap(schema.properties)) return schema;
  return {
    ...schema,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...schema.properties,
    },
  };
}

/**
 * Strict schemas by a digest of the CRD version's openAPIV3Schema (at most 1,000): every cluster
 * that installs the same chart or CRD gets the same schema object, so it is made once and its
 * validator (src/schemas/validate.ts, by schema object) compiled and found once, not once per
 * cluster and object.
 */
const strictSchemas = new Map<string, object>();

/** Strict schemas of frozen source schemas (a chart's CRDs, shared by every cluster), by identity. */
const strictOfFrozen = new WeakMap<object, object>();

function strictSchema(schema: Record<string, unknown>): object {
  if (Object.isFrozen(schema)) {
    let strict = strictOfFrozen.get(schema);
    if (!strict) {
      strict = strictSchemaByDigest(schema);
      strictOfFrozen.set(schema, strict);
    }
    return strict;
  }
  return strictSchemaByDigest(schema);
}

function strictSchemaByDigest(schema: Record<string, unknown>): object {
  let text: string;
  try {
    text = JSON.stringify(schema);
  } catch {
    // Not JSON data (a bigint): not memoised.
    return withObjectFields(strictify(schema) as Record<string, unknown>);
  }
  const digest = createHash('sha256').update(text).digest('hex');
  let strict = strictSchemas.get(digest);
  if (!strict) {
    strict = withObjectFields(strictify(schema) as Record<string, unknown>);
    if (strictSchemas.size >= 1000) strictSchemas.clear();
    strictSchemas.set(digest, strict);
  }
  return strict;
}

/**
 * A CRD version whose strict schema is made when first asked for: a cluster's charts install
 * dozens of CRDs (Kyverno's, the Prometheus operator's, megabytes of schema) of which its objects
 * use a few, and only those are serialised, digested and made strict. The same schema either way.
 */
function lazyCrd(schema: Record<string, unknown>, from: string): BuildCrd {
  let strict: object | undefined;
  return {
    get schema(): object {
      strict ??= strictSchema(schema);
      return strict;
    },
    from,
  };
}

/**
 * Served versions with a schema of every apiextensions.k8s.io/v1 CustomResourceDefinition among
 * `resources`. When two CRDs define the same group, version and kind, the first one in render
 * order is kept (the API server has one CRD per name; the render order is what applies first).
 */
export function buildCrds(resources: readonly Resource[]): BuildCrds {
  const out = new Map<string, BuildCrd>();
  for (const r of resources) {
    const o: KObject = r.object;
    if (o.apiVersion !== 'apiextensions.k8s.io/v1' || o.kind !== 'CustomResourceDefinition' || !isMap(o.spec)) continue;
    const group = o.spec.group;
    const kind = isMap(o.spec.names) ? o.spec.names.kind : undefined;
    if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(o.spec.versions)) continue;
    const where = r.origin
      ? ` (${formatLocation({ file: r.origin.file, line: r.origin.line })}` +
        `${r.origin.helm ? `, chart ${r.origin.helm.chart}` : ''})`
      : '';
    for (const v of o.spec.versions as CrdVersion[]) {
      const schema: unknown = isMap(v) && isMap(v.schema) ? v.schema.openAPIV3Schema : undefined;
      if (!isMap(v) || typeof v.name !== 'string' || v.served === false || !isMap(schema)) continue;
      const key = `${group}/${v.name} ${kind}`;
      if (out.has(key)) continue;
      out.set(key, lazyCrd(schema, `CustomResourceDefinition ${o.metadata?.name ?? `${kind}.${group}`}${where}`));
    }
  }
  return out;
}
