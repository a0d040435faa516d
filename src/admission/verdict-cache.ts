/**
 * Admission verdicts kept by content: in the run (a Map, shared by its clusters) and between runs
 * (a ContentStore, src/content-store.ts, salted with the engine digest). A verdict is the list of
 * PolicyResults an engine gives for one object (rule, status, message, enforcing, the policy's
 * place), kept as the engine gave it, so that a hit gives the same findings byte for byte.
 *
 * The key names every input of a verdict: the engine, the policy documents of the unit as compiled
 * (policies, exceptions, bindings, constraint templates and constraints, with their files and
 * lines), the request (operation, `--values`), the object's JSON in its own key order (an order
 * can show in messages) and the object's Namespace (labels for namespaceSelector,
 * `namespaceObject`). The engines of `check` are made without request info (admissionEngines()
 * with no options): the requester is their code's, covered by the engine digest.
 *
 * What the key cannot hold makes a unit uncacheable, evaluated every time (`unitCacheability`):
 * context entries and anything reading other objects of the cluster (Kyverno `context`,
 * `apiCall`, `globalReference`, ConfigMap entries, VAP params, Gatekeeper `data.inventory`,
 * generate's `clone`), the network (`verifyImages`, image data, `http`, external data), the clock
 * (`time_now*`, `time_since`, CEL `time.now()`, Rego `time.now_ns`) and randomness (`random`,
 * `rand.intn`, `uuid.rfc4122`). A result that says it is not deterministic, or an `error` the
 * caller does not call offline-constant (a timeout), is never kept either.
 */
import { createHash } from 'node:crypto';
import type { ContentStore } from '../content-store.js';
import type { AdmissionContext, PolicyDocument, PolicyResult } from './types.js';

/** The entry format: part of every key, so that another format is never read. */
const FORMAT = 'admission-verdicts 1';

/** The API groups whose engines read only the object, its Namespace and the request (unless a unit says more). */
const KNOWN_APIS = /^(kyverno\.io|policies\.kyverno\.io|admissionregistration\.k8s\.io|[a-z]+\.gatekeeper\.sh)\//;

/** Fields whose presence makes a verdict read other objects, the cluster or the network. */
const KEYS_READING_MORE = new Set([
  'context',
  'apiCall',
  'globalReference',
  'imageRegistry',
  'verifyImages',
  'paramKind',
  'paramRef',
  'params',
  'clone',
  'cloneList',
  'targets',
]);

/** Calls in expressions (JMESPath, CEL, Rego) that read other objects, the network, the clock or randomness. */
const CALLS = [
  'time_now',
  'time_now_utc',
  'time_since',
  String.raw`time\.now`,
  String.raw`time\.now_ns`,
  'random',
  String.raw`rand\.intn`,
  String.raw`uuid\.rfc4122`,
  String.raw`http\.`,
  String.raw`resource\.(get|list|post)`,
  String.raw`image\.getmetadata`,
  String.raw`globalcontext\.`,
  'external_data',
  String.raw`opa\.runtime`,
  String.raw`net\.lookup_ip_addr`,
  'lookup',
  'resource_list',
];
const CALLS_READING_MORE = new RegExp(
  String.raw`\b(${CALLS.join('|')})\b|\bdata\s*(\.\s*inventory\b|\[\s*"inventory")`,
  'gi',
);

/** Only the in-run memo may keep these (one run, one answer): the network's and the clock's. */
const KEYS_PERSIST_NOT = new Set(['verifyImages', 'imageRegistry']);
const CALLS_PERSIST_NOT = /^(time_|time\.now|image\.getmetadata|http\.|external_data)/i;

/** Whether a unit's verdicts may be kept in the run (`memo`) and between runs (`persist`), and why not. */
export interface Cacheability {
  readonly memo: boolean;
  readonly persist: boolean;
  /** What made it uncacheable (`policy P: field verifyImages`), when it is. */
  readonly why?: string;
}

/** Every key and string of a document, depth first. */
function* keysAndStrings(v: unknown): Generator<{ key?: string; text?: string }> {
  if (typeof v === 'string') yield { text: v };
  else if (Array.isArray(v)) for (const x of v) yield* keysAndStrings(x);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      yield { key: k };
      yield* keysAndStrings(x);
    }
}

function docName(d: PolicyDocument): string {
  const md = d.object.metadata as { name?: unknown } | undefined;
  return `${String(d.object.kind)} ${String(md?.name ?? '(unnamed)')}`;
}

/**
 * Whether the verdicts of a unit (policy documents compiled and evaluated together) depend on its
 * documents, the object, its Namespace and the request only; `persist` also excludes what the run
 * may answer once but another run differently (image verification, the clock, servers).
 */
export function unitCacheability(docs: readonly PolicyDocument[]): Cacheability {
  let persistNot: string | undefined;
  for (const d of docs) {
    if (!KNOWN_APIS.test(String(d.object.apiVersion ?? '')))
      return { memo: false, persist: false, why: `${docName(d)}: an API this cache does not know` };
    for (const { key, text } of keysAndStrings(d.object)) {
      if (key !== undefined && KEYS_READING_MORE.has(key)) {
        const why = `${docName(d)}: field ${key}`;
        if (!KEYS_PERSIST_NOT.has(key)) return { memo: false, persist: false, why };
        persistNot ??= why;
      }
      for (const m of text?.matchAll(CALLS_READING_MORE) ?? []) {
        const why = `${docName(d)}: ${m[0]}`;
        if (!CALLS_PERSIST_NOT.test(m[0])) return { memo: false, persist: false, why };
        persistNot ??= why;
      }
    }
  }
  return persistNot ? { memo: true, persist: false, why: persistNot } : { memo: true, persist: true };
}

function mutates(d: PolicyDocument): boolean {
  const rules = (d.object.spec as { rules?: unknown } | undefined)?.rules;
  return (
    Array.isArray(rules) && rules.some((r) => r && typeof r === 'object' && (r as { mutate?: unknown }).mutate != null)
  );
}

/**
 * The units an engine's documents are compiled and evaluated in for the verdict cache: Kyverno's
 * classic policies judge alone (its engine evaluates them one by one, in order, and reports their
 * results in that order; it takes no exceptions), unless one mutates (the others then validate
 * what it left), so each is a unit and an uncacheable one (verifyImages) does not make the
 * others so. Every other engine's documents are one unit: bindings, params, exceptions,
 * templates and constraints act on each other.
 */
export function verdictUnits(engine: string, docs: readonly PolicyDocument[]): (readonly PolicyDocument[])[] {
  const alone = (d: PolicyDocument) => d.object.kind === 'ClusterPolicy' || d.object.kind === 'Policy';
  if (engine !== 'kyverno' || docs.length < 2 || !docs.every(alone) || docs.some(mutates)) return [docs];
  return docs.map((d) => [d]);
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The part of a verdict's key that names the unit: the engine and its documents as compiled. */
export function unitKey(engine: string, docs: readonly PolicyDocument[]): string {
  return `${engine}\u0000${sha256(JSON.stringify(docs))}`;
}

/** The object's part of its verdicts' keys (the same for every unit): the request, the object, its Namespace. */
export function objectDigest(object: Record<string, unknown>, ctx: AdmissionContext): string {
  const md = object.metadata as { namespace?: unknown } | undefined;
  const ns = typeof md?.namespace === 'string' && md.namespace !== '' ? md.namespace : undefined;
  const namespace = ns === undefined ? null : (ctx.namespaces.get(ns) ?? null);
  const request = [ctx.operation ?? 'CREATE', ctx.values ?? null];
  return sha256(JSON.stringify([request, object, namespace]));
}

/** The key of one object's verdict under a unit (see the file comment for what it names). */
export function verdictKey(unit: string, object: string): string {
  return `${FORMAT}\u0000${unit}\u0000${object}`;
}

/** The stored text of a verdict. */
export function encodeVerdict(results: readonly PolicyResult[]): string {
  return JSON.stringify(results);
}

const isResult = (r: unknown): r is PolicyResult =>
  !!r &&
  typeof r === 'object' &&
  typeof (r as PolicyResult).policy === 'string' &&
  typeof (r as PolicyResult).rule === 'string' &&
  typeof (r as PolicyResult).result === 'string';

/** A stored verdict, or undefined when the text is not one (then it is made again). */
export function decodeVerdict(text: string): PolicyResult[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every(isResult) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Results that say they depend on the clock or randomness (the engines mark them) are never kept. */
export function deterministic(results: readonly PolicyResult[]): boolean {
  return !results.some((r) => r.message?.includes('not deterministic'));
}

/** How many verdicts came from where (the run's memo, the store) and how many were made. */
export interface VerdictCounts {
  memo: number;
  stored: number;
  evaluated: number;
}

/** The run's memo in front of the store; either may be absent. */
export class VerdictCache {
  readonly counts: VerdictCounts = { memo: 0, stored: 0, evaluated: 0 };
  constructor(
    private readonly memo: Map<string, unknown> | undefined,
    private readonly store: ContentStore | undefined,
  ) {}

  /**
   * The verdict of `key`: from the memo, else (when `persist`) the store, else `evaluate()`; a
   * made verdict is kept when `keep` says so (and it is deterministic).
   */
  verdict(
    key: string,
    persist: boolean,
    evaluate: () => PolicyResult[],
    keep: (r: readonly PolicyResult[]) => boolean,
  ): PolicyResult[] {
    const hit = this.memo?.get(key) as PolicyResult[] | undefined;
    if (hit) {
      this.counts.memo++;
      return hit;
    }
    const text = persist ? this.store?.get(key) : undefined;
    const stored = text === undefined ? undefined : decodeVerdict(text);
    if (stored) {
      this.counts.stored++;
      this.memo?.set(key, stored);
      return stored;
    }
    const made = evaluate();
    this.counts.evaluated++;
    if (!keep(made) || !deterministic(made)) return made;
    this.memo?.set(key, made);
    if (persist) this.store?.put(key, encodeVerdict(made));
    return made;
  }
}
