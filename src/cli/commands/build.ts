/**
 * `aksfleet build`: what Flux would apply to one cluster, built offline.
 */
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { fluxBuildOptions, withContentStores, withRenderEngines, type Session } from '../../session/session.js';
import { renderInputs } from '../../session/render-settings.js';
import { CLUSTER_FLAGS, RENDER_FLAGS, RENDER_USAGE, clusterSelection, renderSession } from '../render-options.js';
import { withChartFetch } from '../fetch-charts.js';
import { finishRunStores, openRunStores } from '../content-stores.js';
import type { Command, CommandContext } from '../command.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { toYamlStream } from '../../yaml/emit.js';
import { allErrors, allResources, allWarnings, buildCluster } from '../../flux/build/build-cluster.js';
import { loadRenderEngines, RenderEnginesNotLoaded, type RenderEngines } from '../../flux/build/engines.js';
import { formatIssue } from '../../flux/build/issue.js';
import { substitutedSecretValues } from '../../flux/build/secret-values.js';
import type { BuildIssue, ClusterBuild } from '../../flux/build/types.js';
import { formatUnfollowed, unfollowedOf, type Unfollowed } from '../../flux/source/unfollowed.js';
import {
  maskKustomization as redactKustomization,
  maskResources as redactResources,
  maskStrings,
  maskText,
} from '../../resources/mask.js';
import { FieldTrace } from '../../pipeline/field-trace.js';
import { explainTarget, formatExplain, type ExplainTarget } from '../explain.js';

const usage =
  'aksfleet build [repo] (--path P | --cluster NAME) [-o yaml|json] [--summary] [--explain KIND/[NS/]NAME] ' +
  `[--allow-unbuildable] [--show-secrets] [--no-cache] ${RENDER_USAGE}`;

const command: Command = {
  usage,
  options: {
    ...CLUSTER_FLAGS,
    output: { type: 'string', short: 'o' },
    summary: { type: 'boolean' },
    'allow-unbuildable': { type: 'boolean' },
    'show-secrets': { type: 'boolean' },
    explain: { type: 'string' },
    'no-cache': { type: 'boolean' },
    ...RENDER_FLAGS,
  },
  async run(ctx: CommandContext): Promise<number> {
    const f = ctx.flags;
    if (ctx.args.length > 1)
      throw new UsageError(`expected at most one repository argument, got ${ctx.args.length}\nUsage: ${usage}`);
    const output = (f.output as string | undefined) ?? 'yaml';
    if (output !== 'yaml' && output !== 'json') throw new UsageError(`-o must be yaml or json, not '${output}'`);
    const selection = clusterSelection(f, { required: true, usage });
    const root = resolve(ctx.io.cwd, ctx.args[0] ?? '.');
    const explain = f.explain === undefined ? undefined : explainTarget(String(f.explain));
    if (explain && f.summary === true) throw new UsageError('use --explain or --summary, not both');
    // Chart renders and compiled validators kept between runs unless --no-cache (content-store.ts).
    const stores = openRunStores(root, ctx.io, f);
    const session = renderSession(withContentStores(ctx.session, stores), f, ctx.io, root);
    try {
      return await buildAndPrint(ctx, session, root, selection, explain, output);
    } finally {
      finishRunStores(stores, session, ctx.io.err);
    }
  },
};
export default command;

/** The build of the selected cluster, printed as the flags ask (0), or the input error it ends in. */
async function buildAndPrint(
  ctx: CommandContext,
  session: Session,
  root: string,
  selection: ReturnType<typeof clusterSelection>,
  explain: ExplainTarget | undefined,
  output: string,
): Promise<number> {
  const f = ctx.flags;
  const fs = new DiskRepoFs(root);
  // The render engines (Helm, Go templates) are loaded only when a build asks for them (a chart to
  // render, a ResourceSet to expand): then the same build runs again, its Kustomizations answered
  // by the session's memo. A repository without either never loads them.
  let engines: RenderEngines | undefined;
  const b = await withChartFetch(session, root, ctx.io, async (s) => {
    const build = () => {
      // --explain: a fresh trace per build (a chart fetch or the engines build again).
      if (explain) explain.trace = new FieldTrace(explain.matches, explain.final);
      const t = engines ? withRenderEngines(s, engines) : s;
      return buildCluster(fs, {
        ...selection,
        ...renderInputs(t),
        ...fluxBuildOptions(t),
        ...(explain ? { observe: explain.trace!.observe } : {}),
      });
    };
    try {
      return build();
    } catch (e) {
      if (!(e instanceof RenderEnginesNotLoaded) || engines) throw e;
      engines = await loadRenderEngines();
      return build();
    }
  });
  const allowUnbuildable = f['allow-unbuildable'] === true;
  // Without --allow-unbuildable the not-buildable ones are the error below, said once.
  const notBuildable = new Set(
    b.kustomizations.filter((k) => k.status === 'not-buildable' && !allowUnbuildable).flatMap((k) => k.warnings),
  );
  const show = f['show-secrets'] === true;
  const { vars } = renderInputs(session);
  const masks = { secretValues: show ? [] : substitutedSecretValues(b, vars) };
  const said = (t: string) => (show ? t : maskText(t, masks));
  for (const w of allWarnings(b)) if (!notBuildable.has(w)) ctx.io.err(said(`warning: ${formatIssue(w)}\n`));
  const disabled = b.helmReleases.filter((h) => h.status === 'disabled').length;
  if (disabled > 0) ctx.io.err(`info: --no-helm: ${disabled} HelmRelease(s) not rendered\n`);
  for (const h of b.helmReleases) {
    if (h.remote !== undefined && h.resources.length > 0)
      ctx.io.err(
        `info: HelmRelease ${h.id} installs into another cluster (spec.kubeConfig ${h.remote}): its ` +
          `${h.resources.length} object(s) are that cluster's\n`,
      );
  }
  const errors = allErrors(b);
  if (f.summary === true) ctx.io.out(summaryTable(b));
  if (errors.length > 0) throw toInputError(errors, said);
  // Never silent: a part of the cluster that was not built is an input error unless allowed.
  const unbuildable = unfollowedOf(b);
  if (unbuildable.length > 0 && !allowUnbuildable) throw unbuildableError(unbuildable);
  if (f.summary === true) return 0;
  if (explain) return printExplain(ctx, explain, output);
  if (output === 'yaml') {
    const objs = (show ? allResources(b) : redactResources(allResources(b), masks)).map((r) => r.object);
    // Quote strings YAML 1.1 would retype: kubectl and Flux read YAML with go-yaml v2.
    ctx.io.out(objs.length ? toYamlStream(objs, { yaml11Safe: true }) : '');
  } else {
    ctx.io.out(`${JSON.stringify(jsonView(b, show, vars), null, 2)}\n`);
  }
  return 0;
}

function toInputError(errors: BuildIssue[], said: (t: string) => string): InputError {
  const mk = (i: BuildIssue) => {
    const obj = i.object ? `${i.object}: ` : '';
    const chain = i.chain?.length ? ` (Kustomization ${i.chain.join(' -> ')})` : '';
    return new InputError(said(`${obj}${i.message}${chain}`), {
      ...(i.file
        ? {
            pos: {
              file: i.file,
              ...(i.line !== undefined ? { line: i.line } : {}),
              ...(i.column !== undefined ? { column: i.column } : {}),
            },
          }
        : {}),
      ...(i.fieldPath ? { fieldPath: i.fieldPath } : {}),
    });
  };
  const [first, ...rest] = errors.map(mk);
  return new InputError(first!.message, { pos: first!.pos, fieldPath: first!.fieldPath, more: rest });
}

/** Exit 2 naming every part not built (each source once) and how to map or allow it. */
function unbuildableError(list: readonly Unfollowed[]): InputError {
  // Each line names its file and line (formatUnfollowed), one line per source.
  const lines = formatUnfollowed(list);
  const n = list.length;
  const sets = list.filter((u) => u.kind === 'ResourceSet').length;
  const what =
    sets === 0
      ? `${n} Kustomization${n > 1 ? 's are' : ' is'} not buildable offline`
      : [
          n - sets ? `${n - sets} Kustomization${n - sets > 1 ? 's are' : ' is'} not buildable offline` : '',
          `${sets} ResourceSet${sets > 1 ? 's are' : ' is'} not expanded offline`,
        ]
          .filter(Boolean)
          .join(' and ');
  return new InputError(
    `${what}, so the output would be incomplete (--allow-unbuildable prints the rest):\n  ${lines.join('\n  ')}`,
  );
}

/** The build as JSON: every Kustomization with its objects (secrets masked unless asked). */
export function jsonView(b: ClusterBuild, showSecrets: boolean, vars?: Readonly<Record<string, string>>): unknown {
  const masks = { secretValues: substitutedSecretValues(b, vars) };
  const res = (rs: Parameters<typeof redactResources>[0]) => (showSecrets ? rs : redactResources(rs, masks));
  const view = {
    ...(b.cluster !== undefined ? { cluster: b.cluster } : {}),
    root: { ...b.root, resources: res(b.root.resources) },
    kustomizations: b.kustomizations.map((k) => ({
      ...k,
      object: showSecrets ? k.object : res([{ object: k.object }])[0]!.object,
      ...(k.kustomization
        ? { kustomization: showSecrets ? k.kustomization : redactKustomization(k.kustomization) }
        : {}),
      resources: res(k.resources),
    })),
    errors: b.errors,
    helmReleases: b.helmReleases.map((h) => ({
      ...h,
      object: showSecrets ? h.object : res([{ object: h.object }])[0]!.object,
      resources: res(h.resources),
    })),
  };
  // Messages and every other string too (URL userinfo, substituted Secret values).
  return showSecrets ? view : maskStrings(view, masks);
}

/** One line per Kustomization: objects, dependsOn, status. */
export function summaryTable(b: ClusterBuild): string {
  const rows: string[][] = [['KUSTOMIZATION', 'PATH', 'OBJECTS', 'DEPENDS ON', 'STATUS']];
  if (!b.root.syncedBy) {
    rows.push([
      `(cluster path)`,
      b.root.path || '.',
      String(b.root.resources.length),
      '-',
      b.root.errors.length ? 'failed' : 'built',
    ]);
  }
  for (const k of b.kustomizations) {
    const status = k.status === 'not-buildable' ? `not-buildable (${k.sourceRef.id})` : k.status;
    const warn =
      k.warnings.length && k.status === 'built'
        ? ` (${k.warnings.length} warning${k.warnings.length > 1 ? 's' : ''})`
        : '';
    rows.push([k.id, k.path ?? '-', String(k.resources.length), k.dependsOn.join(',') || '-', status + warn]);
  }
  const total = allResources(b).length;
  const notBuildable = b.kustomizations.filter((k) => k.status === 'not-buildable').length;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  if (b.helmReleases.length > 0) {
    const hrows: string[][] = [['HELMRELEASE', 'CHART', 'OBJECTS', 'STATUS']];
    for (const h of b.helmReleases) {
      const chart = h.chart ? `${h.chart.name}${h.chart.version ? `@${h.chart.version}` : ''}` : '-';
      hrows.push([
        h.id,
        chart,
        String(h.resources.length),
        h.remote !== undefined ? `${h.status} (into another cluster: kubeConfig ${h.remote})` : h.status,
      ]);
    }
    const hw = hrows[0]!.map((_, i) => Math.max(...hrows.map((r) => r[i]!.length)));
    lines.push(
      '',
      ...hrows.map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(hw[i]!)))
          .join('  ')
          .trimEnd(),
      ),
    );
  }
  const sets = b.resourceSets ?? [];
  if (sets.length > 0) {
    const srows: string[][] = [['RESOURCESET', 'APPLIED BY', 'INPUTS', 'OBJECTS', 'STATUS']];
    for (const r of sets)
      srows.push([
        r.id.slice('ResourceSet/'.length),
        r.kustomization || '(cluster path)',
        r.inputs !== undefined ? String(r.inputs) : '-',
        String(r.objects),
        r.reason ? `${r.status}: ${r.reason}` : r.status,
      ]);
    const sw = srows[0]!.map((_, i) => Math.max(...srows.map((r) => r[i]!.length)));
    lines.push(
      '',
      ...srows.map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(sw[i]!)))
          .join('  ')
          .trimEnd(),
      ),
    );
  }
  const rendered = b.helmReleases.filter((h) => h.status === 'rendered').length;
  const expanded = sets.filter((r) => r.status === 'expanded').length;
  lines.push(
    `${b.kustomizations.length} Kustomizations${notBuildable ? ` (${notBuildable} not buildable)` : ''}, ` +
      `${b.helmReleases.length ? `${b.helmReleases.length} HelmReleases (${rendered} rendered), ` : ''}` +
      `${sets.length ? `${sets.length} ResourceSets (${expanded} expanded), ` : ''}${total} objects`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--explain`: the object's stage history (exit 2 when the build has no such object). */
function printExplain(ctx: CommandContext, explain: ExplainTarget, output: string): number {
  const traces = explain.trace!.traces();
  if (traces.length === 0) throw new InputError(`--explain ${explain.text}: the build has no such object`);
  ctx.io.out(
    output === 'json'
      ? `${JSON.stringify({ object: explain.text, traces }, null, 2)}\n`
      : formatExplain(explain.text, traces),
  );
  return 0;
}
