/**
 * The one masking of secret values (issue #25, 3), used by every output: build YAML/JSON, diff
 * (all formats), check reports and the console (rendered objects and source files).
 *
 * One reading of a parsed document, `secretEdits`, says what is secret in it:
 * - a core Secret's `data` values (replaced by base64 of the mask, so the object stays valid) and
 *   `stringData` values (the mask), also inside a `kind: List` (or any `*List` with `items`,
 *   which kubectl and kustomize unpack);
 * - SOPS: every `ENC[...]` value anywhere, and the `sops` metadata block (its key groups `age`,
 *   `pgp`, `kms`, `gcp_kms`, `azure_kv`, `hc_vault` hold the encrypted data keys) is removed;
 * - every string with a URL's userinfo (`https://user:token@host/...`): the userinfo is masked;
 *   so is the value of a credential query parameter (`?sig=` of an Azure SAS, presigned URLs, `token=`).
 * Objects (`maskObject`) apply the edits to a copy; source text (`maskSourceText`) masks the
 * same nodes in place, line structure kept. Strings are also masked for values known to come
 * from Secrets elsewhere (`MaskContext.secretValues`: what postBuild.substituteFrom or a
 * HelmRelease's valuesFrom read from a Secret, src/flux/build/secret-values.ts; for findings, every
 * Secret value of the cluster, `secretValuesOf`), wherever they landed. `maskText` does the string
 * part for free text (messages), `maskKustomization`/`maskKustomizationText` the literals of a
 * secretGenerator. Keys stay visible, so a reviewer still sees which keys exist. Pure.
 */
import { parseAllDocuments, isAlias, isMap, isNode, isScalar, visit, type Document, type Node } from 'yaml';
import { cloneJson, isPlainObject, type KObject, type Resource } from './resource.js';

export const SECRET_MASK = '**REDACTED**';
export const SECRET_MASK_BASE64 = Buffer.from(SECRET_MASK).toString('base64');

/**
 * Values shorter than this are not searched for in other strings: masking every `1`, `true` or
 * `dev` in a build would hide unrelated text (and such a value is no secret worth the name).
 */
export const MIN_SECRET_VALUE_LENGTH = 4;

/** What is known, beyond the documents themselves, to be secret. */
export interface MaskContext {
  /** Values that came from Secrets (e.g. substituted by postBuild.substituteFrom). */
  readonly secretValues?: readonly string[];
}

export type MaskPath = readonly (string | number)[];

/** One thing to mask in a document: a value replaced by the mask (or its base64), or a block dropped. */
export interface MaskEdit {
  readonly path: MaskPath;
  readonly how: 'mask' | 'mask-base64' | 'drop';
}

const SOPS_VALUE = /^ENC\[[A-Za-z0-9_]+,data:/;
/**
 * `scheme://userinfo@`: the userinfo is what is masked, up to the authority's last `@` (a raw `@`
 * in a password is invalid but seen). A bare `git` user (`ssh://git@host`) is no credential.
 */
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#"'`<>]+)@/g;
const HAS_URL_USERINFO = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#"'`<>]+@/;

/**
 * Query parameters that carry a credential in a URL: an Azure SAS signature (`sig`), AWS and GCS
 * presigned URLs, bearer tokens and keys given as parameters. Their values are masked; the other
 * parameters (`sv`, `se`, `sp`, ...) stay, so the URL still reads.
 */
const URL_CREDENTIAL_PARAM =
  /([?&](?:sig|signature|token|access_token|refresh_token|id_token|password|passwd|secret|client_secret|api[-_]?key|x-amz-signature|x-amz-security-token|x-amz-credential|x-goog-signature|x-goog-credential)=)([^&#\s"'`<>]+)/gi;

function maskUserinfo(s: string): string {
  const u = s.includes('@')
    ? s.replace(URL_USERINFO, (m: string, scheme: string, userinfo: string) =>
        userinfo === 'git' ? m : `${scheme}${SECRET_MASK}@`,
      )
    : s;
  return u.includes('=') ? u.replace(URL_CREDENTIAL_PARAM, (_m: string, key: string) => `${key}${SECRET_MASK}`) : u;
}

function isCoreSecret(o: Record<string, unknown>): boolean {
  return o.kind === 'Secret' && (o.apiVersion === undefined || o.apiVersion === 'v1');
}

function isList(o: Record<string, unknown>): boolean {
  return typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items);
}

/** What is secret in one parsed document (see the module comment). Pure. */
export function secretEdits(doc: unknown, at: MaskPath = []): MaskEdit[] {
  const out: MaskEdit[] = [];
  if (isPlainObject(doc)) {
    if (isList(doc)) (doc.items as unknown[]).forEach((it, i) => out.push(...secretEdits(it, [...at, 'items', i])));
    if (isPlainObject(doc.sops)) out.push({ path: [...at, 'sops'], how: 'drop' });
    if (isCoreSecret(doc)) {
      if (isPlainObject(doc.data))
        for (const k of Object.keys(doc.data)) out.push({ path: [...at, 'data', k], how: 'mask-base64' });
      if (isPlainObject(doc.stringData))
        for (const k of Object.keys(doc.stringData)) out.push({ path: [...at, 'stringData', k], how: 'mask' });
    }
  }
  if (at.length === 0 && hasEncrypted(doc)) encryptedValues(doc, [], out);
  return out;
}

/** Whether an `ENC[...]` string is anywhere in the value (a walk without paths, for the common case of none). */
function hasEncrypted(v: unknown): boolean {
  if (typeof v === 'string') return v.startsWith('ENC[') && SOPS_VALUE.test(v);
  if (v === null || typeof v !== 'object') return false;
  if (!Object.isFrozen(v)) return walkEncrypted(v, hasEncrypted);
  // A frozen value (a chart CRD's schemas, shared by every cluster) cannot change: walked once.
  // Only the outermost frozen value is remembered: what is inside it is frozen too (deepFreeze)
  // and walked plainly, not remembered node by node (a WeakMap entry per node of megabytes of
  // CRD schemas cost more than the walk in a run that sees them once).
  let found = encryptedInFrozen.get(v);
  if (found === undefined) {
    found = walkEncrypted(v, hasEncryptedPlain);
    encryptedInFrozen.set(v, found);
  }
  return found;
}

const encryptedInFrozen = new WeakMap<object, boolean>();

function hasEncryptedPlain(v: unknown): boolean {
  if (typeof v === 'string') return v.startsWith('ENC[') && SOPS_VALUE.test(v);
  if (v === null || typeof v !== 'object') return false;
  return walkEncrypted(v, hasEncryptedPlain);
}

function walkEncrypted(v: object, has: (x: unknown) => boolean): boolean {
  if (Array.isArray(v)) return v.some(has);
  if (isPlainObject(v)) {
    for (const k in v) if (has(v[k])) return true;
  }
  return false;
}

function encryptedValues(v: unknown, at: MaskPath, out: MaskEdit[]): void {
  if (typeof v === 'string') {
    if (SOPS_VALUE.test(v)) out.push({ path: at, how: 'mask' });
  } else if (Array.isArray(v)) v.forEach((x, i) => encryptedValues(x, [...at, i], out));
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) encryptedValues(x, [...at, k], out);
}

/** The text with URL userinfo and the context's secret values masked. */
export function maskText(text: string, ctx: MaskContext = {}): string {
  return maskWith(text, usableValues(ctx));
}

function maskWith(text: string, values: readonly string[]): string {
  let s = text;
  for (const v of values) if (s.includes(v)) s = s.split(v).join(SECRET_MASK);
  return s.includes('@') || s.includes('=') ? maskUserinfo(s) : s;
}

/** The values to search for, longest first (a value inside another is masked with it). */
function usableValues(ctx: MaskContext): string[] {
  const vs = new Set<string>();
  for (const v of ctx.secretValues ?? []) {
    if (v.length < MIN_SECRET_VALUE_LENGTH) continue;
    vs.add(v);
    // The same value as JSON writes it inside a string (quotes, backslashes, control characters).
    const json = JSON.stringify(v).slice(1, -1);
    if (json !== v) vs.add(json);
  }
  return [...vs].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/**
 * The values of the Secrets among `objects` (`data` as written and decoded, `stringData`): a
 * message (a policy's, interpolating `request.object.data.x`) may quote them. Each once, sorted.
 */
export function secretValuesOf(objects: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (!isPlainObject(o)) continue;
    for (const e of secretEdits(o)) {
      let v: unknown = o;
      for (const k of e.path) v = (v as Record<string | number, unknown> | undefined)?.[k];
      if (typeof v !== 'string' || v === '') continue;
      out.add(v);
      if (e.how === 'mask-base64') out.add(Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  return [...out].filter((v) => v !== '').sort();
}

/** Whether `maskObject` would change the object. */
export function needsMasking(o: unknown, ctx: MaskContext = {}): boolean {
  return secretEdits(o).length > 0 || hasMaskableString(o, usableValues(ctx));
}

/** maskObject with the context's values already prepared (usableValues). */
function maskObjectWith<T>(o: T, values: readonly string[]): T {
  if (secretEdits(o).length === 0 && !hasMaskableString(o, values)) return o;
  const c = cloneJson(o) as unknown;
  // Deepest first, so dropping a block never hides an edit inside it from being applied.
  for (const e of secretEdits(c).sort((a, b) => b.path.length - a.path.length)) applyEdit(c, e);
  return stringsWith(c, values) as T;
}

function stringsWith(v: unknown, values: readonly string[]): unknown {
  if (typeof v === 'string') return maskWith(v, values);
  if (Array.isArray(v)) return v.map((x) => stringsWith(x, values));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringsWith(x, values)]));
  return v;
}

function hasMaskableString(v: unknown, values: readonly string[]): boolean {
  if (typeof v === 'string') {
    if (((v.includes('@') && HAS_URL_USERINFO.test(v)) || v.includes('=')) && maskUserinfo(v) !== v) return true;
    for (const x of values) if (v.includes(x)) return true;
    return false;
  }
  if (Array.isArray(v)) return v.some((x) => hasMaskableString(x, values));
  if (isPlainObject(v)) {
    for (const k in v) if (hasMaskableString(v[k], values)) return true;
  }
  return false;
}

/** A copy of the document with its secrets masked (the same object when nothing is). */
export function maskObject<T>(o: T, ctx: MaskContext = {}): T {
  return maskObjectWith(o, usableValues(ctx));
}

function applyEdit(root: unknown, e: MaskEdit): void {
  let parent: unknown = root;
  for (const k of e.path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[k];
  const last = e.path[e.path.length - 1]!;
  if (parent === null || typeof parent !== 'object') return;
  const p = parent as Record<string | number, unknown>;
  if (e.how === 'drop') delete p[last];
  else p[last] = e.how === 'mask-base64' ? SECRET_MASK_BASE64 : SECRET_MASK;
}

/** Every string of a value through `maskText`. */
export function maskStrings(v: unknown, ctx: MaskContext = {}): unknown {
  return stringsWith(v, usableValues(ctx));
}

/** Resources with their objects masked; origins kept. */
export function maskResources(rs: readonly Resource[], ctx: MaskContext = {}): Resource[] {
  const values = usableValues(ctx);
  return rs.map((r) => {
    const object = maskObjectWith(r.object, values);
    return object === r.object ? r : { ...r, object: object as KObject };
  });
}

/**
 * Whether a change at `path` (in diff notation: `data.password`, `items[0].stringData.x`) of
 * `doc` is under something `secretEdits` masks: its values must be masked whole.
 */
export function isSecretPath(doc: unknown, path: string): boolean {
  return secretEdits(doc).some((e) => {
    const p = diffNotation(e.path);
    return (
      path === p ||
      path.startsWith(`${p}.`) ||
      path.startsWith(`${p}[`) ||
      p.startsWith(`${path}.`) ||
      p.startsWith(`${path}[`) ||
      path === ''
    );
  });
}

function diffNotation(path: MaskPath): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? (s ? `${s}.${k}` : k) : `${s}[${JSON.stringify(k)}]`;
  }
  return s;
}

const WITHHELD =
  '# (source withheld: it holds secret values that cannot be masked safely: it does not parse, or uses YAML aliases)\n';

/**
 * Source text with what `secretEdits` reads in each of its documents masked, line structure kept
 * (so line numbers still point at the right place), then `maskText` over the whole text (URL
 * userinfo in values and comments alike). A file that holds secrets but does not parse, has
 * duplicate keys or aliases is withheld.
 */
export function maskSourceText(text: string, ctx: MaskContext = {}): string {
  if (!/Secret|ENC\[|sops/.test(text)) return maskText(text, ctx);
  const ranges: [number, number][] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text) as Document.Parsed[];
  } catch {
    return WITHHELD;
  }
  if (!Array.isArray(docs)) return WITHHELD;
  for (const doc of docs) {
    let edits: MaskEdit[];
    try {
      edits = doc.errors.length ? [] : secretEdits(doc.toJS());
    } catch {
      return WITHHELD;
    }
    if (doc.errors.length) {
      if (/Secret|ENC\[|sops/.test(text.slice(doc.range[0], doc.range[2]))) return WITHHELD;
      continue;
    }
    if (edits.length === 0) continue;
    let alias = false;
    visit(doc, { Alias: () => void (alias = true) });
    if (alias) return WITHHELD;
    for (const e of edits) {
      const node = doc.getIn(e.path, true);
      if (!isNode(node) || isAlias(node) || !(node as Node).range) return WITHHELD;
      const r = (node as Node).range!;
      ranges.push([r[0], r[1]]);
    }
  }
  return maskText(maskRanges(text, ranges), ctx);
}

/** The text with each range masked; a range inside another is masked with it. */
function maskRanges(text: string, ranges: readonly (readonly [number, number])[]): string {
  const outer: (readonly [number, number])[] = [];
  for (const r of [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    const last = outer[outer.length - 1];
    if (last && r[0] < last[1]) continue;
    outer.push(r);
  }
  // From the end, so earlier offsets stay valid.
  let out = text;
  for (const [s, e] of outer.reverse()) out = maskRange(out, s, e);
  return out;
}

function maskRange(text: string, start: number, end: number): string {
  // Keep newlines (and indentation after them) so every line keeps its number.
  const masked = text
    .slice(start, end)
    .split('\n')
    .map((line, i) => (i === 0 ? SECRET_MASK : line.replace(/^(\s*)\S.*$/, `$1${SECRET_MASK}`)))
    .join('\n');
  return text.slice(0, start) + masked + text.slice(end);
}

/** Whether the object carries SOPS metadata (`sops:` with a `mac: ENC[...]`). */
export function isSopsEncrypted(o: KObject): boolean {
  const s = (o as Record<string, unknown>).sops;
  return isPlainObject(s) && typeof s.mac === 'string' && s.mac.startsWith('ENC[');
}

/**
 * A kustomization (as built) with `secretGenerator[].literals` values masked: the keys stay,
 * so a reviewer sees which literals exist. Files and env files are paths, not values.
 */
export function maskKustomization(k: Record<string, unknown>): Record<string, unknown> {
  const gens = k.secretGenerator;
  if (!Array.isArray(gens)) return k;
  const c = cloneJson(k);
  for (const g of c.secretGenerator as unknown[]) {
    if (!isPlainObject(g) || !Array.isArray(g.literals)) continue;
    g.literals = g.literals.map((l) => {
      if (typeof l !== 'string') return SECRET_MASK;
      const eq = l.indexOf('=');
      return eq >= 0 ? `${l.slice(0, eq + 1)}${SECRET_MASK}` : SECRET_MASK;
    });
  }
  return c;
}

/**
 * Masks `secretGenerator[].literals` values in a kustomization file and returns the files its
 * secretGenerator reads (`files`, `envs`, `env`), relative to the kustomization directory, so
 * that the caller withholds them.
 */
export function maskKustomizationText(text: string): { text: string; secretInputs: string[] } {
  const inputs: string[] = [];
  const ranges: [number, number][] = [];
  try {
    for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
      if (doc.errors.length) throw new Error('parse');
      const root = doc.contents as Node | null;
      if (!isMap(root)) continue;
      const gens = root.get('secretGenerator', true) as Node | undefined;
      if (!gens || !('items' in gens)) continue;
      for (const g of (gens as unknown as { items: Node[] }).items) {
        if (!isMap(g)) continue;
        const lits = g.get('literals', true) as Node | undefined;
        if (lits && 'items' in lits)
          for (const l of (lits as unknown as { items: Node[] }).items) {
            if (isScalar(l) && typeof l.value === 'string' && l.range) ranges.push([l.range[0], l.range[1]]);
          }
        for (const key of ['files', 'envs', 'env']) {
          const v = g.get(key, true) as Node | undefined;
          const items = v && 'items' in v ? (v as unknown as { items: Node[] }).items : v ? [v] : [];
          for (const it of items)
            if (isScalar(it) && typeof it.value === 'string')
              inputs.push(it.value.includes('=') ? it.value.slice(it.value.indexOf('=') + 1) : it.value);
        }
      }
    }
  } catch {
    return {
      text: /secretGenerator/.test(text) ? '# (source withheld: it has a secretGenerator and does not parse)\n' : text,
      secretInputs: inputs,
    };
  }
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e] of ranges) {
    const lit = out.slice(s, e);
    const eq = lit.indexOf('=');
    out = out.slice(0, s) + (eq >= 0 ? `${lit.slice(0, eq + 1)}${SECRET_MASK}` : SECRET_MASK) + out.slice(e);
  }
  return { text: out, secretInputs: inputs };
}
