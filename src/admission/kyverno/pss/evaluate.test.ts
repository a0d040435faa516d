/** validate.podSecurity: levels, pod- and container-level violations, and Kyverno's exclude entries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validatePodSecurity } from './evaluate.js';

const pod = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec,
});
const restrictedContainer = {
  name: 'c',
  image: 'nginx:1',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
  },
};

test('restricted passes a hardened pod and fails each weakened field; baseline allows them', () => {
  assert.equal(
    validatePodSecurity({ level: 'restricted' }, pod({ containers: [restrictedContainer] }), 'r').status,
    'pass',
  );
  const weak = {
    ...restrictedContainer,
    securityContext: { ...restrictedContainer.securityContext, allowPrivilegeEscalation: true },
  };
  const r = validatePodSecurity({ level: 'restricted' }, pod({ containers: [weak] }), 'r');
  assert.equal(r.status, 'fail');
  assert.match(r.message, /\(Privilege Escalation\)/);
  assert.equal(validatePodSecurity({ level: 'baseline' }, pod({ containers: [weak] }), 'r').status, 'pass');
  assert.equal(
    validatePodSecurity({ level: 'baseline' }, pod({ hostNetwork: true, containers: [weak] }), 'r').status,
    'fail',
  );
});

test('exclude: controlName alone exempts pod-level fields; images exempt matching containers only', () => {
  const spec = {
    securityContext: { seccompProfile: { type: 'Unconfined' } },
    containers: [
      {
        ...restrictedContainer,
        securityContext: { ...restrictedContainer.securityContext, seccompProfile: undefined },
      },
    ],
  };
  assert.equal(
    validatePodSecurity({ level: 'restricted', exclude: [{ controlName: 'Seccomp' }] }, pod(spec), 'r').status,
    'fail',
  );
  assert.equal(
    validatePodSecurity(
      { level: 'restricted', exclude: [{ controlName: 'Seccomp' }, { controlName: 'Seccomp', images: ['nginx*'] }] },
      pod(spec),
      'r',
    ).status,
    'pass',
  );
  assert.equal(
    validatePodSecurity(
      { level: 'restricted', exclude: [{ controlName: 'Seccomp' }, { controlName: 'Seccomp', images: ['redis*'] }] },
      pod(spec),
      'r',
    ).status,
    'fail',
  );
});

test('a Deployment is checked through its pod template; a bad level is an error', () => {
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { hostPID: true, containers: [restrictedContainer] } } },
  };
  assert.equal(validatePodSecurity({ level: 'baseline' }, deploy, 'r').status, 'fail');
  assert.equal(validatePodSecurity({ level: 'strict' }, deploy, 'r').status, 'error');
});

test('level privileged runs every check, as Kyverno 1.19 does (pkg/pss evaluatePSS skips restricted checks for baseline only; checked with kyverno apply)', () => {
  assert.equal(
    validatePodSecurity({ level: 'privileged' }, pod({ containers: [restrictedContainer] }), 'r').status,
    'pass',
  );
  assert.equal(
    validatePodSecurity({ level: 'privileged' }, pod({ containers: [{ name: 'c', image: 'nginx' }] }), 'r').status,
    'fail',
  );
});
