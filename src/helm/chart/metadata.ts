/**
 * Chart.yaml as Helm reads it: sigs.k8s.io/yaml into Go's Metadata struct (JSON field names,
 * matched case-insensitively as encoding/json does; unknown fields ignored; a value of the wrong
 * type is an error), then Metadata.Validate (required fields, semver version, chart type, alias
 * names, unique dependency names). Strings are sanitized as Helm does (whitespace to a space,
 * non-printable characters dropped).
 */
import { InputError } from '../../errors.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { parseSemver } from './semver.js';
import type { Dependency, Maintainer, Metadata } from './types.js';
import { yamlScalarAsString } from './yaml-string.js';
import { goJsonKind } from '../json-kind.js';

type Json = unknown;

class FieldError extends Error {}

function unmarshalError(v: Json, field: string, goType: string): FieldError {
  return new FieldError(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type ${goType}`);
}

/** Looks a JSON field up as encoding/json does: exact name first, then case-insensitively. */
function field(obj: Record<string, Json>, name: string): Json {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  let found: Json;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) found = obj[k];
  return found;
}

function str(obj: Record<string, Json>, name: string, where: string): string {
  const v = field(obj, name);
  if (v === undefined || v === null) return '';
  const s = yamlScalarAsString(v);
  if (s === undefined) throw unmarshalError(v, `${where}.${name}`, 'string');
  return s;
}

function bool(obj: Record<string, Json>, name: string, where: string): boolean {
  const v = field(obj, name);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw unmarshalError(v, `${where}.${name}`, 'bool');
  return v;
}

function strList(obj: Record<string, Json>, name: string, where: string): string[] | null {
  const v = field(obj, name);
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw unmarshalError(v, `${where}.${name}`, '[]string');
  return v.map((x) => {
    if (x === null) return '';
    const s = yamlScalarAsString(x);
    if (s === undefined) throw unmarshalError(x, `${where}.${name}`, 'string');
    return s;
  });
}

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Helm's sanitizeString: whitespace becomes a space, non-printable characters are dropped. */
export function sanitizeString(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^\s$/u.test(ch)) out += ' ';
    else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || ch === ' ') out += ch;
  }
  return out;
}

function dependencyOf(v: Json, i: number): Dependency | null {
  if (v === null) return null;
  if (!isObj(v)) throw unmarshalError(v, 'Metadata.dependencies', 'v2.Dependency');
  const w = 'Metadata.dependencies';
  const iv = field(v, 'import-values');
  if (iv !== undefined && iv !== null && !Array.isArray(iv))
    throw unmarshalError(iv, `${w}.import-values`, '[]interface {}');
  void i;
  return {
    name: str(v, 'name', w),
    version: str(v, 'version', w),
    repository: str(v, 'repository', w),
    condition: str(v, 'condition', w),
    tags: strList(v, 'tags', w) ?? [],
    enabled: bool(v, 'enabled', w),
    importValues: (iv as Json[] | undefined | null) ?? [],
    alias: str(v, 'alias', w),
  };
}

function maintainerOf(v: Json): Maintainer | null {
  if (v === null) return null;
  if (!isObj(v)) throw unmarshalError(v, 'Metadata.maintainers', 'v2.Maintainer');
  const w = 'Metadata.maintainers';
  return { name: str(v, 'name', w), email: str(v, 'email', w), url: str(v, 'url', w) };
}

/** Decodes a parsed Chart.yaml (or requirements.yaml) object over `base` as json.Unmarshal into *Metadata does. */
export function decodeMetadata(obj: Json, base: Metadata | undefined): Metadata {
  const b: Metadata = base ?? emptyMetadata();
  if (obj === null || obj === undefined) return b;
  if (!isObj(obj)) throw new FieldError(`json: cannot unmarshal ${goJsonKind(obj)} into Go value of type v2.Metadata`);
  const w = 'Metadata';
  const has = (n: string): boolean => field(obj, n) !== undefined;
  const annotations = field(obj, 'annotations');
  let ann: Record<string, string> | null = b.annotations ? { ...b.annotations } : null;
  if (annotations !== undefined) {
    if (annotations === null) ann = null;
    else if (!isObj(annotations)) throw unmarshalError(annotations, `${w}.annotations`, 'map[string]string');
    else {
      ann ??= {};
      for (const [k, v] of Object.entries(annotations)) {
        const s = v === null ? '' : yamlScalarAsString(v);
        if (s === undefined) throw unmarshalError(v, `${w}.annotations`, 'string');
        ann[k] = s;
      }
    }
  }
  const deps = field(obj, 'dependencies');
  if (deps !== undefined && deps !== null && !Array.isArray(deps))
    throw unmarshalError(deps, `${w}.dependencies`, '[]*v2.Dependency');
  const maint = field(obj, 'maintainers');
  if (maint !== undefined && maint !== null && !Array.isArray(maint))
    throw unmarshalError(maint, `${w}.maintainers`, '[]*v2.Maintainer');
  return {
    name: has('name') ? str(obj, 'name', w) : b.name,
    home: has('home') ? str(obj, 'home', w) : b.home,
    sources: has('sources') ? strList(obj, 'sources', w) : b.sources,
    version: has('version') ? str(obj, 'version', w) : b.version,
    description: has('description') ? str(obj, 'description', w) : b.description,
    keywords: has('keywords') ? strList(obj, 'keywords', w) : b.keywords,
    maintainers:
      maint === undefined
        ? b.maintainers
        : maint === null
          ? null
          : ((maint as Json[]).map(maintainerOf) as Maintainer[]),
    icon: has('icon') ? str(obj, 'icon', w) : b.icon,
    apiVersion: has('apiVersion') ? str(obj, 'apiVersion', w) : b.apiVersion,
    condition: has('condition') ? str(obj, 'condition', w) : b.condition,
    tags: has('tags') ? str(obj, 'tags', w) : b.tags,
    appVersion: has('appVersion') ? str(obj, 'appVersion', w) : b.appVersion,
    deprecated: has('deprecated') ? bool(obj, 'deprecated', w) : b.deprecated,
    annotations: ann,
    kubeVersion: has('kubeVersion') ? str(obj, 'kubeVersion', w) : b.kubeVersion,
    dependencies:
      deps === undefined ? b.dependencies : deps === null ? null : ((deps as Json[]).map(dependencyOf) as Dependency[]),
    type: has('type') ? str(obj, 'type', w) : b.type,
  };
}

export function emptyMetadata(): Metadata {
  return {
    name: '',
    home: '',
    sources: null,
    version: '',
    description: '',
    keywords: null,
    maintainers: null,
    icon: '',
    apiVersion: '',
    condition: '',
    tags: '',
    appVersion: '',
    deprecated: false,
    annotations: null,
    kubeVersion: '',
    dependencies: null,
    type: '',
  };
}

/** Parses a YAML file into one JSON-shaped value as sigs.k8s.io/yaml does (first document). */
export function parseYamlObject(text: string, file: string): Json {
  const docs = parseGoYaml(text, file, { dialect: 'v2' });
  return docs.length ? docs[0]!.value : null;
}

/** Reads Chart.yaml (or requirements.yaml) over `base`; `what` names the file in Helm's error words. */
export function readMetadata(data: Uint8Array, what: string, base: Metadata | undefined): Metadata {
  const text = Buffer.from(data).toString('utf8');
  try {
    return decodeMetadata(parseYamlObject(text, what), base);
  } catch (e) {
    if (e instanceof FieldError)
      throw new InputError(`cannot load ${what}: error unmarshaling JSON: while decoding JSON: ${e.message}`);
    if (e instanceof InputError) throw new InputError(`cannot load ${what}: ${e.format()}`, { cause: e });
    throw e;
  }
}

const ALIAS = /^[a-zA-Z0-9_-]+$/;

function sanitized(md: Metadata): Metadata {
  const s = sanitizeString;
  return {
    ...md,
    name: s(md.name),
    description: s(md.description),
    home: s(md.home),
    icon: s(md.icon),
    condition: s(md.condition),
    tags: s(md.tags),
    appVersion: s(md.appVersion),
    kubeVersion: s(md.kubeVersion),
    sources: md.sources?.map(s) ?? null,
    keywords: md.keywords?.map(s) ?? null,
    maintainers: md.maintainers?.map((m) => (m ? { name: s(m.name), email: s(m.email), url: s(m.url) } : m)) ?? null,
    dependencies:
      md.dependencies?.map((d) =>
        d
          ? {
              ...d,
              name: s(d.name),
              version: s(d.version),
              repository: s(d.repository),
              condition: s(d.condition),
              tags: d.tags.map(s),
            }
          : d,
      ) ?? null,
  };
}

/** Helm's Metadata.Validate: returns the sanitized metadata or throws Helm's validation error. */
export function validateMetadata(input: Metadata): Metadata {
  const md = sanitized(input);
  const fail = (m: string): never => {
    throw new InputError(`validation: ${m}`);
  };
  if (md.apiVersion === '') fail('chart.metadata.apiVersion is required');
  if (md.name === '') fail('chart.metadata.name is required');
  if (md.name === '.' || md.name === '..') fail(`chart.metadata.name "${md.name}" is not allowed`);
  if (md.name.includes('/') || md.name !== md.name.replace(/\/+$/, ''))
    fail(`chart.metadata.name "${md.name}" is invalid`);
  if (md.version === '') fail('chart.metadata.version is required');
  if (!parseSemver(md.version)) fail(`chart.metadata.version "${md.version}" is invalid`);
  if (!['', 'application', 'library'].includes(md.type)) fail('chart.metadata.type must be application or library');
  for (const m of md.maintainers ?? []) if (m === null) fail('maintainers must not contain empty or null nodes');
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d === null) fail('dependencies must not contain empty or null nodes');
    if (d.alias !== '' && !ALIAS.test(d.alias)) fail(`dependency "${d.name}" has disallowed characters in the alias`);
    const key = d.alias !== '' ? d.alias : d.name;
    if (seen.has(key)) fail(`more than one dependency with name or alias "${key}"`);
    seen.add(key);
  }
  return md;
}
