/**
 * The evaluation core (variables, match conditions, validations, messages, failure policy) against
 * the cel-vap oracle (k8s.io/apiserver v0.35.2 Validator.Validate): every ValidatingPolicy of
 * ../shared/policies/kyverno-vpol and its autogen rules, as the equivalent ValidatingAdmissionPolicy
 * spec, on the resources of its own tests that it matches. Compares the verdict (deny / error /
 * admit) and, for a denial without errors, the messages. Prints N/M agree; asserts the list of
 * disagreements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadOracle } from '../../cel/testing/oracle.js';
import type { AdmissionContext, PolicyDocument } from '../types.js';
import { autogenRules } from './autogen.js';
import { evaluatePolicy } from './evaluate.js';
import { compileSpec, expressionsOf } from './policy.js';

const root = join(process.env.AKSFLEET_ROOT ?? process.cwd(), '..', 'shared', 'policies', 'kyverno-vpol');
type Obj = Record<string, unknown>;

function docs(file: string): Obj[] {
  try {
    return parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as Obj)
      .filter((d) => d && typeof d === 'object');
  } catch {
    return [];
  }
}

interface Case {
  readonly label: string;
  readonly spec: Obj;
  readonly doc: PolicyDocument;
  readonly rule: string;
  readonly object: Obj;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const dir of readdirSync(root).sort()) {
    const t = docs(join(root, dir, 'kyverno-test.yaml'))[0] as { resources?: string[] } | undefined;
    const resources = (t?.resources ?? []).flatMap((r) => docs(join(root, dir, r)));
    for (const p of docs(join(root, dir, 'policy.yaml'))) {
      const name = String((p.metadata as Obj | undefined)?.name ?? '');
      const spec = (p.spec ?? {}) as Obj;
      const doc: PolicyDocument = { object: p, file: join(root, dir, 'policy.yaml') };
      for (const r of [{ name: '', spec }, ...autogenRules(name, spec)]) {
        for (const object of resources) {
          const md = (object.metadata ?? {}) as Obj;
          out.push({
            label: `${dir} ${r.name || name} ${String(object.kind)}/${String(md.name)}`,
            spec: r.spec,
            doc,
            rule: r.name,
            object,
          });
        }
      }
    }
  }
  return out;
}

interface Decision {
  action: string;
  evaluation: string;
  message: string;
}

const vap = await loadOracle('cel-vap');

test('ValidatingPolicy evaluation agrees with the Kubernetes validating admission policy Validator', {
  skip: vap.skip || (existsSync(root) ? false : `${root} not found`),
}, () => {
  const ctx: AdmissionContext = { namespaces: new Map(), resources: [] };
  const matched: { c: Case; verdict: string; message?: string }[] = [];
  const kyvernoLibraries = new Set<string>();
  for (const c of cases()) {
    const policy = compileSpec(c.doc, c.spec, c.rule, { validationActions: ['Deny'] });
    // Kyverno's own libraries (resource, image, time, parseServiceAccount) are not the Validator's:
    // those policies are judged against the Kyverno CLI instead (kyverno-vpol-oracle.test.ts).
    const asVap = compileSpec(
      { ...c.doc, object: { ...c.doc.object, kind: 'ValidatingAdmissionPolicy' } },
      c.spec,
      c.rule,
      { validationActions: ['Deny'] },
    );
    if (expressionsOf(asVap).some((e) => e.error) && !expressionsOf(policy).some((e) => e.error)) {
      kyvernoLibraries.add(policy.name);
      continue;
    }
    const r = evaluatePolicy(policy, { name: '', validationActions: ['Deny'], params: null }, c.object, ctx);
    if (!r) continue;
    matched.push({
      c,
      verdict: r.result === 'fail' ? 'deny' : r.result === 'skip' ? 'admit' : r.result === 'pass' ? 'admit' : 'error',
      message: r.message,
    });
  }
  assert.ok(matched.length > 500, `only ${matched.length} matched cases`);
  const input = JSON.stringify({
    cases: matched.map(({ c }) => ({
      policy: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'p' },
        spec: { ...c.spec, validationActions: undefined, evaluation: undefined, autogen: undefined },
      },
      object: c.object,
      operation: 'CREATE',
    })),
  });
  const run = spawnSync(vap.path, [], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const results = (JSON.parse(run.stdout) as { results: ({ decisions: Decision[] } | { error: string })[] }).results;
  const differ: string[] = [];
  matched.forEach((m, i) => {
    const r = results[i];
    if ('error' in r) {
      differ.push(`${m.c.label}: oracle error ${r.error}`);
      return;
    }
    const errors = r.decisions.filter((d) => d.action === 'deny' && d.evaluation === 'error');
    const denies = r.decisions.filter((d) => d.action === 'deny' && d.evaluation === 'deny');
    const theirs = denies.length ? 'deny' : errors.length ? 'error' : 'admit';
    if (theirs !== m.verdict) {
      differ.push(`${m.c.label}: ours ${m.verdict}, Kubernetes ${theirs}`);
      if (process.env.AKSFLEET_SHOW_DIFF)
        console.log(
          `${m.c.label}: ours ${m.verdict} (${m.message?.slice(0, 200)}) k8s ${theirs} ` +
            `${JSON.stringify(r.decisions).slice(0, 300)}`,
        );
    } else if (theirs === 'deny' && errors.length === 0 && m.message !== denies.map((d) => d.message).join('; ')) {
      differ.push(`${m.c.label}: message differs`);
      if (process.env.AKSFLEET_SHOW_DIFF)
        console.log(
          `${m.c.label}: ours ${JSON.stringify(m.message)} k8s ` +
            `${JSON.stringify(denies.map((d) => d.message).join('; '))}`,
        );
    }
  });
  console.log(
    `ValidatingPolicy evaluation vs Kubernetes Validator: ` +
      `${matched.length - differ.length}/${matched.length} agree; left out, as they use Kyverno's libraries: ` +
      `${[...kyvernoLibraries].sort().join(', ')}`,
  );
  assert.deepEqual(differ, KNOWN);
});

/** Disagreements with the Kubernetes Validator. */
const KNOWN: string[] = [];
