/**
 * The real `helm` (test/oracles: helm-4.1, Helm v4.1.3) for the chart source tests: it makes the
 * archives (`helm package`), the repository indexes (`helm repo index`), pushes to and pulls from
 * registries. Each call runs with HELM_CACHE_HOME/HELM_CONFIG_HOME/HELM_DATA_HOME in one temp
 * folder, never the user's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oracle } from '../../../../test/oracles/oracle.mjs';

export const HELM = 'helm-4.1';

export interface HelmRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A helm with its own homes (one per test file). */
export interface HelmCli {
  readonly home: string;
  run(args: readonly string[], opts?: { cwd?: string; input?: string }): HelmRun;
  /** For runs against a server of the same process (which a sync run would block). */
  runAsync(args: readonly string[], opts?: { cwd?: string; input?: string }): Promise<HelmRun>;
}

/** `name`: the oracle (default {@link HELM}; `helm-4.2` is Flux 2.9's Helm). */
export function helmCli(name: string = HELM): HelmCli {
  const home = mkdtempSync(join(tmpdir(), 'aksfleet-helm-home-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    DOCKER_CONFIG: join(home, 'docker'),
  };
  return {
    home,
    run(args, opts = {}) {
      const r = spawnSync(oracle(name).path, args, {
        cwd: opts.cwd,
        env,
        encoding: 'utf8',
        input: opts.input,
        timeout: 60_000,
      });
      return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    runAsync(args, opts = {}) {
      return new Promise((resolvePromise) => {
        const p = spawn(oracle(name).path, args, {
          cwd: opts.cwd,
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
          timeout: 60_000,
        });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
        p.stdin.end(opts.input ?? '');
      });
    },
  };
}

/** Writes a small chart folder `dir/name` (one ConfigMap template) and returns its path. */
export function writeChart(
  dir: string,
  name: string,
  version: string,
  extra: Readonly<Record<string, string>> = {},
): string {
  const c = join(dir, name);
  mkdirSync(join(c, 'templates'), { recursive: true });
  writeFileSync(join(c, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  writeFileSync(join(c, 'values.yaml'), 'greeting: hello\n');
  writeFileSync(
    join(c, 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n' +
      '  greeting: {{ .Values.greeting }}\n',
  );
  for (const [k, v] of Object.entries(extra)) {
    mkdirSync(join(c, k, '..'), { recursive: true });
    writeFileSync(join(c, k), v);
  }
  return c;
}

/** `helm package` of a chart folder into `dest`; returns the archive path. */
export function helmPackage(h: HelmCli, chartDir: string, dest: string): string {
  mkdirSync(dest, { recursive: true });
  const r = h.run(['package', chartDir, '-d', dest]);
  if (r.status !== 0) throw new Error(`helm package failed: ${r.stderr}`);
  const m = /saved it to: (.*\.tgz)/.exec(r.stdout);
  if (!m) throw new Error(`helm package: no archive in ${r.stdout}`);
  return m[1]!.trim();
}
