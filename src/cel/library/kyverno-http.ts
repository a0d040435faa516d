/**
 * Kyverno's `http` library (github.com/kyverno/sdk extensions/cel/libs/http): the variable `http`
 * with `Get(url[, headers])`, `Post(url, body[, headers])` and `Client(caBundle)` (and the
 * camel-case forms, since 1.18). They call a server: never evaluable offline, and never called
 * (aksfleet makes no network request from a policy). The calls type-check, so a policy that uses
 * them loads and its other validations run; each call is an `error` result that says so.
 */
import { CelEvalError } from '../errors.js';
import { CelLibraryValue } from '../values.js';
import type { CelRegistrar } from './types.js';

export const HTTP_CONTEXT_TYPE = 'http.Context';

/** The value of the `http` variable (and of `http.Client(...)`). */
export class HttpContext extends CelLibraryValue {}

function offline(call: string, url: string): never {
  throw new CelEvalError(
    `http.${call}(${JSON.stringify(url)}): not evaluable offline: it calls a server, which aksfleet does not do`,
    'offline',
  );
}

export function registerKyvernoHttp(env: CelRegistrar): void {
  const T = HTTP_CONTEXT_TYPE;
  env.registerType(T, HttpContext);
  const M = 'map<string, string>';
  for (const [get, post, client] of [
    ['Get', 'Post', 'Client'],
    ['get', 'post', 'client'],
  ] as const) {
    env.registerFunction(`${T}.${get}(string): dyn`, (_c: HttpContext, url: string) => offline(get, url));
    env.registerFunction(`${T}.${get}(string, ${M}): dyn`, (_c: HttpContext, url: string) => offline(get, url));
    env.registerFunction(`${T}.${post}(string, dyn): dyn`, (_c: HttpContext, url: string) => offline(post, url));
    env.registerFunction(`${T}.${post}(string, dyn, ${M}): dyn`, (_c: HttpContext, url: string) => offline(post, url));
    // A client with a CA bundle is only a configuration: its calls are what cannot be evaluated.
    env.registerFunction(`${T}.${client}(string): ${T}`, (c: HttpContext) => c);
  }
}
