/**
 * ResourceSet cases for the differential against the Flux Operator's own builder
 * (`flux-operator build resourceset`, test/oracles `flux-operator-0.59`): hand-written shapes of
 * the operator's documentation and testdata (ours, written from the API), and seeded variations
 * (inputs of every JSON type, Flatten and Permute, Static providers by name and selector, the
 * template functions, multi-document templates, steps, exclusion, duplicates, errors).
 */
import { mulberry32 } from '../../../seeded-random.js';
import type { KObject } from '../../../resources/resource.js';

export interface ResourceSetCase {
  readonly name: string;
  readonly resourceSet: KObject;
  /** Static ResourceSetInputProviders (the oracle reads them with --inputs-from-provider). */
  readonly providers: readonly KObject[];
}

const rs = (name: string, spec: Record<string, unknown>, namespace = 'apps'): KObject => ({
  apiVersion: 'fluxcd.controlplane.io/v1',
  kind: 'ResourceSet',
  metadata: { name, namespace },
  spec,
});
const rsip = (
  name: string,
  defaultValues: Record<string, unknown>,
  labels?: Record<string, string>,
  namespace = 'apps',
): KObject => ({
  apiVersion: 'fluxcd.controlplane.io/v1',
  kind: 'ResourceSetInputProvider',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { type: 'Static', defaultValues },
});

const kustomization = (name: string, path: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'apps' },
  spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...extra },
});

/** Shapes of the operator's docs and testdata. */
export const HAND_CASES: readonly ResourceSetCase[] = [
  {
    name: 'tenants x Kustomization and namespace (inputs, resources)',
    resourceSet: rs('tenants', {
      inputs: [
        { tenant: 'team1', env: 'dev' },
        { tenant: 'team2', env: 'prod' },
      ],
      resources: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: '<< inputs.tenant >>', labels: { env: '<< inputs.env >>' } },
        },
        kustomization('<< inputs.tenant >>-apps', './tenants/<< inputs.tenant >>/<< inputs.env >>', {
          targetNamespace: '<< inputs.tenant >>',
        }),
      ],
    }),
    providers: [],
  },
  {
    name: 'slugify, quote and int over string inputs',
    resourceSet: rs('app1', {
      inputs: [
        { tenant: 'team1', semver: '>=1.0.0-rc.0', replicas: '2' },
        { tenant: 'team2', semver: '>=1.0.0', replicas: '3' },
      ],
      resources: [
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: {
            name: '<< inputs.tenant >>-app1',
            namespace: 'apps',
            labels: { semver: '<< inputs.semver | slugify >>', replicas: '<< inputs.replicas | quote >>' },
          },
          spec: {
            interval: '1h',
            chartRef: { kind: 'OCIRepository', name: '<< inputs.tenant >>-app1' },
            values: { replicas: '<< inputs.replicas | int >>' },
          },
        },
      ],
    }),
    providers: [],
  },
  {
    name: 'no inputs: rendered once',
    resourceSet: rs('noinputs', {
      resources: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'apps' }, data: { a: 'b' } },
      ],
    }),
    providers: [],
  },
  {
    name: 'nested inputs and toYaml',
    resourceSet: rs('nested', {
      inputs: [{ app: { name: 'podinfo', values: { replicas: 2, ui: { color: '#34577c' } } } }],
      resourcesTemplate:
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: << inputs.app.name >>\n  namespace: apps\n' +
        'data:\n  values.yaml: |\n    << inputs.app.values | toYaml | nindent 4 >>\n',
    }),
    providers: [],
  },
  {
    name: 'multi-document template with range and an excluded object',
    resourceSet: rs('multi', {
      inputs: [
        { tenant: 'a', apps: ['x', 'y'] },
        { tenant: 'b', apps: ['z'] },
      ],
      resourcesTemplate:
        '<<- range $app := inputs.apps >>\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n' +
        '  name: << inputs.tenant >>-<< $app >>\n  namespace: apps\n  annotations:\n' +
        '    fluxcd.controlplane.io/reconcile: << if eq inputs.tenant "b" >>disabled<< else >>enabled<< end ' +
        '>>\n<<- end >>\n',
    }),
    providers: [],
  },
  {
    name: 'duplicates: the first wins, resources before the template',
    resourceSet: rs('dedup', {
      inputs: [{ n: 1 }, { n: 2 }],
      resources: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'shared', namespace: 'apps' },
          data: { from: 'resources-<< inputs.n >>' },
        },
      ],
      resourcesTemplate:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: apps\ndata:\n' +
        '  from: template\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: only-<< inputs.n >>\n' +
        '  namespace: apps\n',
    }),
    providers: [],
  },
  {
    name: 'static providers by name and by selector, Flatten, provider and id',
    resourceSet: rs('from-providers', {
      inputsFrom: [{ name: 'tenant-a' }, { selector: { matchLabels: { role: 'tenant' } } }],
      resources: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '<< inputs.tenant >>-<< inputs.id >>', namespace: 'apps' },
          data: { provider: '<< inputs.provider.name >>', kind: '<< inputs.provider.kind >>' },
        },
      ],
    }),
    providers: [
      rsip('tenant-a', { tenant: 'a' }),
      rsip('tenant-b', { tenant: 'b' }, { role: 'tenant' }),
      rsip('other', { tenant: 'c' }, { role: 'other' }),
    ],
  },
  {
    name: 'Permute: inputs x providers, scoped by normalised provider name',
    resourceSet: rs('permute', {
      inputStrategy: { name: 'Permute' },
      inputs: [{ region: 'eu' }, { region: 'us' }],
      inputsFrom: [{ name: 'Env.Provider' }],
      resources: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '<< inputs.permute.region >>-<< inputs.env_provider.env >>', namespace: 'apps' },
          data: { id: '<< inputs.id >>' },
        },
      ],
    }),
    providers: [rsip('Env.Provider', { env: 'staging' })],
  },
  {
    name: 'steps',
    resourceSet: rs('steps', {
      inputs: [{ t: 'a' }],
      steps: [
        { name: 'crds', resources: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns-<< inputs.t >>' } }] },
        {
          name: 'apps',
          resourcesTemplate:
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-<< inputs.t >>\n  namespace: ns-<< inputs.t >>\n',
        },
      ],
    }),
    providers: [],
  },
  {
    name: 'commonMetadata',
    resourceSet: rs('cm', {
      commonMetadata: { labels: { team: 'platform' }, annotations: { note: 'x' } },
      inputs: [{ a: 'one' }],
      resources: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: '<< inputs.a >>', namespace: 'apps', labels: { team: 'override-me' } },
        },
      ],
    }),
    providers: [],
  },
  {
    name: 'error: missing key',
    resourceSet: rs('missing', {
      inputs: [{ a: 'x' }],
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '<< inputs.b >>', namespace: 'apps' } }],
    }),
    providers: [],
  },
  {
    name: 'error: steps with resources',
    resourceSet: rs('bad-steps', {
      resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } }],
      steps: [
        { name: 's', resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'apps' } }] },
      ],
    }),
    providers: [],
  },
  {
    name: 'error: a resource in two steps',
    resourceSet: rs('dup-steps', {
      steps: [
        {
          name: 'one',
          resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } }],
        },
        {
          name: 'two',
          resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } }],
        },
      ],
    }),
    providers: [],
  },
];

/** Template snippets over one input key (a string-valued one), each a Go template expression. */
const STRING_EXPRS = (k: string): string[] => [
  `<< inputs.${k} >>`,
  `<< inputs.${k} | upper >>`,
  `<< inputs.${k} | slugify >>`,
  `<< inputs.${k} | slugify | trunc 3 >>`,
  `<< inputs.${k} | sha256sum | trunc 8 >>`,
  `<< inputs.${k} | b64enc >>`,
  `<< printf "%s-%d" inputs.${k} 7 >>`,
  `<< inputs.${k} | replace "-" "_" >>`,
  `<< default "none" inputs.${k} >>`,
  `<< if hasPrefix "t" inputs.${k} >>t<< else >>o<< end >>`,
  `<< inputs.${k} | title >>`,
  `<< list inputs.${k} "z" | join "." >>`,
  `<< inputs.${k} | adler32sum >>`,
];
const WORDS = [
  'team1',
  'team-2',
  'Tenant Three',
  'ops',
  'très-spécial',
  'a_b',
  'prod',
  'x',
  'release & more',
  'ünïcode',
  'n@me',
  'dev',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** Seeded variations. */
export function generatedCases(count: number, seed = 19): ResourceSetCase[] {
  const r = mulberry32(seed);
  const out: ResourceSetCase[] = [];
  for (let c = 0; c < count; c++) {
    const permute = r() < 0.3;
    const nInputs = Math.floor(r() * 4);
    // Every input set, the ResourceSet's and the providers', has the keys the templates read
    // (under Flatten a template runs with each of them).
    const inputSet = (i: number) => ({
      name: `${pick(r, WORDS)}`,
      idx: i,
      replicas: Math.floor(r() * 5),
      ratio: pick(r, [0.5, 1.25, 2, 1e6, 3.0, 1e21]),
      enabled: r() < 0.5,
      tags: WORDS.slice(0, 1 + Math.floor(r() * 3)),
      meta: { owner: pick(r, WORDS), tier: pick(r, [1, 2, 'gold']) },
    });
    const inputs = Array.from({ length: nInputs }, (_, i) => inputSet(i));
    const nProviders = Math.floor(r() * 3);
    const providers = Array.from({ length: nProviders }, (_, i) =>
      rsip(`prov-${i}${r() < 0.3 ? '.Extra' : ''}`, inputSet(10 + i), r() < 0.5 ? { pick: 'yes' } : undefined),
    );
    const refs =
      providers.length === 0
        ? []
        : r() < 0.5
          ? providers.map((p) => ({ name: p.metadata!.name }))
          : [{ selector: { matchLabels: { pick: 'yes' } } }];
    // Under Permute, values are scoped by provider: templates read the ResourceSet's own scope.
    const rsName = `gen-${c}`;
    const selfKey = permute ? `${rsName.replace(/-/g, '_')}.` : '';
    const k = (key: string) => `${selfKey}${key}`;
    const haveSelf = inputs.length > 0;
    const nameExpr = haveSelf ? `<< inputs.${k('name')} | slugify >>` : 'fixed';
    const cmData: Record<string, string> = haveSelf
      ? {
          expr: pick(r, STRING_EXPRS(k('name'))),
          replicas: `<< inputs.${k('replicas')} >>`,
          ratio: `<< inputs.${k('ratio')} >>`,
          enabled: `<< ternary "on" "off" inputs.${k('enabled')} >>`,
          tags: `<< inputs.${k('tags')} | join "," >>`,
          owner: `<< inputs.${k('meta')}.owner >>`,
          tier: `<< inputs.${k('meta')}.tier | toString >>`,
          kind: `<< kindOf inputs.${k('replicas')} >>`,
          json: `<< inputs.${k('meta')} | toJson >>`,
          ...(!permute ? { provider: '<< inputs.provider.kind >>' } : { id: '<< inputs.id >>' }),
        }
      : { plain: 'yes' };
    const uniq = haveSelf ? `-<< inputs.${k('idx')} >>` : '';
    const resources = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${nameExpr}${uniq}`, namespace: 'apps' },
        data: cmData,
      },
    ];
    if (haveSelf && r() < 0.05) cmData.broken = `<< inputs.${k('nosuchkey')} >>`;
    const useTemplate = r() < 0.5;
    const template =
      useTemplate && haveSelf
        ? `<<- range $i, $t := inputs.${k('tags')} >>\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n` +
          `  name: sa-<< $t | slugify >>-<< $i >>\n  namespace: apps\n  labels:\n` +
          `    replicas: << inputs.${k('replicas')} | quote >>\n<<- if inputs.${k('enabled')} >>\n` +
          `  annotations:\n    fluxcd.controlplane.io/reconcile: disabled\n<<- end >>\n<<- end >>\n---\n` +
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vals-<< inputs.${k('idx')} >>\n` +
          `  namespace: apps\ndata:\n  values: |\n    << inputs.${k('meta')} | toYaml | nindent 4 >>\n`
        : '';
    const steps = !useTemplate && r() < 0.2;
    const spec: Record<string, unknown> = {
      ...(permute ? { inputStrategy: { name: 'Permute', ...(r() < 0.3 ? { includeEmptyProviders: true } : {}) } } : {}),
      ...(inputs.length ? { inputs } : {}),
      ...(refs.length ? { inputsFrom: refs } : {}),
      ...(steps
        ? { steps: [{ name: 'only', resources }] }
        : { resources, ...(template ? { resourcesTemplate: template } : {}) }),
      ...(r() < 0.3 ? { commonMetadata: { labels: { generated: 'true' } } } : {}),
    };
    out.push({ name: `generated #${c}`, resourceSet: rs(rsName, spec), providers });
  }
  return out;
}

/**
 * The operator's own testdata (internal/builder/testdata/resourceset and
 * cmd/cli/testdata/build_resourceset of the flux-operator module), read where `go` keeps the
 * module source (the oracle's build downloads it); each ResourceSet with the Static providers
 * its CLI test gives it. Empty when the module is not there.
 */
export function operatorTestdataCases(
  moduleDir: string,
  read: (f: string) => string | undefined,
  list: (dir: string) => string[],
  parse: (text: string, file: string) => KObject[],
): ResourceSetCase[] {
  const out: ResourceSetCase[] = [];
  const builder = `${moduleDir}/internal/builder/testdata/resourceset`;
  for (const f of list(builder)
    .filter((x) => x.endsWith('.yaml') && !x.endsWith('.golden.yaml'))
    .sort()) {
    const docs = parse(read(`${builder}/${f}`) ?? '', f).filter((d) => d.kind === 'ResourceSet');
    for (const d of docs)
      out.push({ name: `operator testdata builder/${f}`, resourceSet: withNamespace(d), providers: [] });
  }
  const cli = `${moduleDir}/cmd/cli/testdata/build_resourceset`;
  for (const f of list(cli)
    .filter((x) => x.startsWith('rset-'))
    .sort()) {
    const docs = parse(read(`${cli}/${f}`) ?? '', f).filter((d) => d.kind === 'ResourceSet');
    const suffix = f.replace(/^rset-with-rsip/, '').replace(/\.yaml$/, '');
    const rsipFile = f.startsWith('rset-with-rsip')
      ? read(`${cli}/rsip${suffix}.yaml`) !== undefined
        ? `rsip${suffix}.yaml`
        : 'rsip.yaml'
      : undefined;
    const providers = rsipFile
      ? parse(read(`${cli}/${rsipFile}`) ?? '', rsipFile).filter((d) => d.kind === 'ResourceSetInputProvider')
      : [];
    for (const d of docs)
      out.push({
        name: `operator testdata cli/${f}${rsipFile ? ` with ${rsipFile}` : ''}`,
        resourceSet: withNamespace(d),
        providers,
      });
  }
  return out;
}

const withNamespace = (o: KObject): KObject =>
  o.metadata?.namespace ? o : { ...o, metadata: { ...o.metadata, namespace: 'default' } };
