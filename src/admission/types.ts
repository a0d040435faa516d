/**
 * The contract between the admission engines (Kyverno in src/admission/kyverno, CEL policies in
 * src/admission/cel-policies, Gatekeeper in src/admission/gatekeeper) and their users (`aksfleet policy
 * apply|test`, and later `check`). Each engine takes the policy-like documents it recognises by kind
 * and evaluates resources against them; the CLI and check know nothing engine-specific.
 */
import type { SourceLocation } from '../diagnostic.js';
import type { EngineClock } from '../work-budget.js';

/** The identity of the evaluated resource, as `kyverno apply` reports it. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One verdict, in the JSON shape of `aksfleet policy apply --format json` (`{"results": [...]}`). */
export interface PolicyResult {
  /**
   * Policy name (Kyverno policy, ValidatingAdmissionPolicy, ValidatingPolicy, or Gatekeeper Constraint `Kind/name`).
   */
  readonly policy: string;
  /** Rule name (Kyverno rule, incl. `autogen-*`), validation index or template name. */
  readonly rule: string;
  readonly resource: ResourceRef;
  readonly result: 'pass' | 'fail' | 'skip' | 'warn' | 'error';
  readonly message?: string;
  /** True when a `fail` comes from an enforcing policy (Kyverno Enforce, VAP Deny, Gatekeeper deny): exit 1. */
  readonly enforcing?: boolean;
  /** Where the policy came from (file, 1-based line) for reports. */
  readonly source?: Pick<SourceLocation, 'file' | 'line'>;
}

/** A policy-like document as read from a file, with where it came from. */
export interface PolicyDocument {
  readonly object: Record<string, unknown>;
  readonly file: string;
  readonly line?: number;
  /**
   * Position (1-based) of the node at a field path of the document, when read from YAML (for errors inside embedded
   * code).
   */
  readonly posOf?: (path: readonly (string | number)[]) => { line: number; column: number };
  /** The text of the file the document came from (to place errors inside block scalars). */
  readonly sourceText?: string;
}

/** What every evaluation gets besides the resource. */
export interface AdmissionContext {
  /** Namespaces known to the evaluation (for namespaceSelector), by name. */
  readonly namespaces: ReadonlyMap<string, Record<string, unknown>>;
  /** All resources under evaluation (for lookups, Gatekeeper inventory). */
  readonly resources: readonly Record<string, unknown>[];
  /** Kyverno CLI `Values` (`--values-file`): global values, per-policy/resource values, namespaceSelector labels. */
  readonly values?: Record<string, unknown>;
  /** The admission operation, CREATE unless a test says otherwise. */
  readonly operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /**
   * The time backstop per policy and resource, ms of running time (not of waiting: see
   * src/work-budget.ts); the deterministic caps are each engine's step or cost budgets.
   */
  readonly timeoutMs?: number;
  /**
   * The backstop's clocks (tests simulate pauses with it; read by Kyverno, its validate.cel included).
   * @default threadClock
   */
  readonly clock?: EngineClock;
}

/** A problem with a policy itself (does not parse, CEL does not compile, unknown operator). */
export interface PolicyLoadError extends Omit<SourceLocation, 'fieldPath'> {
  readonly policy?: string;
  readonly rule?: string;
  readonly message: string;
}

/** One engine: recognises its documents, compiles them once, evaluates resources. */
export interface AdmissionEngine<Compiled = unknown> {
  readonly name: string;
  /**
   * True when the engine sees resources as read: a resource without `metadata.namespace` stays
   * without one (Gatekeeper, as gator reads it) instead of the Kyverno CLI's `default`.
   */
  readonly keepsMissingNamespace?: boolean;
  /** True for the documents this engine takes (by apiVersion/kind). */
  accepts(doc: Record<string, unknown>): boolean;
  /** Compiles the accepted documents; bad policies are returned as errors, the rest still compile. */
  compile(docs: readonly PolicyDocument[]): { compiled: Compiled; errors: PolicyLoadError[] };
  /** Evaluates one resource against every compiled policy that matches it. Never throws for policy faults. */
  evaluate(compiled: Compiled, resource: Record<string, unknown>, ctx: AdmissionContext): PolicyResult[];
}
