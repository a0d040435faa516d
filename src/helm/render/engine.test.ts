/**
 * Helm's template parse order (engine.go sortTemplates) judged by Helm's own test
 * (helm.sh/helm/v4 v4.2.2 pkg/engine/engine_test.go TestSortTemplates), read from the Go module
 * cache, never copied here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseOrder } from './engine.js';

const MODULE = 'helm.sh/helm/v4@v4.2.2';

function upstreamTest(): { input: string[]; expect: string[] } | string {
  try {
    const go = ['/usr/local/go/bin/go', 'go'].find((g) => {
      try {
        execFileSync(g, ['version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!go) return 'Go is not installed (needed to read the upstream test)';
    const dir = (
      JSON.parse(execFileSync(go, ['mod', 'download', '-json', MODULE], { encoding: 'utf8', cwd: '/' })) as {
        Dir: string;
      }
    ).Dir;
    const src = readFileSync(join(dir, 'pkg', 'engine', 'engine_test.go'), 'utf8');
    const body = src.slice(src.indexOf('func TestSortTemplates('), src.indexOf('func TestFuncMap('));
    const input = [...body.slice(0, body.indexOf('got :=')).matchAll(/"([^"]+)":\s*\{\}/g)].map((m) => m[1]!);
    const expect = [...body.slice(body.indexOf('expect :=')).matchAll(/"(\/[^"]+)",/g)].map((m) => m[1]!);
    return { input, expect };
  } catch (e) {
    return `go mod download ${MODULE} failed: ${(e as Error).message}`;
  }
}

const upstream = upstreamTest();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

test("parse order equals Helm's TestSortTemplates", {
  skip: !inCi && typeof upstream === 'string' ? upstream : false,
}, () => {
  assert.ok(typeof upstream !== 'string', String(upstream));
  assert.equal(upstream.input.length, 7, 'the upstream test changed shape');
  assert.deepEqual(parseOrder(upstream.input), upstream.expect);
});
