/**
 * One vocabulary for "a problem with a location" (issue #20, 5): every error, finding, build
 * issue and policy result is, or is built from, these types, and every text output that prints a
 * place prints it with `formatLocation`. Lowest layer: imports nothing.
 *
 * Field paths inside a location are dotted (`spec.tenants[1].apps[0]`); the other encodings
 * (segment arrays, JSON pointers) are converted at the edges by src/field-path.ts.
 */

/**
 * How serious a problem is, most serious first. (SLO alert routing, 'page' | 'ticket', is another
 * concept: AlertSeverity, src/slo/policy.ts.)
 */
export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
/** error > warning > info */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** Where something is: a file (repo-relative, or a path as given), 1-based line and column, a dotted field path. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  /** Only meaningful with a line. */
  readonly column?: number;
  /** Dotted (`spec.clusters[0].name`): src/field-path.ts converts from the other encodings. */
  readonly fieldPath?: string;
}

/** Another place a problem also concerns, and why (SARIF `relatedLocations`). */
export interface RelatedLocation extends SourceLocation {
  readonly message: string;
  /** `Kind/namespace/name` of the object there, when it is one. */
  readonly resource?: string;
}

/** One problem: what every error, finding and policy result can be seen as. */
export interface Diagnostic {
  readonly severity: Severity;
  /** A stable id: a rule id (`source-ref-exists`, `policy:<policy>/<rule>`), or the kind of error (`input`). */
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
  readonly related?: readonly RelatedLocation[];
  /** How to fix it. */
  readonly hint?: string;
}

/**
 * One problem found by one rule (`aksfleet check` and the day-2 planners), flat as the JSON
 * outputs write it: `rule` is the Diagnostic's code, `file`/`line` its location (`findingDiagnostic`).
 */
export interface Finding {
  /** Rule id, e.g. `source-ref-exists`, `pdb-blocks-drain`. */
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind/namespace/name` of the object the finding is about, when it is about one. */
  readonly resource?: string;
  /** Repo-relative file, when known. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
  /** The cluster (name) concerned; absent for repository-wide findings. */
  readonly cluster?: string;
  /**
   * Every cluster of one render the finding concerns, when it is several (a hub and the spokes it
   * applies the same file to: src/checks/same-line.ts); `cluster` is the first of them.
   */
  readonly clusters?: readonly string[];
  /** The node pool concerned (day-2 upgrade plans). */
  readonly pool?: string;
  /**
   * Other places involved (the policy that refused the object, the Namespace whose isolation an
   * allow-all NetworkPolicy breaks), in the order given; SARIF `relatedLocations`.
   */
  readonly related?: readonly RelatedLocation[];
}

/** A finding as a Diagnostic (its rule is the code; its file and line the location). */
export function findingDiagnostic(f: Finding): Diagnostic {
  return {
    severity: f.severity,
    code: f.rule,
    message: f.message,
    ...(f.file !== undefined ? { location: { file: f.file, ...(f.line !== undefined ? { line: f.line } : {}) } } : {}),
    ...(f.related?.length ? { related: f.related } : {}),
    ...(f.hint !== undefined ? { hint: f.hint } : {}),
  };
}

/**
 * The one text form of a location: `file:line:col: fieldPath`. The file when there is one (the
 * line only with a file, the column only with a line), then the field path; '' when neither.
 * Callers add their own separator (`: `) before the message.
 */
export function formatLocation(l: Partial<SourceLocation> | undefined): string {
  if (!l) return '';
  let at = '';
  if (l.file) {
    at = l.file;
    if (l.line !== undefined) {
      at += `:${l.line}`;
      if (l.column !== undefined) at += `:${l.column}`;
    }
  }
  if (!l.fieldPath) return at;
  return at ? `${at}: ${l.fieldPath}` : l.fieldPath;
}

/** `formatLocation` followed by `: `, or '' when there is no location: the prefix of a message. */
export function locationPrefix(l: Partial<SourceLocation> | undefined): string {
  const at = formatLocation(l);
  return at ? `${at}: ` : '';
}
