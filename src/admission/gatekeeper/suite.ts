/**
 * gator's test format (`gator verify`): a `Suite` (test.gatekeeper.sh/v1alpha1) lists tests, each
 * a template, a constraint and cases; a case reviews one object (or an AdmissionReview) with an
 * optional inventory and checks assertions: `violations: yes|no|N` (default yes) among the
 * violations whose message matches the assertion's `message` (an RE2 regular expression).
 * Semantics of pkg/gator/verify (runner.go, assertion.go): a test marked `invalid` expects its
 * constraint to fail the template's schema; the review's operation is empty for a plain object,
 * as gator leaves it; the inventory holds only the case's inventory objects.
 */
import { formatLocation } from '../../diagnostic.js';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { RE2JS } from 're2js';
import { InputError } from '../../errors.js';
import { namespacesOf, readDocs, type LoadedDoc } from '../apply.js';
import type { AdmissionContext, PolicyResult } from '../types.js';
import { compileGatekeeper, evaluateGatekeeper } from './engine.js';

export interface SuiteAssertionRow {
  readonly test: string;
  readonly case: string;
  /** The case's index in its test (case names may repeat). */
  readonly caseIndex: number;
  /** The assertion as written: `violations: yes` and `message: ...` when given. */
  readonly assertion: { readonly violations: string; readonly message?: string };
  readonly ok: boolean;
  /** Why it failed (gator's wording), or the case's error. */
  readonly error?: string;
  /** How many violations matched. */
  readonly matching?: number;
}

export interface SuiteOutcome {
  readonly file: string;
  readonly rows: SuiteAssertionRow[];
  /** Tests that could not run (bad template or constraint, missing files) with why. */
  readonly testErrors: { readonly test: string; readonly error: string }[];
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const MAX_SUITE_BYTES = 4 * 1024 * 1024;

/** The gator Suite files under a folder (any .yaml/.yml whose document is `kind: Suite`), sorted. */
export function findSuiteFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name) && st.size <= MAX_SUITE_BYTES) {
        const text = readFileSync(p, 'utf8');
        if (/^kind:\s*["']?Suite["']?\s*$/m.test(text) && /^apiVersion:\s*["']?test\.gatekeeper\.sh\//m.test(text))
          out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

function load(file: string, cwd: string): LoadedDoc[] {
  if (!existsSync(file) || !statSync(file).isFile())
    throw new InputError(`file not found: ${path.relative(cwd, file)}`, { pos: { file: path.relative(cwd, file) } });
  return readDocs(file, path.relative(cwd, file) || file);
}

/** The assertion's count rule in gator's words; undefined when it holds. */
export function assertionFailure(
  violations: string,
  message: string | undefined,
  matching: number,
): string | undefined {
  const containing = message !== undefined ? ` containing ${JSON.stringify(message)}` : '';
  if (/^\d+$/.test(violations)) {
    const want = Number(violations);
    return matching === want ? undefined : `got ${matching} violations${containing} but want exactly ${want}`;
  }
  if (violations === 'yes')
    return matching > 0 ? undefined : `got ${matching} violations${containing} but want at least 1`;
  if (violations === 'no') return matching === 0 ? undefined : `got ${matching} violations${containing} but want none`;
  return 'assertion.violation, if set, must be a nonnegative integer, "yes", or "no"';
}

/** The messages of the violations in results (fail and warn: every enforcement action counts). */
function violationMessages(results: readonly PolicyResult[]): string[] {
  return results.filter((r) => r.result === 'fail' || r.result === 'warn').map((r) => r.message ?? '');
}

/** Runs one Suite file. Throws InputError when the suite file itself is unreadable. */
export function runSuiteFile(file: string, cwd: string): SuiteOutcome {
  const display = path.relative(cwd, file) || file;
  const suite = readDocs(file, display).find((d) => d.object.kind === 'Suite')?.object;
  if (!suite) throw new InputError('no Suite document', { pos: { file: display } });
  const dir = path.dirname(file);
  const rows: SuiteAssertionRow[] = [];
  const testErrors: SuiteOutcome['testErrors'] = [];
  const tests = Array.isArray(suite.tests) ? suite.tests.filter(isObj) : [];
  for (const [ti, t] of tests.entries()) {
    const testName = typeof t.name === 'string' ? t.name : `tests[${ti}]`;
    if (t.skip === true) continue;
    let compiled;
    try {
      if (typeof t.template !== 'string' || typeof t.constraint !== 'string')
        throw new Error('a test needs template and constraint');
      const docs = [...load(path.resolve(dir, t.template), cwd), ...load(path.resolve(dir, t.constraint), cwd)];
      const c = compileGatekeeper(docs);
      if (t.invalid === true) {
        const schemaError = c.errors.some((e) => /do not match the schema/.test(e.message));
        const error = schemaError
          ? undefined
          : 'the constraint was expected to be invalid against the template schema, but it is not';
        rows.push({
          test: testName,
          case: '(constraint)',
          caseIndex: -1,
          assertion: { violations: 'invalid' },
          ok: schemaError,
          ...(error ? { error } : {}),
        });
        continue;
      }
      if (c.errors.length) throw new Error(c.errors.map((e) => `${formatLocation(e)}: ${e.message}`).join('; '));
      if (c.compiled.constraints.length === 0) throw new Error(`no constraint in ${t.constraint}`);
      compiled = c.compiled;
    } catch (e) {
      testErrors.push({ test: testName, error: e instanceof InputError ? e.format() : (e as Error).message });
      continue;
    }
    for (const [ci, k] of (Array.isArray(t.cases) ? t.cases.filter(isObj) : []).entries()) {
      const caseName = typeof k.name === 'string' ? k.name : `cases[${ci}]`;
      if (k.skip === true) continue;
      const assertions = (Array.isArray(k.assertions) ? k.assertions.filter(isObj) : []).map((a) => ({
        // YAML 1.1 reads yes/no as booleans; gator's reader keeps them as the strings it means.
        violations:
          a.violations === undefined || a.violations === true
            ? 'yes'
            : a.violations === false
              ? 'no'
              : String(a.violations),
        ...(typeof a.message === 'string' ? { message: a.message } : {}),
      }));
      const caseError = (error: string): void => {
        for (const a of assertions.length ? assertions : [{ violations: '?' }])
          rows.push({ test: testName, case: caseName, caseIndex: ci, assertion: a, ok: false, error });
      };
      if (assertions.length === 0) {
        caseError('assertions must be non-empty');
        continue;
      }
      let results: PolicyResult[];
      try {
        if (typeof k.object !== 'string') throw new Error('must define object');
        const objects = load(path.resolve(dir, k.object), cwd);
        if (objects.length !== 1) throw new Error(`${k.object} defines ${objects.length} objects`);
        const inventory = (Array.isArray(k.inventory) ? k.inventory : [])
          .flatMap((p) => load(path.resolve(dir, String(p)), cwd))
          .map((d) => d.object);
        const ctx: AdmissionContext = { namespaces: namespacesOf(inventory, undefined), resources: inventory };
        results = evaluateGatekeeper(compiled, objects[0]!.object, ctx, { operation: '' });
      } catch (e) {
        caseError(e instanceof InputError ? e.format() : (e as Error).message);
        continue;
      }
      const errors = results.filter((r) => r.result === 'error');
      if (errors.length) {
        caseError(errors.map((r) => r.message).join('; '));
        continue;
      }
      const messages = violationMessages(results);
      for (const a of assertions) {
        let matching: number;
        try {
          const re = a.message !== undefined ? RE2JS.compile(a.message) : undefined;
          matching = messages.filter((m) => !re || re.matcher(m).find()).length;
        } catch (e) {
          rows.push({
            test: testName,
            case: caseName,
            caseIndex: ci,
            assertion: a,
            ok: false,
            error: `invalid regex ${JSON.stringify(a.message)}: ${(e as Error).message}`,
          });
          continue;
        }
        const failure = assertionFailure(a.violations, a.message, matching);
        rows.push({
          test: testName,
          case: caseName,
          caseIndex: ci,
          assertion: a,
          ok: !failure,
          matching,
          ...(failure ? { error: `${failure}: got messages ${JSON.stringify(messages)}` } : {}),
        });
      }
    }
  }
  return { file: display, rows, testErrors };
}
