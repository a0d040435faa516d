import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet } from '../../src/spec/load.js';
import { exampleFile } from '../../src/package-root.js';
import { generateAll } from '../../src/generators/index.js';

test('Prometheus keeps the longest SLO window (30d SLOs: 31d retention), and Flux ignores tests/', () => {
  const files = generateAll(loadFleet(exampleFile('fleet.yaml')));
  const kps = files.find((f) => f.path === 'platform/controllers/kube-prometheus-stack/release.yaml')!;
  assert.match(kps.content, /retention: 31d/);
  assert.match(files.find((f) => f.path === '.sourceignore')!.content, /^\/tests\/$/m);
});
