/**
 * Name references (kustomize nameReference transformer, api/filters/nameref), run once at the
 * top level after hashing: every field listed in the nameReference config that names a resource
 * which was renamed (prefix, suffix, hash, namespace) gets the new name. Candidates are sieved
 * exactly as kustomize does: previous name, referral GVK, roleRef kind, same namespace, then
 * matching prefixes/suffixes.
 */
import { InputError } from '../errors.js';
import { isPlainObject } from '../resources/resource.js';
import { applyFieldSpec, type Slot } from './fieldspecs/apply.js';
import type { FieldSpec, NameBackReference, TransformerConfig } from './fieldspecs/index.js';
import {
  NOT_A_NAMESPACE,
  effectiveNamespace,
  gvkSelected,
  idString,
  isClusterScopedGvk,
  type Gvk,
  type KRes,
  type ResId,
  type ResMap,
} from './resmap.js';

function sameEndingSubSlice(a: string[], b: string[]): boolean {
  let shortest = a,
    longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

function prefixSuffixEquals(r: KRes, o: KRes, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const pe = r.prefixes.length === 0 || o.prefixes.length === 0;
    const se = r.suffixes.length === 0 || o.suffixes.length === 0;
    return (pe || sameEndingSubSlice(r.prefixes, o.prefixes)) && (se || sameEndingSubSlice(r.suffixes, o.suffixes));
  }
  return sameEndingSubSlice(r.prefixes, o.prefixes) && sameEndingSubSlice(r.suffixes, o.suffixes);
}

/** SubsetThatCouldBeReferencedByResource. */
function couldBeReferencedBy(m: ResMap, referrer: KRes, byNamespace: Map<string, KRes[]>): KRes[] {
  const rid = referrer.curId();
  if (isClusterScopedGvk(rid.gvk)) return m.list;
  // Besides a RoleBinding's subjects, only the referrer's namespace decides: one list per namespace.
  const isRoleBinding = referrer.gvk.kind === 'RoleBinding' && Array.isArray(referrer.obj.subjects);
  if (!isRoleBinding) {
    const ns = effectiveNamespace(rid);
    let l = byNamespace.get(ns);
    if (!l) byNamespace.set(ns, (l = sameNamespaceOrClusterScoped(m, rid, new Set())));
    return l;
  }
  const rbNamespaces = new Set<string>();
  if (referrer.gvk.kind === 'RoleBinding' && Array.isArray(referrer.obj.subjects)) {
    for (const s of referrer.obj.subjects) {
      if (isPlainObject(s) && 'namespace' in s && s.kind === 'ServiceAccount') {
        if (typeof s.namespace !== 'string')
          throw new InputError(`Invalid Input: namespace is blank for resource ${idString(rid)}`);
        rbNamespaces.add(s.namespace);
      }
    }
  }
  return sameNamespaceOrClusterScoped(m, rid, rbNamespaces);
}

function sameNamespaceOrClusterScoped(m: ResMap, rid: ResId, rbNamespaces: ReadonlySet<string>): KRes[] {
  const own = effectiveNamespace(rid);
  return m.list.filter((t) => {
    const id = t.curId();
    if (isClusterScopedGvk(id.gvk)) return true;
    if (effectiveNamespace(id) === own) return true;
    return rbNamespaces.has(t.namespace);
  });
}

class NameRefFilter {
  constructor(
    readonly referrer: KRes,
    readonly fieldSpec: FieldSpec,
    readonly target: Gvk,
    readonly candidates: KRes[],
  ) {}

  private roleRefOk(): (r: KRes) => boolean {
    if (!this.fieldSpec.path.endsWith('roleRef/name')) return () => true;
    const rr = this.referrer.obj.roleRef;
    if (
      !isPlainObject(rr) ||
      rr.apiGroup === undefined ||
      rr.apiGroup === null ||
      rr.kind === undefined ||
      rr.kind === null
    )
      return () => true;
    const sel = { group: String(rr.apiGroup), kind: String(rr.kind) };
    return (r) => r.prevIdsNow().some((id) => gvkSelected(id.gvk, sel));
  }

  private sameNamespace(): (r: KRes) => boolean {
    const rid = this.referrer.curId();
    if (isClusterScopedGvk(rid.gvk)) return () => true;
    return (r) => {
      const id = r.curId();
      if (isClusterScopedGvk(id.gvk)) return true;
      if (r.gvk.kind === 'ServiceAccount') return true;
      return effectiveNamespace(id) === effectiveNamespace(rid);
    };
  }

  select(oldName: string, candidates: KRes[], identical: (rs: KRes[]) => boolean): KRes | undefined {
    let c = candidates.filter((r) => r.prevIdsNow().some((id) => id.name === oldName));
    c = c.filter((r) => r.prevIdsNow().some((id) => gvkSelected(id.gvk, this.target)));
    c = c.filter(this.roleRefOk());
    c = c.filter(this.sameNamespace());
    if (c.length === 1) return c[0];
    c = c.filter((r) => prefixSuffixEquals(r, this.referrer, true));
    if (c.length > 1) c = c.filter((r) => prefixSuffixEquals(r, this.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    throw new InputError(
      `found multiple possible referrals: ${c.map((r) => idString(r.curId())).join(', ')} for ` +
        `'${oldName}' in field '${this.fieldSpec.path}' of ${idString(this.referrer.curId())}`,
      {
        pos: { file: this.referrer.origin.file, line: this.referrer.origin.line },
        fieldPath: this.fieldSpec.path.replace(/\//g, '.'),
      },
    );
  }

  setScalar(slot: Slot): void {
    const v = slot.get();
    const old = String(v);
    const ref = this.select(old, this.candidates, (rs) => rs.every((r) => r.name === rs[0]!.name));
    if (!ref) return;
    if (ref.name === old) return;
    slot.set(ref.name);
  }

  setMapping(node: Record<string, unknown>): void {
    if (!('name' in node))
      throw new InputError(
        `path config error; no 'name' field in node (field ` +
          `'${this.fieldSpec.path}' of ${idString(this.referrer.curId())})`,
      );
    let cands = this.candidates;
    if ('namespace' in node) {
      const ns = String(node.namespace ?? '');
      const byOrg = cands.filter(
        (r) => effectiveNamespace(r.orgId()) === ns && effectiveNamespace(r.orgId()) !== NOT_A_NAMESPACE,
      );
      const orgHas = cands.some((r) => effectiveNamespace(r.orgId()) === ns && ns !== NOT_A_NAMESPACE);
      cands = orgHas ? byOrg : cands.filter((r) => effectiveNamespace(r.curId()) === ns && ns !== NOT_A_NAMESPACE);
    }
    const old = String(node.name ?? '');
    const ref = this.select(old, cands, (rs) =>
      rs.every((r) => r.name === rs[0]!.name && r.namespace === rs[0]!.namespace),
    );
    if (!ref) return;
    if (ref.name === old && ref.namespace === '') return;
    node.name = ref.name;
    if (ref.namespace === '') return;
    node.namespace = ref.namespace;
  }

  set = (slot: Slot): void => {
    const v = slot.get();
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      v.forEach((el, i) => {
        if (el === null || el === undefined) return;
        if (isPlainObject(el)) this.setMapping(el);
        else if (typeof el !== 'object') this.setScalar({ get: () => v[i], set: (x) => (v[i] = x), parent: v, key: i });
      });
    } else if (isPlainObject(v)) this.setMapping(v);
    else this.setScalar(slot);
  };
}

export function fixNameReferences(m: ResMap, config: TransformerConfig): void {
  // The field specs that apply to a resource depend only on its original group/version/kind:
  // select them once per distinct gvk (a handful), not once per resource (there can be 100,000).
  const specsByGvk = new Map<string, { fs: FieldSpec; target: Gvk }[]>();
  const specsFor = (g: Gvk): { fs: FieldSpec; target: Gvk }[] => {
    const key = JSON.stringify([g.group, g.version, g.kind]);
    let l = specsByGvk.get(key);
    if (l) return l;
    l = [];
    for (const br of config.nameReference as NameBackReference[]) {
      const target: Gvk = { group: br.group ?? '', version: br.version ?? '', kind: br.kind };
      for (const fs of br.fieldSpecs) if (gvkSelected(g, fs)) l.push({ fs, target });
    }
    specsByGvk.set(key, l);
    return l;
  };
  // Names change below, namespaces and membership do not: the per-namespace lists stay valid.
  const byNamespace = new Map<string, KRes[]>();
  for (const r of m.list) {
    const l = specsFor(r.orgId().gvk);
    if (l.length === 0) continue;
    const cands = couldBeReferencedBy(m, r, byNamespace);
    for (const { fs, target } of l) {
      const f = new NameRefFilter(r, fs, target, cands);
      applyFieldSpec(r.obj, { path: fs.path }, undefined, f.set);
    }
  }
}
