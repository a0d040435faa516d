/**
 * `aksfleet ui --watch` in-process over a temporary repository (runUi with a stop signal): a save
 * gives a new model (a new revision, the findings of the repository as it is now) and one terminal
 * line; a file that fails to load keeps the last model, marked stale, with the error and where it
 * is, in the revision and on the terminal; the fix brings a new model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession } from '../../session/session.js';
import { tempDir, twoClusterRepo, writeTree } from '../testing/fixture-repos.js';
import { runUi } from './ui.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('ui --watch: a save gives a new revision; a broken file keeps the last model, stale, with its place', async () => {
  const dir = tempDir('aksfleet-ui-watch-');
  writeTree(dir, twoClusterRepo());
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    color: false,
    cwd: dir,
    env: {},
  };
  const stop = new AbortController();
  const recomputes: { revision: number; error?: string }[] = [];
  const running = runUi(
    { io, args: [dir], flags: { port: '0', watch: true }, debug: false, session: createSession() },
    { stop: stop.signal, debounceMs: 50, onRecompute: (r) => void recomputes.push(r) },
  );
  const waitFor = async (what: string, ok: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`no ${what}:\n${err}`);
      await sleep(20);
    }
  };
  const recomputed = async (n: number) => waitFor(`recompute ${n}`, () => recomputes.length >= n);
  try {
    await waitFor('URL', () => /^http:\/\/\S+\n/.test(out) && /watching \d+ folder/.test(err));
    const base = out.trim();
    const get = async (p: string) => (await fetch(new URL(p, base))).json() as Promise<any>;
    const rules = async () => ((await get('/api/findings')) as { rule: string }[]).map((f) => f.rule);
    assert.equal((await get('/api/revision')).revision, 1);
    assert.ok(!(await rules()).includes('kustomization-path-exists'));

    const flux = join(dir, 'clusters/dev/flux.yaml');
    writeFileSync(flux, readFileSync(flux, 'utf8').replace('path: ./apps/dev', 'path: ./apps/nope'));
    await recomputed(1);
    assert.deepEqual(recomputes[0], { revision: 2 });
    const r2 = await get('/api/revision');
    assert.equal(r2.revision, 2);
    assert.equal(r2.stale, false);
    assert.deepEqual(r2.last.checked, 1);
    assert.ok((await rules()).includes('kustomization-path-exists'));
    assert.match(
      err,
      new RegExp(
        String.raw`\] watch: 1 file\(s\) changed \(clusters/dev/flux\.yaml\): ` +
          String.raw`1 of 2 cluster\(s\) checked again in \d+ ms \(cpu \d+ ms\): revision 2\n`,
      ),
    );

    // A file that fails to load: the model of revision 2 stays, stale, with the error's place.
    writeFileSync(join(dir, '.aksfleet.yaml'), 'rules:\n  foo: [1,\n');
    await recomputed(2);
    assert.equal(recomputes[1]!.revision, 2);
    assert.match(recomputes[1]!.error ?? '', /^\.aksfleet\.yaml:3:1: invalid YAML/);
    const r3 = await get('/api/revision');
    assert.equal(r3.revision, 2);
    assert.equal(r3.stale, true);
    assert.equal(r3.state, 'ready');
    assert.deepEqual(r3.error.location, { file: '.aksfleet.yaml', line: 3, column: 1 });
    assert.match(r3.error.message, /^\.aksfleet\.yaml:3:1: invalid YAML/);
    assert.ok((await rules()).includes('kustomization-path-exists'));
    assert.match(err, /: error: \.aksfleet\.yaml:3:1: invalid YAML.*\nthe console keeps revision 2, marked stale/);

    // Fixed: a new model, not stale, no error.
    writeFileSync(join(dir, '.aksfleet.yaml'), 'rules: {}\n');
    await recomputed(3);
    const r4 = await get('/api/revision');
    assert.equal(r4.revision, 3);
    assert.equal(r4.stale, false);
    assert.equal(r4.error, undefined);
    assert.ok((await rules()).includes('kustomization-path-exists'));
  } finally {
    stop.abort();
    assert.equal(await running, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
