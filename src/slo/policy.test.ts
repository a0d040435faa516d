import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BURN_RATE_ALERTS,
  burnFactor,
  errorBudget,
  hoursToExhaustion,
  objectiveRatio,
  windowSeconds,
} from './policy.js';

test('window lengths', () => {
  assert.deepEqual(
    ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '28d', '30d'].map(windowSeconds),
    [300, 1800, 3600, 7200, 21600, 86400, 259200, 2419200, 2592000],
  );
  assert.throws(() => windowSeconds('1w'), /not a window/);
});

test('30d factors are the SRE Workbook ones: 14.4, 6, 3, 1', () => {
  assert.deepEqual(
    BURN_RATE_ALERTS.map((a) => burnFactor('30d', a)),
    [14.4, 6, 3, 1],
  );
});

test('28d factors scale by 28/30: budget fraction * 672h / alert window', () => {
  // Hand-computed: 0.02*672/1, 0.05*672/6, 0.10*672/24, 0.10*672/72.
  assert.deepEqual(
    BURN_RATE_ALERTS.map((a) => burnFactor('28d', a)),
    [13.44, 5.6, 2.8, 0.933333],
  );
  for (const a of BURN_RATE_ALERTS) assert.ok(Math.abs(burnFactor('28d', a) / burnFactor('30d', a) - 28 / 30) < 1e-6);
});

test('each alert fires when its budget fraction is spent within its long window', () => {
  for (const w of ['28d', '30d'] as const) {
    for (const a of BURN_RATE_ALERTS) {
      // factor * longWindow / window = the budget fraction consumed at that burn rate.
      const consumed = (burnFactor(w, a) * windowSeconds(a.longWindow)) / windowSeconds(w);
      assert.ok(Math.abs(consumed - a.budgetConsumed) < 1e-6, `${w} ${a.longWindow}`);
    }
  }
});

test('short windows are 1/12 of the long ones; pages before tickets', () => {
  for (const a of BURN_RATE_ALERTS) assert.equal(windowSeconds(a.longWindow) / windowSeconds(a.shortWindow), 12);
  assert.deepEqual(
    BURN_RATE_ALERTS.map((a) => a.severity),
    ['page', 'page', 'ticket', 'ticket'],
  );
});

test('budget and objective as ratios without binary noise', () => {
  assert.equal(errorBudget(99.9), 0.001);
  assert.equal(errorBudget(99), 0.01);
  assert.equal(errorBudget(99.95), 0.0005);
  assert.equal(errorBudget(99.99), 0.0001);
  assert.equal(objectiveRatio(99.9), 0.999);
});

test('time to exhaustion at the threshold burn rate', () => {
  assert.deepEqual(
    BURN_RATE_ALERTS.map((a) => hoursToExhaustion('30d', a)),
    [50, 120, 240, 720],
  );
  assert.deepEqual(
    BURN_RATE_ALERTS.map((a) => hoursToExhaustion('28d', a)),
    [50, 120, 240, 720],
  );
});
