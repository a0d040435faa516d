/** What every finding formatter receives: one check run, already sorted. */
import type { Finding, RelatedLocation, Rule, Severity } from '../checks/types.js';
import { formatLocation } from '../diagnostic.js';

export interface CheckRun {
  readonly findings: readonly Finding[];
  /** Clusters checked, in discovery order. */
  readonly clusters: readonly { readonly name: string; readonly path: string; readonly objects: number }[];
  /** The rules that ran (after `.aksfleet.yaml` turned some off). */
  readonly rules: readonly Rule[];
  readonly failOn: Severity;
  readonly toolVersion: string;
  /**
   * `check --shard I/N`: which part this is, each cluster's discovery index (aligned with
   * `clusters`), and the ids of the rules that ran; the JSON part carries it for `report merge`.
   */
  readonly shard?: { readonly index: number; readonly of: number; readonly clusterOrder: readonly number[] };
}

export function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** `file:line`, `file`, or `-`. */
export function location(f: Finding): string {
  return formatLocation({ file: f.file, line: f.line }) || '-';
}

/** `file:line` of a related location. */
export function relatedText(r: RelatedLocation): string {
  return `${formatLocation(r)}: ${r.message}`;
}

export function camelName(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
