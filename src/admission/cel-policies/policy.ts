/**
 * The compiled form shared by ValidatingAdmissionPolicy and Kyverno's ValidatingPolicy: match
 * constraints, match conditions, variables, validations and audit annotations with their CEL
 * programs compiled once, and what went wrong compiling them.
 */
import { compileCel, CelCompileError, type CelLibraries, type CelProgram } from '../../cel/index.js';
import type { PolicyDocument, PolicyLoadError } from '../types.js';
import type { MatchResources } from './match.js';

/** The variables every admission CEL expression may use. */
export const ADMISSION_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
  'authorizer',
] as const;

/** An expression compiled, or the reason it did not compile. */
export interface CompiledExpression {
  readonly expression: string;
  /** Where in the policy (`spec.validations[0].expression`). */
  readonly field: string;
  readonly program?: CelProgram;
  readonly error?: string;
  /** The expression uses `authorizer`, which cannot be evaluated offline. */
  readonly usesAuthorizer: boolean;
  /** The expression calls Kyverno's `random` (a Kyverno policy): its value differs on every evaluation. */
  readonly usesRandomness?: boolean;
}

/** One validation. */
export interface CompiledValidation {
  readonly index: number;
  readonly expression: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
  readonly reason?: string;
}

/** A policy (or one of its autogen rules) ready to evaluate. */
export interface CompiledPolicy {
  readonly kind: string;
  readonly name: string;
  /** Rule name in results: '' for the policy itself, `autogen-…` for generated rules. */
  readonly rule: string;
  readonly source: { readonly file: string; readonly line?: number };
  readonly matchConstraints?: MatchResources;
  readonly matchConditions: readonly { name: string; expression: CompiledExpression }[];
  readonly variables: readonly { name: string; expression: CompiledExpression }[];
  readonly validations: readonly CompiledValidation[];
  readonly auditAnnotations: readonly { key: string; valueExpression: CompiledExpression }[];
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly validationActions: readonly string[];
  readonly paramKind?: { readonly apiVersion?: string; readonly kind?: string };
  /** 'kyverno' for Kyverno's policies: Kyverno's CEL libraries, fed at evaluation. */
  readonly libraries: CelLibraries;
  /** The namespace of a namespaced policy (NamespacedValidatingPolicy), which confines `resource.*`. */
  readonly namespace?: string;
}

/** The kinds whose CEL has Kyverno's libraries. */
const KYVERNO_KINDS = new Set(['ValidatingPolicy', 'NamespacedValidatingPolicy']);

/** Compiles one CEL expression of a policy (Kyverno's policies with Kyverno's libraries); never throws. */
export function compileExpression(
  expression: unknown,
  field: string,
  libraries: CelLibraries = 'kubernetes',
): CompiledExpression {
  if (typeof expression !== 'string' || expression.trim() === '') {
    return {
      expression: String(expression ?? ''),
      field,
      error: `${field}: expression is missing or empty`,
      usesAuthorizer: false,
    };
  }
  const usesAuthorizer = /\bauthorizer\b/.test(expression);
  const usesRandomness = libraries === 'kyverno' && /(^|[^\w.])random\s*\(|\brandom\.random\s*\(/.test(expression);
  try {
    return {
      expression,
      field,
      program: compileCel(expression, { variables: ADMISSION_VARIABLES, libraries }),
      usesAuthorizer,
      ...(usesRandomness ? { usesRandomness } : {}),
    };
  } catch (e) {
    const where = e instanceof CelCompileError && e.position ? ` (at ${e.position.line}:${e.position.column})` : '';
    return {
      expression,
      field,
      error:
        `${field}: CEL does not compile${where}: ` +
        `${e instanceof CelCompileError ? e.message.replace(/^\d+:\d+: /, '') : String(e)}`,
      usesAuthorizer,
    };
  }
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Record<string, unknown>[]) : [];
}

const compileExpressionWith = compileExpression;

/** Compiles the CEL parts of a spec (VAP and ValidatingPolicy share them). */
export function compileSpec(
  doc: PolicyDocument,
  spec: Record<string, unknown>,
  rule: string,
  defaults: { validationActions: readonly string[] },
): CompiledPolicy {
  const md = (doc.object.metadata ?? {}) as Record<string, unknown>;
  const actions = Array.isArray(spec.validationActions)
    ? spec.validationActions.map(String)
    : defaults.validationActions;
  const libraries: CelLibraries =
    KYVERNO_KINDS.has(String(doc.object.kind)) && String(doc.object.apiVersion).startsWith('policies.kyverno.io/')
      ? 'kyverno'
      : 'kubernetes';
  const compileExpression = (e: unknown, field: string): CompiledExpression =>
    compileExpressionWith(e, field, libraries);
  return {
    kind: String(doc.object.kind),
    name: String(md.name ?? ''),
    rule,
    source: { file: doc.file, line: doc.line },
    matchConstraints: spec.matchConstraints as MatchResources | undefined,
    matchConditions: list(spec.matchConditions).map((m, i) => ({
      name: String(m.name ?? i),
      expression: compileExpression(m.expression, `spec.matchConditions[${i}].expression`),
    })),
    variables: list(spec.variables).map((v, i) => ({
      name: String(v.name ?? ''),
      expression: compileExpression(v.expression, `spec.variables[${i}].expression`),
    })),
    validations: list(spec.validations).map((v, i) => ({
      index: i,
      expression: compileExpression(v.expression, `spec.validations[${i}].expression`),
      message: typeof v.message === 'string' ? v.message : undefined,
      messageExpression:
        typeof v.messageExpression === 'string'
          ? compileExpression(v.messageExpression, `spec.validations[${i}].messageExpression`)
          : undefined,
      reason: typeof v.reason === 'string' ? v.reason : undefined,
    })),
    auditAnnotations: list(spec.auditAnnotations).map((a, i) => ({
      key: String(a.key ?? ''),
      valueExpression: compileExpression(a.valueExpression, `spec.auditAnnotations[${i}].valueExpression`),
    })),
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    validationActions: actions,
    paramKind: spec.paramKind as CompiledPolicy['paramKind'],
    libraries,
    ...(doc.object.kind === 'NamespacedValidatingPolicy' ? { namespace: String(md.namespace ?? '') } : {}),
  };
}

/** Every expression of a compiled policy. */
export function expressionsOf(p: CompiledPolicy): CompiledExpression[] {
  return [
    ...p.matchConditions.map((m) => m.expression),
    ...p.variables.map((v) => v.expression),
    ...p.validations.flatMap((v) => (v.messageExpression ? [v.expression, v.messageExpression] : [v.expression])),
    ...p.auditAnnotations.map((a) => a.valueExpression),
  ];
}

/** The load errors of a compiled policy (expressions that do not compile, missing parts). */
export function loadErrorsOf(p: CompiledPolicy): PolicyLoadError[] {
  const errors: PolicyLoadError[] = expressionsOf(p)
    .filter((e) => e.error)
    .map((e) => ({
      file: p.source.file,
      line: p.source.line,
      policy: p.name,
      rule: p.rule || undefined,
      message: e.error!,
    }));
  if (!p.matchConstraints || !(p.matchConstraints.resourceRules ?? []).length) {
    errors.push({
      file: p.source.file,
      line: p.source.line,
      policy: p.name,
      message: 'spec.matchConstraints.resourceRules is required',
    });
  }
  return errors;
}
