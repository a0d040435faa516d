/**
 * The Kyverno CLI test format (`kyverno-test.yaml`, cli.kyverno.io/v1alpha1 Test): policies,
 * resources, optional `variables` (a Values file), `userinfo` and `context` (cluster objects and
 * image data for Kyverno's CEL libraries), and expected `results` (policy, rule, resources, kind,
 * result). Each expectation is checked against our results as `kyverno test` does: a rule's
 * autogen variants count for it; a rule-less policy (ValidatingPolicy, ValidatingAdmissionPolicy)
 * is judged whole, whatever rule the expectation names; a policy the test does not hold fails
 * ("Not found"); when the policy gives no result for the resource's rule the resource counts as
 * excluded, which `kyverno test` accepts.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { applyPolicies, readDocs, yamlFiles, type LoadedDoc } from './apply.js';
import { admissionEngines, requestInfoOf } from './engines.js';
import { resolveGlobalContextEntries } from './global-context-entries.js';
import type { PolicyLoadError, PolicyResult } from './types.js';
import type { KyvernoData } from '../cel/index.js';

export interface TestExpectation {
  readonly policy: string;
  readonly rule: string;
  readonly kind: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly result: string;
}

export interface TestRow extends TestExpectation {
  /** Our result for the resource's rule, or 'excluded' when there is none. */
  readonly actual: string;
  readonly ok: boolean;
  readonly message?: string;
}

export interface TestFileOutcome {
  readonly file: string;
  readonly rows: TestRow[];
  readonly errors: PolicyLoadError[];
}

/** Every kyverno-test.yaml (or .yml) under a folder, sorted. */
export function findTestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') && name !== '.kyverno-test') continue;
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'kyverno-test.yaml' || name === 'kyverno-test.yml') out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The inputs of a test file: everything but its expected results. */
export interface TestInputs {
  readonly policies: string[];
  readonly resources: string[];
  readonly variables?: string;
  readonly userinfo?: string;
  /** A Kyverno CLI Context file (cli.kyverno.io/v1alpha1 Context): `spec.resources`, `spec.images`. */
  readonly context?: string;
  /** The test's `globalContextEntries` (mock GlobalContextEntry data for CEL's `globalContext`), as written. */
  readonly globalContextEntries?: readonly unknown[];
  /** The test's folder (where `globalContextEntries[].resourceFiles` are). */
  readonly dir?: string;
  /** The test file, for errors in its own fields. */
  readonly file?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Reads the test document (throws InputError when it is not one). */
export function readTestDoc(file: string, display = file): Record<string, unknown> {
  const docs = readDocs(file, display);
  const doc = docs.find((d) => d.object.kind === 'Test') ?? docs[0];
  if (!doc) throw new InputError('empty test file', { pos: { file: display } });
  return doc.object;
}

/** The input file paths of a test document, resolved against its folder. */
export function testInputs(doc: Record<string, unknown>, dir: string): TestInputs {
  const resolve = (p: string): string => path.resolve(dir, p);
  return {
    policies: strings(doc.policies).map(resolve),
    resources: strings(doc.resources).map(resolve),
    variables: typeof doc.variables === 'string' ? resolve(doc.variables) : undefined,
    userinfo: typeof doc.userinfo === 'string' ? resolve(doc.userinfo) : undefined,
    context: typeof doc.context === 'string' ? resolve(doc.context) : undefined,
    globalContextEntries: Array.isArray(doc.globalContextEntries) ? doc.globalContextEntries : undefined,
    dir,
  };
}

/** The expectations of a test document, one per resource. */
export function testExpectations(doc: Record<string, unknown>): TestExpectation[] {
  const out: TestExpectation[] = [];
  for (const r of Array.isArray(doc.results) ? doc.results : []) {
    if (!r || typeof r !== 'object') continue;
    const x = r as Record<string, unknown>;
    const names = [...strings(x.resources), ...(typeof x.resource === 'string' ? [x.resource] : [])];
    for (const n of names) {
      const parts = n.split('/');
      out.push({
        policy: String(x.policy ?? '')
          .split('/')
          .pop()!,
        rule: String(x.rule ?? ''),
        kind: String(x.kind ?? ''),
        resource: parts[parts.length - 1]!,
        namespace:
          typeof x.namespace === 'string' ? x.namespace : parts.length > 1 ? parts[parts.length - 2] : undefined,
        result: String(x.result ?? ''),
      });
    }
  }
  return out;
}

function loadAll(files: readonly string[], cwd: string): LoadedDoc[] {
  return files.flatMap((f) => {
    if (!existsSync(f))
      throw new InputError(`file not found: ${path.relative(cwd, f)}`, { pos: { file: path.relative(cwd, f) } });
    return yamlFiles(f).flatMap((y) => readDocs(y, path.relative(cwd, y)));
  });
}

/** The policy kinds `kyverno test` judges whole, ignoring the rule an expectation names (its isRulelessPolicyKind). */
const RULELESS_KINDS = new Set([
  'ValidatingPolicy',
  'NamespacedValidatingPolicy',
  'ValidatingAdmissionPolicy',
  'MutatingPolicy',
  'NamespacedMutatingPolicy',
  'MutatingAdmissionPolicy',
  'ImageValidatingPolicy',
  'NamespacedImageValidatingPolicy',
  'GeneratingPolicy',
  'NamespacedGeneratingPolicy',
  'DeletingPolicy',
  'NamespacedDeletingPolicy',
]);

/**
 * What a Kyverno CLI Context document gives Kyverno's CEL libraries: its `spec.resources` (the
 * cluster's state) and `spec.images` (image data), at the clock `now`.
 */
export function kyvernoDataOf(doc: Record<string, unknown> | undefined, now: Date): KyvernoData {
  const spec = doc?.spec && typeof doc.spec === 'object' ? (doc.spec as Record<string, unknown>) : undefined;
  const objects = (v: unknown): Record<string, unknown>[] | undefined =>
    Array.isArray(v)
      ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x))
      : undefined;
  const resources = objects(spec?.resources);
  const images = objects(spec?.images);
  return { now, ...(resources ? { resources } : {}), ...(images ? { images } : {}) };
}

/** Runs the inputs of a test (policies over resources with its values, user and context). */
export function runTestInputs(
  inputs: TestInputs,
  cwd: string,
  now = new Date(),
): { results: PolicyResult[]; errors: PolicyLoadError[]; ruleless: Set<string>; policies: Set<string> } {
  // The CLI reads the file whatever its kind says (`Values`, or `Value` as some tests have it).
  const valueDocs = inputs.variables ? loadAll([inputs.variables], cwd) : [];
  const values = (valueDocs.find((d) => d.object.kind === 'Values') ?? valueDocs[0])?.object;
  const userInfo = inputs.userinfo ? loadAll([inputs.userinfo], cwd)[0]?.object : undefined;
  const context = inputs.context
    ? loadAll([inputs.context], cwd).find((d) => d.object.kind === 'Context')?.object
    : undefined;
  if (inputs.context && !context)
    throw new InputError("no Context document (cli.kyverno.io/v1alpha1 Context) in the test's context file", {
      pos: { file: path.relative(cwd, inputs.context) },
    });
  let globalContext: Map<string, unknown> | undefined;
  if (inputs.globalContextEntries) {
    try {
      globalContext = resolveGlobalContextEntries(inputs.globalContextEntries, inputs.dir ?? cwd, (f) =>
        loadAll([f], cwd).map((d) => d.object),
      );
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError((e as Error).message, {
        pos: { file: path.relative(cwd, inputs.file ?? inputs.dir ?? cwd) },
        fieldPath: 'globalContextEntries',
      });
    }
  }
  const kyverno = { ...kyvernoDataOf(context, now), ...(globalContext ? { globalContext } : {}) };
  const engines = admissionEngines({ requestInfo: userInfo ? requestInfoOf(userInfo) : undefined, kyverno });
  const policies = loadAll(inputs.policies, cwd);
  const nameOf = (p: LoadedDoc): string =>
    String((p.object.metadata as Record<string, unknown> | undefined)?.name ?? '');
  const ruleless = new Set(policies.filter((p) => RULELESS_KINDS.has(String(p.object.kind))).map(nameOf));
  const out = applyPolicies({ policies, resources: loadAll(inputs.resources, cwd), values, engines });
  return { results: out.results, errors: out.errors, ruleless, policies: new Set(policies.map(nameOf)) };
}

/**
 * Our results for one expectation's policy, rule (and its autogen variants), kind and resource;
 * any rule of a rule-less policy (`ruleless`: their names).
 */
export function resultsFor(
  results: readonly PolicyResult[],
  e: TestExpectation,
  ruleless: ReadonlySet<string> = new Set(),
): PolicyResult[] {
  return results.filter(
    (r) =>
      r.policy === e.policy &&
      (ruleless.has(e.policy) ||
        r.rule === e.rule ||
        r.rule === `autogen-${e.rule}` ||
        r.rule === `autogen-cronjob-${e.rule}`) &&
      r.resource.kind === e.kind &&
      r.resource.name === e.resource &&
      (e.namespace === undefined || (r.resource.namespace ?? '') === e.namespace),
  );
}

/** Runs one test file and checks each expectation. */
export function runTestFile(file: string, cwd: string): TestFileOutcome {
  const display = path.relative(cwd, file) || file;
  const doc = readTestDoc(file, display);
  const { results, errors, ruleless, policies } = runTestInputs({ ...testInputs(doc, path.dirname(file)), file }, cwd);
  const rows = testExpectations(doc).map((e): TestRow => {
    // As `kyverno test`: a policy the test's files do not hold is a failure ("Not found").
    if (!policies.has(e.policy))
      return { ...e, actual: 'not found', ok: false, message: `policy ${e.policy} is not among the test's policies` };
    const mine = resultsFor(results, e, ruleless);
    if (mine.length === 0)
      return {
        ...e,
        actual: 'excluded',
        ok: true,
        message: 'no result for this rule and resource (excluded): kyverno test accepts it',
      };
    const bad = mine.find((r) => r.result !== e.result);
    return bad
      ? { ...e, actual: bad.result, ok: false, message: bad.message }
      : { ...e, actual: e.result, ok: true, message: mine[0]!.message };
  });
  return { file: display, rows, errors };
}
