/**
 * `helm template` as an ordered list of named stages (pkg/cmd/template.go, pkg/cmd/install.go
 * runInstall, pkg/action/install.go RunWithContext and renderResources), each a small function:
 *
 *   release-name -> user-values -> load-chart -> installable -> dependencies-present ->
 *   release-name-valid -> process-dependencies -> capabilities -> render-values (coalesce,
 *   schema) -> kube-version -> render -> drop-notes -> sort -> assemble
 *
 * The output is byte for byte what `helm template` prints (CRDs first with --include-crds, then
 * manifests in install order, then hooks unless --no-hooks, `---\n# Source: PATH` before each
 * document; --show-only filters by template path). Errors carry Helm's words.
 */
import { posix } from 'node:path';
import { InputError } from '../errors.js';
import { GoInt, type GoMap } from '../gotemplate/value.js';
import { loadChart, type LoadLimits } from './chart/index.js';
import { isCompatibleRange } from './chart/semver.js';
import type { Chart } from './chart/types.js';
import { goPathMatch } from './chart/go-path-match.js';
import { capabilitiesObject, defaultKubeVersion, parseKubeVersion, type KubeVersion } from './render/capabilities.js';
import { renderTemplates, type RenderOptions, type TemplateEngine } from './render/engine.js';
import { sortManifests, splitManifests, type Hook, type Manifest } from './render/manifests.js';
import { coalesceValues, type Warn } from './values/coalesce.js';
import { checkDependencies, processDependencies } from './values/dependencies.js';
import { validateValuesAgainstSchema } from './values/schema.js';
import { mergeUserValues, type ValueOptions } from './values/user-values.js';
import { mergeMaps } from './values/load-values.js';

/** The flags of `helm template` that aksfleet supports. */
export interface HelmTemplateOptions extends ValueOptions {
  /** Positional arguments: `[NAME] CHART`. */
  readonly args: readonly string[];
  readonly namespace?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly includeCrds?: boolean;
  readonly skipCrds?: boolean;
  readonly skipTests?: boolean;
  readonly noHooks?: boolean;
  readonly skipSchemaValidation?: boolean;
  readonly showOnly?: readonly string[];
  readonly isUpgrade?: boolean;
  readonly nameTemplate?: string;
  readonly generateName?: boolean;
  /** Renders --name-template (Go template with sprig): passed in with the engine. */
  readonly renderNameTemplate?: (tpl: string) => string;
  /** Seconds since the epoch for --generate-name (default: now). */
  readonly now?: () => number;
  readonly limits?: LoadLimits;
  readonly render?: RenderOptions;
  readonly warn?: Warn;
  /**
   * An already loaded chart (a HelmRelease's chart from a chart store or a source artifact): the
   * CHART argument is then only its name for messages, nothing is read from disk.
   */
  readonly chart?: Chart;
  /** Values already merged by the caller (a HelmRelease's values and valuesFrom), before any `-f`/`--set`. */
  readonly baseValues?: GoMap;
}

/** Working state passed from stage to stage. */
interface State {
  readonly opts: HelmTemplateOptions;
  readonly engine: TemplateEngine;
  releaseName?: string;
  chartPath?: string;
  chart?: Chart;
  userValues?: GoMap;
  kube?: KubeVersion;
  top?: GoMap;
  files?: Map<string, string>;
  hooks?: Hook[];
  manifests?: Manifest[];
  output?: string;
}

type Stage = readonly [name: string, run: (s: State) => void];

const VALID_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Install.NameAndChart with `helm template`'s default name `release-name`, then availableName. */
function releaseName(s: State): void {
  const { args, generateName, nameTemplate } = s.opts;
  if (args.length === 0) throw new InputError('"helm template" requires at least 1 argument');
  if (args.length > 2)
    throw new InputError(`expected at most two arguments, unexpected arguments: ${args.slice(2).join(', ')}`);
  let name: string;
  if (args.length === 2) {
    if (generateName) throw new InputError('cannot set --generate-name and also specify a name');
    if (nameTemplate) throw new InputError('cannot set --name-template and also specify a name');
    name = args[0]!;
    s.chartPath = args[1]!;
  } else if (nameTemplate) {
    if (!s.opts.renderNameTemplate) throw new InputError('--name-template needs the template engine');
    name = s.opts.renderNameTemplate(nameTemplate);
    s.chartPath = args[0]!;
  } else {
    name = 'release-name';
    s.chartPath = args[0]!;
  }
  if (generateName && args.length === 1 && !nameTemplate) {
    // helm template sets ReleaseName before NameAndChart, so --generate-name is shadowed by "release-name".
    name = 'release-name';
  }
  s.releaseName = name;
}

/** Install.availableName: Helm's ValidateReleaseName. */
function releaseNameValid(s: State): void {
  const name = s.releaseName!;
  if (name === '') throw new InputError(`release name check failed: release name "${name}": no name provided`);
  if (name.length > 53 || !VALID_NAME.test(name)) {
    throw new InputError(
      `release name check failed: release name "${name}": invalid release name, must match regex ` +
        `${VALID_NAME.source} and the length must not be longer than 53`,
    );
  }
}

const stages: readonly Stage[] = [
  ['release-name', releaseName],
  [
    'user-values',
    (s) => {
      const given = mergeUserValues(s.opts);
      s.userValues = s.opts.baseValues ? mergeMaps(s.opts.baseValues, given) : given;
    },
  ],
  [
    'load-chart',
    (s) => {
      s.chart = s.opts.chart ?? loadChart(s.chartPath!, s.opts.limits);
    },
  ],
  [
    'installable',
    (s) => {
      const t = s.chart!.metadata.type;
      if (t !== '' && t !== 'application') throw new InputError(`${t} charts are not installable`);
    },
  ],
  [
    'dependencies-present',
    (s) => {
      if ((s.chart!.metadata.dependencies ?? []).length > 0) checkDependencies(s.chart!);
    },
  ],
  ['release-name-valid', releaseNameValid],
  [
    'process-dependencies',
    (s) => {
      try {
        s.chart = processDependencies(s.chart!, s.userValues!, s.opts.warn);
      } catch (e) {
        throw new InputError(`chart dependencies processing failed: ${(e as Error).message}`, { cause: e });
      }
    },
  ],
  [
    'capabilities',
    (s) => {
      s.kube = s.opts.kubeVersion ? parseKubeVersion(s.opts.kubeVersion) : defaultKubeVersion();
    },
  ],
  [
    'render-values',
    (s) => {
      const chart = s.chart!;
      const values = coalesceValues(chart, s.userValues!, s.opts.warn);
      if (!s.opts.skipSchemaValidation) validateValuesAgainstSchema(chart, values);
      const isUpgrade = s.opts.isUpgrade === true;
      s.top = {
        Capabilities: capabilitiesObject(s.kube!, s.opts.apiVersions ?? []),
        Release: {
          Name: s.releaseName!,
          Namespace: s.opts.namespace ?? 'default',
          IsUpgrade: isUpgrade,
          IsInstall: !isUpgrade,
          Revision: new GoInt(1n, 'int'),
          Service: 'Helm',
        },
        Values: values,
      };
    },
  ],
  [
    'kube-version',
    (s) => {
      const want = s.chart!.metadata.kubeVersion;
      if (want !== '' && !isCompatibleRange(want, s.kube!.normalized)) {
        throw new InputError(
          `chart requires kubeVersion: ${want} which is incompatible with Kubernetes ${s.kube!.version}\n\n` +
            `Use --debug flag to render out invalid YAML`,
        );
      }
    },
  ],
  [
    'render',
    (s) => {
      try {
        s.files = renderTemplates(s.chart!, s.top!, s.engine, s.opts.render);
      } catch (e) {
        if (e instanceof InputError)
          throw new InputError(`${e.message}\n\nUse --debug flag to render out invalid YAML`, { cause: e });
        throw e;
      }
    },
  ],
  [
    'drop-notes',
    (s) => {
      for (const k of [...s.files!.keys()]) if (k.endsWith('NOTES.txt')) s.files!.delete(k);
    },
  ],
  [
    'sort',
    (s) => {
      try {
        const { hooks, manifests } = sortManifests(s.files!);
        s.hooks = hooks;
        s.manifests = manifests;
      } catch (e) {
        if (e instanceof InputError)
          throw new InputError(`${e.message}\n\nUse --debug flag to render out invalid YAML`, { cause: e });
        throw e;
      }
    },
  ],
  ['assemble', assemble],
];

/** The stage names, in order (for docs and timings). */
export const HELM_TEMPLATE_STAGES: readonly string[] = stages.map(([n]) => n);

export function crdObjects(chart: Chart, fullPath: string): { filename: string; data: Uint8Array }[] {
  const out: { filename: string; data: Uint8Array }[] = [];
  for (const f of chart.files) {
    const ext = posix.extname(f.name).toLowerCase();
    if (f.name.startsWith('crds/') && (ext === '.yaml' || ext === '.yml' || ext === '.json'))
      out.push({ filename: posix.join(fullPath, f.name), data: f.data });
  }
  for (const d of chart.dependencies) out.push(...crdObjects(d, `${fullPath}/charts/${d.metadata.name}`));
  return out;
}

function assemble(s: State): void {
  let manifest = '';
  if (s.opts.includeCrds) {
    for (const crd of crdObjects(s.chart!, s.chart!.metadata.name))
      manifest += `---\n# Source: ${crd.filename}\n${new TextDecoder().decode(crd.data)}\n`;
  }
  for (const m of s.manifests!) manifest += `---\n# Source: ${m.name}\n${m.content}\n`;
  let out = `${manifest.trim()}\n`;
  if (!s.opts.noHooks) {
    for (const h of s.hooks!) {
      if (s.opts.skipTests && h.events.includes('test')) continue;
      out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    }
  }
  const showOnly = s.opts.showOnly ?? [];
  if (showOnly.length === 0) {
    s.output = out;
    return;
  }
  const docs = splitManifests(out);
  let result = '';
  for (const f of showOnly) {
    let missing = true;
    for (const manifest of docs) {
      const m = /# Source: [^/]+\/(.+)/.exec(manifest);
      if (!m) continue;
      let matched = false;
      try {
        matched = goPathMatch(f, m[1]!);
      } catch {
        matched = false;
      }
      if (!matched) continue;
      result += `---\n${manifest}\n`;
      missing = false;
    }
    if (missing) throw new InputError(`could not find template ${f} in chart`);
  }
  s.output = result;
}

/** Runs `helm template` in-process; returns what helm prints on stdout. Throws InputError with Helm's message. */
export function helmTemplate(opts: HelmTemplateOptions, engine: TemplateEngine): string {
  const s: State = { opts, engine };
  for (const [, run] of stages) run(s);
  return s.output!;
}

/** What a render starts from: the chart after dependency processing and the top-level values. */
export interface PreparedRender {
  readonly chart: Chart;
  readonly releaseName: string;
  /** `Values` (coalesced), `Release`, `Capabilities`. */
  readonly top: GoMap;
}

/** Runs the stages before `render` (no template engine needed): loading, values, dependencies, schema, checks. */
export function prepareRender(opts: HelmTemplateOptions): PreparedRender {
  const s: State = {
    opts,
    engine: {
      newTemplateSet: () => {
        throw new Error('no engine');
      },
      funcs: () => ({}),
    },
  };
  for (const [name, run] of stages) {
    if (name === 'render') break;
    run(s);
  }
  return { chart: s.chart!, releaseName: s.releaseName!, top: s.top! };
}

/** A release rendered as helm-controller's install gets it: CRDs (crds/ folders), manifests in install order, hooks. */
export interface RenderedRelease {
  readonly chart: Chart;
  readonly releaseName: string;
  /** Files of `crds/` folders of the chart and its subcharts (`chart/crds/x.yaml`), in Helm's order. */
  readonly crds: readonly { readonly filename: string; readonly data: Uint8Array }[];
  /** Manifests in install order, each with its template path. */
  readonly manifests: readonly Manifest[];
  readonly hooks: readonly Hook[];
}

/** Runs every stage up to `sort` (no output text): what an install would apply, structured. */
export function renderRelease(opts: HelmTemplateOptions, engine: TemplateEngine): RenderedRelease {
  const s: State = { opts, engine };
  for (const [name, run] of stages) {
    if (name === 'assemble') break;
    run(s);
  }
  return {
    chart: s.chart!,
    releaseName: s.releaseName!,
    crds: crdObjects(s.chart!, s.chart!.metadata.name),
    manifests: s.manifests!,
    hooks: s.hooks!,
  };
}
