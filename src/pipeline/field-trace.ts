/**
 * Which stage produced or changed each field of one object (`aksfleet build --explain`, issue #20
 * item 3). A pipeline run reports, after each of its stages, the objects it holds; the trace keeps
 * a copy of the objects `matches` selects, per run, and compares consecutive copies field by
 * field. Engine-neutral: objects are JSON values, runs and stages are names.
 */

/** After a stage of a run: the objects the run holds now (undefined: the stage holds none yet). */
export type StageObserver = (run: string, stage: string, objects: readonly unknown[] | undefined) => void;

/** One field (a leaf of the object) and the stages that touched it, in pipeline order. */
export interface FieldHistory {
  /** Dotted path, list items as `[i]`, keys with dots in brackets: `metadata.labels[app.kubernetes.io/name]`. */
  readonly path: string;
  /** The stage that wrote its final value. */
  readonly setBy: string;
  /** Every stage that created or changed it, in order (setBy is the last). */
  readonly changedBy: readonly string[];
}

export interface ObjectTrace {
  /** The run (a Flux Kustomization build, a HelmRelease render) whose last stage holds the object. */
  readonly run: string;
  /** The stage where the object first appeared. */
  readonly producedBy: string;
  /** Every stage of the run after that one, with the number of fields it created, changed or removed. */
  readonly stages: readonly { readonly stage: string; readonly changed: number }[];
  /** The leaves of the final object. */
  readonly fields: readonly FieldHistory[];
  /** Fields a stage removed that the final object does not have. */
  readonly removed: readonly { readonly path: string; readonly removedBy: string }[];
}

interface Snapshot {
  readonly stage: string;
  readonly object: unknown;
}

const keyPart = (k: string) => (/^[A-Za-z_$][\w$-]*$/.test(k) ? k : `[${k}]`);

/** Every leaf of a JSON value (scalars, empty maps and lists) by path. */
export function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, '[]');
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) out.set(prefix, '{}');
    for (const k of keys) {
      const part = keyPart(k);
      leaves(
        (value as Record<string, unknown>)[k],
        prefix === '' ? part : part.startsWith('[') ? `${prefix}${part}` : `${prefix}.${part}`,
        out,
      );
    }
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

export class FieldTrace {
  private readonly runs = new Map<string, Snapshot[]>();

  /**
   * `matches` selects the object in every stage (say, by kind and name); `final` is what the
   * finished object must also be (say, in a namespace a later stage may only then set). A run's
   * copy is the first matching object that is also `final`, else the first matching one.
   */
  constructor(
    private readonly matches: (o: unknown) => boolean,
    private readonly final: (o: unknown) => boolean = () => true,
  ) {}

  /** The observer to hand to the pipelines (runStages' `observe`). */
  readonly observe: StageObserver = (run, stage, objects) => {
    const found = objects?.filter(this.matches) ?? [];
    const list = this.runs.get(run);
    if (found.length === 0 && list === undefined) return;
    const snaps = list ?? [];
    if (list === undefined) this.runs.set(run, snaps);
    // One object per run: the first that matches (a build holds one object per kind/namespace/name).
    const pick = found.find(this.final) ?? found[0];
    snaps.push({ stage, object: pick === undefined ? undefined : structuredClone(pick) });
  };

  /** The object's history in every run whose last stage still holds it, in the order the runs ran. */
  traces(): ObjectTrace[] {
    const out: ObjectTrace[] = [];
    for (const [run, snaps] of this.runs) {
      const last = snaps[snaps.length - 1]!.object;
      if (last === undefined || !this.final(last)) continue;
      out.push(traceOf(run, snaps));
    }
    return out;
  }
}

function traceOf(run: string, snaps: readonly Snapshot[]): ObjectTrace {
  const first = snaps.findIndex((s) => s.object !== undefined);
  const history = new Map<string, string[]>();
  const removed = new Map<string, string>();
  const stages: { stage: string; changed: number }[] = [];
  let prev = new Map<string, string>();
  for (let i = first; i < snaps.length; i++) {
    const cur = snaps[i]!.object === undefined ? new Map<string, string>() : leaves(snaps[i]!.object);
    let changed = 0;
    for (const [p, v] of cur) {
      if (prev.get(p) === v) continue;
      changed++;
      const h = history.get(p) ?? [];
      h.push(snaps[i]!.stage);
      history.set(p, h);
      removed.delete(p);
    }
    for (const p of prev.keys()) {
      if (cur.has(p)) continue;
      changed++;
      removed.set(p, snaps[i]!.stage);
      history.delete(p);
    }
    if (i > first) stages.push({ stage: snaps[i]!.stage, changed });
    prev = cur;
  }
  const fields = [...prev.keys()].map((path) => {
    const changedBy = history.get(path)!;
    return { path, setBy: changedBy[changedBy.length - 1]!, changedBy };
  });
  return {
    run,
    producedBy: snaps[first]!.stage,
    stages,
    fields,
    removed: [...removed].map(([path, removedBy]) => ({ path, removedBy })),
  };
}
