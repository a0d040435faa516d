/**
 * Splitting and sorting rendered templates as Helm does after rendering
 * (pkg/release/v1/util/manifest.go SplitManifests, manifest_sorter.go SortManifests,
 * kind_sorter.go InstallOrder): files in path order, documents split on `---` lines, each
 * document's head (apiVersion, kind, metadata.name, metadata.annotations) read strictly, hooks
 * (`helm.sh/hook`) set apart, manifests and hooks each stably sorted by kind in install order.
 */
import { InputError } from '../../errors.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { yamlScalarAsString } from '../chart/yaml-string.js';
import { goJsonKind } from '../json-kind.js';

/** Helm's InstallOrder. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const HOOK_EVENTS = new Set([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

/** One manifest document, with the template path it came from. */
export interface Manifest {
  readonly name: string;
  readonly content: string;
  readonly kind: string;
  readonly apiVersion: string;
}

/** One hook document. */
export interface Hook {
  readonly path: string;
  readonly manifest: string;
  readonly kind: string;
  readonly name: string;
  /** Events, `test-success` read as `test`. */
  readonly events: readonly string[];
  readonly weight: number;
}

function trimLeftSpace(s: string): string {
  return s.replace(/^[\s\u0085\u00a0]+/u, '');
}

/** Go's `\s` (RE2): tab, newline, form feed, carriage return, space. */
function isGoSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c;
}

/**
 * `s` split on Helm's separator `(?:^|\s*\n)---\s*` with leftmost-first matches, in linear time
 * (the regular expression backtracks over every run of indentation: quadratic in JavaScript).
 * A match other than at 0 ends its leading `\s*` at the `\n` of a `\n---`, so it starts where the
 * run of spaces before the first `\n---` after the previous match starts.
 */
export function splitOnSeparator(s: string): string[] {
  const parts: string[] = [];
  let last = 0;
  let pos = 0;
  const takeMatch = (start: number, dashes: number): void => {
    let end = dashes + 3;
    while (end < s.length && isGoSpace(s.charCodeAt(end))) end++;
    parts.push(s.slice(last, start));
    last = end;
    pos = end;
  };
  if (s.startsWith('---')) takeMatch(0, 0);
  for (;;) {
    const nl = s.indexOf('\n---', pos);
    if (nl < 0) break;
    let start = nl;
    while (start > pos && isGoSpace(s.charCodeAt(start - 1))) start--;
    takeMatch(start, nl + 1);
  }
  parts.push(s.slice(last));
  return parts;
}

/** Helm's SplitManifests: the documents of a rendered file, in order, blank ones dropped. */
export function splitManifests(bigFile: string): string[] {
  return splitOnSeparator(trimLeftSpace(bigFile))
    .filter((d) => d.trim() !== '')
    .map(trimLeftSpace);
}

interface Head {
  apiVersion: string;
  kind: string;
  metadata?: { name: string; annotations: Record<string, string> | null };
}

function readHead(doc: string, path: string): Head {
  let docs;
  try {
    docs = parseGoYaml(doc, path, { dialect: 'v2' });
  } catch (e) {
    let msg = e instanceof InputError ? e.message.replace(/^(invalid YAML|cannot parse YAML): /, '') : String(e);
    let line = e instanceof InputError && e.pos?.line !== undefined ? `line ${e.pos.line}: ` : '';
    // The parsers word errors differently; go-yaml's words for the common ones.
    if (
      /Nested mappings are not allowed in compact mappings|Implicit map keys need to be followed by map values/.test(
        msg,
      )
    ) {
      msg = 'mapping values are not allowed in this context';
      line = '';
    }
    throw new InputError(`YAML parse error on ${path}: error converting YAML to JSON: yaml: ${line}${msg}`);
  }
  const v = docs[0]?.value;
  const fail = (what: string): never => {
    throw new InputError(`YAML parse error on ${path}: error unmarshaling JSON: while decoding JSON: json: ${what}`);
  };
  if (v === undefined || v === null) return { apiVersion: '', kind: '' };
  if (typeof v !== 'object' || Array.isArray(v))
    return fail(`cannot unmarshal ${goJsonKind(v)} into Go value of type util.SimpleHead`);
  const o = v as Record<string, unknown>;
  const str = (x: unknown, field: string): string => {
    if (x === undefined || x === null) return '';
    const s = yamlScalarAsString(x);
    if (s === undefined) return fail(`cannot unmarshal ${goJsonKind(x)} into Go struct field ${field} of type string`);
    return s;
  };
  const head: Head = { apiVersion: str(o.apiVersion, 'SimpleHead.apiVersion'), kind: str(o.kind, 'SimpleHead.kind') };
  const md = o.metadata;
  if (md !== undefined && md !== null) {
    if (typeof md !== 'object' || Array.isArray(md))
      return fail(
        `cannot unmarshal ${goJsonKind(md)} into Go struct field SimpleHead.metadata of type struct { Name ` +
          `string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }`,
      );
    const m = md as Record<string, unknown>;
    let annotations: Record<string, string> | null = null;
    if (m.annotations !== undefined && m.annotations !== null) {
      if (typeof m.annotations !== 'object' || Array.isArray(m.annotations))
        return fail(
          `cannot unmarshal ${goJsonKind(m.annotations)} into Go struct field .metadata.annotations of type ` +
            `map[string]string`,
        );
      annotations = {};
      for (const [k, val] of Object.entries(m.annotations as Record<string, unknown>)) {
        const sv = val === null ? '' : yamlScalarAsString(val);
        if (sv === undefined)
          return fail(`cannot unmarshal ${goJsonKind(val)} into Go struct field .metadata.annotations of type string`);
        annotations[k] = sv;
      }
    }
    head.metadata = { name: str(m.name, '.metadata.name'), annotations };
  }
  return head;
}

function kindLess(a: string, b: string): boolean {
  const ia = INSTALL_ORDER.indexOf(a);
  const ib = INSTALL_ORDER.indexOf(b);
  if (ia < 0 && ib < 0) return a !== b ? a < b : false;
  if (ia < 0) return false;
  if (ib < 0) return true;
  return ia < ib;
}

function stableSortByKind<T>(xs: T[], kind: (x: T) => string): T[] {
  return xs
    .map((x, i) => ({ x, i }))
    .sort((p, q) => (kindLess(kind(p.x), kind(q.x)) ? -1 : kindLess(kind(q.x), kind(p.x)) ? 1 : p.i - q.i))
    .map((p) => p.x);
}

/** Helm's SortManifests with InstallOrder. Throws InputError (Helm's YAML parse error) on a bad document. */
export function sortManifests(files: ReadonlyMap<string, string>): { hooks: Hook[]; manifests: Manifest[] } {
  const hooks: Hook[] = [];
  const generic: Manifest[] = [];
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path)!;
    if (path.slice(path.lastIndexOf('/') + 1).startsWith('_')) continue;
    if (content.trim() === '') continue;
    for (const m of splitManifests(content)) {
      const head = readHead(m, path);
      const ann = head.metadata?.annotations;
      const hookTypes = ann && Object.keys(ann).length > 0 ? ann['helm.sh/hook'] : undefined;
      if (hookTypes === undefined) {
        generic.push({ name: path, content: m, kind: head.kind, apiVersion: head.apiVersion });
        continue;
      }
      const events = hookTypes.split(',').map((h) => h.trim().toLowerCase());
      if (events.some((e) => !HOOK_EVENTS.has(e))) continue; // Helm: "skipping unknown hooks"
      const w = Number.parseInt(ann!['helm.sh/hook-weight'] ?? '', 10);
      const weightText = ann!['helm.sh/hook-weight'] ?? '';
      hooks.push({
        path,
        manifest: m,
        kind: head.kind,
        name: head.metadata?.name ?? '',
        events: events.map((e) => (e === 'test-success' ? 'test' : e)),
        weight: /^[+-]?[0-9]+$/.test(weightText) && Number.isSafeInteger(w) ? w : 0,
      });
    }
  }
  return { hooks: stableSortByKind(hooks, (h) => h.kind), manifests: stableSortByKind(generic, (m) => m.kind) };
}
