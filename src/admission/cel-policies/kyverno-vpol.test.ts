/**
 * Conformance with the policies' own Kyverno CLI tests: every kyverno-vpol row of
 * ../shared/policies/kyverno-cases.tsv (ValidatingPolicy, folder, resource, expected result) is
 * evaluated by our engine from the folder's kyverno-test.yaml (policies, resources, userinfo,
 * the values file's namespaces, the context file's cluster objects and image data for Kyverno's
 * CEL libraries), never from the expected result; prints `N/M agree` and asserts the known exceptions, so that a
 * regression or a fix changes the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KyvernoData } from '../../cel/index.js';
import { namespacesOf, withDefaultNamespace } from '../apply.js';
import { kyvernoDataOf } from '../kyverno-test.js';
import type { AdmissionContext, PolicyDocument, PolicyResult } from '../types.js';
import { compileValidatingPolicies, evaluateValidatingPolicies } from './index.js';
import type { UserInfo } from './request.js';

const root = join(process.env.AKSFLEET_ROOT ?? process.cwd(), '..', 'shared', 'policies');
const present = existsSync(join(root, 'kyverno-cases.tsv'));

interface Case {
  readonly dir: string;
  readonly policy: string;
  readonly kind: string;
  readonly resource: string;
  readonly expected: string;
  readonly file: string;
}

function cases(): Case[] {
  const [header, ...rows] = readFileSync(join(root, 'kyverno-cases.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const col = (n: string): number => header.indexOf(n);
  return rows
    .filter((r) => r[col('group')] === 'kyverno-vpol')
    .map((r) => ({
      dir: r[col('dir')],
      policy: r[col('policy')],
      kind: r[col('kind')],
      resource: r[col('resource')],
      expected: r[col('expected')],
      file: r[col('resource_file')],
    }));
}

function docsOf(file: string): { object: Record<string, unknown>; line: number }[] {
  const text = readFileSync(file, 'utf8');
  return parseAllDocuments(text)
    .map((d) => ({ object: d.toJS() as Record<string, unknown>, line: text.slice(0, d.range[0]).split('\n').length }))
    .filter((d) => d.object && typeof d.object === 'object');
}

interface Folder {
  readonly compiled: ReturnType<typeof compileValidatingPolicies>['compiled'];
  readonly resources: readonly Record<string, unknown>[];
  readonly userInfo?: UserInfo;
  readonly namespaces: Map<string, Record<string, unknown>>;
  readonly kyverno: KyvernoData;
}

/** The clock of `time.now()`: fixed, so that the test's results do not depend on the day it runs. */
const NOW = new Date('2026-12-01T00:00:00Z');

const folders = new Map<string, Folder>();

function folder(dir: string): Folder {
  let f = folders.get(dir);
  if (f) return f;
  const base = join(root, 'kyverno-vpol', dir);
  const spec = docsOf(join(base, 'kyverno-test.yaml'))[0].object as {
    policies?: string[];
    resources?: string[];
    userinfo?: string;
    variables?: string;
    context?: string;
  };
  const policyDocs: PolicyDocument[] = (spec.policies ?? []).flatMap((p) =>
    docsOf(join(base, p)).map((d) => ({ object: d.object, file: join(base, p), line: d.line })),
  );
  const compiled = compileValidatingPolicies(
    policyDocs.filter((d) => String(d.object.apiVersion).startsWith('policies.kyverno.io/')),
  ).compiled;
  const resources = (spec.resources ?? []).flatMap((r) => docsOf(join(base, r)).map((d) => d.object));
  const userInfo = spec.userinfo
    ? ((docsOf(join(base, spec.userinfo))[0].object.userInfo as UserInfo | undefined) ?? undefined)
    : undefined;
  const values = spec.variables ? docsOf(join(base, spec.variables))[0]?.object : undefined;
  const namespaces = namespacesOf(resources.map(withDefaultNamespace), values);
  const kyverno = kyvernoDataOf(spec.context ? docsOf(join(base, spec.context))[0]?.object : undefined, NOW);
  f = { compiled, resources, userInfo, namespaces, kyverno };
  folders.set(dir, f);
  return f;
}

function findResource(f: Folder, c: Case): Record<string, unknown> | undefined {
  const [ns, name] = c.resource.includes('/') ? c.resource.split('/') : [undefined, c.resource];
  return f.resources.find((r) => {
    const md = (r.metadata ?? {}) as Record<string, unknown>;
    return r.kind === c.kind && md.name === name && (ns === undefined || (md.namespace ?? 'default') === ns);
  });
}

/** The verdict `kyverno test` reports for one policy on one resource, from our results. */
function verdict(results: readonly PolicyResult[]): string {
  if (results.some((r) => r.result === 'fail' || r.result === 'warn')) return 'fail';
  if (results.some((r) => r.result === 'error')) return 'error';
  if (results.some((r) => r.result === 'pass')) return 'pass';
  return 'skip';
}

/**
 * Cases we know we get wrong, by reason. The messages of our results are left out of the keys.
 */
const KNOWN_BY_REASON: Record<string, string[]> = {
  // The upstream kyverno-test.yaml names a policy the folder does not have (adding-capabilities-strict,
  // check-fsgroup, ...): we evaluate only the policies that exist, so these rows get no result.
  'test-names-missing-policy': [
    'require-non-root-groups CronJob/fsgrp-badcronjob01: expected fail, got skip',
    'require-non-root-groups Deployment/fsgrp-baddeployment01: expected fail, got skip',
    'require-non-root-groups Pod/fsgrp-badpod01: expected fail, got skip',
    'require-non-root-groups CronJob/fsgrp-goodcronjob01: expected pass, got skip',
    'require-non-root-groups CronJob/fsgrp-goodcronjob02: expected pass, got skip',
    'require-non-root-groups Deployment/fsgrp-gooddeployment01: expected pass, got skip',
    'require-non-root-groups Deployment/fsgrp-gooddeployment02: expected pass, got skip',
    'require-non-root-groups Pod/fsgrp-goodpod01: expected pass, got skip',
    'require-non-root-groups Pod/fsgrp-goodpod02: expected pass, got skip',
    'require-non-root-groups CronJob/supgrp-badcronjob01: expected fail, got skip',
    'require-non-root-groups CronJob/supgrp-badcronjob02: expected fail, got skip',
    'require-non-root-groups Deployment/supgrp-baddeployment01: expected fail, got skip',
    'require-non-root-groups Deployment/supgrp-baddeployment02: expected fail, got skip',
    'require-non-root-groups Pod/supgrp-badpod01: expected fail, got skip',
    'require-non-root-groups Pod/supgrp-badpod02: expected fail, got skip',
    'require-non-root-groups CronJob/supgrp-goodcronjob01: expected pass, got skip',
    'require-non-root-groups CronJob/supgrp-goodcronjob02: expected pass, got skip',
    'require-non-root-groups CronJob/supgrp-goodcronjob03: expected pass, got skip',
    'require-non-root-groups Deployment/supgrp-gooddeployment01: expected pass, got skip',
    'require-non-root-groups Deployment/supgrp-gooddeployment02: expected pass, got skip',
    'require-non-root-groups Deployment/supgrp-gooddeployment03: expected pass, got skip',
    'require-non-root-groups Pod/supgrp-goodpod01: expected pass, got skip',
    'require-non-root-groups Pod/supgrp-goodpod02: expected pass, got skip',
    'require-non-root-groups Pod/supgrp-goodpod03: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob01: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob02: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob03: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob04: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob05: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob06: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob07: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob08: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob09: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-badcronjob10: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment01: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment02: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment03: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment04: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment05: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment06: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment07: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment08: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment09: expected fail, got skip',
    'disallow-capabilities-strict Deployment/addcap-baddeployment10: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod01: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod02: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod03: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod04: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod05: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod06: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod07: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod08: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod09: expected fail, got skip',
    'disallow-capabilities-strict Pod/addcap-badpod10: expected fail, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob01: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob02: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob03: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob04: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob05: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob06: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob07: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob08: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob09: expected pass, got skip',
    'disallow-capabilities-strict CronJob/addcap-goodcronjob10: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment01: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment02: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment03: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment04: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment05: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment06: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment07: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment08: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment09: expected pass, got skip',
    'disallow-capabilities-strict Deployment/addcap-gooddeployment10: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod01: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod02: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod03: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod04: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod05: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod06: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod07: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod08: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod09: expected pass, got skip',
    'disallow-capabilities-strict Pod/addcap-goodpod10: expected pass, got skip',
  ],
};
const KNOWN = Object.values(KNOWN_BY_REASON).flat();

test("kyverno-vpol: ValidatingPolicy cases agree with the policies' own kyverno tests", {
  skip: present ? false : `${root} not found`,
}, () => {
  const all = cases();
  assert.ok(all.length > 900, `only ${all.length} kyverno-vpol cases`);
  const differ: string[] = [];
  for (const c of all) {
    const f = folder(c.dir);
    const resource = findResource(f, c);
    let got: string;
    let why = '';
    if (!resource) got = 'resource not found';
    else {
      const ctx: AdmissionContext = { namespaces: f.namespaces, resources: f.resources, operation: 'CREATE' };
      const results = evaluateValidatingPolicies(f.compiled, withDefaultNamespace(resource), ctx, {
        userInfo: f.userInfo,
        kyverno: f.kyverno,
      }).filter((r) => r.policy === c.policy);
      got = verdict(results);
      why = results
        .map((r) => r.message ?? '')
        .filter(Boolean)
        .join(' | ')
        .slice(0, 200);
    }
    if (got !== c.expected) {
      differ.push(`${c.dir} ${c.kind}/${c.resource}: expected ${c.expected}, got ${got}`);
      if (process.env.AKSFLEET_SHOW_DIFF) console.log(`${c.dir} ${c.kind}/${c.resource}: ${why}`);
    }
  }
  console.log(`kyverno-vpol: ${all.length - differ.length}/${all.length} agree`);
  assert.deepEqual(differ, KNOWN);
});
