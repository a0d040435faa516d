/**
 * What the Kyverno API types refuse in `validate.podSecurity` and `verifyImages` (the CRD's enums
 * and the types' Validate methods, api/kyverno/v1 common_types.go and image_verification_types.go
 * of Kyverno 1.19): the CLI does not load such a policy, and neither do we.
 */
import { isMap } from '../pattern/go-values.js';

/** api/kyverno/v1 PodSecurity.Version: `+kubebuilder:validation:Enum` (the CLI drops a policy outside it). */
export const PSS_VERSIONS = [
  'v1.19',
  'v1.20',
  'v1.21',
  'v1.22',
  'v1.23',
  'v1.24',
  'v1.25',
  'v1.26',
  'v1.27',
  'v1.28',
  'v1.29',
  'v1.30',
  'v1.31',
  'v1.32',
  'latest',
] as const;
const PSS_LEVELS = ['privileged', 'baseline', 'restricted'];
const CONTROLS = [
  'HostProcess',
  'Host Namespaces',
  'Privileged Containers',
  'Capabilities',
  'HostPath Volumes',
  'Host Ports',
  'AppArmor',
  'SELinux',
  '/proc Mount Type',
  'Seccomp',
  'Sysctls',
  'Volume Types',
  'Privilege Escalation',
  'Running as Non-root',
  'Running as Non-root user',
];
/** pkg/pss/utils mapping.go. */
const POD_LEVEL = ['Host Namespaces', 'HostPath Volumes', 'Sysctls', 'Volume Types'];
const CONTAINER_LEVEL = [
  'Capabilities',
  'Privileged Containers',
  'Host Ports',
  '/proc Mount Type',
  'Privilege Escalation',
];
/**
 * Controls of the restricted level only: a `baseline` rule may not exclude them (Seccomp and Capabilities exist at
 * both).
 */
const RESTRICTED_ONLY = ['Volume Types', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user'];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function podSecurityProblems(ps: unknown, path: string): string[] {
  if (!isMap(ps)) return [];
  const out: string[] = [];
  if (ps.level !== undefined && !PSS_LEVELS.includes(String(ps.level)))
    out.push(`${path}.level: Unsupported value: "${String(ps.level)}"`);
  if (
    ps.version !== undefined &&
    ps.version !== '' &&
    !(PSS_VERSIONS as readonly string[]).includes(String(ps.version))
  )
    out.push(
      `${path}.version: Unsupported value: "${String(ps.version)}": supported values: ` +
        `${PSS_VERSIONS.map((v) => `"${v}"`).join(', ')}`,
    );
  list(ps.exclude).forEach((e, i) => {
    if (!isMap(e)) return;
    const at = `${path}.exclude[${i}]`;
    const control = String(e.controlName ?? '');
    if (!CONTROLS.includes(control)) out.push(`${at}.controlName: Unsupported value: "${control}"`);
    const images = list(e.images);
    if (CONTAINER_LEVEL.includes(control) && images.length === 0)
      out.push(
        `${at}.controlName: Invalid value: "${control}": exclude.images must be specified for the container ` +
          `level control`,
      );
    if (POD_LEVEL.includes(control) && images.length > 0)
      out.push(
        `${at}.controlName: Invalid value: "${control}": exclude.images must not be specified for the pod ` +
          `level control`,
      );
    const field = typeof e.restrictedField === 'string' ? e.restrictedField : '';
    if (field !== '' && list(e.values).length === 0) out.push(`${at}.values: Forbidden: values is required`);
    if (field === '' && list(e.values).length > 0)
      out.push(`${at}.restrictedField: Forbidden: restrictedField is required`);
    // api/kyverno/v1 rule_types.go ValidatePSaControlNames
    if (ps.level === 'baseline' && RESTRICTED_ONLY.includes(control))
      out.push(`${at}.controlName: Invalid value: "${control}": Invalid control name defined at the given level`);
  });
  return out;
}

/**
 * `verifyImages` entries: mutateDigest (default true) needs Enforce; image references; keyless attestors need Rekor or
 * roots.
 */
export function verifyImagesProblems(verifyImages: unknown, audit: boolean, path: string): string[] {
  const out: string[] = [];
  list(verifyImages).forEach((v, i) => {
    if (!isMap(v)) return;
    const at = `${path}[${i}]`;
    if (audit && v.mutateDigest !== false)
      out.push(`${at}.mutateDigest: Invalid value: true: mutateDigest must be set to false for 'Audit' failure action`);
    if (list(v.imageReferences).length === 0 && typeof v.image !== 'string')
      out.push(`${at}: An image reference is required`);
    list(v.attestors).forEach((a, j) => {
      list(isMap(a) ? a.entries : undefined).forEach((en, k) => {
        if (!isMap(en) || !isMap(en.keyless)) return;
        const kl = en.keyless;
        if (kl.rekor === undefined && (typeof kl.roots !== 'string' || kl.roots === ''))
          out.push(`${at}.attestors[${j}].entries[${k}].keyless: Either Rekor URL or roots are required`);
        else if (isMap(kl.rekor) && !kl.rekor.url)
          out.push(`${at}.attestors[${j}].entries[${k}].keyless: An URL is required`);
      });
    });
  });
  return out;
}
