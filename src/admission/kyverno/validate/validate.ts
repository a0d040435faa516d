/**
 * `validate.pattern` matching (pkg/engine/validate.MatchPattern with pkg/engine/anchor's handlers):
 * walks the pattern over the resource; anchors decide what is a precondition (skip), a negation
 * (fail) or an existence check. The outcome is pass, skip (a conditional or global anchor did not
 * hold), fail (with the path of the first mismatch) or error (a failure where an anchored key was
 * missing from the resource, as Kyverno reports it).
 */
import {
  isCondition,
  isEquality,
  isExistence,
  isGlobal,
  isNegation,
  isValidationAnchor,
  parseAnchor,
  type Anchor,
} from '../anchor/anchor.js';
import { goSprint, isMap } from '../pattern/go-values.js';
import { validateValue } from '../pattern/pattern.js';
import { expandInMetadata } from './wildcards.js';

/** What matching a pattern gives. */
export type PatternOutcome =
  | { readonly status: 'pass' }
  | { readonly status: 'skip'; readonly message: string }
  | { readonly status: 'fail'; readonly message: string; readonly path: string }
  | { readonly status: 'error'; readonly message: string };

type Code = 'conditional' | 'global' | 'negation' | undefined;

/** An error inside the walk: an anchor error (code) or a PatternError (pattern: true) or plain. */
interface WalkError {
  readonly message: string;
  readonly code?: Code;
  readonly patternError?: boolean;
}

interface Step {
  readonly path: string;
  readonly err?: WalkError;
}

const CONDITIONAL_MSG = 'conditional anchor mismatch';
const GLOBAL_MSG = 'global anchor mismatch';
const NEGATION_MSG = 'negation anchor matched in resource';

const isConditionalErr = (e: WalkError): boolean =>
  e.code === 'conditional' || (e.code === undefined && e.message.includes(CONDITIONAL_MSG));
const isGlobalErr = (e: WalkError): boolean =>
  e.code === 'global' || (e.code === undefined && e.message.includes(GLOBAL_MSG));
const isNegationErr = (e: WalkError): boolean =>
  e.code === 'negation' || (e.code === undefined && e.message.includes(NEGATION_MSG));
const isSkip = (e: WalkError): boolean => isConditionalErr(e) || isGlobalErr(e);

/** Keys of anchors seen (condition, existence, negation) and whether the resource had them. */
class AnchorMap {
  private readonly seen = new Map<string, boolean>();
  check(pattern: Record<string, unknown>, resource: unknown): void {
    for (const key of Object.keys(pattern)) {
      const a = parseAnchor(key);
      if (!(isCondition(a) || isExistence(a) || isNegation(a))) continue;
      if (this.seen.get(key) === true) continue;
      if (!this.seen.has(key)) this.seen.set(key, false);
      if (hasKey(resource, a!.key)) this.seen.set(key, true);
    }
  }
  keysAreMissing(): boolean {
    for (const [k, v] of this.seen) if (!v && !isNegation(parseAnchor(k))) return true;
    return false;
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isMap(resource)) return Object.hasOwn(resource, key);
  if (Array.isArray(resource)) return resource.some((r) => hasKey(r, key));
  return false;
}

/** Matches a resource against a pattern. */
export function matchPattern(resource: unknown, pattern: unknown): PatternOutcome {
  const ac = new AnchorMap();
  const { path, err } = validateElement(resource, pattern, '/', ac);
  if (!err) return { status: 'pass' };
  if (isSkip(err)) return { status: 'skip', message: err.message };
  if (isNegationErr(err)) return { status: 'fail', message: err.message, path };
  if (ac.keysAreMissing() || path === '') return { status: 'error', message: err.message };
  return { status: 'fail', message: err.message, path };
}

/** Go's %T of a JSON value, for messages. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

function validateElement(resource: unknown, pattern: unknown, path: string, ac: AnchorMap): Step {
  if (isMap(pattern)) {
    if (!isMap(resource)) {
      return {
        path,
        err: {
          message:
            `pattern and resource have different structures. Path: ${path}. Expected ${goType(pattern)}, found ` +
            `${goType(resource)}`,
        },
      };
    }
    ac.check(pattern, resource);
    return validateMap(resource, pattern, path, ac);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return {
        path,
        err: {
          message: `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
        },
      };
    }
    return validateArray(resource, pattern, path, ac);
  }
  const values = Array.isArray(resource) ? resource : [resource];
  for (const v of values) {
    if (!validateValue(v, pattern)) {
      return {
        path,
        err: {
          message: `resource value '${goSprint(resource)}' does not match '${goSprint(pattern)}' at path ${path}`,
        },
      };
    }
  }
  return { path: '' };
}

function validateMap(
  resource: Record<string, unknown>,
  rawPattern: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const pattern = expandInMetadata(rawPattern, resource);
  const anchors: string[] = [];
  const plain: string[] = [];
  for (const k of Object.keys(pattern)) (isValidationAnchor(parseAnchor(k)) ? anchors : plain).push(k);
  anchors.sort();
  const skipErrors: WalkError[] = [];
  let applyCount = 0;
  const hasAnchorSkip = (): boolean => skipErrors.some((e) => !e.patternError);
  for (const key of anchors) {
    const r = handle(key, pattern[key], resource, path, ac);
    if (r.err) {
      if (isSkip(r.err)) {
        skipErrors.push(r.err);
        continue;
      }
      if (!hasAnchorSkip()) return r;
      continue;
    }
    applyCount++;
  }
  if (skipErrors.length > 0 && (applyCount === 0 || hasAnchorSkip())) {
    return { path, err: { message: skipErrors.map((e) => e.message).join('; '), patternError: true } };
  }
  for (const key of sortedResourceKeys(pattern, plain)) {
    const r = handle(key, pattern[key], resource, path, ac);
    if (r.err) return r;
  }
  return { path: '' };
}

/** Plain keys sorted, those holding anchors (and global anchors) first (getSortedNestedAnchorResource). */
function sortedResourceKeys(pattern: Record<string, unknown>, keys: string[]): string[] {
  const front: string[] = [];
  const back: string[] = [];
  for (const k of [...keys].sort()) {
    if (isGlobal(parseAnchor(k)) || hasNestedAnchors(pattern[k])) front.unshift(k);
    else back.push(k);
  }
  return [...front, ...back];
}

function hasNestedAnchors(p: unknown): boolean {
  if (isMap(p)) {
    if (
      Object.keys(p).some((k) => {
        const a = parseAnchor(k);
        return isValidationAnchor(a) || isGlobal(a);
      })
    )
      return true;
    return Object.values(p).some(hasNestedAnchors);
  }
  if (Array.isArray(p)) return p.some(hasNestedAnchors);
  return false;
}

function handle(key: string, pattern: unknown, resource: Record<string, unknown>, path: string, ac: AnchorMap): Step {
  const a = parseAnchor(key);
  if (a && isCondition(a)) return conditionHandler(a, pattern, resource, path, ac);
  if (a && isGlobal(a)) return globalHandler(a, pattern, resource, path, ac);
  if (a && isExistence(a)) return existenceHandler(a, pattern, resource, path, ac);
  if (a && isEquality(a)) {
    if (!Object.hasOwn(resource, a.key)) return { path: '' };
    const r = validateElement(resource[a.key], pattern, `${path}${a.key}/`, ac);
    return r.err ? r : { path: '' };
  }
  if (a && isNegation(a)) {
    const current = `${path}${a.key}/`;
    if (!Object.hasOwn(resource, a.key)) return { path: '' };
    return { path: current, err: { message: `${NEGATION_MSG}: ${current} is not allowed`, code: 'negation' } };
  }
  // default handler (also `+(key)`, which only mutation uses)
  const value = resource[key];
  if (pattern === '*') {
    if (value !== null && value !== undefined) return { path: '' };
    return { path, err: { message: `${path}/${key} not found` } };
  }
  const r = validateElement(value, pattern, `${path}${key}/`, ac);
  return r.err ? r : { path: '' };
}

function conditionHandler(
  a: Anchor,
  pattern: unknown,
  resource: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const current = `${path}${a.key}/`;
  if (!Object.hasOwn(resource, a.key)) {
    return {
      path: current,
      err: { message: `${CONDITIONAL_MSG}: conditional anchor key doesn't exist in the resource`, code: 'conditional' },
    };
  }
  const r = validateElement(resource[a.key], pattern, current, ac);
  if (!r.err) return { path: '' };
  return { path: r.path, err: { message: `${CONDITIONAL_MSG}: ${r.err.message}`, code: 'conditional' } };
}

function globalHandler(
  a: Anchor,
  pattern: unknown,
  resource: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const current = `${path}${a.key}/`;
  if (!Object.hasOwn(resource, a.key)) return { path: '' };
  const r = validateElement(resource[a.key], pattern, current, ac);
  if (!r.err) return { path: '' };
  return { path: r.path, err: { message: `${GLOBAL_MSG}: ${r.err.message}`, code: 'global' } };
}

function existenceHandler(
  a: Anchor,
  pattern: unknown,
  resource: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const current = `${path}${a.key}/`;
  if (!Object.hasOwn(resource, a.key)) return { path: '' };
  const value = resource[a.key];
  if (!Array.isArray(value)) {
    return {
      path: current,
      err: {
        message:
          `invalid resource type ${goType(value)}: Existence ^ () anchor can be used only on list/array type ` +
          `resource`,
      },
    };
  }
  if (!Array.isArray(pattern)) {
    return {
      path: current,
      err: {
        message: `invalid pattern type ${goType(pattern)}: Pattern has to be of list to compare against resource`,
      },
    };
  }
  let last: Step = { path: '' };
  for (const p of pattern) {
    if (!isMap(p)) {
      return {
        path: current,
        err: {
          message:
            `invalid pattern type ${goType(pattern)}: Pattern has to be of type map to compare against items ` +
            `in resource`,
        },
      };
    }
    const found = value.some((el, i) => !validateElement(el, p, `${current}${i}/`, ac).err);
    if (!found) return { path: current, err: { message: `existence anchor validation failed at path ${current}` } };
    last = { path: '' };
  }
  return last;
}

function validateArray(resource: unknown[], pattern: unknown[], path: string, ac: AnchorMap): Step {
  if (pattern.length === 0) return { path, err: { message: 'pattern Array empty' } };
  const first = pattern[0];
  if (isMap(first)) return validateArrayOfMaps(resource, first, path, ac);
  if (!Array.isArray(first)) return validateElement(resource, first, path, ac);
  if (resource.length < pattern.length) {
    return {
      path: '',
      err: {
        message:
          `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern ` +
          `Array len is ${pattern.length}`,
      },
    };
  }
  const skips: WalkError[] = [];
  let applyCount = 0;
  for (let i = 0; i < pattern.length; i++) {
    const r = validateElement(resource[i], pattern[i], `${path}${i}/`, ac);
    if (r.err) {
      if (isSkip(r.err)) {
        skips.push(r.err);
        continue;
      }
      return r;
    }
    applyCount++;
  }
  if (applyCount === 0 && skips.length > 0)
    return { path, err: { message: skips.map((e) => e.message).join('; '), patternError: true } };
  return { path: '' };
}

function validateArrayOfMaps(resource: unknown[], pattern: Record<string, unknown>, path: string, ac: AnchorMap): Step {
  const skips: WalkError[] = [];
  let applyCount = 0;
  for (let i = 0; i < resource.length; i++) {
    const r = validateElement(resource[i], pattern, `${path}${i}/`, ac);
    if (r.err) {
      if (isSkip(r.err)) {
        skips.push(r.err);
        continue;
      }
      return r;
    }
    applyCount++;
  }
  if (applyCount === 0 && skips.length > 0)
    return { path, err: { message: skips.map((e) => e.message).join('; '), patternError: true } };
  return { path: '' };
}
