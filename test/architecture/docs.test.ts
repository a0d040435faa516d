/**
 * docs/architecture.md reads the lists the code runs: its stage table is FLUX_BUILD_STAGES in
 * order (with the memoised and plain flags), its HelmRelease table HELMRELEASE_STAGES, its layer
 * table is LAYERS line by line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { FLUX_BUILD_STAGES } from '../../src/flux/build/stages.js';
import { HELMRELEASE_STAGES } from '../../src/flux/helmrelease/stages.js';
import { LAYERS } from './layers.js';

const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'architecture.md'), 'utf8');
/** The rows of the tables with `columns` columns whose first column is a number. */
const rows = (columns: number) =>
  doc
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
    .filter((c) => c.length === columns);

test('architecture.md: the Flux build stages, in the order they run', () => {
  const table = rows(5);
  assert.deepEqual(
    table.map((c) => [c[1]!.replaceAll('`', ''), c[3] === 'yes', c[4] === 'yes']),
    FLUX_BUILD_STAGES.map((s) => [s.name, s.memoised, s.plain]),
  );
});

test('architecture.md: the HelmRelease stages, in the order they run', () => {
  assert.deepEqual(
    rows(4).map((c) => c[1]!.replaceAll('`', '')),
    HELMRELEASE_STAGES.map((s) => s.name),
  );
});

test('architecture.md: the layers, lowest first', () => {
  const layers = rows(3).map((c) => c[1]!.split(',').map((x) => x.trim().replaceAll('`', '')));
  assert.deepEqual(
    layers,
    LAYERS.map((l) => [...l]),
  );
});
