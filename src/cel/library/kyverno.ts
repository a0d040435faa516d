/**
 * Kyverno's CEL libraries for its policies (ValidatingPolicy), as Kyverno 1.19's ValidatingPolicy
 * compiler registers them (kyverno pkg/cel/policies/vpol/compiler): the ones that read the cluster
 * (`resource`, `globalContext`), image registries (`image`), servers (`http`), the clock
 * (`time`); and the pure ones: image references, user, hash, math, json, yaml, random, x509,
 * transform, gzip. The variables carry what is known offline, built per evaluation by
 * kyvernoActivation from a KyvernoData.
 */
import { Clock, registerKyvernoTime } from './kyverno-time.js';
import {
  ImageDataContext,
  imageDataOf,
  registerKyvernoImageData,
  IMAGE_DATA_CONTEXT_TYPE,
} from './kyverno-imagedata.js';
import { registerKyvernoResource, ResourceContext, RESOURCE_CONTEXT_TYPE } from './kyverno-resource.js';
import { CLOCK_TYPE } from './kyverno-time.js';
import { registerKyvernoUser } from './kyverno-user.js';
import { GLOBAL_CONTEXT_TYPE, GlobalContext, registerKyvernoGlobalContext } from './kyverno-globalcontext.js';
import { registerKyvernoGzip } from './kyverno-gzip.js';
import { registerKyvernoHash } from './kyverno-hash.js';
import { HTTP_CONTEXT_TYPE, HttpContext, registerKyvernoHttp } from './kyverno-http.js';
import { registerKyvernoImage } from './kyverno-image.js';
import { JSON_TYPE, JsonLib, registerKyvernoJson } from './kyverno-json.js';
import { registerKyvernoMath } from './kyverno-math.js';
import { registerKyvernoRandom } from './kyverno-random.js';
import { registerKyvernoTransform } from './kyverno-transform.js';
import { registerKyvernoX509 } from './kyverno-x509.js';
import { registerKyvernoYaml, YAML_TYPE, YamlLib } from './kyverno-yaml.js';
import { registerEncoders, registerMathExt } from './math-ext.js';
import type { CelRegistrar } from './types.js';
import type { CelAstNode } from '../ast-node.js';
import { receiverCall } from '../ast.js';

/** The variables Kyverno's libraries declare, with their types. */
export const KYVERNO_LIBRARY_VARIABLES: readonly (readonly [string, string])[] = [
  ['resource', RESOURCE_CONTEXT_TYPE],
  ['image', IMAGE_DATA_CONTEXT_TYPE],
  ['time', CLOCK_TYPE],
  ['globalContext', GLOBAL_CONTEXT_TYPE],
  ['http', HTTP_CONTEXT_TYPE],
  ['json', JSON_TYPE],
  ['yaml', YAML_TYPE],
];

/** Receivers that are namespaces of Kyverno's global functions (`user.parseServiceAccount`). */
export const KYVERNO_FUNCTION_NAMESPACES: readonly string[] = [
  'user',
  'hash',
  'math',
  'random',
  'transform',
  'x509',
  'gzip',
  'base64',
];

export function registerKyverno(env: CelRegistrar): void {
  registerKyvernoResource(env);
  registerKyvernoImageData(env);
  registerKyvernoTime(env);
  registerKyvernoUser(env);
  registerKyvernoGlobalContext(env);
  registerKyvernoHttp(env);
  registerKyvernoImage(env);
  registerKyvernoHash(env);
  registerKyvernoMath(env);
  registerKyvernoJson(env);
  registerKyvernoYaml(env);
  registerKyvernoRandom(env);
  registerKyvernoX509(env);
  registerKyvernoTransform(env);
  registerKyvernoGzip(env);
  // cel-go extensions Kyverno's environment adds to the Kubernetes one (pkg/cel/compiler/env.go).
  registerMathExt(env);
  registerEncoders(env);
}

/** What is known offline to Kyverno's libraries (a Kyverno CLI context file, the clock). */
export interface KyvernoData {
  /** The cluster's objects (`spec.resources`); undefined: unknown, `resource.*` is not evaluable. */
  readonly resources?: readonly Record<string, unknown>[];
  /** Image data entries (`spec.images`: image, registry, tag, config...); undefined: none known. */
  readonly images?: readonly Record<string, unknown>[];
  /**
   * GlobalContextEntry data by entry name (a Kyverno CLI test's `globalContextEntries`, resolved);
   * undefined: none known, `globalContext.*` is not evaluable.
   */
  readonly globalContext?: ReadonlyMap<string, unknown>;
  /** What `time.now()` gives. */
  readonly now: Date;
}

/** The values of the library variables for one evaluation (`namespace`: a namespaced policy's). */
export function kyvernoActivation(data: KyvernoData, namespace?: string): Record<string, unknown> {
  const images =
    data.images === undefined
      ? undefined
      : new Map(data.images.filter((i) => typeof i.image === 'string').map((i) => [i.image as string, imageDataOf(i)]));
  return {
    resource: new ResourceContext(data.resources, namespace),
    image: new ImageDataContext(images),
    time: new Clock(data.now),
    globalContext: new GlobalContext(data.globalContext, namespace !== undefined),
    http: new HttpContext(),
    json: new JsonLib(),
    yaml: new YamlLib(),
  };
}

const RESOURCE_MAP_OF_ANY = new Set(['Get', 'List', 'Post', 'get', 'list', 'post']);
const HTTP_ANY = new Set(['Get', 'Post', 'get', 'post']);

/**
 * True for the expressions cel-go types `google.protobuf.Any` in Kyverno's environment: an
 * `http.Get/Post` result, and a field or index of a `resource.Get/List/Post` result (declared
 * `map<string, Any>`). One level only: selecting from an Any gives dyn, as in cel-go.
 */
export function isKyvernoAny(node: CelAstNode): boolean {
  const call = receiverCall(node);
  if (call) return call.receiver === 'http' && HTTP_ANY.has(call.method);
  if (node.op !== '.' && node.op !== '[]') return false;
  const inner = receiverCall((node.args as unknown[])[0]);
  return inner !== undefined && inner.receiver === 'resource' && RESOURCE_MAP_OF_ANY.has(inner.method);
}
