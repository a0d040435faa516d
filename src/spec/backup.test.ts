import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repeatingInterval, wholeDays } from './backup.js';

test('cron schedules as Azure Backup repeating intervals: daily, or every 4/6/8/12 hours', () => {
  const table: [string, string][] = [
    ['0 2 * * *', 'R/2024-01-01T02:00:00+00:00/P1D'],
    ['30 23 * * *', 'R/2024-01-01T23:30:00+00:00/P1D'],
    ['0 */4 * * *', 'R/2024-01-01T00:00:00+00:00/PT4H'],
    ['15 3/6 * * *', 'R/2024-01-01T03:15:00+00:00/PT6H'],
    ['0 */8 * * *', 'R/2024-01-01T00:00:00+00:00/PT8H'],
    ['0 1/12 * * *', 'R/2024-01-01T01:00:00+00:00/PT12H'],
  ];
  for (const [cron, interval] of table) assert.deepEqual(repeatingInterval(cron), { interval }, cron);
  for (const cron of [
    '0 2 * * 1',
    '0 */3 * * *',
    '*/5 * * * *',
    '0 2 1 * *',
    '0 7/6 * * *',
    '0 1,13 * * *',
    '@daily',
    '0 24 * * *',
  ])
    assert.ok('problem' in repeatingInterval(cron), cron);
});

test('retention in whole days', () => {
  assert.equal(wholeDays('168h'), 7);
  assert.equal(wholeDays('720h'), 30);
  assert.equal(wholeDays('24h0m'), 1);
  assert.equal(wholeDays('36h'), undefined);
  assert.equal(wholeDays('0h'), undefined);
});
