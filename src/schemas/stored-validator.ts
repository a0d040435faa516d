/**
 * Compiled JSON Schema validators kept between runs in a content store (src/content-store.ts) as
 * ajv standalone code, as `npm run build` precompiles the bundled CRDs' (scripts/compile-validators.mjs):
 * a later process loads the code instead of compiling the schema again (Kyverno's CRDs, the
 * Kubernetes OpenAPI definitions: tenths of a second to seconds each). The caller's key names
 * the schema, the ajv version and options; the store adds the engine digest.
 */
import { createRequire } from 'node:module';
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
      new Function('require', 'module', 'exports', 'goRegExp', code)(nodeRequire, m, m.exports, goRegExp);
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
