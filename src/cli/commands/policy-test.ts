/**
 * `aksfleet policy test DIR`: finds the Kyverno CLI test files (`kyverno-test.yaml`) and gator
 * Suites (`kind: Suite`, test.gatekeeper.sh) under DIR, runs each test's policies over its
 * resources offline and checks every expected result, like `kyverno test` and `gator verify`.
 * Exit 1 on any mismatch, 2 when a test or policy file is bad.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { findSuiteFiles, runSuiteFile } from '../../admission/gatekeeper/suite.js';
import { findTestFiles, runTestFile } from '../../admission/kyverno-test.js';
import { loadErrorText } from '../../admission/report.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const command: Command = {
  usage: 'aksfleet policy test DIR [--format text|json]',
  options: { format: { type: 'string' } },
  async run({ io, args, flags }) {
    if (args.length !== 1) throw new UsageError(`expected exactly one directory\nUsage: ${command.usage}`);
    const format = choice('policy test', 'format', flags.format, 'text');
    const dir = path.resolve(io.cwd, args[0]!);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`'${args[0]}' is not a directory`);
    const files = findTestFiles(dir);
    const suites = findSuiteFiles(dir);
    if (files.length === 0 && suites.length === 0)
      throw new UsageError(`no kyverno-test.yaml or gator Suite under '${args[0]}'`);
    let failed = 0;
    let passed = 0;
    let bad = false;
    const report: unknown[] = [];
    const lines: string[] = [];
    for (const f of files) {
      let outcome;
      try {
        outcome = runTestFile(f, io.cwd);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        io.err(`error: ${e.format()}\n`);
        bad = true;
        continue;
      }
      for (const e of outcome.errors) {
        io.err(`error: ${loadErrorText(e)}\n`);
        bad = true;
      }
      lines.push(`Loading test ( ${outcome.file} ) ...`);
      outcome.rows.forEach((r, i) => {
        if (r.ok) passed++;
        else failed++;
        lines.push(
          `  ${String(i + 1).padStart(3)} | ${r.policy} | ${r.rule} | ` +
            `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.resource} | ${r.ok ? 'Pass' : 'Fail'} | want ` +
            `${r.result}, got ${r.actual}${r.ok ? '' : `: ${r.message ?? ''}`}`,
        );
      });
      lines.push('');
      report.push({
        file: outcome.file,
        results: outcome.rows.map((r) => ({
          policy: r.policy,
          rule: r.rule,
          kind: r.kind,
          ...(r.namespace ? { namespace: r.namespace } : {}),
          resource: r.resource,
          expected: r.result,
          actual: r.actual,
          ok: r.ok,
        })),
      });
    }
    const suiteReport: unknown[] = [];
    for (const f of suites) {
      let outcome;
      try {
        outcome = runSuiteFile(f, io.cwd);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        io.err(`error: ${e.format()}\n`);
        bad = true;
        continue;
      }
      lines.push(`Loading suite ( ${outcome.file} ) ...`);
      for (const t of outcome.testErrors) {
        io.err(`error: ${outcome.file}: test ${t.test}: ${t.error}\n`);
        lines.push(`  --- ERROR: ${t.test}: ${t.error}`);
        bad = true;
      }
      outcome.rows.forEach((r, i) => {
        if (r.ok) passed++;
        else failed++;
        const a =
          `violations: ${r.assertion.violations}` +
          `${r.assertion.message !== undefined ? `, message: ${JSON.stringify(r.assertion.message)}` : ''}`;
        lines.push(
          `  ${String(i + 1).padStart(3)} | ${r.test} | ${r.case} | ${a} | ${r.ok ? 'Pass' : 'Fail'}` +
            `${r.ok ? '' : `: ${r.error ?? ''}`}`,
        );
      });
      lines.push(
        `${outcome.rows.every((r) => r.ok) && outcome.testErrors.length === 0 ? 'ok' : 'FAIL'}\t${outcome.file}`,
        '',
      );
      suiteReport.push({
        file: outcome.file,
        results: outcome.rows.map((r) => ({
          test: r.test,
          case: r.case,
          violations: r.assertion.violations,
          ...(r.assertion.message !== undefined ? { message: r.assertion.message } : {}),
          ok: r.ok,
          ...(r.error ? { error: r.error } : {}),
        })),
        ...(outcome.testErrors.length ? { errors: outcome.testErrors } : {}),
      });
    }
    if (format === 'json')
      io.out(
        `${JSON.stringify({ tests: report, ...(suites.length ? { suites: suiteReport } : {}), passed, failed }, null, 2)}\n`,
      );
    else io.out(`${lines.join('\n')}\nTest Summary: ${passed} tests passed and ${failed} tests failed\n`);
    if (bad) return 2;
    return failed > 0 ? 1 : 0;
  },
};

export default command;
