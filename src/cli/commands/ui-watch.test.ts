/**
 * `aksfleet ui --watch` in-process over a temporary repository (runUi with a stop signal): a save
 * gives a new model (a new revision, the findings of the repository as it is now) and one terminal
 * line; a file that fails to load keeps the last model, marked stale, with the error and where it
 * is, in the revision and on the terminal; the fix brings a new model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession } from '../../session/session.js';
import { tempDir, twoClusterRepo, writeTree } from '../testing/fixture-repos.js';
import { runUi } from './ui.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `file` as editors save: the text beside the repository (not watched), then renamed over the file. */
function save(file: string, text: string): void {
  const beside = tempDir('aksfleet-ui-watch-save-');
  writeFileSync(join(beside, 'x'), text);
  renameSync(join(beside, 'x'), file);
  rmSync(beside, { recursive: true, force: true });
}

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
    { stop: stop.signal, onRecompute: (r) => void recomputes.push(r) },
  );
  const waitFor = async (what: string, ok: () => boolean | Promise<boolean>) => {
    const deadline = Date.now() + 120_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`no ${what}:\n${err}`);
      await sleep(50);
    }
  };
  try {
    await waitFor('URL', () => /^http:\/\/\S+\n/.test(out) && /watching \d+ folder/.test(err));
    const base = out.trim();
    const get = async (p: string) => (await fetch(new URL(p, base))).json() as Promise<any>;
    const rules = async () => ((await get('/api/findings')) as { rule: string }[]).map((f) => f.rule);
    assert.equal((await get('/api/revision')).revision, 1);
    assert.ok(!(await rules()).includes('kustomization-path-exists'));

    // Each save is a rename from outside the repository (as editors save): one change, never a
    // file seen half written; what is awaited is the state of the console.
    const flux = join(dir, 'clusters/dev/flux.yaml');
    save(flux, readFileSync(flux, 'utf8').replace('path: ./apps/dev', 'path: ./apps/nope'));
    await waitFor('the new finding', async () => (await rules()).includes('kustomization-path-exists'));
    const r2 = await get('/api/revision');
    assert.ok(r2.revision >= 2, JSON.stringify(r2));
    assert.equal(r2.stale, false);
    assert.equal(r2.error, undefined);
    assert.equal(r2.last.checked, 1);
    assert.deepEqual(recomputes.at(-1), { revision: r2.revision });
    assert.match(
      err,
      new RegExp(
        String.raw`\] watch: 1 file\(s\) changed \(clusters/dev/flux\.yaml\): ` +
          String.raw`1 of 2 cluster\(s\) checked again in \d+ ms \(cpu \d+ ms\): revision ${r2.revision}\n`,
      ),
    );

    // A file that fails to load: the last model stays, stale, with the error's place.
    save(join(dir, '.aksfleet.yaml'), 'rules:\n  foo: [1,\n');
    await waitFor('the error', async () => (await get('/api/revision')).error !== undefined);
    const r3 = await get('/api/revision');
    assert.equal(r3.revision, r2.revision, 'no new model');
    assert.equal(r3.stale, true);
    assert.equal(r3.state, 'ready');
    assert.deepEqual(r3.error.location, { file: '.aksfleet.yaml', line: 3, column: 1 });
    assert.match(r3.error.message, /^\.aksfleet\.yaml:3:1: invalid YAML/);
    assert.equal(recomputes.at(-1)!.revision, r2.revision);
    assert.match(recomputes.at(-1)!.error ?? '', /^\.aksfleet\.yaml:3:1: invalid YAML/);
    assert.ok((await rules()).includes('kustomization-path-exists'), 'the last model is served');
    assert.match(
      err,
      new RegExp(
        String.raw`: error: \.aksfleet\.yaml:3:1: invalid YAML.*\n` +
          `the console keeps revision ${r2.revision}, marked stale, until the error is fixed\n`,
      ),
    );

    // Fixed: a new model, not stale, no error.
    save(join(dir, '.aksfleet.yaml'), 'rules: {}\n');
    await waitFor('the fix', async () => (await get('/api/revision')).error === undefined);
    const r4 = await get('/api/revision');
    assert.ok(r4.revision > r2.revision, JSON.stringify(r4));
    assert.equal(r4.stale, false);
    assert.ok((await rules()).includes('kustomization-path-exists'));
  } finally {
    stop.abort();
    assert.equal(await running, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
