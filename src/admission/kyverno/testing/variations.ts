/**
 * Seeded generator of Kyverno policy and resource variations for the differential test against the
 * real Kyverno CLI (test/kyverno/kyverno-oracle.test.ts). One batch is a set of ClusterPolicies
 * (validate `pattern`/`anyPattern` with anchors and value operators, `deny.conditions` with every
 * operator, `foreach`, `preconditions`, `validate.cel`, `match`/`exclude` with kinds, names,
 * namespaces and selectors, `context` variables and JMESPath) and a set of resources (Pods,
 * Deployments and CronJobs with labels, images, security contexts, resources and containers added
 * or removed, and a few kinds no rule is written for). Every policy is evaluated on every resource,
 * so one batch judges thousands of rule results. Pure: the same seed gives the same batch.
 */
import { mulberry32 } from '../../../seeded-random.js';

/** A small fast PRNG (mulberry32, src/seeded-random.ts): deterministic from a 32-bit seed. */
export const prng = mulberry32;

export type Rand = () => number;
export type Obj = Record<string, unknown>;

export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Rand, p: number): boolean => r() < p;
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export function some<T>(r: Rand, xs: readonly T[], max = xs.length): T[] {
  const n = int(r, 1, Math.min(max, xs.length));
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < n) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}

// ---------------------------------------------------------------- resources

export const NAMESPACES = ['default', 'team-a', 'team-b', 'kube-system', 'prod'] as const;
const IMAGES = [
  'nginx',
  'nginx:latest',
  'nginx:1.25.3',
  'ghcr.io/acme/api:v1.2.3',
  'docker.io/library/redis:7',
  'registry.k8s.io/pause:3.9',
  'acme.azurecr.io/app@sha256:4b1c6e9e1b1d5a5b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  'acme.azurecr.io/app:2.0.0',
  'busybox:1.36',
] as const;
const LABEL_VALUES: Record<string, readonly string[]> = {
  app: ['web', 'api', 'bad', 'Web'],
  team: ['a', 'b', ''],
  env: ['prod', 'dev', 'staging'],
  tier: ['1', '2', '10'],
};
const MEMORY = ['64Mi', '128Mi', '512M', '1Gi', '2Gi', '1.5Gi', '100'] as const;
const CPU = ['100m', '250m', '500m', '1', '2', '1500m', '0.5'] as const;

function labels(r: Rand): Obj | undefined {
  if (chance(r, 0.15)) return undefined;
  const out: Obj = {};
  for (const k of Object.keys(LABEL_VALUES)) if (chance(r, 0.5)) out[k] = pick(r, LABEL_VALUES[k]!);
  return out;
}

function securityContext(r: Rand): Obj {
  const out: Obj = {};
  if (chance(r, 0.5)) out.runAsNonRoot = chance(r, 0.6);
  if (chance(r, 0.4)) out.privileged = chance(r, 0.3);
  if (chance(r, 0.4)) out.allowPrivilegeEscalation = chance(r, 0.4);
  if (chance(r, 0.3)) out.runAsUser = pick(r, [0, 1000, 65534]);
  if (chance(r, 0.3)) out.readOnlyRootFilesystem = chance(r, 0.5);
  if (chance(r, 0.4))
    out.capabilities = chance(r, 0.6)
      ? { drop: ['ALL'] }
      : { add: some(r, ['NET_ADMIN', 'SYS_TIME', 'NET_BIND_SERVICE'], 2) };
  return out;
}

function container(r: Rand, i: number): Obj {
  const c: Obj = { name: `c${i}`, image: pick(r, IMAGES) };
  if (chance(r, 0.5)) c.securityContext = securityContext(r);
  if (chance(r, 0.6)) {
    const res: Obj = {};
    if (chance(r, 0.8))
      res.limits = {
        ...(chance(r, 0.8) ? { memory: pick(r, MEMORY) } : {}),
        ...(chance(r, 0.6) ? { cpu: pick(r, CPU) } : {}),
      };
    if (chance(r, 0.5))
      res.requests = {
        ...(chance(r, 0.8) ? { memory: pick(r, MEMORY) } : {}),
        ...(chance(r, 0.6) ? { cpu: pick(r, CPU) } : {}),
      };
    c.resources = res;
  }
  if (chance(r, 0.3))
    c.ports = [
      { containerPort: pick(r, [80, 8080, 443]), ...(chance(r, 0.3) ? { hostPort: pick(r, [80, 8080]) } : {}) },
    ];
  if (chance(r, 0.2)) c.imagePullPolicy = pick(r, ['Always', 'IfNotPresent', 'Never']);
  if (chance(r, 0.2)) c.env = [{ name: 'MODE', value: pick(r, ['debug', 'prod']) }];
  return c;
}

function podSpec(r: Rand): Obj {
  const spec: Obj = { containers: Array.from({ length: int(r, 1, 3) }, (_, i) => container(r, i)) };
  if (chance(r, 0.2)) spec.initContainers = [container(r, 9)];
  if (chance(r, 0.25)) spec.hostNetwork = chance(r, 0.5);
  if (chance(r, 0.15)) spec.hostPID = chance(r, 0.5);
  if (chance(r, 0.3))
    spec.securityContext = {
      ...(chance(r, 0.6) ? { runAsNonRoot: chance(r, 0.7) } : {}),
      ...(chance(r, 0.4) ? { runAsUser: pick(r, [0, 1000]) } : {}),
    };
  if (chance(r, 0.3))
    spec.volumes = [
      chance(r, 0.5) ? { name: 'v', hostPath: { path: pick(r, ['/var/run', '/data']) } } : { name: 'v', emptyDir: {} },
    ];
  if (chance(r, 0.2)) spec.serviceAccountName = pick(r, ['default', 'builder']);
  if (chance(r, 0.2)) spec.automountServiceAccountToken = chance(r, 0.5);
  return spec;
}

/** One resource: a Pod, a Deployment, a CronJob, or an unrelated kind. */
export function resource(r: Rand, name: string): Obj {
  const metadata: Obj = { name, namespace: pick(r, NAMESPACES) };
  const l = labels(r);
  if (l) metadata.labels = l;
  if (chance(r, 0.3))
    metadata.annotations = {
      ...(chance(r, 0.6) ? { 'example.com/owner': pick(r, ['ops', 'dev']) } : {}),
      ...(chance(r, 0.5) ? { 'example.com/timeout': pick(r, ['30s', '5m', '1h30m', '90m', 'bad']) } : {}),
      ...(chance(r, 0.4) ? { 'example.com/version': pick(r, ['1.2.3', '2.0.0', '0.9.10', 'v1.10.0']) } : {}),
      ...(chance(r, 0.3) ? { 'example.com/config': pick(r, ['{"a":1,"b":[1,2]}', 'e30=', 'not json']) } : {}),
    };
  const kind = pick(r, ['Pod', 'Pod', 'Pod', 'Deployment', 'Deployment', 'CronJob', 'ConfigMap']);
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata, spec: podSpec(r) };
  if (kind === 'ConfigMap') return { apiVersion: 'v1', kind, metadata, data: { key: pick(r, ['a', 'latest']) } };
  const template = {
    metadata: { labels: { ...(l ?? {}), app: (l?.app as string | undefined) ?? 'web' } },
    spec: podSpec(r),
  };
  if (kind === 'Deployment')
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata,
      spec: { replicas: int(r, 0, 5), selector: { matchLabels: { app: template.metadata.labels.app } }, template },
    };
  return {
    apiVersion: 'batch/v1',
    kind,
    metadata,
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } },
    },
  };
}

// ---------------------------------------------------------------- rules

const OPERATORS = [
  'Equals',
  'NotEquals',
  'In',
  'NotIn',
  'AnyIn',
  'AllIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
] as const;

/** JMESPath keys over the resource, with values of a fitting (and sometimes unfitting) type. */
const KEYS: readonly { key: string; values: readonly unknown[] }[] = [
  { key: "{{ request.object.metadata.labels.app || '' }}", values: ['web', 'bad', ['web', 'api'], 'w*', ''] },
  { key: '{{ request.object.metadata.namespace }}', values: ['default', ['team-a', 'team-b'], 'team-*', 'prod'] },
  {
    key: '{{ request.object.spec.containers[].image }}',
    values: [['nginx:latest'], 'nginx*', ['*:latest', 'nginx'], 'busybox:1.36'],
  },
  { key: '{{ length(request.object.spec.containers) }}', values: [1, 2, '2', 3, [1, 2]] },
  { key: '{{ request.object.spec.hostNetwork || `false` }}', values: [true, false, 'true'] },
  { key: "{{ request.object.metadata.labels.tier || '0' }}", values: [1, '2', 5, '10'] },
  { key: '{{ request.object.spec.containers[].name }}', values: [['c0'], ['c0', 'c1'], 'c*'] },
  { key: '{{ to_upper(request.object.metadata.name) }}', values: ['RES-1', 'RES-*', ['RES-2', 'RES-3']] },
  {
    key: "{{ request.object.spec.containers[0].resources.limits.memory || '0' }}",
    values: ['1Gi', '512Mi', 536870912, '128Mi'],
  },
  {
    key: '{{ request.object.metadata.annotations."example.com/owner" || \'none\' }}',
    values: ['ops', 'none', ['ops', 'dev']],
  },
  { key: '{{ request.operation }}', values: ['CREATE', ['CREATE', 'UPDATE'], 'DELETE'] },
  { key: "{{ regex_match('^res-[0-9]$', request.object.metadata.name) }}", values: [true, false] },
  {
    key: "{{ split(request.object.spec.containers[0].image, ':') | [0] }}",
    values: ['nginx', 'busybox', ['nginx', 'busybox']],
  },
  { key: '{{ request.object.metadata.labels.app }}', values: ['web', ['web', 'api'], 'bad'] },
  {
    key: '{{ request.object.metadata.annotations."example.com/timeout" || \'0s\' }}',
    values: ['1h', '5m', '30s', 3600],
  },
  {
    key: "{{ semver_compare(request.object.metadata.annotations.\"example.com/version\" || '0.0.0', '>=1.0.0') }}",
    values: [true, false],
  },
  { key: '{{ truncate(request.object.metadata.name, `3`) }}', values: ['res', 're', ['res', 'pod']] },
  { key: "{{ to_lower(request.object.metadata.labels.app || 'none') }}", values: ['web', 'none', ['web', 'bad']] },
  { key: '{{ request.object.spec.containers[?securityContext.privileged].name || `[]` }}', values: [[], ['c0'], 'c*'] },
  { key: "{{ length(request.object.spec.containers[?contains(image, ':latest')]) }}", values: [0, 1, '0'] },
  { key: "{{ join(',', request.object.spec.containers[].name) }}", values: ['c0', 'c0,c1', 'c0*'] },
  { key: "{{ request.object.spec.containers[].resources.limits.memory | [0] || '' }}", values: ['1Gi', '128Mi', ''] },
  { key: '{{ label_match(`{"app": "web"}`, request.object.metadata.labels || `{}`) }}', values: [true, false] },
  {
    key: '{{ base64_decode(request.object.metadata.annotations."example.com/config" || \'e30=\') }}',
    values: ['{}', '{"a":1}'],
  },
  {
    key: "{{ items(request.object.metadata.labels || `{}`, 'k', 'v')[].k }}",
    values: [['app'], ['app', 'team'], 'env'],
  },
  { key: '{{ request.object.spec.replicas || `1` }}', values: [1, 3, '2', 0] },
  { key: "{{ regex_replace_all('[0-9]+', request.object.metadata.name, 'N') }}", values: ['res-N', 'res-1'] },
  { key: '{{ request.object.metadata.labels }}', values: [{ app: 'web' }, {}, null] },
  { key: '{{ add(length(request.object.spec.containers), `1`) }}', values: [2, 3, 4] },
];

const DURATION_OPERATORS = [
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
] as const;

function condition(r: Rand): Obj {
  if (chance(r, 0.08))
    return {
      key: '{{ request.object.metadata.annotations."example.com/timeout" || \'0s\' }}',
      operator: pick(r, DURATION_OPERATORS),
      value: pick(r, ['1h', '5m', '45m', 30]),
    };
  const k = pick(r, KEYS);
  const c: Obj = { key: k.key, operator: pick(r, OPERATORS), value: pick(r, k.values) };
  if (chance(r, 0.1)) c.message = 'condition {{ request.object.metadata.name }}';
  return c;
}

function conditions(r: Rand): Obj {
  const list = Array.from({ length: int(r, 1, 2) }, () => condition(r));
  return chance(r, 0.5) ? { any: list } : { all: list };
}

/** Pattern fragments on a Pod (spec-rooted); each is a complete `pattern` for a Pod. */
function podPattern(r: Rand): Obj {
  const fragments: (() => Obj)[] = [
    () => ({
      metadata: { labels: { [pick(r, Object.keys(LABEL_VALUES))]: pick(r, ['?*', 'web | api', '!bad', '*', 'prod']) } },
    }),
    () => ({
      spec: {
        containers: [{ image: pick(r, ['!*:latest', '*:*', '!nginx', 'acme.azurecr.io/* | ghcr.io/*', '*@sha256:*']) }],
      },
    }),
    () => ({
      spec: {
        containers: [{ name: '*', '=(securityContext)': { '=(privileged)': pick(r, ['false', false, 'true']) } }],
      },
    }),
    () => ({ spec: { '=(hostNetwork)': false, '=(hostPID)': false } }),
    () => ({ spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } }),
    () => ({
      spec: {
        containers: [{ resources: { limits: { memory: pick(r, ['?*', '<=1Gi', '<2Gi', '>100Mi', '64Mi-1Gi']) } } }],
      },
    }),
    () => ({ spec: { containers: [{ resources: { limits: { cpu: pick(r, ['<=1', '!0', '100m-2', '>=500m']) } } }] } }),
    () => ({ spec: { containers: [{ '(name)': 'c0', securityContext: { runAsNonRoot: true } }] } }),
    () => ({ spec: { '^(containers)': [{ image: 'nginx*' }] } }),
    () => ({ spec: { containers: [{ '=(ports)': [{ 'X(hostPort)': 'null' }] }] } }),
    () => ({ spec: { '=(securityContext)': { '=(runAsUser)': '>0' } } }),
    () => ({
      spec: {
        containers: [
          {
            '=(securityContext)': {
              '=(capabilities)': { '=(add)': pick(r, [['NET_BIND_SERVICE'], 'NET_BIND_SERVICE']) },
            },
          },
        ],
      },
    }),
    () => ({ spec: { '=(automountServiceAccountToken)': false } }),
    () => ({ metadata: { '<(name)': 'res-*', labels: { app: '?*' } } }),
    () => ({
      spec: {
        containers: [{ '+(imagePullPolicy)': 'IfNotPresent', imagePullPolicy: pick(r, ['IfNotPresent', '!Always']) }],
      },
    }),
    () => ({ spec: { containers: [{ '=(env)': [{ '(name)': 'MODE', value: '!debug' }] }] } }),
    () => ({ metadata: { '=(annotations)': { 'example.com/*': '?*' } } }),
    () => ({ metadata: { labels: { tier: pick(r, ['1-5', '!2-9', '<5 | >9', '>=1 & <=2']) } } }),
    () => ({ spec: { containers: [{ image: "{{ request.object.metadata.labels.app || 'x' }}*" }] } }),
    () => ({ spec: { containers: [{ name: 'c*', '=(resources)': { '=(requests)': { '=(memory)': '<=512Mi' } } }] } }),
    () => ({ metadata: { '=(annotations)': { '=(example.com/timeout)': pick(r, ['<1h', '>=5m', '!30s']) } } }),
    () => ({ spec: { '=(initContainers)': [{ image: '!busybox*' }] } }),
    () => ({ spec: { containers: [{ 'X(ports)': 'null' }] } }),
    () => ({ metadata: { labels: { 'app.kubernetes.io/*': '?*' } } }),
    () => ({ spec: { containers: [{ '^(securityContext)': [{ runAsNonRoot: true }] }] } }),
    () => ({ spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } }),
    () => ({ spec: { containers: [{ '(image)': '*:latest', imagePullPolicy: 'Always' }] } }),
  ];
  const out: Obj = {};
  for (const f of some(r, fragments, 2)) merge(out, f());
  return out;
}

function merge(into: Obj, from: Obj): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (cur && v && typeof cur === 'object' && typeof v === 'object' && !Array.isArray(cur) && !Array.isArray(v))
      merge(cur as Obj, v as Obj);
    else if (Array.isArray(cur) && Array.isArray(v) && cur.length === 1 && v.length === 1)
      merge(cur[0] as Obj, v[0] as Obj);
    else into[k] = v;
  }
}

const CEL = [
  "object.spec.containers.all(c, !c.image.endsWith(':latest'))",
  "has(object.metadata.labels) && 'app' in object.metadata.labels",
  'object.spec.?hostNetwork.orValue(false) == false',
  'size(object.spec.containers) <= 2',
  "object.metadata.name.matches('^res-[0-9]+$')",
  'object.spec.containers.exists(c, has(c.securityContext) && c.securityContext.?runAsNonRoot.orValue(false))',
  '!has(object.spec.volumes) || object.spec.volumes.all(v, !has(v.hostPath))',
  'object.spec.containers.all(c, !has(c.resources) || !has(c.resources.limits) || ' +
    "!has(c.resources.limits.memory) || quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) <= 0)",
  "object.metadata.?labels.?env.orValue('') != 'prod' || object.spec.containers.all(c, c.image.contains('@sha256:'))",
  "object.spec.containers.map(c, c.name).all(n, n.startsWith('c'))",
  "!has(object.metadata.annotations) || !('example.com/owner' in object.metadata.annotations) || " +
    "object.metadata.annotations['example.com/owner'] in ['ops', 'dev']",
  "object.spec.containers.all(c, c.image.split(':').size() == 2)",
  'object.metadata.name.lowerAscii() == object.metadata.name && object.metadata.name.size() < 8',
  "request.operation == 'CREATE' && object.spec.containers.filter(c, has(c.ports)).size() <= 1",
  'object.spec.?securityContext.?runAsUser.orValue(1) != 0',
  "object.spec.containers.exists_one(c, c.name == 'c0')",
  "int(object.metadata.?labels.?tier.orValue('0')) < 5",
];

function celValidate(r: Rand, kinds: readonly string[]): Obj {
  const pod = kinds.includes('Pod');
  const exprs = some(r, CEL, 2).map((e) => ({
    expression: pod ? e : e.replaceAll('object.spec.', 'object.spec.template.spec.'),
    ...(chance(r, 0.2)
      ? { messageExpression: "'bad ' + object.metadata.name" }
      : { message: `cel: ${e.slice(0, 30)}` }),
  }));
  return { cel: { expressions: exprs } };
}

function validate(r: Rand, kinds: readonly string[]): Obj {
  const template = !kinds.includes('Pod');
  const onTemplate = (p: Obj): Obj =>
    template ? { spec: { template: { ...(p.metadata ? { metadata: p.metadata } : {}), spec: p.spec ?? {} } } } : p;
  const message = pick(r, [
    'policy violated on {{ request.object.metadata.name }}',
    'not allowed',
    'bad {{ request.object.kind }} in {{ request.object.metadata.namespace }}',
  ]);
  const which = pick(r, ['pattern', 'pattern', 'anyPattern', 'deny', 'deny', 'foreach', 'cel']);
  switch (which) {
    case 'pattern':
      return { message, pattern: onTemplate(podPattern(r)) };
    case 'anyPattern':
      return { message, anyPattern: [onTemplate(podPattern(r)), onTemplate(podPattern(r))] };
    case 'deny':
      return { message, deny: { conditions: conditions(r) } };
    case 'cel':
      return celValidate(r, kinds);
    default: {
      const list = template ? 'request.object.spec.template.spec.containers' : 'request.object.spec.containers';
      const body: Obj = chance(r, 0.5)
        ? {
            deny: {
              conditions: {
                any: [
                  {
                    key: pick(r, [
                      '{{ element.image }}',
                      '{{ element.name }}',
                      '{{ element.securityContext.privileged || `false` }}',
                    ]),
                    operator: pick(r, OPERATORS),
                    value: pick(r, ['*:latest', ['c0', 'c2'], true, 'nginx*']),
                  },
                ],
              },
            },
          }
        : {
            pattern: {
              image: pick(r, ['!*:latest', '*/*', '!busybox*']),
              ...(chance(r, 0.4) ? { '=(securityContext)': { '=(privileged)': false } } : {}),
            },
          };
      const fe: Obj = { list, ...body };
      if (chance(r, 0.3))
        fe.preconditions = { all: [{ key: '{{ element.name }}', operator: 'NotEquals', value: 'c1' }] };
      if (chance(r, 0.2)) {
        // Nested: the ports of each container, by index.
        return {
          message,
          foreach: [
            {
              list,
              foreach: [
                {
                  list: 'element.ports || `[]`',
                  deny: {
                    conditions: {
                      any: [
                        {
                          key: '{{ element.containerPort }}',
                          operator: pick(r, ['GreaterThan', 'Equals', 'AnyIn']),
                          value: pick(r, [1024, 80, [80, 443]]),
                        },
                      ],
                    },
                  },
                },
              ],
            },
          ],
        };
      }
      if (chance(r, 0.15))
        fe.deny = {
          conditions: { any: [{ key: '{{ elementIndex }}', operator: 'GreaterThan', value: pick(r, [0, 1]) }] },
        };
      if (chance(r, 0.1)) fe.elementScope = chance(r, 0.5);
      return { message, foreach: [fe] };
    }
  }
}

function filter(r: Rand, kinds: readonly string[], narrow: boolean): Obj {
  const res: Obj = { kinds: [...kinds] };
  if (narrow) {
    if (chance(r, 0.35)) res.namespaces = some(r, ['team-*', 'default', 'prod', 'kube-*'], 2);
    if (chance(r, 0.2)) res.names = some(r, ['res-1*', 'res-?', 'res-2*'], 2);
    if (chance(r, 0.25))
      res.selector = chance(r, 0.5)
        ? { matchLabels: { [pick(r, ['app', 'team', 'env'])]: pick(r, ['web', 'a', 'prod']) } }
        : {
            matchExpressions: [
              {
                key: pick(r, ['app', 'env']),
                operator: pick(r, ['In', 'NotIn', 'Exists', 'DoesNotExist']),
                ...(chance(r, 0.8) ? { values: ['web', 'prod'] } : {}),
              },
            ],
          };
  }
  return { resources: res };
}

function rule(r: Rand, name: string): Obj {
  const kinds = pick(r, [
    ['Pod'],
    ['Pod'],
    ['Pod'],
    ['Deployment'],
    ['apps/v1/Deployment'],
    ['Pod', 'Deployment'],
    ['v1/Pod'],
  ]);
  const narrow = chance(r, 0.4);
  const filters = [filter(r, kinds, narrow), ...(chance(r, 0.15) ? [filter(r, kinds, true)] : [])];
  const match = { [chance(r, 0.7) ? 'any' : 'all']: filters };
  const out: Obj = { name, match };
  if (chance(r, 0.25))
    out.exclude = {
      [chance(r, 0.7) ? 'any' : 'all']: [
        {
          resources: chance(r, 0.5)
            ? { namespaces: ['kube-system'] }
            : { selector: { matchLabels: { team: pick(r, ['a', 'b']) } } },
        },
      ],
    };
  if (chance(r, 0.3)) out.preconditions = conditions(r);
  if (chance(r, 0.2)) {
    out.context = [{ name: 'appLabel', variable: { jmesPath: 'request.object.metadata.labels.app', default: 'none' } }];
    out.preconditions = {
      all: [
        {
          key: '{{ appLabel }}',
          operator: pick(r, ['NotEquals', 'Equals', 'AnyIn']),
          value: pick(r, ['none', 'web', ['web', 'api']]),
        },
      ],
    };
  }
  out.validate = validate(r, kinds);
  return out;
}

/** A mutate rule that runs before the validate rules after it (as `kyverno apply` applies it). */
function mutateRule(r: Rand, name: string): Obj {
  const patch = pick(r, [
    { metadata: { labels: { team: 'a' } } },
    { metadata: { labels: { '+(app)': 'web' } } },
    { spec: { containers: [{ '(name)': 'c0', imagePullPolicy: 'IfNotPresent' }] } },
    { metadata: { annotations: { 'example.com/owner': 'ops' } } },
  ]);
  return { name, match: { any: [{ resources: { kinds: ['Pod'] } }] }, mutate: { patchStrategicMerge: patch } };
}

function policy(r: Rand, name: string, withMutate: boolean): Obj {
  const rules = Array.from({ length: int(r, 1, 3) }, (_, i) => rule(r, `rule-${i}`));
  // A mutate rule first in some policies: every policy validates what all mutate rules left.
  if (withMutate && chance(r, 0.12)) rules.unshift(mutateRule(r, 'mutate-first'));
  const spec: Obj = { background: chance(r, 0.8), rules };
  if (chance(r, 0.5)) spec.validationFailureAction = pick(r, ['Enforce', 'Audit']);
  const metadata: Obj = { name };
  if (chance(r, 0.1))
    metadata.annotations = {
      'pod-policies.kyverno.io/autogen-controllers': pick(r, ['Deployment', 'none', 'CronJob,Deployment']),
    };
  if (chance(r, 0.12))
    return {
      apiVersion: 'kyverno.io/v1',
      kind: 'Policy',
      metadata: { ...metadata, namespace: pick(r, ['team-a', 'default']) },
      spec,
    };
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata, spec };
}

export interface VariationBatch {
  readonly seed: number;
  readonly policies: readonly Obj[];
  readonly resources: readonly Obj[];
}

/** One batch: `policies` ClusterPolicies and `resources` resources, all from `seed`. */
export function variationBatch(seed: number, policies = 25, resources = 40, withMutate = true): VariationBatch {
  const r = prng(seed);
  return {
    seed,
    policies: Array.from({ length: policies }, (_, i) => policy(r, `pol-${seed}-${i}`, withMutate)),
    resources: Array.from({ length: resources }, (_, i) => resource(r, `res-${i}`)),
  };
}
