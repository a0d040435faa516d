/**
 * `aksfleet ui --watch` in a real browser (Debian's Chromium through playwright-core): the page
 * shows an object's rendered YAML; a save changes it without a reload (the page's own marker
 * survives), the header says the revision and when; a file that fails to load shows its error with
 * file, line and column above the last good view, marked stale; the fix clears both. Screenshots
 * in test-artifacts/console/. Skipped (with the reason) where Chromium is not installed.
 */
import { CHROMIUM_SKIP, openPage } from './chromium.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { createSession } from '../../src/session/session.js';
import { tempDir, twoClusterRepo, writeTree } from '../../src/cli/testing/fixture-repos.js';
import { runUi } from '../../src/cli/commands/ui.js';

const artifacts = join(PACKAGE_ROOT, 'test-artifacts', 'console');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `file` as editors save: the text beside the repository (not watched), then renamed over the file. */
function save(file: string, text: string): void {
  const beside = tempDir('aksfleet-ui-watch-save-');
  writeFileSync(join(beside, 'x'), text);
  renameSync(join(beside, 'x'), file);
  rmSync(beside, { recursive: true, force: true });
}

test('ui --watch in Chromium: a save updates the page without a reload; a broken file shows its place', {
  skip: CHROMIUM_SKIP,
}, async () => {
  mkdirSync(artifacts, { recursive: true });
  const dir = tempDir('aksfleet-ui-watch-page-');
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
  const running = runUi(
    { io, args: [dir], flags: { port: '0', watch: true }, debug: false, session: createSession() },
    { stop: stop.signal },
  );
  const { browser, page, errors } = await openPage();
  try {
    const deadline = Date.now() + 60_000;
    while (!/^http:\/\/\S+\n/.test(out) || !/watching \d+ folder/.test(err)) {
      if (Date.now() > deadline) throw new Error(`no console:\n${err}`);
      await sleep(20);
    }
    const base = out.trim();
    await page.goto(`${base}#/cluster/dev/ks/flux-system/apps/obj/${encodeURIComponent('Deployment/apps/web')}`);
    const yaml = page.locator('#object-yaml');
    await yaml.waitFor();
    assert.match((await yaml.textContent()) ?? '', /image: web:latest/);
    const live = page.locator('#live');
    await page.locator('#live[data-revision="1"][data-state="ready"]').waitFor();
    assert.match((await live.textContent()) ?? '', /^updated at \d\d:\d\d:\d\d$/);
    // A marker a reload would lose.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    const deploy = join(dir, 'apps/base/deploy.yaml');
    save(deploy, readFileSync(deploy, 'utf8').replace('web:latest', 'web:1.0.1'));
    await page.locator('#object-yaml', { hasText: 'image: web:1.0.1' }).waitFor({ timeout: 60_000 });
    await page.locator('#live[data-revision="2"][data-state="ready"]').waitFor();
    assert.equal(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded), true, 'no reload');
    assert.equal(await page.locator('#watch-error').isVisible(), false);
    await page.screenshot({ path: join(artifacts, 'watch-1-updated.png'), fullPage: true });

    // A file that fails to load: its error with the place, the last good view kept and marked stale.
    save(join(dir, '.aksfleet.yaml'), 'rules:\n  foo: [1,\n');
    const banner = page.locator('#watch-error');
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(
      (await banner.textContent()) ?? '',
      /failed at \.aksfleet\.yaml:3:1\..*\.aksfleet\.yaml:3:1: invalid YAML/s,
    );
    await page.locator('#live[data-state="stale"]').waitFor();
    assert.match((await live.textContent()) ?? '', /^stale: model of \d\d:\d\d:\d\d$/);
    assert.equal(await page.locator('main.stale').count(), 1);
    assert.match((await yaml.textContent()) ?? '', /image: web:1\.0\.1/, 'the last good model stays visible');
    await page.screenshot({ path: join(artifacts, 'watch-2-stale.png'), fullPage: true });

    // Fixed: a new revision, no banner, not stale; still the same page.
    save(join(dir, '.aksfleet.yaml'), 'rules: {}\n');
    await page.locator('#live[data-revision="3"][data-state="ready"]').waitFor({ timeout: 60_000 });
    await banner.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('main.stale').count(), 0);
    assert.equal(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded), true, 'no reload');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    stop.abort();
    await running;
    rmSync(dir, { recursive: true, force: true });
  }
});
