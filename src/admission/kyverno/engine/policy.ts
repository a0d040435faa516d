/**
 * Reading a Kyverno `ClusterPolicy`/`Policy` (kyverno.io/v1, v2beta1) into what the engine runs,
 * with the checks Kyverno's admission webhook would make before accepting it: rules have names and
 * one action, condition operators exist, every `{{ }}` expression parses. A bad policy is reported
 * with its file, line and rule; the others still load.
 */
import { backgroundProblem } from './background.js';
import { matchExcludeConflict } from './match-exclude-conflict.js';
import { podSecurityProblems, verifyImagesProblems } from './spec-validate.js';
import type { PolicyDocument, PolicyLoadError } from '../../types.js';
import { CONDITION_OPERATORS, conditionOperator } from '../operator/conditions.js';
import { isMap } from '../pattern/go-values.js';
import { parseJmesPath } from '../jmespath/interpreter.js';
import { isAddIfNotPresent, isExistence, parseAnchor } from '../anchor/anchor.js';

/**
 * A validate pattern's shape (pkg/policy/common/validate_pattern.go): every anchor is one that
 * validation supports (`+(key)` is for mutation only), an existence anchor holds a non-empty list.
 */
function checkPattern(p: unknown, path: string, problems: string[]): void {
  if (Array.isArray(p)) p.forEach((x, i) => checkPattern(x, `${path}[${i}]`, problems));
  else if (isMap(p)) {
    for (const [k, v] of Object.entries(p)) {
      const a = parseAnchor(k);
      if (a && isAddIfNotPresent(a)) problems.push(`${path}.${k}: unsupported anchor ${k} in a validate pattern`);
      if (a && isExistence(a) && (!Array.isArray(v) || v.length === 0))
        problems.push(`${path}.${k}: existence anchor should have a non-empty list value`);
      checkPattern(v, `${path}.${k}`, problems);
    }
  }
}

/** The patterns of a validate block and of its (nested) foreach entries. */
function checkValidatePatterns(v: unknown, path: string, problems: string[]): void {
  if (!isMap(v)) return;
  if (v.pattern !== undefined) checkPattern(v.pattern, `${path}.pattern`, problems);
  if (v.anyPattern !== undefined) {
    if (!Array.isArray(v.anyPattern)) problems.push(`${path}.anyPattern: must be a list of patterns`);
    else checkPattern(v.anyPattern, `${path}.anyPattern`, problems);
  }
  if (Array.isArray(v.foreach))
    v.foreach.forEach((f, i) => checkValidatePatterns(f, `${path}.foreach[${i}]`, problems));
}

/**
 * Label selectors of match/exclude (`selector`, `namespaceSelector`), as Kubernetes validates them
 * (metav1validation.ValidateLabelSelector, which Kyverno's policy validation runs): `In`/`NotIn`
 * need values, `Exists`/`DoesNotExist` must have none, no other operator.
 */
function checkSelectors(block: unknown, path: string, problems: string[], namespaced = false): void {
  if (!isMap(block)) return;
  const check = (res: unknown, at: string): void => {
    if (!isMap(res)) return;
    // api/kyverno/v1 ResourceDescription.Validate: a namespaced Policy cannot filter by namespace.
    if (namespaced && Array.isArray(res.namespaces) && res.namespaces.length > 0)
      problems.push(`${at}.namespaces: Filtering namespaces not allowed in namespaced policies`);
    for (const field of ['selector', 'namespaceSelector'] as const) {
      const sel = res[field];
      // A selector with a wildcard in a key or value is not validated (LabelSelectorContainsWildcard).
      if (!isMap(sel) || !Array.isArray(sel.matchExpressions) || /[*?]/.test(JSON.stringify(sel))) continue;
      sel.matchExpressions.forEach((e, i) => {
        if (!isMap(e)) return;
        const where = `${at}.${field}.matchExpressions[${i}]`;
        const values = Array.isArray(e.values) ? e.values : [];
        if (e.operator === 'In' || e.operator === 'NotIn') {
          if (values.length === 0) problems.push(`${where}.values: values set must be non-empty for In and NotIn`);
        } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
          if (values.length > 0) problems.push(`${where}.values: values set must be empty for Exists and DoesNotExist`);
        } else
          problems.push(
            `${where}.operator: not a valid selector operator '${String(e.operator)}' (In, NotIn, Exists, ` +
              `DoesNotExist)`,
          );
      });
    }
  };
  check(block.resources, `${path}.resources`);
  for (const list of ['any', 'all'] as const) {
    if (Array.isArray(block[list]))
      block[list].forEach((f, i) => check(isMap(f) ? f.resources : undefined, `${path}.${list}[${i}].resources`));
  }
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * pkg/policy/validate (validateElements, validateForEach): a validate block has exactly one of
 * pattern, anyPattern, deny, foreach, podSecurity, cel, manifests (with attestors); each of its
 * foreach entries a list and exactly one of pattern, anyPattern, deny or a nested foreach.
 */
function checkValidateElements(v: unknown, problems: string[]): void {
  if (!isMap(v)) return;
  const manifests = isMap(v.manifests) && Array.isArray(v.manifests.attestors) && v.manifests.attestors.length > 0;
  const count =
    ['pattern', 'anyPattern', 'deny', 'foreach', 'podSecurity', 'cel'].filter((k) => present(v[k])).length +
    (manifests ? 1 : 0);
  if (count === 0) problems.push('.validate: one of pattern, anyPattern, deny, foreach, cel must be specified');
  if (count > 1) problems.push('.validate: only one of pattern, anyPattern, deny, foreach, cel can be specified');
  if (!Array.isArray(v.foreach)) return;
  v.foreach.forEach((f, i) => {
    if (!isMap(f)) return;
    if (typeof f.list !== 'string' || f.list === '') problems.push(`.validate.foreach[${i}]: foreach.list is required`);
    const n = ['pattern', 'anyPattern', 'deny', 'foreach'].filter((k) => present(f[k])).length;
    if (n === 0)
      problems.push(`.validate.foreach[${i}]: one of pattern, anyPattern, deny, or a nested foreach must be specified`);
    if (n > 1)
      problems.push(
        `.validate.foreach[${i}]: only one of pattern, anyPattern, deny, or a nested foreach can be specified`,
      );
  });
}

/**
 * pkg/validation/policy validateConditionValues: each condition of preconditions and deny has a key, a value and an
 * operator.
 */
function checkConditionValues(conditions: unknown, path: string, problems: string[]): void {
  const check = (list: unknown, at: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((c, i) => {
      if (isMap(c) && (!present(c.key) || !present(c.value) || typeof c.operator !== 'string' || c.operator === ''))
        problems.push(`${at}[${i}]: entered value of \`key\`, \`value\` or \`operator\` is missing or misspelled`);
    });
  };
  if (Array.isArray(conditions)) check(conditions, path);
  else if (isMap(conditions)) {
    check(conditions.any, `${path}.any`);
    check(conditions.all, `${path}.all`);
  }
}

/** A policy ready to evaluate. */
export interface KyvernoPolicy {
  readonly name: string;
  /** For a namespaced `Policy`, the namespace it applies to. */
  readonly namespace?: string;
  readonly kind: 'ClusterPolicy' | 'Policy';
  readonly spec: Record<string, unknown>;
  readonly annotations: Readonly<Record<string, unknown>>;
  /** spec.validationFailureAction (Audit by default). */
  readonly failureAction: 'Enforce' | 'Audit';
  readonly background: boolean;
  readonly source: { readonly file: string; readonly line?: number };
}

const API_VERSIONS = new Set(['kyverno.io/v1', 'kyverno.io/v2beta1', 'kyverno.io/v2']);

/** True for the documents the Kyverno engine takes. */
export function isKyvernoPolicy(doc: Record<string, unknown>): boolean {
  return API_VERSIONS.has(String(doc.apiVersion)) && (doc.kind === 'ClusterPolicy' || doc.kind === 'Policy');
}

/** Enforce or Audit, case-insensitively, as Kyverno reads validationFailureAction / failureAction. */
export function failureActionOf(v: unknown): 'Enforce' | 'Audit' | undefined {
  if (typeof v !== 'string') return undefined;
  const l = v.toLowerCase();
  if (l === 'enforce') return 'Enforce';
  if (l === 'audit') return 'Audit';
  return undefined;
}

const VARIABLES = /(?:^|[^\\])\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g;

/** Problems in one rule (messages only; the caller adds file and rule). */
function checkRule(rule: Record<string, unknown>, namespaced = false, audit = true): string[] {
  const problems: string[] = [];
  if (isMap(rule.validate)) problems.push(...podSecurityProblems(rule.validate.podSecurity, '.validate.podSecurity'));
  if (rule.verifyImages !== undefined) {
    // a verifyImages entry's own failureAction decides for it, else the policy's
    const entries = Array.isArray(rule.verifyImages) ? rule.verifyImages : [];
    entries.forEach((v, i) => {
      const own = isMap(v) ? failureActionOf(v.failureAction) : undefined;
      problems.push(
        ...verifyImagesProblems([v], own ? own === 'Audit' : audit, `.verifyImages`).map((m) =>
          m.replace('.verifyImages[0]', `.verifyImages[${i}]`),
        ),
      );
    });
  }
  const actions = ['validate', 'mutate', 'generate', 'verifyImages'].filter(
    (k) => rule[k] !== undefined && rule[k] !== null,
  );
  if (actions.length === 0) problems.push('rule has no validate, mutate, generate or verifyImages');
  if (actions.length > 1) problems.push(`rule has more than one action (${actions.join(', ')})`);
  if (!isMap(rule.match)) problems.push('rule has no match');
  walkConditions(rule, '', problems);
  checkValidateElements(rule.validate, problems);
  checkConditionValues(rule.preconditions, '.preconditions', problems);
  if (isMap(rule.validate) && isMap(rule.validate.deny))
    checkConditionValues(rule.validate.deny.conditions, '.validate.deny.conditions', problems);
  checkSelectors(rule.match, '.match', problems, namespaced);
  checkSelectors(rule.exclude, '.exclude', problems, namespaced);
  const conflict = matchExcludeConflict(rule);
  if (conflict) problems.push(`Rule is matching an empty set: ${conflict}`);
  // pkg/validation/policy: a validate.cel rule cannot have context entries.
  if (isMap(rule.validate) && rule.validate.cel !== undefined && Array.isArray(rule.context) && rule.context.length > 0)
    problems.push('context variables are not supported for CEL expressions in validate rules');
  checkValidatePatterns(rule.validate, '.validate', problems);
  walkStrings(rule, '', (s, path) => {
    for (const m of s.matchAll(VARIABLES)) {
      let expr = m[1]!.trim();
      if (expr.startsWith('-')) expr = expr.slice(1).trim();
      if (expr === '@' || expr === '') continue;
      try {
        parseJmesPath(expr);
      } catch (e) {
        problems.push(`${path}: invalid variable {{${m[1]}}}: ${(e as Error).message}`);
      }
    }
  });
  return problems;
}

function walkStrings(v: unknown, path: string, f: (s: string, path: string) => void): void {
  if (typeof v === 'string') f(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${path}[${i}]`, f));
  else if (isMap(v))
    for (const [k, x] of Object.entries(v)) {
      f(k, `${path}.${k}`);
      walkStrings(x, `${path}.${k}`, f);
    }
}

/** Every condition (`key`/`operator`/`value`) under preconditions, deny and foreach has a known operator. */
function walkConditions(v: unknown, path: string, problems: string[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => walkConditions(x, `${path}[${i}]`, problems));
  else if (isMap(v)) {
    if (Object.hasOwn(v, 'operator') && (Object.hasOwn(v, 'key') || Object.hasOwn(v, 'value'))) {
      const op = v.operator;
      if (typeof op !== 'string' || !conditionOperator(op)) {
        problems.push(
          `${path}.operator: unknown condition operator '${String(op)}' (allowed: ${CONDITION_OPERATORS.join(', ')})`,
        );
      }
    }
    for (const [k, x] of Object.entries(v)) {
      // Label selectors (match/exclude namespaceSelector, selector) use In/NotIn/Exists/DoesNotExist, not conditions.
      if (k === 'pattern' || k === 'anyPattern' || k === 'patchStrategicMerge' || k === 'matchExpressions') continue;
      walkConditions(x, `${path}.${k}`, problems);
    }
  }
}

/** Compiles the accepted documents; every problem becomes a PolicyLoadError. */
export function compilePolicies(docs: readonly PolicyDocument[]): {
  policies: KyvernoPolicy[];
  errors: PolicyLoadError[];
} {
  const policies: KyvernoPolicy[] = [];
  const errors: PolicyLoadError[] = [];
  for (const doc of docs) {
    const o = doc.object;
    const meta = isMap(o.metadata) ? o.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const err = (message: string, rule?: string): void => {
      errors.push({ file: doc.file, line: doc.line, policy: name || undefined, rule, message });
    };
    if (!name) {
      err(`${String(o.kind)} has no metadata.name`);
      continue;
    }
    const spec = isMap(o.spec) ? o.spec : undefined;
    if (!spec || !Array.isArray(spec.rules) || spec.rules.length === 0) {
      err('spec.rules must be a non-empty list');
      continue;
    }
    let bad = false;
    const names = new Set<string>();
    spec.rules.forEach((r, i) => {
      if (!isMap(r) || typeof r.name !== 'string' || r.name === '') {
        err(`spec.rules[${i}] has no name`);
        bad = true;
        return;
      }
      if (names.has(r.name)) {
        err(`duplicate rule name '${r.name}'`, r.name);
        bad = true;
      }
      names.add(r.name);
      for (const p of checkRule(
        r,
        o.kind === 'Policy',
        (spec.validationFailureAction === undefined ? 'Audit' : failureActionOf(spec.validationFailureAction)) !==
          'Enforce',
      )) {
        err(p, r.name);
        bad = true;
      }
    });
    const background = bad ? undefined : backgroundProblem(spec);
    if (background) {
      err(background);
      bad = true;
    }
    const action = spec.validationFailureAction === undefined ? 'Audit' : failureActionOf(spec.validationFailureAction);
    if (!action) {
      err(`spec.validationFailureAction must be Enforce or Audit, not '${String(spec.validationFailureAction)}'`);
      bad = true;
    }
    if (bad) continue;
    policies.push({
      name,
      namespace: o.kind === 'Policy' ? (typeof meta.namespace === 'string' ? meta.namespace : 'default') : undefined,
      kind: o.kind as 'ClusterPolicy' | 'Policy',
      spec,
      annotations: isMap(meta.annotations) ? meta.annotations : {},
      failureAction: action ?? 'Audit',
      background: spec.background !== false,
      source: { file: doc.file, line: doc.line },
    });
  }
  return { policies, errors };
}
