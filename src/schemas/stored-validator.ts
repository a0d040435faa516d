/**
 * Compiled JSON Schema validators kept between runs in a content store (src/content-store.ts) as
 * ajv standalone code, as `npm run build` precompiles the bundled CRDs' (scripts/compile-validators.mjs):
 * a later process loads the code instead of compiling the schema again (Kyverno's CRDs, the
 * Kubernetes OpenAPI definitions: tenths of a second to seconds each). The caller's key names
 * the schema, the ajv version and options; the store adds the engine digest.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { inCliBundle } from '../package-root.js';
import type { Ajv, ValidateFunction } from 'ajv';
import type standalone from 'ajv/dist/standalone/index.js';
import type { ContentStore } from '../content-store.js';
import { goRegExp } from './go-pattern.js';

/** node's require, for the stored code (its `require` calls are ajv's runtime modules). */
const nodeRequire = createRequire(import.meta.url);

/**
 * ajv's standalone code generator, its modules evaluated on first use (only when a validator is
 * compiled to be stored). In the CLI bundle, `require` is esbuild's and loads the bundled module;
 * elsewhere (ES modules) node's. CommonJS: its function is `default` under Node, the module itself
 * once bundled.
 */
function standaloneCode(ajv: Ajv, fn: ValidateFunction): string {
  const m = (
    inCliBundle() ? require('ajv/dist/standalone/index.js') : nodeRequire('ajv/dist/standalone/index.js')
  ) as typeof standalone;
  const gen = (m as { default?: typeof standalone.default }).default ?? (m as unknown as typeof standalone.default);
  return gen(ajv, fn);
}

/**
 * ajv's version: part of every key. Read when a key is made, not at load (in the CLI bundle from
 * the bundled package.json, without a file read).
 */
export function ajvVersion(): string {
  if (inCliBundle()) return (require('ajv/package.json') as { version: string }).version;
  return (nodeRequire('ajv/package.json') as { version: string }).version;
}

/**
 * The validator stored under `key`, else `compile()`'s (its ajv made with `code.source: true`),
 * stored for the next run. A compile error is thrown as ajv throws it; code that does not load
 * (another shape) is compiled again, never trusted.
 */
export function storedValidator(
  store: ContentStore,
  key: string,
  compile: () => { ajv: Ajv; fn: ValidateFunction },
): ValidateFunction {
  const code = store.get(key);
  if (code !== undefined) {
    const m: { exports: { default?: ValidateFunction } } = { exports: {} };
    try {
      loadCode(store, code)(nodeRequire, m, m.exports, goRegExp);
      if (typeof m.exports.default === 'function') return m.exports.default;
    } catch {
      // compiled again below
    }
  }
  const { ajv, fn } = compile();
  let text: string | undefined;
  try {
    text = standaloneCode(ajv, fn);
  } catch {
    // a schema standalone code cannot express: compiled in every run
  }
  if (text !== undefined) store.put(key, text);
  return fn;
}

type ModuleWrapper = (req: NodeJS.Require, m: { exports: object }, e: object, re: typeof goRegExp) => void;

/**
 * The stored code as a function of `require`, `module`, `exports` and `goRegExp`, compiled with
 * V8's code cache kept beside it in the store: parsing the code is most of a stored validator's
 * load (megabytes for the Prometheus operator's and Kyverno's CRDs), reading V8's cache of it a
 * fifth. The cache is found by the digest of the code itself (V8 checks only the source's length
 * against a cache) and node's version and architecture; V8 checks its own version and flags and
 * refuses a cache that does not fit (then the code is parsed, as without one, and a new cache
 * kept). A cache changes how fast the code is compiled, never what it does.
 */
function loadCode(store: ContentStore, code: string): ModuleWrapper {
  const digest = createHash('sha256').update(code).digest('hex');
  const cacheKey = `v8 code cache 1\0${process.version}\0${process.arch}\0${digest}`;
  const kept = store.get(cacheKey);
  const cachedData = kept === undefined ? undefined : Buffer.from(kept, 'base64');
  const script = new Script(`(function (require, module, exports, goRegExp) {${code}\n})`, {
    filename: 'aksfleet-stored-validator.js',
    ...(cachedData ? { cachedData } : {}),
  });
  const fn = script.runInThisContext() as ModuleWrapper;
  if (cachedData === undefined || script.cachedDataRejected === true)
    store.put(cacheKey, script.createCachedData().toString('base64'));
  return fn;
}
