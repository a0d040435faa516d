/**
 * Seeded generator of the Kyverno shapes that need more than a policy and a resource: rules whose
 * outcome depends on what `kyverno apply` is given beside them (test/kyverno/kyverno-oracle.test.ts
 * runs them against the CLI with the same inputs):
 * - `namespaceSelector` in `match`/`exclude`, with the namespaces' labels in the values file
 *   (`namespaceSelector[].labels`, the only way the CLI learns them);
 * - `context` entries of type `configMap`, their data supplied by the values file (global, per
 *   resource, per rule) or not at all;
 * - `verifyImages` (offline: no registry, whatever the CLI does then);
 * - `validate.podSecurity` (levels, versions, `exclude` by control, images, restricted field and values);
 * - request user info (`--userinfo`: username, groups, roles, clusterRoles) in `subjects`, `roles`,
 *   `clusterRoles` filters and in conditions over `request.userInfo`, `request.roles`, ...
 * Resources are those of variations.ts with more pod-security fields varied. Pure: same seed, same batch.
 */
import { chance, int, NAMESPACES, pick, prng, resource, some, type Obj, type Rand } from './variations.js';

export interface ShapeBatch {
  readonly seed: number;
  readonly policies: readonly Obj[];
  readonly resources: readonly Obj[];
  /** A Kyverno CLI Values document (cli.kyverno.io/v1alpha1), for `--values-file`. */
  readonly values: Obj;
  /** A Kyverno CLI UserInfo document for `--userinfo`, or none. */
  readonly userInfo?: Obj;
}

// ---------------------------------------------------------------- inputs beside the policies

const NS_LABELS: Record<string, readonly string[]> = {
  env: ['prod', 'dev'],
  tier: ['1', '2'],
  'pod-security': ['restricted', 'baseline'],
};

/** Labels for some of the namespaces (the others are unknown to both sides). */
function namespaceSelectorValues(r: Rand): Obj[] {
  const out: Obj[] = [];
  for (const name of NAMESPACES) {
    if (chance(r, 0.2)) continue;
    const labels: Obj = {};
    for (const [k, vs] of Object.entries(NS_LABELS)) if (chance(r, 0.6)) labels[k] = pick(r, vs);
    out.push({ name, labels });
  }
  return out;
}

const USERS: readonly Obj[] = [
  {
    userInfo: { username: 'alice', groups: ['devs', 'system:authenticated'] },
    roles: ['team-a:developer'],
    clusterRoles: ['view'],
  },
  {
    userInfo: {
      username: 'system:serviceaccount:flux-system:kustomize-controller',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:flux-system'],
    },
    clusterRoles: ['cluster-admin'],
  },
  {
    userInfo: { username: 'bob', groups: ['ops'] },
    roles: ['prod:admin', 'team-b:developer'],
    clusterRoles: ['admin', 'view'],
  },
  { userInfo: { username: 'carol' } },
];

/** Data a `cfg` ConfigMap context entry reads (`cfg.data.KEY`). */
const CFG_DATA: Record<string, readonly string[]> = {
  env: ['prod', 'dev'],
  registry: ['ghcr.io', 'acme.azurecr.io', 'docker.io'],
  maxContainers: ['1', '2', '3'],
  owners: ['ops', 'dev'],
};

function cfgValues(r: Rand, prefix: string): Obj {
  const out: Obj = {};
  for (const [k, vs] of Object.entries(CFG_DATA)) if (chance(r, 0.8)) out[`${prefix}.data.${k}`] = pick(r, vs);
  return out;
}

// ---------------------------------------------------------------- rules

const KINDS = [['Pod'], ['Pod'], ['Deployment'], ['Pod', 'Deployment'], ['CronJob']] as const;

function nsSelector(r: Rand): Obj {
  if (chance(r, 0.5))
    return { matchLabels: { [pick(r, Object.keys(NS_LABELS))]: pick(r, ['prod', 'dev', '1', 'restricted']) } };
  const op = pick(r, ['In', 'NotIn', 'Exists', 'DoesNotExist']);
  return {
    matchExpressions: [
      {
        key: pick(r, Object.keys(NS_LABELS)),
        operator: op,
        ...(op === 'In' || op === 'NotIn' ? { values: some(r, ['prod', 'dev', '2', 'baseline'], 2) } : {}),
      },
    ],
  };
}

function podPath(kinds: readonly string[]): string {
  return kinds.includes('Pod')
    ? 'request.object.spec'
    : kinds.includes('CronJob')
      ? 'request.object.spec.jobTemplate.spec.template.spec'
      : 'request.object.spec.template.spec';
}

function simpleValidate(r: Rand, kinds: readonly string[]): Obj {
  const spec = podPath(kinds);
  return pick(r, [
    () => ({
      message: 'no latest on {{ request.object.metadata.name }}',
      deny: {
        conditions: {
          any: [{ key: `{{ ${spec}.containers[].image }}`, operator: 'AnyIn', value: ['*:latest', 'nginx'] }],
        },
      },
    }),
    () => ({
      message: 'too many containers',
      deny: { conditions: { all: [{ key: `{{ length(${spec}.containers) }}`, operator: 'GreaterThan', value: 1 }] } },
    }),
    () => ({
      message: 'labelled',
      deny: {
        conditions: { any: [{ key: "{{ request.object.metadata.labels.app || '' }}", operator: 'Equals', value: '' }] },
      },
    }),
  ])();
}

function namespaceSelectorRule(r: Rand, name: string): Obj {
  const kinds = [...pick(r, KINDS)];
  const res: Obj = { kinds, namespaceSelector: nsSelector(r) };
  if (chance(r, 0.2)) res.namespaces = some(r, ['team-*', 'default', 'prod'], 2);
  const match = chance(r, 0.7)
    ? { any: [{ resources: res }] }
    : {
        all: [
          { resources: res },
          ...(chance(r, 0.3) ? [{ resources: { kinds, namespaceSelector: nsSelector(r) } }] : []),
        ],
      };
  const out: Obj = { name, match, validate: simpleValidate(r, kinds) };
  if (chance(r, 0.3)) out.exclude = { any: [{ resources: { kinds, namespaceSelector: nsSelector(r) } }] };
  return out;
}

function configMapRule(r: Rand, name: string): Obj {
  const kinds = [...pick(r, KINDS)];
  const spec = podPath(kinds);
  const cm = {
    name: pick(r, ['settings', 'settings-{{ request.namespace }}']),
    namespace: pick(r, ['default', '{{ request.namespace }}']),
  };
  const out: Obj = { name, match: { any: [{ resources: { kinds } }] }, context: [{ name: 'cfg', configMap: cm }] };
  if (chance(r, 0.3))
    out.preconditions = {
      all: [{ key: "{{ cfg.data.env || 'none' }}", operator: pick(r, ['Equals', 'NotEquals']), value: 'prod' }],
    };
  out.validate = pick(r, [
    () => ({
      message: 'registry {{ cfg.data.registry }}',
      deny: {
        conditions: {
          any: [
            { key: `{{ ${spec}.containers[].image }}`, operator: 'AnyNotIn', value: ['{{ cfg.data.registry }}/*'] },
          ],
        },
      },
    }),
    () => ({
      message: 'at most {{ cfg.data.maxContainers }} containers',
      deny: {
        conditions: {
          all: [
            { key: `{{ length(${spec}.containers) }}`, operator: 'GreaterThan', value: '{{ cfg.data.maxContainers }}' },
          ],
        },
      },
    }),
    () => ({
      message: 'owner must be {{ cfg.data.owners }}',
      deny: {
        conditions: {
          any: [
            {
              key: '{{ request.object.metadata.annotations."example.com/owner" || \'\' }}',
              operator: 'NotEquals',
              value: '{{ cfg.data.owners }}',
            },
          ],
        },
      },
    }),
    () => ({
      message: 'images from {{ cfg.data.registry }}',
      pattern: kinds.includes('Pod')
        ? { spec: { containers: [{ image: '{{ cfg.data.registry }}/*' }] } }
        : { spec: { template: { spec: { containers: [{ image: '{{ cfg.data.registry }}/*' }] } } } },
    }),
    () => ({
      message: 'env {{ cfg.data.env }}',
      deny: {
        conditions: {
          any: [
            { key: '{{ cfg.data.env }}', operator: 'Equals', value: "{{ request.object.metadata.labels.env || 'x' }}" },
          ],
        },
      },
    }),
  ])();
  return out;
}

const PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1PUF1kHdCYDRbh2ZJHEZs6v2vGc9\n' +
  'D+TrQfwOZCpEMeyZ9uptoxCxICMhRhPNMKPtB11j7tc7KWkHkL07xWDhbg==\n-----END PUBLIC KEY-----';

function verifyImagesRule(r: Rand, name: string): Obj {
  const kinds = [...pick(r, KINDS)];
  const entry: Obj = {
    imageReferences: some(r, ['ghcr.io/*', 'acme.azurecr.io/*', '*', 'docker.io/library/redis*', 'example.org/*'], 2),
    attestors: [
      {
        entries: [
          chance(r, 0.7)
            ? { keys: { publicKeys: PUBLIC_KEY } }
            : {
                keyless: {
                  subject: 'https://github.com/acme/*',
                  issuer: 'https://token.actions.githubusercontent.com',
                  ...(chance(r, 0.8) ? { rekor: { url: 'https://rekor.sigstore.dev' } } : {}),
                },
              },
        ],
      },
    ],
  };
  if (chance(r, 0.8)) entry.mutateDigest = false;
  if (chance(r, 0.4)) entry.verifyDigest = chance(r, 0.5);
  if (chance(r, 0.3)) entry.required = chance(r, 0.5);
  return { name, match: { any: [{ resources: { kinds } }] }, verifyImages: [entry] };
}

const PSS_CONTROLS = [
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
] as const;

function pssExclude(r: Rand): Obj {
  const controlName = pick(r, PSS_CONTROLS);
  const e: Obj = { controlName };
  const podLevel = ['Host Namespaces', 'HostPath Volumes', 'Sysctls', 'Volume Types'].includes(controlName);
  if (!podLevel || chance(r, 0.2)) e.images = some(r, ['nginx*', '*', 'ghcr.io/*', 'busybox*'], 2);
  if (chance(r, 0.25)) {
    const fields: Record<string, [string, unknown[]]> = {
      Capabilities: ['spec.containers[*].securityContext.capabilities.add', ['NET_ADMIN', 'SYS_TIME']],
      'Host Namespaces': ['spec.hostNetwork', ['true']],
      'Running as Non-root user': ['spec.containers[*].securityContext.runAsUser', ['0']],
      Seccomp: ['spec.securityContext.seccompProfile.type', ['Unconfined']],
      'Host Ports': ['spec.containers[*].ports[*].hostPort', ['80', '8080']],
    };
    const f = fields[controlName];
    if (f) {
      e.restrictedField = f[0];
      e.values = f[1];
    }
  }
  return e;
}

function podSecurityRule(r: Rand, name: string): Obj {
  const kinds = [...pick(r, KINDS)];
  const ps: Obj = {
    level: pick(r, ['baseline', 'baseline', 'restricted', 'restricted', 'privileged']),
    version: pick(r, ['latest', 'latest', 'v1.29', 'v1.25', 'v1.33']),
  };
  if (chance(r, 0.5)) ps.exclude = Array.from({ length: int(r, 1, 3) }, () => pssExclude(r));
  return { name, match: { any: [{ resources: { kinds } }] }, validate: { podSecurity: ps } };
}

function subject(r: Rand): Obj {
  return pick(r, [
    { kind: 'User', name: pick(r, ['alice', 'bob', 'a*']) },
    { kind: 'Group', name: pick(r, ['devs', 'ops', 'system:serviceaccounts']) },
    { kind: 'ServiceAccount', name: pick(r, ['kustomize-controller', '*']), namespace: 'flux-system' },
  ]);
}

function userRule(r: Rand, name: string): Obj {
  const kinds = [...pick(r, KINDS)];
  const filter: Obj = { resources: { kinds } };
  const which = pick(r, ['subjects', 'roles', 'clusterRoles', 'none']);
  if (which === 'subjects') filter.subjects = Array.from({ length: int(r, 1, 2) }, () => subject(r));
  if (which === 'roles') filter.roles = some(r, ['team-a:developer', 'prod:admin', 'default:view'], 2);
  if (which === 'clusterRoles') filter.clusterRoles = some(r, ['cluster-admin', 'admin', 'view', 'edit'], 2);
  const out: Obj = { name, match: { [chance(r, 0.7) ? 'any' : 'all']: [filter] } };
  if (chance(r, 0.25))
    out.exclude = {
      any: [chance(r, 0.5) ? { subjects: [subject(r)] } : { clusterRoles: some(r, ['cluster-admin', 'view'], 1) }],
    };
  const key = pick(r, [
    { key: '{{ request.userInfo.username }}', values: ['alice', 'bob', 'a*', ['alice', 'carol']] },
    { key: '{{ request.userInfo.groups || `[]` }}', values: [['devs'], 'ops', ['system:*']] },
    { key: '{{ request.roles }}', values: [['team-a:developer'], 'prod:*', []] },
    { key: '{{ request.clusterRoles }}', values: [['cluster-admin'], ['view', 'edit'], 'admin'] },
    { key: '{{ serviceAccountName }}', values: ['kustomize-controller', '', 'k*'] },
    { key: '{{ serviceAccountNamespace }}', values: ['flux-system', ''] },
  ]);
  out.validate = {
    message: pick(r, [
      'user {{ request.userInfo.username }} may not',
      'denied for {{ serviceAccountName }}',
      'not allowed',
    ]),
    deny: {
      conditions: {
        [chance(r, 0.5) ? 'any' : 'all']: [
          {
            key: key.key,
            operator: pick(r, ['Equals', 'NotEquals', 'AnyIn', 'AllNotIn', 'AnyNotIn']),
            value: pick(r, key.values),
          },
        ],
      },
    },
  };
  return out;
}

type Shape = 'namespaceSelector' | 'configMap' | 'verifyImages' | 'podSecurity' | 'userInfo';
const SHAPES: readonly Shape[] = [
  'namespaceSelector',
  'configMap',
  'verifyImages',
  'podSecurity',
  'podSecurity',
  'userInfo',
];
const RULES: Record<Shape, (r: Rand, name: string) => Obj> = {
  namespaceSelector: namespaceSelectorRule,
  configMap: configMapRule,
  verifyImages: verifyImagesRule,
  podSecurity: podSecurityRule,
  userInfo: userRule,
};

function policy(r: Rand, name: string): { policy: Obj; ruleValues: { name: string; values: Obj }[] } {
  const shapes = Array.from({ length: int(r, 1, 3) }, () => pick(r, SHAPES));
  const rules = shapes.map((s, i) => RULES[s](r, `${s.toLowerCase()}-${i}`));
  // Variables in match/exclude user filters need background: false (the CLI refuses them otherwise).
  const spec: Obj = {
    background: shapes.includes('userInfo') || shapes.includes('verifyImages') ? chance(r, 0.15) : chance(r, 0.7),
    rules,
  };
  spec.validationFailureAction = pick(r, ['Enforce', 'Audit', 'Enforce']);
  const ruleValues = rules
    .filter((x) => Array.isArray(x.context) && chance(r, 0.5))
    .map((x) => ({ name: String(x.name), values: cfgValues(r, 'cfg') }));
  return { policy: { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec }, ruleValues };
}

// ---------------------------------------------------------------- resources

/** More Pod Security fields than variations.ts varies, on the pod spec of a workload. */
function harden(r: Rand, o: Obj): Obj {
  const spec =
    o.kind === 'Pod'
      ? (o.spec as Obj | undefined)
      : o.kind === 'Deployment'
        ? (((o.spec as Obj).template as Obj).spec as Obj)
        : o.kind === 'CronJob'
          ? (((((o.spec as Obj).jobTemplate as Obj).spec as Obj).template as Obj).spec as Obj)
          : undefined;
  if (!spec) return o;
  if (chance(r, 0.3)) {
    // Fully restricted containers, so restricted can pass.
    for (const c of spec.containers as Obj[])
      c.securityContext = {
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'], ...(chance(r, 0.3) ? { add: ['NET_BIND_SERVICE'] } : {}) },
        seccompProfile: { type: 'RuntimeDefault' },
      };
    delete spec.hostNetwork;
    delete spec.hostPID;
    if (chance(r, 0.7)) delete spec.volumes;
    for (const c of spec.containers as Obj[]) for (const p of (c.ports as Obj[] | undefined) ?? []) delete p.hostPort;
    if (chance(r, 0.5)) delete spec.initContainers;
  }
  const podSc: Obj = (spec.securityContext as Obj | undefined) ?? {};
  if (chance(r, 0.25))
    podSc.seccompProfile = {
      type: pick(r, ['RuntimeDefault', 'Unconfined', 'Localhost']),
      ...(chance(r, 0.5) ? {} : {}),
    };
  if (podSc.seccompProfile && (podSc.seccompProfile as Obj).type === 'Localhost')
    (podSc.seccompProfile as Obj).localhostProfile = 'profiles/a.json';
  if (chance(r, 0.1))
    podSc.sysctls = [
      { name: pick(r, ['net.ipv4.ip_local_port_range', 'kernel.msgmax', 'net.ipv4.ping_group_range']), value: '1' },
    ];
  if (chance(r, 0.08)) podSc.seLinuxOptions = pick(r, [{ type: 'container_t' }, { type: 'spc_t' }, { user: 'root' }]);
  if (chance(r, 0.08)) podSc.appArmorProfile = { type: pick(r, ['RuntimeDefault', 'Unconfined']) };
  if (chance(r, 0.05)) podSc.windowsOptions = { hostProcess: true };
  if (Object.keys(podSc).length) spec.securityContext = podSc;
  if (chance(r, 0.08)) spec.hostIPC = true;
  for (const c of spec.containers as Obj[]) {
    const sc: Obj = (c.securityContext as Obj | undefined) ?? {};
    if (chance(r, 0.1)) sc.procMount = pick(r, ['Default', 'Unmasked']);
    if (chance(r, 0.1)) sc.seccompProfile = { type: pick(r, ['RuntimeDefault', 'Unconfined']) };
    if (chance(r, 0.05)) sc.seLinuxOptions = { type: pick(r, ['container_init_t', 'spc_t']) };
    if (Object.keys(sc).length) c.securityContext = sc;
  }
  if (chance(r, 0.1))
    spec.volumes = [
      ...((spec.volumes as Obj[] | undefined) ?? []),
      pick(r, [
        { name: 'n', nfs: { server: 'x', path: '/' } },
        { name: 'cm', configMap: { name: 'x' } },
        { name: 'p', persistentVolumeClaim: { claimName: 'x' } },
      ]),
    ];
  return o;
}

/** One batch: policies of the five shapes, resources, the Values document and maybe a UserInfo. */
export function shapeBatch(seed: number, policies = 25, resources = 40): ShapeBatch {
  const r = prng(seed);
  const made = Array.from({ length: policies }, (_, i) => policy(r, `shape-${seed}-${i}`));
  const res = Array.from({ length: resources }, (_, i) => harden(r, resource(r, `res-${i}`)));
  const values: Obj = { apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Values', metadata: { name: 'values' } };
  if (chance(r, 0.6)) values.globalValues = cfgValues(r, 'cfg');
  const pols = made
    .map((m) => {
      const entry: Obj = { name: (m.policy.metadata as Obj).name };
      if (m.ruleValues.length) entry.rules = m.ruleValues;
      if (chance(r, 0.3))
        entry.resources = some(r, res.slice(0, 8), 3).map((x) => ({
          name: (x.metadata as Obj).name,
          values: cfgValues(r, 'cfg'),
        }));
      return entry;
    })
    .filter((e) => e.rules !== undefined || e.resources !== undefined);
  if (pols.length) values.policies = pols;
  values.namespaceSelector = namespaceSelectorValues(r);
  const u = pick(r, [undefined, ...USERS]);
  return {
    seed,
    policies: made.map((m) => m.policy),
    resources: res,
    values,
    ...(u
      ? {
          userInfo: {
            apiVersion: 'cli.kyverno.io/v1alpha1',
            kind: 'UserInfo',
            metadata: { name: 'user' },
            ...structuredClone(u),
          },
        }
      : {}),
  };
}
