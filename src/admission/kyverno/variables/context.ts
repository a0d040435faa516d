/**
 * The JSON context variables resolve against (pkg/engine/context): `request.*`, `images`,
 * `serviceAccountName`, `element`/`elementIndex` in foreach, values from the values file, and the
 * rule's `context` entries, loaded lazily when a query first names them (Kyverno's deferred
 * loading), so an entry nobody reads never fails a rule.
 */
import { isMap } from '../pattern/go-values.js';
import { KYVERNO_FUNCTIONS, NON_DETERMINISTIC } from '../jmespath/kyverno-functions.js';
import { searchJmesPath } from '../jmespath/interpreter.js';
import { substituteAll } from './substitute.js';

/** Loads one context entry into the context (throws with the reason when it cannot). */
export type EntryLoader = (ctx: EvalContext) => void;

interface Deferred {
  readonly name: string;
  readonly load: EntryLoader;
  readonly matcher: RegExp;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class EvalContext {
  private deferred: Deferred[] = [];
  /** Set when a query called a function whose result depends on the clock or randomness. */
  nondeterministic = false;

  /**
   * The maps this context may change in place; after a fork, parent and child share every other
   * map and copy one (and the maps above it) the first time `setPath` changes it. Unset: all (a
   * context never forked shares nothing).
   */
  private own: WeakSet<object> | undefined;

  constructor(private data: Record<string, unknown>) {}

  /**
   * A context whose changes do not affect this one, nor this one's the copy (foreach iterations,
   * rules): copy-on-write, so a fork costs the top level, not the whole context (a foreach used to
   * copy the request, list included, once per element: quadratic in the list's length).
   */
  fork(): EvalContext {
    const c = new EvalContext({ ...this.data });
    c.own = new WeakSet([c.data]);
    this.own = new WeakSet([this.data]);
    c.deferred = [...this.deferred];
    c.nondeterministic = this.nondeterministic;
    return c;
  }

  /** The raw JSON data (read-only use). */
  get json(): Readonly<Record<string, unknown>> {
    return this.data;
  }

  /** Sets a variable by dotted path (`a.b.c`, `"a.b".c` quoting as Kyverno's csv split). */
  addVariable(key: string, value: unknown): void {
    this.setPath(splitDotted(key), value);
  }

  /** Sets (replacing) a top-level or nested entry. */
  setPath(path: readonly string[], value: unknown): void {
    let cur = this.data;
    for (const p of path.slice(0, -1)) {
      const next = cur[p];
      if (!isMap(next)) {
        const made: Record<string, unknown> = {};
        this.own?.add(made);
        cur[p] = made;
      } else if (this.own !== undefined && !this.own.has(next)) {
        const copy = { ...next };
        this.own.add(copy);
        cur[p] = copy;
      }
      cur = cur[p] as Record<string, unknown>;
    }
    cur[path[path.length - 1]!] = value;
  }

  /** Registers a context entry to load when first named by a query. */
  defer(name: string, load: EntryLoader): void {
    this.deferred = this.deferred.filter((d) => d.name !== name);
    this.deferred.push({ name, load, matcher: new RegExp(`(^|[^\\w.])${escapeRe(name)}($|[^\\w])`) });
  }

  /** Loads the deferred entries a query names (in declaration order). */
  private loadMatching(query: string): void {
    for (;;) {
      const next = this.deferred.find((d) => d.matcher.test(query));
      if (!next) return;
      this.deferred = this.deferred.filter((d) => d !== next);
      next.load(this);
    }
  }

  /** Evaluates a JMESPath query against the context. */
  query(expression: string): unknown {
    const q = expression.trim();
    if (q === '') throw new Error('invalid query (nil)');
    this.loadMatching(q);
    for (const fn of NON_DETERMINISTIC) if (q.includes(`${fn}(`)) this.nondeterministic = true;
    return searchJmesPath(q, this.data, KYVERNO_FUNCTIONS);
  }

  /** Substitutes `{{ }}` variables in a document against this context. */
  substitute(doc: unknown): unknown {
    return substituteAll(doc, (v) => this.query(v));
  }
}

/** Splits `a.b."c.d"` the way Kyverno's AddVariable does (encoding/csv with '.' as separator). */
export function splitDotted(key: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    if (c === '"') {
      if (quoted && key[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === '.' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
