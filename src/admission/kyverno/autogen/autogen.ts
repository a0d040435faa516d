/**
 * Pod-controller autogen (pkg/autogen/v1): a rule written for Pods also applies to the workloads
 * that template Pods. Kyverno adds `autogen-<rule>` for DaemonSet, Deployment, Job, StatefulSet,
 * ReplicaSet, ReplicationController (pattern under `spec.template`, `request.object.spec` read as
 * `request.object.spec.template.spec`) and `autogen-cronjob-<rule>` for CronJob (under
 * `spec.jobTemplate.spec.template`). The annotation `pod-policies.kyverno.io/autogen-controllers`
 * narrows the controllers (`none` turns autogen off).
 */
import { isMap } from '../pattern/go-values.js';
import { containsKind } from '../match/kind.js';

export const POD_CONTROLLERS = [
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'CronJob',
] as const;
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';
const WITHOUT_CRONJOB = new Set([
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);
const POD_AND_CONTROLLERS = new Set<string>(['Pod', ...POD_CONTROLLERS]);

type Rule = Record<string, unknown>;
type Spec = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const filters = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isMap) : []);
const desc = (f: unknown): Record<string, unknown> => (isMap(f) && isMap(f.resources) ? f.resources : {});

/** Every resource description of a match/exclude block. */
function descriptions(block: unknown): Record<string, unknown>[] {
  if (!isMap(block)) return [];
  return [desc(block), ...filters(block.any).map(desc), ...filters(block.all).map(desc)];
}

/** The kinds a match/exclude block names (MatchResources.GetKinds). */
function kindsOf(block: unknown): string[] {
  return descriptions(block).flatMap((d) => strings(d.kinds));
}

function supports(d: Record<string, unknown>, needed: { v: boolean }): boolean {
  const kinds = strings(d.kinds);
  if (
    (typeof d.name === 'string' && d.name !== '') ||
    strings(d.names).length > 0 ||
    d.selector != null ||
    d.annotations != null
  )
    return false;
  if (kinds.length > 1 && containsKind(kinds, 'Pod')) return false;
  needed.v = needed.v || kinds.some((k) => POD_AND_CONTROLLERS.has(k));
  return true;
}

/** CanAutoGen: whether the policy's rules allow autogen at all. */
export function canAutogen(spec: Spec): boolean {
  const needed = { v: false };
  for (const rule of filters(spec.rules)) {
    if (rule.generate) return false;
    const mutate = isMap(rule.mutate) ? rule.mutate : undefined;
    if (mutate && (mutate.patchesJson6902 || filters(mutate.foreach).some((f) => f.patchesJson6902))) return false;
    if (!descriptions(rule.match).every((d) => supports(d, needed))) return false;
    if (!descriptions(rule.exclude).every((d) => supports(d, needed))) return false;
  }
  return needed.v;
}

function sortedKinds(controllers: string): string[] {
  return controllers.split(',').sort();
}

function autogenName(prefix: string, name: string): string {
  const n = `${prefix}-${name}`;
  return n.length > 63 ? n.slice(0, 63) : n;
}

function replaceKinds(list: unknown, kinds: string[], onlyPod: boolean): unknown {
  return filters(list).map((f) => {
    const d = desc(f);
    if (onlyPod && !containsKind(strings(d.kinds), 'Pod')) return f;
    return { ...f, resources: { ...d, kinds } };
  });
}

const wrapPattern = (tplKey: string, p: unknown): unknown => ({ spec: { [tplKey]: p } });

/** generateRule: the rule rewritten for the given controller kinds with its pattern under tplKey. */
function generateRule(
  name: string,
  source: Rule | undefined,
  tplKey: string,
  kinds: string[],
  onlyPod: boolean,
): Rule | undefined {
  if (!source) return undefined;
  const rule: Rule = structuredClone(source);
  rule.name = name;
  const match = isMap(rule.match) ? rule.match : {};
  if (filters(match.any).length > 0) rule.match = { ...match, any: replaceKinds(match.any, kinds, onlyPod) };
  else if (filters(match.all).length > 0) rule.match = { ...match, all: replaceKinds(match.all, kinds, onlyPod) };
  else rule.match = { ...match, resources: { ...desc(match), kinds } };
  if (isMap(rule.exclude)) {
    const ex = rule.exclude;
    if (filters(ex.any).length > 0) rule.exclude = { ...ex, any: replaceKinds(ex.any, kinds, onlyPod) };
    else if (filters(ex.all).length > 0) rule.exclude = { ...ex, all: replaceKinds(ex.all, kinds, onlyPod) };
    else if (strings(desc(ex).kinds).length > 0) rule.exclude = { ...ex, resources: { ...desc(ex), kinds } };
  }
  const mutate = isMap(rule.mutate) ? rule.mutate : undefined;
  if (mutate) {
    if (mutate.patchStrategicMerge !== undefined) {
      rule.mutate = { patchStrategicMerge: wrapPattern(tplKey, mutate.patchStrategicMerge) };
      return rule;
    }
    if (filters(mutate.foreach).length > 0) {
      rule.mutate = {
        foreach: filters(mutate.foreach).map((f) => ({
          list: f.list,
          context: f.context,
          preconditions: f.preconditions,
          patchStrategicMerge: wrapPattern(tplKey, f.patchStrategicMerge),
        })),
      };
      return rule;
    }
  }
  const v = isMap(rule.validate) ? rule.validate : undefined;
  if (v) {
    const keep = {
      message: v.message,
      failureAction: v.failureAction,
      failureActionOverrides: v.failureActionOverrides,
      allowExistingViolations: v.allowExistingViolations,
    };
    if (v.pattern !== undefined && v.pattern !== null) {
      rule.validate = { ...keep, pattern: wrapPattern(tplKey, v.pattern) };
      return rule;
    }
    if (v.deny !== undefined && v.deny !== null) {
      rule.validate = { ...keep, deny: v.deny };
      return rule;
    }
    if (v.podSecurity !== undefined && v.podSecurity !== null) {
      rule.validate = { ...keep, podSecurity: v.podSecurity };
      return rule;
    }
    if (Array.isArray(v.anyPattern)) {
      rule.validate = { ...keep, anyPattern: v.anyPattern.map((p) => wrapPattern(tplKey, p)) };
      return rule;
    }
    if (filters(v.foreach).length > 0) {
      rule.validate = { ...keep, foreach: v.foreach };
      return rule;
    }
    if (v.cel !== undefined) return rule;
    if (isMap(v.assert)) return rule;
  }
  if (rule.verifyImages !== undefined) return rule;
  return undefined;
}

function ruleForControllers(rule: Rule, controllers: string): Rule | undefined {
  const name = typeof rule.name === 'string' ? rule.name : '';
  if (name.startsWith('autogen-') || controllers === '') return undefined;
  const matchKinds = kindsOf(rule.match);
  const excludeKinds = kindsOf(rule.exclude);
  if (!containsKind(matchKinds, 'Pod') || (excludeKinds.length > 0 && !containsKind(excludeKinds, 'Pod')))
    return undefined;
  let list = controllers;
  if (controllers === 'all') list = 'DaemonSet,Deployment,Job,StatefulSet,ReplicaSet,ReplicationController';
  else if (controllers !== 'none') {
    const valid = sortedKinds(controllers).filter((c) => WITHOUT_CRONJOB.has(c));
    if (valid.length > 0) list = valid.join(',');
  }
  return generateRule(autogenName('autogen', name), rule, 'template', sortedKinds(list), true);
}

function cronJobRule(rule: Rule, controllers: string): Rule | undefined {
  if (!controllers.includes('CronJob') && !controllers.includes('all')) return undefined;
  const name = typeof rule.name === 'string' ? rule.name : '';
  return generateRule(
    autogenName('autogen-cronjob', name),
    ruleForControllers(rule, controllers),
    'jobTemplate',
    ['CronJob'],
    false,
  );
}

const REPLACEMENTS: Record<'Pod' | 'Cronjob', [string, string][]> = {
  Pod: [
    ['request.object.spec', 'request.object.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
  ],
  Cronjob: [
    ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
    ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
    ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
    ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
  ],
};
const CEL_REPLACEMENTS: Record<'Pod' | 'Cronjob', [string, string][]> = {
  Pod: REPLACEMENTS.Pod.map(([a, b]) => [a.replace('request.', ''), b.replace('request.', '')]),
  Cronjob: REPLACEMENTS.Cronjob.map(([a, b]) => [a.replace('request.', ''), b.replace('request.', '')]),
};

/** convertRule: the JSON text of the rule with the object paths moved under the template. */
function convert(rule: Rule, kind: 'Pod' | 'Cronjob'): Rule {
  const cel = isMap(rule.validate) && rule.validate.cel !== undefined;
  let text = JSON.stringify(rule);
  for (const [from, to] of (cel ? CEL_REPLACEMENTS : REPLACEMENTS)[kind]) text = text.replaceAll(from, to);
  return JSON.parse(text) as Rule;
}

/** The controllers autogen applies to, or undefined when it does not apply. */
export function autogenControllers(
  spec: Spec,
  annotations: Readonly<Record<string, unknown>>,
): Set<string> | undefined {
  if (!canAutogen(spec)) return undefined;
  const ann = annotations[AUTOGEN_ANNOTATION];
  if (typeof ann === 'string') {
    if (ann === 'none') return undefined;
    return new Set(ann.split(','));
  }
  return new Set(POD_CONTROLLERS);
}

/**
 * ComputeRules: the rules that apply to a resource of `kind` (the policy's own rules, plus the
 * generated ones when `kind` is one of the autogen controllers).
 */
export function computeRules(spec: Spec, annotations: Readonly<Record<string, unknown>>, kind: string): Rule[] {
  const rules = filters(spec.rules);
  const controllers = autogenControllers(spec, annotations);
  if (!controllers?.has(kind)) return rules;
  // Kyverno passes the resource's kind as the controller list (ComputeRules(policy, gvk.Kind)).
  const list = kind;
  const generated: Rule[] = [];
  const stripped = sortedKinds(list)
    .filter((c) => c !== 'CronJob')
    .join(',');
  for (const rule of rules) {
    const g = ruleForControllers(rule, stripped);
    if (g) generated.push(convert(g, 'Pod'));
    const c = cronJobRule(rule, list);
    if (c) generated.push(convert(c, 'Cronjob'));
  }
  if (generated.length === 0) return rules;
  return [...rules.filter((r) => !(typeof r.name === 'string' && r.name.startsWith('autogen-'))), ...generated];
}
