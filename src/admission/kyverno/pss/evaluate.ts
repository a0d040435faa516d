/**
 * `validate.podSecurity` (pkg/engine/handlers/validation/validate_pss.go, pkg/pss): the Pod Security
 * Standards at `level` on the pod spec (of a Pod, a pod controller's template, or a CronJob's job
 * template), minus what `exclude` exempts: an entry with a `controlName` and no `images` exempts the
 * pod-level fields of that control, one with `images` (wildcards) the containers whose image matches.
 * An entry with `restrictedField`/`values` is not applied (the violation stays: never a silent pass).
 */
import { isMap } from '../pattern/go-values.js';
import { wildcardMatch } from '../wildcard/match.js';
import { podSecurityViolations } from './checks.js';

export interface PssOutcome {
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string;
}

type Obj = Record<string, unknown>;

function podParts(resource: Obj): { spec: Obj; annotations: Obj } | undefined {
  const spec = isMap(resource.spec) ? resource.spec : undefined;
  const meta = isMap(resource.metadata) ? resource.metadata : {};
  if (!spec) return undefined;
  if (resource.kind === 'Pod') return { spec, annotations: isMap(meta.annotations) ? meta.annotations : {} };
  const tpl =
    resource.kind === 'CronJob'
      ? isMap(spec.jobTemplate) && isMap(spec.jobTemplate.spec)
        ? spec.jobTemplate.spec.template
        : undefined
      : spec.template;
  if (!isMap(tpl) || !isMap(tpl.spec)) return undefined;
  const tmeta = isMap(tpl.metadata) ? tpl.metadata : {};
  return { spec: tpl.spec, annotations: isMap(tmeta.annotations) ? tmeta.annotations : {} };
}

/** Evaluates a podSecurity block on a resource. */
export function validatePodSecurity(podSecurity: unknown, resource: Obj, ruleName: string): PssOutcome {
  if (!isMap(podSecurity)) return { status: 'error', message: 'validate.podSecurity must be an object' };
  const level = String(podSecurity.level ?? '');
  if (level !== 'privileged' && level !== 'baseline' && level !== 'restricted')
    return {
      status: 'error',
      message: `validate.podSecurity.level must be privileged, baseline or restricted, not '${level}'`,
    };
  const parts = podParts(resource);
  if (!parts) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  const excludes = Array.isArray(podSecurity.exclude) ? podSecurity.exclude.filter(isMap) : [];
  const exempt = (control: string, image: string | undefined): boolean =>
    excludes.some((e) => {
      if (e.controlName !== control || e.restrictedField !== undefined || e.values !== undefined) return false;
      const images = Array.isArray(e.images) ? e.images.map(String) : [];
      if (image === undefined) return images.length === 0;
      return images.some((p) => wildcardMatch(p, image));
    });
  // pkg/pss evaluatePSS skips the restricted checks for `baseline` only: `privileged` runs every
  // check, as `restricted` does (Kyverno 1.19; checked with the CLI).
  const left = podSecurityViolations(
    parts.spec,
    parts.annotations,
    level === 'baseline' ? 'baseline' : 'restricted',
  ).filter((v) => !exempt(v.control, v.image));
  if (left.length === 0) return { status: 'pass', message: `Validation rule '${ruleName}' passed.` };
  const controls = [...new Set(left.map((v) => v.control))];
  return {
    status: 'fail',
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${level}:${String(podSecurity.version ?? 'latest')}": ${controls
      .map(
        (c) =>
          `(${c}) ${left
            .filter((v) => v.control === c)
            .map((v) => v.message)
            .join('; ')}`,
      )
      .join(', ')}`,
  };
}
