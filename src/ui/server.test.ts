/**
 * The console's errors are user errors: a missing asset or a route that fails answers with a
 * message that says what to do, never with an absolute path of the machine or a stack; the
 * details go to the terminal (the server's log).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PACKAGE_ROOT } from '../package-root.js';
import { INTERNAL_ERROR_MESSAGE, missingAssetMessage, startConsole } from './server.js';
import type { ConsoleModel } from './model.js';

const MODEL: ConsoleModel = {
  overview: { fleet: 'f', root: 'r', environments: [], clusters: [] },
  clusters: [],
  findings: [],
  promotions: [],
  upgrade: { available: false, note: 'none' },
  slos: [],
  objects: new Map(),
  sources: new Map(),
};

async function serve(model: ConsoleModel, assetDir: string, log: string[]): Promise<{ server: Server; base: string }> {
  const server = await startConsole({ model, port: 0, assetDir, log: (l) => log.push(l) });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** No absolute path of this machine in a body: not the temp folder, the package, the home or the cwd. */
function assertNoMachinePath(body: string, ...paths: string[]): void {
  for (const p of [...paths, PACKAGE_ROOT, tmpdir(), process.cwd()]) assert.ok(!body.includes(p), `${body} names ${p}`);
  assert.doesNotMatch(body, /(^|[\s"'(])\/(tmp|home|root|usr|var|work|Users)\//, body);
  assert.doesNotMatch(body, /\bat .*\(.*:\d+:\d+\)/, 'no stack trace');
}

test('a missing asset answers 500 with a message naming the asset and the fix, not the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ui-assets-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const log: string[] = [];
  const { server, base } = await serve(MODEL, dir, log);
  try {
    const ok = await fetch(`${base}/`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<title>t<\/title>/);
    for (const asset of ['app.js', 'app.css', 'favicon.svg']) {
      const r = await fetch(`${base}/${asset}`);
      assert.equal(r.status, 500, asset);
      assert.match(r.headers.get('content-type') ?? '', /application\/json/);
      const body = await r.text();
      assert.deepEqual(JSON.parse(body), { error: missingAssetMessage(asset) });
      assert.match(body, new RegExp(`ui/${asset.replace('.', '\\.')}.*reinstall aksfleet`));
      assertNoMachinePath(body, dir);
    }
    // The terminal gets the details (the real error, with its path), once per failed request.
    assert.equal(log.length, 3);
    assert.ok(
      log.every((l) => l.includes(dir) && /ENOENT/.test(l)),
      log.join('\n'),
    );
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a route that throws answers 500 with a generic message; the error (with its path) goes to the log only', async () => {
  const secret = join(tmpdir(), 'aksfleet-secret-place', 'repo', 'fleet.yaml');
  const model = {
    ...MODEL,
    get findings(): never {
      throw new Error(`ENOENT: no such file or directory, open '${secret}'`);
    },
  } as ConsoleModel;
  const log: string[] = [];
  const { server, base } = await serve(model, join(PACKAGE_ROOT, 'ui'), log);
  try {
    const r = await fetch(`${base}/api/findings`);
    assert.equal(r.status, 500);
    const body = await r.text();
    assert.deepEqual(JSON.parse(body), { error: INTERNAL_ERROR_MESSAGE });
    assertNoMachinePath(body, secret);
    assert.equal(log.length, 1);
    assert.match(log[0]!, /^GET \/api\/findings: ENOENT/);
    assert.ok(log[0]!.includes(secret));
    // The other routes keep working.
    const fleet = await fetch(`${base}/api/fleet`);
    assert.equal(fleet.status, 200);
    assert.equal(((await fleet.json()) as { fleet: string }).fleet, 'f');
    const missing = await fetch(`${base}/api/cluster?name=nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: "no cluster 'nope'" });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
