/**
 * Runs the gate's steps as scripts, the way the CI services would, on this machine: the composite
 * action (action.yml) and the Azure Pipelines steps template. Just enough of each service's rules
 * for these two files; anything else in them (an expression form, a step kind) throws, so a change
 * to the files that this runner does not understand fails the test instead of being skipped.
 *
 * GitHub: `${{ }}` in `env`, `with` and `if` (context lookups, `always()`, `==`, `!=`, `&&`),
 * `shell: bash` as `bash --noprofile --norc -eo pipefail FILE`, GITHUB_OUTPUT per step,
 * GITHUB_ENV carried to the next steps. Azure: template parameters with defaults, `${{ if }}`
 * insertions, `${{ parameters.x }}` and `join`, `$(Var)` macros in env and in the fields of
 * tasks, `##vso[task.setvariable]`; a pipeline's jobs (`jobs:`, or root `steps:`) with their
 * `template:` steps expanded; `checkout`, `publish` and `download` steps recorded like tasks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface StepRun {
  readonly name: string;
  /** 'ran', 'skipped' (its `if`/condition was false) or 'uses' (an action or task: not run here). */
  readonly status: 'ran' | 'skipped' | 'uses';
  readonly code?: number;
  readonly out?: string;
  readonly err?: string;
  /** For `uses`/`task` steps: the action or task and its evaluated inputs. */
  readonly uses?: string;
  readonly with?: Record<string, string>;
}

type Ctx = Record<string, unknown>;

function lookup(ctx: Ctx, path: string): unknown {
  let v: unknown = ctx;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** One GitHub expression (the forms action.yml uses). */
export function githubExpr(expr: string, ctx: Ctx): unknown {
  const e = expr.trim();
  if (e.includes('&&')) return e.split('&&').every((t) => !!githubExpr(t, ctx));
  if (e === 'always()') return true;
  let m = /^([A-Za-z_][\w.-]*)\s*(==|!=)\s*'([^']*)'$/.exec(e);
  if (m) {
    const v = String(lookup(ctx, m[1]!) ?? '');
    return m[2] === '==' ? v === m[3] : v !== m[3];
  }
  m = /^([A-Za-z_][\w.-]*)$/.exec(e);
  if (m) return lookup(ctx, m[1]!);
  throw new Error(`ci-runner: unsupported GitHub expression '${e}'`);
}

function githubSubst(text: string, ctx: Ctx): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(githubExpr(e, ctx) ?? ''));
}

/** Runs a script without blocking the event loop (the test's stub server answers meanwhile). */
function bash(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill(), 300_000);
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

function parseKv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}

/**
 * Runs the composite action's steps: `inputs` over the declared defaults, `github` the context
 * (base_ref, token...), `env` the runner's environment (GITHUB_EVENT_PATH, GITHUB_API_URL...).
 * Steps named in `skip` are not run (e.g. the npm install of a published version).
 */
export async function runAction(
  actionYml: string,
  o: {
    inputs: Record<string, string>;
    github: Ctx;
    env: NodeJS.ProcessEnv;
    cwd: string;
    temp: string;
    skip: readonly string[];
  },
): Promise<StepRun[]> {
  const action = parse(actionYml) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: ActionStep[] };
  };
  if (action.runs.using !== 'composite') throw new Error('ci-runner: not a composite action');
  for (const k of Object.keys(o.inputs))
    if (!(k in action.inputs)) throw new Error(`ci-runner: the action has no input '${k}'`);
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([k, v]) => [
      k,
      o.inputs[k] ?? githubSubst(String(v.default ?? ''), { github: o.github }),
    ]),
  );
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const ctx: Ctx = { inputs, github: o.github, steps, runner: { temp: o.temp, os: 'Linux' } };
  const envFile = join(o.temp, 'github-env');
  writeFileSync(envFile, '');
  const runs: StepRun[] = [];
  let n = 0;
  for (const s of action.runs.steps) {
    const name = s.name ?? s.uses ?? `step ${n}`;
    n++;
    if (s.if !== undefined && !githubExpr(s.if.replace(/^\$\{\{|\}\}$/g, ''), ctx)) {
      runs.push({ name, status: 'skipped' });
      continue;
    }
    if (s.uses) {
      runs.push({
        name,
        status: 'uses',
        uses: s.uses,
        with: Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, githubSubst(String(v), ctx)])),
      });
      continue;
    }
    if (o.skip.includes(name)) {
      runs.push({ name, status: 'skipped' });
      continue;
    }
    if (s.shell !== 'bash' || typeof s.run !== 'string')
      throw new Error(`ci-runner: step '${name}' is not a bash run step`);
    if (/\$\{\{/.test(s.run)) throw new Error(`ci-runner: step '${name}' has an expression in its script (use env)`);
    const output = join(o.temp, `output-${n}`);
    writeFileSync(output, '');
    const script = join(o.temp, `step-${n}.sh`);
    writeFileSync(script, s.run);
    const env = {
      ...o.env,
      ...parseKv(envFile),
      GITHUB_OUTPUT: output,
      GITHUB_ENV: envFile,
      RUNNER_TEMP: o.temp,
      ...Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, githubSubst(String(v), ctx)])),
    };
    const r = await bash(['--noprofile', '--norc', '-eo', 'pipefail', script], o.cwd, env);
    runs.push({ name, status: 'ran', code: r.status, out: r.stdout, err: r.stderr });
    if (s.id) steps[s.id] = { outputs: parseKv(output) };
    if (r.status !== 0) break;
  }
  return runs;
}

// ---- Azure Pipelines ----

type Params = Record<string, unknown>;

function azureValue(expr: string, params: Params): unknown {
  const e = expr.trim();
  let m = /^parameters\.(\w+)$/.exec(e);
  if (m) return params[m[1]!];
  m = /^join\('([^']*)',\s*parameters\.(\w+)\)$/.exec(e);
  if (m) return ((params[m[2]!] as unknown[]) ?? []).join(m[1]!);
  if (/^'[^']*'$/.test(e)) return e.slice(1, -1);
  if (e === 'true' || e === 'false') return e === 'true';
  throw new Error(`ci-runner: unsupported template expression '${e}'`);
}

function azureCondition(expr: string, params: Params): boolean {
  const m = /^(eq|ne)\((.+?),\s*(.+)\)$/.exec(expr.trim());
  if (!m) throw new Error(`ci-runner: unsupported template condition '${expr}'`);
  const [a, b] = [azureValue(m[2]!, params), azureValue(m[3]!, params)];
  const same = String(a) === String(b);
  return m[1] === 'eq' ? same : !same;
}

function expand(node: unknown, params: Params): unknown {
  if (typeof node === 'string') {
    const whole = /^\$\{\{(.*)\}\}$/.exec(node.trim());
    if (whole && !whole[1]!.includes('}}')) return azureValue(whole[1]!, params);
    return node.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(azureValue(e, params)));
  }
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      const keys = item && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
      const cond = keys.length === 1 ? /^\$\{\{\s*if (.*)\}\}$/.exec(keys[0]!) : null;
      if (cond) {
        if (azureCondition(cond[1]!, params))
          out.push(...(expand((item as Record<string, unknown>)[keys[0]!], params) as unknown[]));
      } else out.push(expand(item, params));
    }
    return out;
  }
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expand(v, params)]));
  return node;
}

interface AzureStep {
  task?: string;
  bash?: string;
  checkout?: string;
  publish?: string;
  download?: string;
  template?: string;
  parameters?: Params;
  displayName?: string;
  condition?: string;
  env?: Record<string, string>;
  inputs?: Record<string, string>;
  [field: string]: unknown;
}

/** The step kinds recorded (not run) besides tasks: what the agent does itself. */
const AGENT_STEPS = ['checkout', 'publish', 'download'] as const;

export interface AzureJob {
  readonly name: string;
  readonly dependsOn?: string;
  /** `strategy: parallel`: how many copies of the job run (System.TotalJobsInPhase). */
  readonly parallel?: number;
  readonly steps: AzureStep[];
}

/**
 * A pipeline's jobs, each with its `template:` steps replaced by the template's expanded steps
 * (`readTemplate` gives a template's text by its path, as Azure resolves it in the repository).
 */
export function pipelineJobs(pipelineYml: string, readTemplate: (path: string) => string): AzureJob[] {
  const p = parse(pipelineYml) as {
    steps?: AzureStep[];
    jobs?: { job: string; dependsOn?: string; strategy?: { parallel?: string | number }; steps: AzureStep[] }[];
  };
  const raw = p.jobs ?? [{ job: 'Job', steps: p.steps ?? [] }];
  return raw.map((j) => ({
    name: j.job,
    ...(j.dependsOn === undefined ? {} : { dependsOn: j.dependsOn }),
    ...(j.strategy?.parallel === undefined ? {} : { parallel: Number(j.strategy.parallel) }),
    steps: j.steps.flatMap((s) =>
      s.template === undefined ? [s] : expandTemplate(readTemplate(s.template), s.parameters ?? {}),
    ),
  }));
}

/** The template's steps after parameters (over the declared defaults) and `${{ if }}` insertions. */
export function expandTemplate(templateYml: string, given: Params): AzureStep[] {
  const t = parse(templateYml) as {
    parameters: { name: string; type: string; default?: unknown; values?: unknown[] }[];
    steps: unknown[];
  };
  const declared = new Map(t.parameters.map((p) => [p.name, p]));
  for (const k of Object.keys(given))
    if (!declared.has(k)) throw new Error(`ci-runner: the template has no parameter '${k}'`);
  const params: Params = {};
  for (const p of t.parameters) {
    const v = k(given, p.name) ? given[p.name] : p.default;
    if (p.values && !p.values.includes(v))
      throw new Error(`ci-runner: parameter ${p.name} is '${String(v)}', not one of ${p.values.join(', ')}`);
    params[p.name] = v;
  }
  return expand(t.steps, params) as AzureStep[];
}

const k = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Runs the expanded steps: bash steps as `bash --noprofile --norc FILE`, tasks and agent steps
 * (checkout, publish, download) recorded, and handed to `act` when given (e.g. a test that plays
 * the artifact store) before the next step runs.
 */
export async function runAzureSteps(
  steps: readonly AzureStep[],
  o: {
    variables: Record<string, string>;
    env: NodeJS.ProcessEnv;
    cwd: string;
    temp: string;
    skip: readonly string[];
    act?: (run: StepRun) => void;
  },
): Promise<StepRun[]> {
  const vars: Record<string, string> = { ...o.variables };
  const macro = (s: string) => s.replace(/\$\(([A-Za-z][\w.]*)\)/g, (m, name: string) => vars[name] ?? m);
  const runs: StepRun[] = [];
  let failed = false;
  let n = 0;
  for (const s of steps) {
    const agent = AGENT_STEPS.find((kind) => s[kind] !== undefined);
    const name = s.displayName ?? s.task ?? agent ?? `step ${n}`;
    n++;
    const cond = s.condition ?? 'succeeded()';
    if (cond !== 'always()' && cond !== 'succeeded()') throw new Error(`ci-runner: unsupported condition '${cond}'`);
    if (failed && cond !== 'always()') {
      runs.push({ name, status: 'skipped' });
      continue;
    }
    if (s.task || agent) {
      const fields = s.task
        ? (s.inputs ?? {})
        : Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'displayName' && key !== 'condition'));
      const run: StepRun = {
        name,
        status: 'uses',
        uses: s.task ?? agent!,
        with: Object.fromEntries(Object.entries(fields).map(([key, v]) => [key, macro(String(v))])),
      };
      runs.push(run);
      o.act?.(run);
      continue;
    }
    if (o.skip.includes(name)) {
      runs.push({ name, status: 'skipped' });
      continue;
    }
    if (typeof s.bash !== 'string') throw new Error(`ci-runner: step '${name}' is neither a task nor a bash step`);
    const script = join(o.temp, `azure-step-${n}.sh`);
    writeFileSync(script, macro(s.bash));
    const fromVars = Object.fromEntries(
      Object.entries(vars).map(([key, v]) => [key.toUpperCase().replace(/\./g, '_'), v]),
    );
    const env = {
      ...o.env,
      ...fromVars,
      ...Object.fromEntries(Object.entries(s.env ?? {}).map(([key, v]) => [key, macro(String(v))])),
    };
    const r = await bash(['--noprofile', '--norc', script], o.cwd, env);
    for (const m of r.stdout.matchAll(/^##vso\[task\.setvariable variable=([\w.]+)\](.*)$/gm)) vars[m[1]!] = m[2]!;
    runs.push({ name, status: 'ran', code: r.status, out: r.stdout, err: r.stderr });
    if (r.status !== 0) failed = true;
  }
  return runs;
}

export function tempDir(prefix: string, base: string): string {
  return mkdtempSync(join(base, prefix));
}
