/**
 * The Go template engine in-process (#21 target 1, Helm half): parse and parse + execute of every
 * template of every chart of ../shared/charts (the `defaults` case of cases.tsv, schema validation
 * skipped: this measures templates), CPU time of this process (`process.cpuUsage`), best of --runs.
 *
 *   - parse: every template file of the chart and its subcharts parsed into one set with Helm's
 *     function names (what renderTemplates does before executing);
 *   - render: renderTemplates itself (parse of every template, then execution of each non-partial).
 *
 * `--before DIR`: another checkout's compiled library (DIR/dist, an older commit), measured in the
 * same rounds, alternating with this checkout's dist (run `npm run build` first). Prints JSON.
 * Usage: node --import tsx bench/gotemplate-speed.ts [--runs 10] [--charts a,b] [--before DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const CHARTS = join(ROOT, '..', 'shared', 'charts');

type TemplateMod = typeof import('../src/helm/template.js');
type EngineMod = typeof import('../src/helm/render/engine.js');
type DefaultEngineMod = typeof import('../src/helm/default-engine.js');
type GotemplateMod = typeof import('../src/gotemplate/index.js');
type FuncsMod = typeof import('../src/helm/funcs/index.js');
type Chart = import('../src/helm/chart/types.js').Chart;
type GoMap = import('../src/gotemplate/value.js').GoMap;

interface Side {
  readonly name: string;
  readonly template: TemplateMod;
  readonly engine: EngineMod;
  readonly defaultEngine: DefaultEngineMod;
  readonly gotemplate: GotemplateMod;
  readonly funcs: FuncsMod;
}

async function loadSide(name: string, dist: string): Promise<Side> {
  const imp = async <T>(p: string): Promise<T> => (await import(join(dist, p))) as T;
  return {
    name,
    template: await imp<TemplateMod>('helm/template.js'),
    engine: await imp<EngineMod>('helm/render/engine.js'),
    defaultEngine: await imp<DefaultEngineMod>('helm/default-engine.js'),
    gotemplate: await imp<GotemplateMod>('gotemplate/index.js'),
    funcs: await imp<FuncsMod>('helm/funcs/index.js'),
  };
}

interface Case {
  readonly chart: string;
  readonly release: string;
  readonly namespace: string;
  readonly flags: readonly string[];
}

function defaultsCases(only?: readonly string[]): Case[] {
  const rows = readFileSync(join(CHARTS, 'cases.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const out: Case[] = [];
  for (const [chart, name, release, namespace, flags] of rows) {
    if (name !== 'defaults' || (only && !only.includes(chart!))) continue;
    out.push({ chart: chart!, release: release!, namespace: namespace!, flags: flags!.split(' ').filter(Boolean) });
  }
  return out;
}

/** Every template file of a chart and its subcharts, by Helm's full path. */
function templateTexts(chart: Chart, path: string, out: [string, string][] = []): [string, string][] {
  for (const child of chart.dependencies) templateTexts(child, `${path}/charts/${child.metadata.name}`, out);
  for (const t of chart.templates) out.push([`${path}/${t.name}`, new TextDecoder().decode(t.data)]);
  return out;
}

interface Prepared {
  readonly chart: Chart;
  readonly top: GoMap;
  readonly texts: [string, string][];
}

function prepare(side: Side, c: Case): Prepared | string {
  const flagValues = (k: string) => c.flags.flatMap((f, i) => (f === k ? [c.flags[i + 1]!] : []));
  try {
    const r = side.template.prepareRender({
      args: [c.release, join(CHARTS, 'charts', c.chart)],
      namespace: c.namespace,
      kubeVersion: flagValues('--kube-version')[0] ?? '1.30',
      apiVersions: flagValues('--api-versions'),
      skipSchemaValidation: true,
    });
    return { chart: r.chart, top: r.top, texts: templateTexts(r.chart, r.chart.metadata.name) };
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

const HELM_ENGINE_FUNCS = ['include', 'tpl', 'required', 'fail', 'getHostByName'];

function parseAll(side: Side, p: Prepared): void {
  const funcs = { ...side.funcs.helmFuncMap() };
  for (const n of HELM_ENGINE_FUNCS) funcs[n] ??= funcs.print!;
  const set = side.gotemplate.newTemplateSet({ funcs });
  for (const [name, text] of p.texts) set.parse(name, text);
}

/** Renders every template; returns the outputs, path by path, as one string (to compare the sides). */
function renderAll(side: Side, p: Prepared): string {
  const out = side.engine.renderTemplates(p.chart, p.top, side.defaultEngine.defaultTemplateEngine());
  return [...out].map(([k, v]) => `# ${k}\n${v}`).join('\n');
}

function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

export async function gotemplateSpeed(runs: number, only?: readonly string[], before?: string) {
  const sides = [await loadSide('after', join(ROOT, 'dist'))];
  if (before) sides.push(await loadSide('before', join(before, 'dist')));
  const rows = [];
  for (const c of defaultsCases(only)) {
    const prepared = sides.map((s) => prepare(s, c));
    if (typeof prepared[0] === 'string') {
      rows.push({ chart: c.chart, skipped: prepared[0] });
      continue;
    }
    const best = sides.map(() => ({ parse: Infinity, render: Infinity }));
    const outs = sides.map(() => '');
    for (let r = 0; r < runs; r++) {
      sides.forEach((s, i) => {
        const p = prepared[i] as Prepared;
        best[i]!.parse = Math.min(
          best[i]!.parse,
          cpuMs(() => parseAll(s, p)),
        );
        best[i]!.render = Math.min(
          best[i]!.render,
          cpuMs(() => {
            outs[i] = renderAll(s, p);
          }),
        );
      });
    }
    const row = {
      chart: c.chart,
      templates: (prepared[0] as Prepared).texts.length,
      textBytes: (prepared[0] as Prepared).texts.reduce((n, [, t]) => n + t.length, 0),
      outBytes: outs[0]!.length,
      ...Object.fromEntries(
        sides.map((s, i) => [s.name, { parseMs: +best[i]!.parse.toFixed(2), renderMs: +best[i]!.render.toFixed(2) }]),
      ),
      sameOutput: outs.every((o) => o === outs[0]),
    };
    console.error(JSON.stringify(row));
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const argOf = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
  const rows = await gotemplateSpeed(Number(argOf('--runs') ?? 10), argOf('--charts')?.split(','), argOf('--before'));
  console.log(JSON.stringify({ rows, load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] }, null, 2));
}
