/**
 * Kyverno's autogen for ValidatingPolicy (kyverno/kyverno pkg/cel/autogen): a policy that matches
 * exactly `pods` (core v1, one rule, no selectors, no exclusions, no names) also gets rules for the
 * pod controllers, with `object.spec`/`object.metadata` rewritten to the pod template and a match
 * condition on the controller's apiVersion and kind. `spec.autogen.podControllers.controllers`
 * chooses the controllers (an empty list: none).
 */
import type { MatchResources } from './match.js';
import { selectorIsEmpty } from './selector.js';

interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly replacements: 'defaults' | 'cronjobs';
}

const CONTROLLERS: Record<string, Target> = {
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', replacements: 'defaults' },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', replacements: 'defaults' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', replacements: 'defaults' },
  statefulsets: {
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    replacements: 'defaults',
  },
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', replacements: 'defaults' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', replacements: 'cronjobs' },
};

const REPLACEMENTS: Record<Target['replacements'], readonly [string, string][]> = {
  defaults: [
    ['spec', 'spec.template.spec'],
    ['metadata', 'spec.template.metadata'],
  ],
  cronjobs: [
    ['spec', 'spec.jobTemplate.spec.template.spec'],
    ['metadata', 'spec.jobTemplate.spec.template.metadata'],
  ],
};

/** Kyverno's CanAutoGen. */
export function canAutogen(match: MatchResources | undefined): boolean {
  if (!match) return false;
  if (!selectorIsEmpty(match.namespaceSelector) || !selectorIsEmpty(match.objectSelector)) return false;
  if ((match.excludeResourceRules ?? []).length !== 0) return false;
  const rules = match.resourceRules ?? [];
  if (rules.length !== 1) return false;
  const r = rules[0];
  if ((r.resourceNames ?? []).length > 0) return false;
  if (r.apiGroups?.length !== 1 || r.apiGroups[0] !== '') return false;
  if (r.apiVersions?.length !== 1 || r.apiVersions[0] !== 'v1') return false;
  return r.resources?.length === 1 && r.resources[0] === 'pods';
}

/**
 * Replaces `object.<from>` and `oldObject.<from>`, except before `.name`/`.namespace` (Kyverno's protected suffixes).
 */
function replaceIn(text: string, from: string, to: string): string {
  let out = text;
  for (const root of ['object.', 'oldObject.']) {
    const f = root + from;
    const t = root + to;
    let result = '';
    let i = 0;
    for (;;) {
      const j = out.indexOf(f, i);
      if (j < 0) break;
      const rest = out.slice(j + f.length);
      const protectedSuffix = /^\.(namespace|name)(?![A-Za-z0-9_])/.test(rest);
      result += out.slice(i, j) + (protectedSuffix ? f : t);
      i = j + f.length;
    }
    out = result + out.slice(i);
  }
  return out;
}

function rewrite(value: unknown, pairs: readonly [string, string][]): unknown {
  if (typeof value === 'string') return pairs.reduce((s, [f, t]) => replaceIn(s, f, t), value);
  if (Array.isArray(value)) return value.map((v) => rewrite(v, pairs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, pairs)]));
  }
  return value;
}

/** One generated rule: a name (`autogen-<policy>`, `autogen-cronjobs-<policy>`) and the rewritten spec. */
export interface AutogenRule {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

/** The autogen rules of a ValidatingPolicy spec. */
export function autogenRules(policyName: string, spec: Record<string, unknown>): AutogenRule[] {
  const match = spec.matchConstraints as MatchResources | undefined;
  if (!canAutogen(match)) return [];
  const configured = (
    (spec.autogen as Record<string, unknown> | undefined)?.podControllers as Record<string, unknown> | undefined
  )?.controllers;
  const names = Array.isArray(configured)
    ? configured.map((c) => String(c).toLowerCase()).map((c) => (c.endsWith('s') ? c : `${c}s`))
    : Object.keys(CONTROLLERS);
  const byReplacement = new Map<Target['replacements'], Target[]>();
  for (const n of names) {
    const t = CONTROLLERS[n];
    if (t) byReplacement.set(t.replacements, [...(byReplacement.get(t.replacements) ?? []), t]);
  }
  const operations = match!.resourceRules![0].operations ?? [];
  const rules: AutogenRule[] = [];
  for (const replacements of [...byReplacement.keys()].sort()) {
    const targets = byReplacement.get(replacements)!;
    const prefix = replacements === 'defaults' ? 'autogen-defaults' : `autogen-${replacements}`;
    const groups = new Map<string, Set<string>>();
    for (const t of targets)
      groups.set(`${t.group}/${t.version}`, (groups.get(`${t.group}/${t.version}`) ?? new Set()).add(t.resource));
    const resourceRules = [...groups.keys()].sort().map((gv) => ({
      apiGroups: [gv.split('/')[0]],
      apiVersions: [gv.split('/')[1]],
      resources: [...groups.get(gv)!].sort(),
      operations,
    }));
    const precondition = [
      ...new Set(targets.map((t) => `(object.apiVersion == '${t.group}/${t.version}' && object.kind =='${t.kind}')`)),
    ]
      .sort()
      .join('||');
    const conditions = ((spec.matchConditions as { name: string; expression: string }[] | undefined) ?? []).map(
      (m) => ({
        name: `${prefix}-${m.name}`,
        expression: `!(${precondition}) || (${m.expression})`,
      }),
    );
    const rewritten = rewrite({ ...spec, matchConditions: conditions }, REPLACEMENTS[replacements]) as Record<
      string,
      unknown
    >;
    rules.push({ name: `${prefix}-${policyName}`, spec: { ...rewritten, matchConstraints: { resourceRules } } });
  }
  return rules;
}
