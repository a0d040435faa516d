/**
 * A Constraint (constraints.gatekeeper.sh, any version): its kind names its template, `spec.match`
 * selects objects, `spec.parameters` (checked against the template's schema) feed the template,
 * and the enforcement action decides what a violation means for our results:
 *
 * | enforcementAction | result of a violation |
 * | --- | --- |
 * | `deny` (default) | `fail`, enforcing (exit 1) |
 * | `warn` | `warn` |
 * | `dryrun` | `warn` (Gatekeeper only records it in audit; we never hide it) |
 * | `scoped` | the strongest action of `scopedEnforcementActions` at `validation.gatekeeper.sh` or `*`; none: `skip` |
 */
import type { PolicyDocument, PolicyLoadError } from '../types.js';
import type { ConstraintMatch } from './match.js';
import { schemaProblems } from './parameters-schema.js';
import type { CompiledTemplate } from './template.js';

export const CONSTRAINT_GROUP = 'constraints.gatekeeper.sh';
/** The enforcement point of admission (Gatekeeper's webhook). */
export const ADMISSION_ENFORCEMENT_POINT = 'validation.gatekeeper.sh';

export type Action = 'deny' | 'warn' | 'dryrun' | 'none';

export interface CompiledConstraint {
  readonly kind: string;
  readonly name: string;
  readonly object: Record<string, unknown>;
  readonly match?: ConstraintMatch;
  readonly parameters: unknown;
  readonly action: Action;
  readonly template: CompiledTemplate;
  readonly file: string;
  readonly line?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** True for a Constraint document. */
export function isConstraint(o: Record<string, unknown>): boolean {
  return (
    typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${CONSTRAINT_GROUP}/`) && typeof o.kind === 'string'
  );
}

const RANK: Record<Action, number> = { none: 0, dryrun: 1, warn: 2, deny: 3 };

/** The action at admission, or an error for an unknown one. */
export function actionOf(spec: Record<string, unknown>): Action | { error: string } {
  const raw =
    spec.enforcementAction === undefined || spec.enforcementAction === ''
      ? 'deny'
      : String(spec.enforcementAction).toLowerCase();
  if (raw === 'deny' || raw === 'warn' || raw === 'dryrun') return raw;
  if (raw !== 'scoped')
    return {
      error: `spec.enforcementAction '${String(spec.enforcementAction)}' is not one of deny, warn, dryrun, scoped`,
    };
  let best: Action = 'none';
  for (const s of Array.isArray(spec.scopedEnforcementActions) ? spec.scopedEnforcementActions : []) {
    if (!isObj(s)) continue;
    const a = String(s.action ?? '').toLowerCase();
    if (a !== 'deny' && a !== 'warn' && a !== 'dryrun')
      return { error: `spec.scopedEnforcementActions: action '${String(s.action)}' is not one of deny, warn, dryrun` };
    const points = Array.isArray(s.enforcementPoints)
      ? s.enforcementPoints.filter(isObj).map((p) => String(p.name ?? ''))
      : [];
    if (points.some((p) => p === '*' || p === ADMISSION_ENFORCEMENT_POINT) && RANK[a] > RANK[best]) best = a;
  }
  return best;
}

/** Compiles one constraint against the known templates. */
export function compileConstraint(
  doc: PolicyDocument,
  templates: ReadonlyMap<string, CompiledTemplate>,
  failedKinds: ReadonlySet<string>,
): { constraint?: CompiledConstraint; errors: PolicyLoadError[] } {
  const o = doc.object;
  const kind = String(o.kind);
  const md = isObj(o.metadata) ? o.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  const err = (message: string): PolicyLoadError => ({
    file: doc.file,
    ...(doc.line !== undefined ? { line: doc.line } : {}),
    policy: `${kind}/${name}`,
    message,
  });
  const template = templates.get(kind);
  if (!template)
    return { errors: failedKinds.has(kind) ? [] : [err(`no ConstraintTemplate defines the constraint kind ${kind}`)] };
  if (!name) return { errors: [err('metadata.name is required')] };
  const spec = isObj(o.spec) ? o.spec : {};
  const action = actionOf(spec);
  if (typeof action === 'object') return { errors: [err(action.error)] };
  if (spec.match !== undefined && !isObj(spec.match)) return { errors: [err('spec.match must be an object')] };
  const match = spec.match as ConstraintMatch | undefined;
  if (match && match.kinds !== undefined && !Array.isArray(match.kinds))
    return { errors: [err('spec.match.kinds must be a list')] };
  const parameters = spec.parameters === undefined ? {} : spec.parameters;
  if (template.parametersSchema !== undefined && spec.parameters !== undefined) {
    const problems = schemaProblems(template.parametersSchema, spec.parameters);
    if (problems.length)
      return {
        errors: [
          err(`parameters do not match the schema of ConstraintTemplate ${template.name}: ${problems.join('; ')}`),
        ],
      };
  }
  return {
    constraint: {
      kind,
      name,
      object: o,
      ...(match ? { match } : {}),
      parameters,
      action,
      template,
      file: doc.file,
      ...(doc.line !== undefined ? { line: doc.line } : {}),
    },
    errors: [],
  };
}
