import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveVersion } from './resolve-version.js';

const vs = ['1.0.0', '1.2.0', '1.10.0', '2.0.0-rc.1', 'not-a-version', 'v0.9.0', '1.11', '01.12.0', '1.13.0-01'].map(
  (version) => ({ version }),
);
const pick = (c: string | undefined, opts = {}): string => {
  const r = resolveVersion(vs, c, 'podinfo', opts);
  return r.ok ? r.pick.version : `!${r.reason}`;
};

test('empty and * are the latest stable version (Flux: prereleases left out, numeric order)', () => {
  assert.equal(pick(undefined), '1.10.0');
  assert.equal(pick(''), '1.10.0');
  assert.equal(pick('*'), '1.10.0');
});

test('constraints pick the highest satisfying version; prereleases only when the constraint names one', () => {
  assert.equal(pick('~1.0'), '1.0.0');
  assert.equal(pick('^1.0.0'), '1.10.0');
  assert.equal(pick('>=1.0.0 <1.5.0'), '1.2.0');
  assert.equal(pick('>=2.0.0-0'), '2.0.0-rc.1');
  assert.equal(pick('>=2.0.0'), "!no 'podinfo' chart with version matching '>=2.0.0' found");
  assert.equal(pick('0.9.0'), 'v0.9.0');
  assert.match(pick('>=>1'), /^!invalid version constraint/);
});

test('an exact match wins before semver (HelmRepository); not for an OCIRepository semver', () => {
  const r = resolveVersion([{ version: 'stable' }, { version: '1.0.0' }], 'stable', 'x');
  assert.ok(r.ok && r.pick.version === 'stable');
  assert.equal(pick('1.11'), '1.11'); // listed as written, though not strict semver
  const r2 = resolveVersion([{ version: 'stable' }, { version: '1.0.0' }], 'stable', 'x', { exactFirst: false });
  assert.ok(!r2.ok);
});

test('candidates are strict semver (fluxcd/pkg/version ParseVersion): 1.11, leading zeros are ignored', () => {
  assert.equal(pick('>=1.10.0'), '1.10.0');
  assert.equal(pick('>=1.13.0-0'), '2.0.0-rc.1');
  assert.equal(pick('~1.11'), "!no 'podinfo' chart with version matching '~1.11' found");
});

test('versions equal but for build metadata: the newest created wins', () => {
  const r = resolveVersion(
    [
      { version: '1.0.0+a', created: '2024-01-01T00:00:00Z' },
      { version: '1.0.0+b', created: '2024-03-01T00:00:00Z' },
      { version: '1.0.0+c', created: '2024-02-01T00:00:00Z' },
    ],
    '*',
    'x',
  );
  assert.ok(r.ok);
  assert.equal(r.pick.version, '1.0.0+b');
});
