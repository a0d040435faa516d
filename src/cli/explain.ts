/**
 * `aksfleet build --explain KIND/[NS/]NAME`: the object to trace, and its stage history as text.
 * The stages are those of src/flux/build/stages.ts (a Flux Kustomization) and
 * src/flux/helmrelease/stages.ts (a HelmRelease); the trace is src/pipeline/field-trace.ts.
 */
import { UsageError } from '../errors.js';
import type { FieldTrace, ObjectTrace } from '../pipeline/field-trace.js';

export interface ExplainTarget {
  /** As given (`Deployment/apps/podinfo`). */
  readonly text: string;
  /** The kind and name, in every stage (a namespace may be set only by a later stage). */
  readonly matches: (o: unknown) => boolean;
  /** The namespace, when given, of the finished object. */
  readonly final: (o: unknown) => boolean;
  /** The trace of the current build. */
  trace?: FieldTrace;
}

interface Meta {
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/** `KIND/NAME` or `KIND/NAMESPACE/NAME`; the kind is matched without regard to case. */
export function explainTarget(text: string): ExplainTarget {
  const parts = text.split('/');
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => p === '')) {
    throw new UsageError(`--explain takes KIND/NAME or KIND/NAMESPACE/NAME, not '${text}'`);
  }
  const kind = parts[0]!.toLowerCase();
  const name = parts[parts.length - 1]!;
  const namespace = parts.length === 3 ? parts[1] : undefined;
  const meta = (o: unknown): Meta => (o !== null && typeof o === 'object' ? (o as Meta) : {});
  return {
    text,
    matches: (o) => {
      const m = meta(o);
      return typeof m.kind === 'string' && m.kind.toLowerCase() === kind && m.metadata?.name === name;
    },
    final: (o) => namespace === undefined || (meta(o).metadata?.namespace ?? '') === namespace,
  };
}

/** One block per build that holds the object: where it came from, each stage's changes, each field. */
export function formatExplain(text: string, traces: readonly ObjectTrace[]): string {
  const out: string[] = [];
  for (const t of traces) {
    out.push(`${text}: produced by ${t.run}, stage ${t.producedBy}`);
    for (const s of t.stages)
      out.push(
        `  ${s.stage.padEnd(22)} ${s.changed === 0 ? 'no change' : `${s.changed} field(s) set, changed or removed`}`,
      );
    const width = Math.min(72, Math.max(5, ...t.fields.map((f) => f.path.length)));
    out.push('', `  ${'field'.padEnd(width)}  set by (earlier changes)`);
    for (const f of t.fields) {
      const earlier = f.changedBy.slice(0, -1);
      out.push(`  ${f.path.padEnd(width)}  ${f.setBy}${earlier.length ? ` (${earlier.join(', ')})` : ''}`);
    }
    for (const r of t.removed) out.push(`  ${r.path.padEnd(width)}  removed by ${r.removedBy}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
