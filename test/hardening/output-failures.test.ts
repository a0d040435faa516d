/**
 * Issue #25, point 4: output that cannot be written is a clear message on stderr and exit 2,
 * never a stack trace, never exit 0 with the output lost, never "internal error" (exit 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { exampleFleetText } from '../../src/spec/example.js';

const TSX = join(PACKAGE_ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
const MAIN = join(PACKAGE_ROOT, 'src', 'cli', 'main.ts');
const SCRIPT = `const m = await import(${JSON.stringify(MAIN)}); process.exitCode = await m.main(process.argv.slice(1));`;
const cli = (redirect: string, args: string[], cwd = tmpdir()) =>
  spawnSync(
    'bash',
    [
      '-c',
      `exec "$@" ${redirect}`,
      'bash',
      process.execPath,
      '--import',
      TSX,
      '--input-type=module',
      '-e',
      SCRIPT,
      '--',
      ...args,
    ],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'aksfleet-out-state-')) },
    },
  );

test('stdout on a full disk (>/dev/full) and closed stdout (>&-): a message on stderr, exit 2', {
  skip: existsSync('/dev/full') ? false : 'no /dev/full',
}, () => {
  const full = cli('>/dev/full', ['schema']);
  assert.equal(full.status, 2, full.stderr);
  assert.equal(
    full.stderr,
    'error: cannot write to standard output: no space left on the device (ENOSPC); the output is incomplete\n',
  );
  const closed = cli('>&-', ['schema']);
  assert.equal(closed.status, 2, closed.stderr);
  assert.match(closed.stderr, /^error: standard output is closed: the output has nowhere to go/);
  const devnull = cli('>/dev/null', ['schema']);
  assert.equal(devnull.status, 0, `>/dev/null is a choice, not an error: ${devnull.stderr}`);
});

test('an output folder that cannot be written: exit 2 naming the path, not exit 3', () => {
  // Tests run as root here, which no permission stops: a read-only or kernel file system does.
  const target = '/sys/aksfleet-out';
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-out-'));
  writeFileSync(join(dir, 'fleet.yaml'), exampleFleetText());
  const r = cli('', ['generate', '-o', target], dir);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /^error: cannot write the output to \/sys\/aksfleet-out: (permission denied|operation not permitted|read-only file system) \((EACCES|EPERM|EROFS)\)/,
  );
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
});
