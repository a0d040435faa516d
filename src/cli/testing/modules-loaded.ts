/**
 * Every module file `main(argv)` loads in a fresh process running the CLI from the sources, found
 * with a module hook (what is loaded, not how long it takes): for tests that keep a command's
 * start-up free of engines it does not need. Not shipped (testing/ folders are left out).
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../package-root.js';

export interface ModulesLoaded {
  /** Repository-relative paths (packages from `node_modules/` on), sorted, each once. */
  readonly loaded: string[];
  readonly out: string;
  readonly err: string;
  readonly code: number | null;
}

export function modulesLoadedBy(argv: readonly string[]): ModulesLoaded {
  const hook =
    `export async function load(url, ctx, next) { if (url.startsWith('file:')) ` +
    `process._rawDebug('AKSFLEET-LOADED ' + url); return next(url, ctx); }`;
  const script = [
    "import { register } from 'node:module';",
    `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`,
    `const { main } = await import(${JSON.stringify(pathToFileURL(`${PACKAGE_ROOT}/src/cli/main.ts`).href)});`,
    `process.exitCode = await main(${JSON.stringify(argv)});`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const loaded = [...r.stderr.matchAll(/^AKSFLEET-LOADED (\S+)$/gm)]
    .map((m) => fileURLToPath(m[1]!))
    // node_modules may be a link to another checkout's: name packages from node_modules/ on.
    .map((f) =>
      f.includes('/node_modules/') ? f.slice(f.lastIndexOf('/node_modules/') + 1) : relative(PACKAGE_ROOT, f),
    )
    .sort();
  const err = r.stderr.replace(/^AKSFLEET-LOADED \S+\n/gm, '');
  return { loaded: [...new Set(loaded)], out: r.stdout, err, code: r.status };
}
