/**
 * `aksfleet policy apply POLICY... --resource FILE... [--values-file F] [--userinfo F] [--context-file F] [--format
 * text|json]`:
 * evaluates admission policies (Kyverno ClusterPolicy/Policy and ValidatingPolicy, ValidatingAdmissionPolicy,
 * Gatekeeper ConstraintTemplates and Constraints: the engines of src/admission/engines.ts) against
 * resources offline, like `kyverno apply` and `gator test`. `--context-file` (a Kyverno CLI Context:
 * cluster objects and image data) feeds Kyverno's CEL libraries; without it their calls are not
 * evaluable offline (error results). Exit 1 when an
 * enforcing policy fails a resource, 2 when a policy or input file is bad (the other policies still
 * run and their results are printed), 0 otherwise.
 */
import { locationPrefix } from '../../diagnostic.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { applyPolicies, readDocs, yamlFiles, type LoadedDoc } from '../../admission/apply.js';
import { admissionEngines, requestInfoOf } from '../../admission/engines.js';
import { kyvernoDataOf } from '../../admission/kyverno-test.js';
import { loadErrorText, resultsJson, resultsText } from '../../admission/report.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** Reads every document of the given files/folders; paths are shown relative to cwd. */
export function loadPaths(cwd: string, paths: readonly string[], what: string): LoadedDoc[] {
  const out: LoadedDoc[] = [];
  const errors: InputError[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) throw new UsageError(`${what} '${p}' does not exist`);
    for (const f of yamlFiles(abs)) {
      try {
        out.push(...readDocs(f, path.relative(cwd, f) || f));
      } catch (e) {
        if (e instanceof InputError) errors.push(e);
        else throw e;
      }
    }
  }
  if (errors.length > 0) throw new InputError(errors[0]!.message, { pos: errors[0]!.pos, more: errors.slice(1) });
  return out;
}

/** The Values document of a --values-file (the first document of kind Values, or the first document). */
export function loadValues(cwd: string, file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  const docs = loadPaths(cwd, [file], 'values file');
  return docs.find((d) => d.object.kind === 'Values')?.object ?? docs[0]?.object ?? {};
}

const command: Command = {
  usage:
    'aksfleet policy apply POLICY... --resource FILE... [--values-file F] [--userinfo F] [--context-file F] ' +
    '[--format text|json]',
  options: {
    resource: { type: 'string', multiple: true, short: 'r' },
    'values-file': { type: 'string', short: 'f' },
    userinfo: { type: 'string', short: 'u' },
    'context-file': { type: 'string' },
    format: { type: 'string' },
  },
  async run({ io, args, flags }) {
    if (args.length === 0) throw new UsageError(`expected at least one policy file or folder\nUsage: ${command.usage}`);
    const resourcePaths = asList(flags.resource);
    if (resourcePaths.length === 0) throw new UsageError(`expected --resource FILE\nUsage: ${command.usage}`);
    const format = choice('policy apply', 'format', flags.format, 'text');
    const values = loadValues(io.cwd, flags['values-file'] === undefined ? undefined : String(flags['values-file']));
    let policyDocs: LoadedDoc[] = [];
    let policyInputError: InputError | undefined;
    try {
      policyDocs = loadPaths(io.cwd, args, 'policy');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      policyInputError = e;
      // the files that parse still run: read them one by one
      for (const p of args) {
        for (const f of yamlFiles(path.resolve(io.cwd, p))) {
          try {
            policyDocs.push(...readDocs(f, path.relative(io.cwd, f) || f));
          } catch {
            /* reported below */
          }
        }
      }
    }
    const resources = loadPaths(io.cwd, resourcePaths, 'resource');
    const userInfo =
      flags.userinfo === undefined
        ? undefined
        : loadPaths(io.cwd, [String(flags.userinfo)], 'userinfo file')[0]?.object;
    const contextFile = flags['context-file'] === undefined ? undefined : String(flags['context-file']);
    const contextDocs = contextFile === undefined ? [] : loadPaths(io.cwd, [contextFile], 'context file');
    const context = contextDocs.find((d) => d.object.kind === 'Context');
    if (contextFile !== undefined && !context)
      throw new InputError('the context file holds no Context document (cli.kyverno.io/v1alpha1 Context)', {
        pos: { file: contextFile },
      });
    const kyverno = kyvernoDataOf(context?.object, new Date());
    const engines = admissionEngines({ requestInfo: userInfo ? requestInfoOf(userInfo) : undefined, kyverno });
    const out = applyPolicies({ policies: policyDocs, resources, values, engines });
    const policyCount = policyDocs.length - out.ignored.length;
    io.out(format === 'json' ? resultsJson(out.results) : resultsText(out.results, policyCount, resources.length));
    for (const ig of out.ignored)
      io.err(`warning: ${locationPrefix(ig)}${ig.kind} is not a policy any engine evaluates; ignored\n`);
    if (policyInputError) io.err(`error: ${policyInputError.format()}\n`);
    for (const e of out.errors) io.err(`error: ${loadErrorText(e)}\n`);
    if (policyInputError || out.errors.length > 0) return 2;
    return out.results.some((r) => r.result === 'fail' && r.enforcing) ? 1 : 0;
  },
};

export default command;
