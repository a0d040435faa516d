/**
 * The day-2 scripts judged by bash and shellcheck (issue #25; the audit of `shq`): an upgrade
 * plan whose every string (clusters, resource groups, subscriptions, pools, versions, the target,
 * findings, gate checks, PromQL, reasons) holds a hostile value renders a script that passes
 * `bash -n` and `shellcheck`, and that, run against stub `az`/`kubectl`/`flux`, hands each value to
 * `az` as exactly one argument and runs nothing from any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shq } from './shell.js';
import { renderAzScript } from './upgrade/render-az.js';
import type { Plan, Step } from './upgrade/types.js';

const dir = mkdtempSync(join(tmpdir(), 'aksfleet-day2-shell-'));
const MARK = join(dir, 'pwned');
const bin = join(dir, 'bin');
mkdirSync(bin);
// Each stub writes its name and arguments, NUL-separated, one call per record.
for (const name of ['az', 'kubectl', 'flux']) {
  writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\0' ${name} "$@" >> "$CALLS"\nprintf '\\n' >> "$CALLS"\n`);
  chmodSync(join(bin, name), 0o755);
}
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/** What an attacker would put in a string: command substitution, quotes, expansions, line breaks, globs, unicode. */
const PAYLOADS = [
  `$(touch ${MARK})`,
  `\`touch ${MARK}\``,
  `'; touch ${MARK}; '`,
  `"; touch ${MARK}; "`,
  `\ntouch ${MARK}\n`,
  `\rtouch ${MARK}`,
  `\${X:-$(touch ${MARK})}`,
  `a b\t*?[x] ~root {1,2} !! # not a comment`,
  `x\\'y\\"z\\\\`,
  `rg\u2028touch ${MARK}\u202e😀`,
  `--yes; touch ${MARK} &`,
  `FOO=bar`,
];

function plan(v: string): Plan {
  const common = { ring: `ring ${v}`, resourceGroup: `rg ${v}`, subscriptionId: `sub ${v}`, reason: `why ${v}` };
  const steps: Step[] = [
    { n: 1, kind: 'channel', cluster: `c ${v}`, from: `none ${v}`, to: `stable ${v}`, ...common },
    { n: 2, kind: 'control-plane', cluster: `c ${v}`, from: '1.33.1', to: `1.34 ${v}`, ...common },
    { n: 3, kind: 'node-pool', cluster: `c ${v}`, pool: `p ${v}`, from: '1.33.1', to: `1.34 ${v}`, ...common },
    { n: 4, kind: 'node-image', cluster: `c ${v}`, pool: `p ${v}`, to: 'latest', ...common },
    {
      n: 5,
      kind: 'gate',
      cluster: null,
      checks: [`kubectl get nodes ${v}`, v],
      promql: `up{x="${v}"} == 0`,
      clusters: [`c ${v}`],
      ...common,
    },
  ];
  return {
    target: `1.34 ${v}`,
    date: '2026-12-07',
    rings: [],
    surge: [],
    steps,
    findings: [{ rule: 'version-outside-support', severity: 'error', cluster: `c ${v}`, message: `blocked ${v}` }],
  };
}

/** The records the stubs wrote: [command, ...args] per call. */
function calls(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\0\n')
    .filter((r) => r !== '')
    .map((r) => r.split('\0'));
}

test('shq: bare only for words bash gives no meaning to, else one single-quoted word; NUL refused', () => {
  assert.equal(shq('rg-prod_1.2:3@x%y+z=w,v/u'), 'rg-prod_1.2:3@x%y+z=w,v/u');
  assert.equal(shq(''), "''");
  assert.equal(shq('~root'), "'~root'");
  assert.equal(shq("it's"), `'it'\\''s'`);
  assert.throws(() => shq('a\0b'), /NUL/);
});

test('upgrade plan scripts: hostile values pass bash -n and shellcheck, reach az as exact arguments, and run nothing', {
  skip: hasShellcheck ? false : 'shellcheck not installed (apt-get install -y shellcheck)',
}, () => {
  for (const v of PAYLOADS) {
    const script = renderAzScript(plan(v));
    const file = join(dir, 'upgrade.sh');
    writeFileSync(file, script);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, `bash -n with ${JSON.stringify(v)}: ${syntax.stderr}`);
    // SC2016 ("expressions don't expand in single quotes") is the intent: no value is expanded.
    // SC1003 ("want to escape a single quote?") is a note on a value that ends in a backslash
    // before `'\''`: a backslash is literal in single quotes, and the arguments below prove it.
    const sc = spawnSync('shellcheck', ['--severity=style', '--exclude=SC2016,SC1003', '--format=gcc', file], {
      encoding: 'utf8',
    });
    assert.equal(sc.status, 0, `shellcheck with ${JSON.stringify(v)}:\n${sc.stdout}${sc.stderr}`);
    const log = join(dir, 'calls');
    rmSync(log, { force: true });
    const run = spawnSync('bash', [file], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, CALLS: log, AKSFLEET_IGNORE_BLOCKERS: '1' },
    });
    assert.equal(run.status, 0, `run with ${JSON.stringify(v)}: ${run.stderr}`);
    assert.equal(existsSync(MARK), false, `${JSON.stringify(v)} ran a command`);
    const az = calls(log);
    assert.deepEqual(
      az,
      [
        [
          'az',
          'aks',
          'update',
          '--resource-group',
          `rg ${v}`,
          '--subscription',
          `sub ${v}`,
          '--name',
          `c ${v}`,
          '--auto-upgrade-channel',
          `stable ${v}`,
        ],
        [
          'az',
          'aks',
          'upgrade',
          '--resource-group',
          `rg ${v}`,
          '--subscription',
          `sub ${v}`,
          '--name',
          `c ${v}`,
          '--control-plane-only',
          '--kubernetes-version',
          `1.34 ${v}`,
          '--yes',
        ],
        [
          'az',
          'aks',
          'nodepool',
          'upgrade',
          '--resource-group',
          `rg ${v}`,
          '--subscription',
          `sub ${v}`,
          '--cluster-name',
          `c ${v}`,
          '--name',
          `p ${v}`,
          '--kubernetes-version',
          `1.34 ${v}`,
          '--yes',
        ],
        [
          'az',
          'aks',
          'nodepool',
          'upgrade',
          '--resource-group',
          `rg ${v}`,
          '--subscription',
          `sub ${v}`,
          '--cluster-name',
          `c ${v}`,
          '--name',
          `p ${v}`,
          '--node-image-only',
          '--yes',
        ],
      ],
      JSON.stringify(v),
    );
    // The gate stops the script with its description, the value intact.
    assert.ok(run.stderr.includes(`gate after ring ring ${v}: why ${v}`), run.stderr);
  }
});
