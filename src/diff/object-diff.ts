/**
 * What Flux would change: two rendered object sets compared by ResourceId, with field-level
 * changes where list items are matched by key (containers by name, ports by port, ...),
 * noise stripped, Secret values redacted, image changes summarised and dangerous changes listed.
 * Pure functions over Resource[].
 */
import { isPlainObject, resourceId, type KObject, type Resource, type ResourceId } from '../resources/resource.js';
import { isSecretPath, maskObject, maskStrings, maskText, SECRET_MASK, type MaskContext } from '../resources/mask.js';
import { parseYamlDocuments } from '../yaml/parse.js';

export interface FieldChange {
  /** `spec.template.spec.containers[name=api].image` */
  readonly path: string;
  readonly op: 'add' | 'remove' | 'replace';
  readonly from?: unknown;
  readonly to?: unknown;
}

export interface ObjectChange {
  readonly id: ResourceId;
  readonly kind: string;
  readonly changes: readonly FieldChange[];
  readonly origin?: Resource['origin'];
}

export interface Danger {
  readonly id: ResourceId;
  readonly reason: string;
}

export interface ImageChange {
  readonly id: ResourceId;
  readonly container: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ObjectSetDiff {
  readonly added: readonly { id: ResourceId; object: KObject; origin?: Resource['origin'] }[];
  readonly removed: readonly { id: ResourceId; object: KObject; origin?: Resource['origin'] }[];
  readonly changed: readonly ObjectChange[];
  readonly images: readonly ImageChange[];
  readonly dangers: readonly Danger[];
}

/** Labels and annotations that change on every build or carry no meaning for a reviewer. */
const NOISE_LABELS = [/^kustomize\.toolkit\.fluxcd\.io\//];
const NOISE_ANNOTATIONS = [
  /^config\.kubernetes\.io\//,
  /^internal\.config\.kubernetes\.io\//,
  /^kustomize\.config\.k8s\.io\//,
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/,
];

/** What a redacted Secret value shows as in a diff (the build's mask). */
export const REDACTED = SECRET_MASK;

/** The object as a reviewer should compare it: noise removed (a copy). */
export function normalizeForDiff(obj: KObject): KObject {
  const o = structuredClone(obj);
  const md = o.metadata;
  if (md) {
    delete md.creationTimestamp;
    delete md.resourceVersion;
    delete md.uid;
    delete md.generation;
    delete md.managedFields;
    for (const [key, patterns] of [
      ['labels', NOISE_LABELS],
      ['annotations', NOISE_ANNOTATIONS],
    ] as const) {
      const m = md[key];
      if (m) {
        for (const k of Object.keys(m)) if (patterns.some((p) => p.test(k))) delete m[k];
        if (Object.keys(m).length === 0) delete md[key];
      }
    }
  }
  if (o.kind !== 'CustomResourceDefinition') delete o.status;
  return o;
}

/** Key used to match list items: `name` for most, ports by number and protocol, mounts by path. */
function listKey(a: unknown[], b: unknown[]): ((x: unknown) => string | undefined) | undefined {
  const items = [...a, ...b];
  if (items.length === 0 || !items.every(isPlainObject)) return undefined;
  const candidates: ((x: Record<string, unknown>) => unknown)[] = [
    (x) => x.name,
    (x) => (x.containerPort !== undefined ? `${x.containerPort}/${x.protocol ?? 'TCP'}` : undefined),
    (x) => (x.port !== undefined ? `${x.port}/${x.protocol ?? 'TCP'}` : undefined),
    (x) => x.mountPath,
    (x) => x.devicePath,
    (x) => x.ip,
    (x) => x.type,
  ];
  for (const c of candidates) {
    const ka = (a as Record<string, unknown>[]).map(c);
    const kb = (b as Record<string, unknown>[]).map(c);
    const ok = (keys: unknown[]) =>
      keys.every((k) => typeof k === 'string' || typeof k === 'number') && new Set(keys).size === keys.length;
    if (ok(ka) && ok(kb)) {
      const label = ['name', 'port', 'port', 'mountPath', 'devicePath', 'ip', 'type'][candidates.indexOf(c)];
      return (x) => `${label}=${String(c(x as Record<string, unknown>))}`;
    }
  }
  return undefined;
}

function seg(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** Field-level differences between two JSON values. */
export function diffValues(a: unknown, b: unknown, path = ''): FieldChange[] {
  if (Object.is(a, b)) return [];
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: FieldChange[] = [];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = seg(path, k);
      if (!(k in b)) out.push({ path: p, op: 'remove', from: a[k] });
      else if (!(k in a)) out.push({ path: p, op: 'add', to: b[k] });
      else out.push(...diffValues(a[k], b[k], p));
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKey(a, b);
    if (key) {
      const out: FieldChange[] = [];
      const am = new Map(a.map((x) => [key(x)!, x]));
      const bm = new Map(b.map((x) => [key(x)!, x]));
      for (const [k, x] of am) {
        const p = `${path}[${k}]`;
        if (!bm.has(k)) out.push({ path: p, op: 'remove', from: x });
        else out.push(...diffValues(x, bm.get(k), p));
      }
      for (const [k, x] of bm) if (!am.has(k)) out.push({ path: `${path}[${k}]`, op: 'add', to: x });
      const orderA = a.map(key).filter((k) => bm.has(k!));
      const orderB = b.map(key).filter((k) => am.has(k!));
      if (out.length === 0 && orderA.join('\0') !== orderB.join('\0'))
        out.push({ path, op: 'replace', from: a, to: b });
      return out;
    }
    if (a.length === b.length) {
      const out: FieldChange[] = [];
      a.forEach((x, i) => out.push(...diffValues(x, b[i], `${path}[${i}]`)));
      return out;
    }
    return [{ path, op: 'replace', from: a, to: b }];
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const embedded = typeof a === 'string' && typeof b === 'string' ? embeddedDocs(a, b) : undefined;
  if (embedded) return diffValues(embedded.from, embedded.to, `${path}{${embedded.format}}`);
  return [{ path, op: 'replace', from: a, to: b }];
}

/**
 * Both sides of a changed string field as embedded YAML or JSON (a ConfigMap's `config.yaml`,
 * a JSON dashboard), when both parse to one map or list: then the field is diffed structurally
 * (`data["config.yaml"]{yaml}.server.port`). Anything else (scripts, prose, one side invalid)
 * stays a string change, shown as line hunks.
 */
function embeddedDocs(a: string, b: string): { format: 'json' | 'yaml'; from: unknown; to: unknown } | undefined {
  const looksJson = (s: string) => /^\s*[[{]/.test(s);
  if (looksJson(a) && looksJson(b)) {
    try {
      const from: unknown = JSON.parse(a);
      const to: unknown = JSON.parse(b);
      if (isStructured(from) && isStructured(to)) return { format: 'json', from, to };
    } catch {
      // not JSON on both sides: try YAML
    }
  }
  if (!a.includes('\n') && !b.includes('\n')) return undefined;
  try {
    const da = parseYamlDocuments(a, 'embedded');
    const db = parseYamlDocuments(b, 'embedded');
    if (da.length !== 1 || db.length !== 1) return undefined;
    const from = da[0]!.value;
    const to = db[0]!.value;
    return isStructured(from) && isStructured(to) ? { format: 'yaml', from, to } : undefined;
  } catch {
    return undefined;
  }
}

function isStructured(v: unknown): boolean {
  return isPlainObject(v) || Array.isArray(v);
}

/** Container images of a workload (any `containers`/`initContainers` list under spec). */
function images(obj: KObject): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(x)) {
          for (const c of x)
            if (isPlainObject(c) && typeof c.name === 'string' && typeof c.image === 'string') out.set(c.name, c.image);
        } else walk(x, depth + 1);
      }
    }
  };
  walk(obj.spec, 0);
  return out;
}

/** Fields the API server refuses to change: changing them makes the apply fail (or needs a recreate). */
const IMMUTABLE: { kinds: string[]; paths: RegExp[]; why: string }[] = [
  {
    kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'],
    paths: [/^spec\.selector(\.|\[|$)/],
    why: 'spec.selector is immutable: the apply will fail',
  },
  {
    kinds: ['StatefulSet'],
    paths: [/^spec\.(volumeClaimTemplates|serviceName|podManagementPolicy)(\.|\[|$)/],
    why: 'this StatefulSet field is immutable: the apply will fail',
  },
  {
    kinds: ['Job'],
    paths: [/^spec\.(selector|template)(\.|\[|$)/],
    why: "a Job's selector and template are immutable: the apply will fail (Flux needs force or a new name)",
  },
  {
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    paths: [/^roleRef(\.|$)/],
    why: 'roleRef is immutable: the binding must be deleted and recreated',
  },
  { kinds: ['Service'], paths: [/^spec\.clusterIPs?(\.|\[|$)/], why: 'spec.clusterIP is immutable' },
  {
    kinds: ['PersistentVolumeClaim'],
    paths: [/^spec\.(storageClassName|accessModes|volumeName|selector)(\.|\[|$)/],
    why: 'this PersistentVolumeClaim field is immutable',
  },
  {
    kinds: ['ConfigMap', 'Secret'],
    paths: [/^data(\.|\[|$)/, /^binaryData(\.|\[|$)/, /^stringData(\.|\[|$)/],
    why: '',
  }, // only when immutable: true (checked below)
];

function quantityBytes(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q);
  if (!m) return undefined;
  const mult: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
  };
  return Number(m[1]) * (m[2] ? mult[m[2]]! : 1);
}

function dangersOf(id: ResourceId, before: KObject, changes: readonly FieldChange[]): Danger[] {
  const out: Danger[] = [];
  const kind = before.kind ?? '';
  for (const rule of IMMUTABLE) {
    if (!rule.kinds.includes(kind)) continue;
    if ((kind === 'ConfigMap' || kind === 'Secret') && before.immutable !== true) continue;
    const hit = changes.find((c) => rule.paths.some((p) => p.test(c.path)));
    if (hit)
      out.push({
        id,
        reason: rule.why || `${kind} is immutable (immutable: true): changing ${hit.path} fails; it needs a new name`,
      });
  }
  // Flux objects (Kustomization, HelmRelease, sources...): resuming applies everything pending, suspending freezes
  // drift correction.
  const suspend = changes.find(
    (c) => c.path === 'spec.suspend' && /\.toolkit\.fluxcd\.io\//.test(before.apiVersion ?? ''),
  );
  if (suspend) {
    const on = suspend.to === true;
    out.push({
      id,
      reason: on
        ? 'suspend flips on: Flux stops reconciling it (no drift correction, no updates) until resumed'
        : 'suspend flips off: Flux resumes reconciling it and applies everything that changed while it was suspended',
    });
  }
  if (kind === 'PersistentVolumeClaim') {
    const c = changes.find((x) => x.path === 'spec.resources.requests.storage');
    const from = quantityBytes(c?.from);
    const to = quantityBytes(c?.to);
    if (from !== undefined && to !== undefined && to < from)
      out.push({ id, reason: `PVC size decrease ${String(c!.from)} -> ${String(c!.to)} is refused by the API server` });
  }
  return out;
}

/** The Flux Kustomization that applies an object (its owner labels), as `Kustomization/ns/name`. */
function ownerOf(obj: KObject): ResourceId | undefined {
  const l = obj.metadata?.labels;
  const name = l?.['kustomize.toolkit.fluxcd.io/name'];
  const ns = l?.['kustomize.toolkit.fluxcd.io/namespace'];
  return name && ns ? `Kustomization/${ns}/${name}` : undefined;
}

/**
 * What removing an object from the render does: kustomize-controller deletes it only when its
 * Kustomization has `prune: true`; otherwise it stays in the cluster, no longer managed.
 */
function removalDanger(id: ResourceId, obj: KObject, base: ReadonlyMap<ResourceId, Resource>): Danger {
  const owner = ownerOf(obj);
  const ks = owner ? base.get(owner)?.object : undefined;
  if (ks && String(ks.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/')) {
    const spec = isPlainObject(ks.spec) ? ks.spec : {};
    if (spec.prune !== true)
      return {
        id,
        reason: `not deleted: ${owner} has prune: false, so the object stays in the cluster, no longer managed by Flux`,
      };
  }
  switch (obj.kind) {
    case 'Namespace':
      return { id, reason: 'namespace deletion: prune deletes the namespace and everything in it' };
    case 'CustomResourceDefinition':
      return { id, reason: 'CRD deletion: prune deletes every custom resource of this kind in the cluster' };
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { id, reason: `${obj.kind} deletion: the volume's data may be lost (reclaim policy)` };
    default:
      return { id, reason: owner && ks ? `deleted by prune (${owner} has prune: true)` : 'deleted by prune' };
  }
}

/**
 * Compares two rendered object sets (base = what is applied now, head = what would be). What is
 * shown is masked (src/resources/mask.ts, with `masks` for values that came from Secrets); a
 * change only in masked values still shows, with its values masked.
 */
export function diffObjectSets(
  base: readonly Resource[],
  head: readonly Resource[],
  masks: MaskContext = {},
): ObjectSetDiff {
  const bm = new Map(base.map((r) => [resourceId(r.object), r]));
  const hm = new Map(head.map((r) => [resourceId(r.object), r]));
  const added: ObjectSetDiff['added'][number][] = [];
  const removed: ObjectSetDiff['removed'][number][] = [];
  const changed: ObjectChange[] = [];
  const imgs: ImageChange[] = [];
  const dangers: Danger[] = [];
  for (const [id, h] of [...hm].sort(([a], [b]) => cmp(a, b))) {
    const b = bm.get(id);
    if (!b) {
      added.push({ id, object: maskObject(normalizeForDiff(h.object), masks), origin: h.origin });
      for (const [c, img] of images(h.object)) imgs.push({ id, container: c, to: maskText(img, masks) });
      continue;
    }
    const nb = normalizeForDiff(b.object);
    const nh = normalizeForDiff(h.object);
    const changes = diffValues(nb, nh);
    if (changes.length === 0) continue;
    dangers.push(...dangersOf(id, nb, changes));
    changed.push({ id, kind: nh.kind ?? '', origin: h.origin, changes: maskedChanges(nb, nh, changes, masks) });
    const bi = images(nb);
    const hi = images(nh);
    const shown = (img: string | undefined) => (img === undefined ? undefined : maskText(img, masks));
    for (const c of [...new Set([...bi.keys(), ...hi.keys()])].sort()) {
      if (bi.get(c) !== hi.get(c)) imgs.push({ id, container: c, from: shown(bi.get(c)), to: shown(hi.get(c)) });
    }
  }
  for (const [id, b] of [...bm].sort(([a], [c]) => cmp(a, c))) {
    if (hm.has(id)) continue;
    removed.push({ id, object: maskObject(normalizeForDiff(b.object), masks), origin: b.origin });
    dangers.push(removalDanger(id, b.object, bm));
    for (const [c, img] of images(b.object)) imgs.push({ id, container: c, from: maskText(img, masks) });
  }
  return { added, removed, changed, images: imgs, dangers };
}

/**
 * The changes as shown: the masked objects' own differences, in the order of the real ones; a
 * real change the masking hides (a rotated Secret value: both sides mask the same) is kept with
 * its values masked, so the change is still seen.
 */
function maskedChanges(nb: KObject, nh: KObject, changes: readonly FieldChange[], masks: MaskContext): FieldChange[] {
  const mb = maskObject(nb, masks);
  const mh = maskObject(nh, masks);
  if (mb === nb && mh === nh) return [...changes];
  const masked = new Map(diffValues(mb, mh).map((c) => [c.path, c]));
  const out: FieldChange[] = [];
  for (const c of changes) {
    const m = masked.get(c.path);
    masked.delete(c.path);
    if (m) out.push(m);
    else {
      const whole = isSecretPath(nb, c.path) || isSecretPath(nh, c.path);
      const r = (v: unknown) =>
        v === undefined
          ? undefined
          : whole
            ? isPlainObject(v)
              ? Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]))
              : REDACTED
            : maskStrings(v, masks);
      out.push({ path: c.path, op: c.op, from: r(c.from), to: r(c.to) });
    }
  }
  return [...out, ...masked.values()];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isEmptyDiff(d: ObjectSetDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}
