/**
 * The shell writers of shell.ts, judged by bash itself: whatever the value, bash reads back
 * exactly the value and runs nothing from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { requireEnv, shComment, shQuote, shWord } from './shell.js';

const dir = mkdtempSync(join(tmpdir(), 'aksfleet-shell-'));
const MARK = join(dir, 'pwned');
const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-c', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', HOME: dir, ...env },
  });

const hostile = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      'a',
      ' ',
      "'",
      '"',
      '`',
      '$',
      '(',
      ')',
      '{',
      '}',
      ';',
      '|',
      '&',
      '\\',
      '\n',
      '\r',
      '\t',
      '*',
      '?',
      '~',
      '#',
      '!',
      '=',
      '-',
      'é',
      '\u2028',
      '😀',
    ),
    maxLength: 24,
  }),
  fc.constantFrom(
    `$(touch ${MARK})`,
    `\`touch ${MARK}\``,
    `'; touch ${MARK}; '`,
    `\ntouch ${MARK}\n`,
    `\${X:-$(touch ${MARK})}`,
  ),
);

test(
  'shQuote and shWord: bash reads back exactly the value, ' +
    'and runs nothing from it (fast-check, bash as the oracle)',
  () => {
    fc.assert(
      fc.property(hostile, (s) => {
        for (const q of [shQuote, shWord]) {
          const r = bash(`printf '%s' ${q(s)}`);
          assert.equal(r.status, 0, r.stderr);
          assert.equal(r.stdout, s);
        }
        assert.equal(existsSync(MARK), false);
      }),
      { seed: 25, numRuns: 300 },
    );
  },
);

test('shComment: a value cannot end the comment (the next line runs, the comment never does)', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const r = bash(`${shComment(`branch ${s}`)}\necho ok`);
      assert.equal(r.stdout, 'ok\n', r.stderr);
      assert.equal(existsSync(MARK), false);
    }),
    { seed: 25, numRuns: 300 },
  );
});

test('requireEnv: stops with the message when the variable is unset, runs nothing from the message, passes when set', () => {
  const stmt = requireEnv(
    'GITHUB_TOKEN',
    `export a token that may administer your-org$(touch ${MARK})/\`touch ${MARK}\``,
  );
  const unset = bash(`${stmt}\necho after`);
  assert.equal(unset.status, 1);
  assert.equal(unset.stdout, '');
  assert.equal(
    unset.stderr,
    `GITHUB_TOKEN: export a token that may administer your-org$(touch ${MARK})/\`touch ${MARK}\`\n`,
  );
  assert.equal(bash(`${stmt}\necho after`, { GITHUB_TOKEN: '' }).status, 1);
  assert.equal(bash(`set -u\n${stmt}\necho after`, { GITHUB_TOKEN: 'x' }).stdout, 'after\n');
  assert.equal(existsSync(MARK), false);
  // The construct it replaces runs the command in its message when the variable is unset:
  bash(`: "\${GITHUB_TOKEN:?export a token for your-org$(touch ${MARK})}"`);
  assert.equal(existsSync(MARK), true, 'the old ${VAR:?word} form is the hole this closes');
});
