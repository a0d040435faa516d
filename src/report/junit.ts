/**
 * JUnit XML for Azure DevOps (PublishTestResults@2, testResultsFormat: JUnit): one test suite
 * per cluster (and one for the repository), one test case per rule; a rule with findings at or
 * above --fail-on fails, listing its findings; findings below it go to system-out.
 */
import { failing } from '../checks/run.js';
import { POLICY_RULE_PREFIX } from '../checks/policy-ids.js';
import { ADMISSION_RULE_ID } from '../checks/rules/admission.js';
import type { Finding } from '../checks/types.js';
import { location, type CheckRun } from './types.js';

function esc(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The rule a finding belongs to in the report: a repository policy's findings belong to `admission`. */
function reportingRule(id: string): string {
  return id.startsWith(POLICY_RULE_PREFIX) ? ADMISSION_RULE_ID : id;
}

function line(f: Finding): string {
  return (
    `${f.severity} ${f.rule.startsWith(POLICY_RULE_PREFIX) ? `${f.rule} ` : ''}${location(f)} ` +
    `${f.resource ?? ''} ${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}`
  ).replace(/\s+/g, ' ');
}

export function formatJunit(run: CheckRun): string {
  const suites: { name: string; cluster?: string; rules: typeof run.rules }[] = [
    ...run.clusters.map((c) => ({
      name: `aksfleet check: cluster ${c.name}`,
      cluster: c.name,
      rules: run.rules.filter((r) => r.scope === 'cluster'),
    })),
    { name: 'aksfleet check: repository', cluster: undefined, rules: run.rules.filter((r) => r.scope === 'repo') },
  ];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failed = new Set(failing(run.findings, run.failOn));
  let total = 0;
  let totalFailures = 0;
  const body: string[] = [];
  for (const s of suites) {
    const cases: string[] = [];
    let failures = 0;
    for (const r of s.rules) {
      const fs = run.findings.filter((f) => reportingRule(f.rule) === r.id && f.cluster === s.cluster);
      const bad = fs.filter((f) => failed.has(f));
      const rest = fs.filter((f) => !failed.has(f));
      const cls = s.cluster ? `aksfleet.${s.cluster}` : 'aksfleet.repository';
      let c = `    <testcase classname="${esc(cls)}" name="${esc(r.id)}">`;
      if (bad.length) {
        failures++;
        c +=
          `\n      <failure message="${esc(`${bad.length} finding(s): ${bad[0]!.message}`)}" ` +
          `type="${esc(bad[0]!.severity)}">${esc(bad.map(line).join('\n'))}</failure>`;
      }
      if (rest.length) c += `\n      <system-out>${esc(rest.map(line).join('\n'))}</system-out>`;
      c += bad.length || rest.length ? '\n    </testcase>' : '</testcase>';
      cases.push(c);
    }
    total += s.rules.length;
    totalFailures += failures;
    body.push(
      `  <testsuite name="${esc(s.name)}" tests="${s.rules.length}" failures="${failures}" errors="0" skipped="0">`,
      ...cases,
      '  </testsuite>',
    );
  }
  out.push(
    `<testsuites name="aksfleet check" tests="${total}" failures="${totalFailures}" errors="0">`,
    ...body,
    '</testsuites>',
  );
  return `${out.join('\n')}\n`;
}
