/**
 * Issue #25, point 2: a pull request controls fleet.yaml, and `aksfleet generate` turns its
 * values into bash scripts and Bicep. Hostile strings (quotes, `$()`, backticks, `${`, `;`,
 * newlines, bidi and other unicode) are put into every string field (and map key) of the example
 * fleet, one at a time (fast-check, fixed seed). Either the spec is refused with an InputError, or
 * every generated script passes `bash -n` and `shellcheck`, runs against stub `az`/`kubectl`/`flux`
 * without executing the injected command (a marker file that must never appear), and every
 * generated Bicep file passes the grammar check with no reference to an unknown symbol.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { InputError } from '../../src/errors.js';
import { generateAll } from '../../src/generators/index.js';
import type { GeneratedFile } from '../../src/generators/types.js';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { parseFleet } from '../../src/spec/load.js';
import { EXTENSION, EXAMPLE } from '../infra/fixtures.js';

const PWN = mkdtempSync(join(tmpdir(), 'aksfleet-pwn-'));
const MARK = join(PWN, 'pwned');
const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/** Payloads that create MARK if bash (or Bicep) ever evaluates them. Space-free ones get past more name rules. */
const PAYLOADS = [
  `$(touch ${MARK})`,
  `$(touch\${IFS}${MARK})`,
  `\`touch ${MARK}\``,
  `\`touch\${IFS}${MARK}\``,
  `\${X:-$(touch\${IFS}${MARK})}`,
  `';touch\${IFS}${MARK};'`,
  `";touch\${IFS}${MARK};"`,
  `\ntouch ${MARK}\n`,
  `\rtouch ${MARK}`,
  `;touch\${IFS}${MARK}`,
  `|touch\${IFS}${MARK}`,
  `&&touch\${IFS}${MARK}`,
  `'}\${touch}{'`,
  `\u2028touch ${MARK}`,
  `\u202etouch ${MARK}`,
  `é\u0301😀`,
  `\\'$(touch\${IFS}${MARK})`,
  `*`,
  `~root`,
];

/** Every path to a string leaf (and to each map key, as `{key}`) of a parsed YAML value. */
function stringPaths(v: unknown, path: (string | number)[] = []): { path: (string | number)[]; key: boolean }[] {
  if (typeof v === 'string') return [{ path, key: false }];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...path, i]));
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => [
      ...(path.length > 1 && /labels|matchLabels|overrides/.test(String(path[path.length - 1]))
        ? [{ path: [...path, k], key: true }]
        : []),
      ...stringPaths(x, [...path, k]),
    ]);
  }
  return [];
}

function withValue(
  raw: unknown,
  at: { path: (string | number)[]; key: boolean },
  make: (old: string) => string,
): unknown {
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  let cur = copy;
  for (const seg of at.path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = at.path[at.path.length - 1]!;
  if (at.key) {
    const entries = Object.entries(cur).map(([k, x]) => (k === last ? [make(k), x] : [k, x]));
    for (const k of Object.keys(cur)) delete cur[k];
    Object.assign(cur, Object.fromEntries(entries));
  } else cur[last] = make(String(cur[last]));
  return copy;
}

const STUBS: Record<string, string> = {
  az: `#!/usr/bin/env bash
printf 'az' >> "$RECORD"; printf ' [%s]' "$@" >> "$RECORD"; echo >> "$RECORD"
query=""; prev=""
for a in "$@"; do [ "$prev" = "--query" ] && query="$a"; prev="$a"; done
case "$*" in
  "account show"*) echo "00000000-0000-0000-0000-000000000000" ;;
  "role assignment list"*) ;;
  *" show "*|*" show") if [ -n "$query" ]; then echo "fake-value"; else exit 1; fi ;;
esac
exit 0
`,
  kubectl: `#!/usr/bin/env bash
printf 'kubectl' >> "$RECORD"; printf ' [%s]' "$@" >> "$RECORD"; echo >> "$RECORD"
case " $* " in
  *" get "*) exit 1 ;;
  *" apply "*) cat > /dev/null ;;
  *" create "*) echo "kind: ConfigMap" ;;
esac
exit 0
`,
  flux: `#!/usr/bin/env bash
printf 'flux' >> "$RECORD"; printf ' [%s]' "$@" >> "$RECORD"; echo >> "$RECORD"
exit 0
`,
};

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-inject-'));
  mkdirSync(join(dir, 'bin'));
  for (const [name, text] of Object.entries(STUBS)) {
    writeFileSync(join(dir, 'bin', name), text);
    chmodSync(join(dir, 'bin', name), 0o755);
  }
  return dir;
}

/** Problems of the generated scripts and Bicep files that differ from the clean fleet's. */
function problems(files: readonly GeneratedFile[], baseline: ReadonlyMap<string, string>, dir: string): string[] {
  const out: string[] = [];
  const changed = files.filter((f) => baseline.get(f.path) !== f.content);
  const scripts = changed.filter((f) => f.path.endsWith('.sh'));
  const written: string[] = [];
  for (const f of scripts) {
    const p = join(dir, f.path.replaceAll('/', '__'));
    writeFileSync(p, f.content);
    written.push(p);
    const syntax = spawnSync('bash', ['-n', p], { encoding: 'utf8' });
    if (syntax.status !== 0) out.push(`${f.path}: bash -n: ${syntax.stderr.trim()}`);
  }
  if (written.length > 0 && hasShellcheck) {
    // SC2016 ("expressions don't expand in single quotes") is the point: a value's `$` stays literal.
    const sc = spawnSync('shellcheck', ['--severity=style', '--exclude=SC2016', '--format=gcc', ...written], {
      encoding: 'utf8',
    });
    if (sc.status !== 0) out.push(`shellcheck: ${sc.stdout.trim()} ${sc.stderr.trim()}`);
  }
  for (const p of written) {
    const r = spawnSync('bash', [p], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
        RECORD: join(dir, 'calls.log'),
        HOME: dir,
        GITHUB_TOKEN: 't',
        AZURE_DEVOPS_PAT: 't',
        WINDOWS_ADMIN_PASSWORD: 'x',
      },
    });
    if (r.status !== 0) out.push(`${p}: exit ${r.status}: ${r.stderr.trim().slice(0, 400)}`);
    // And without the tokens: the scripts stop at their first check, and that check evaluates nothing.
    spawnSync('bash', [p], {
      cwd: dir,
      timeout: 60_000,
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, RECORD: join(dir, 'calls.log'), HOME: dir },
    });
  }
  for (const f of changed.filter((x) => x.path.endsWith('.bicep') || x.path.endsWith('.bicepparam'))) {
    const errors = checkBicep(f.content, f.path.endsWith('.bicepparam') ? 'bicepparam' : 'bicep').errors;
    if (errors.length > 0) out.push(`${f.path}: ${errors.slice(0, 3).join('; ')}`);
  }
  if (existsSync(MARK)) out.push(`an injected command ran (${MARK} exists)`);
  return out;
}

/**
 * A hostile value for a field: a payload put in place of, after or before the old value, or a random string of shell
 * metacharacters.
 */
const HOSTILE = fc.oneof(
  fc.record({ payload: fc.constantFrom(...PAYLOADS), how: fc.constantFrom('replace', 'append', 'prefix') }),
  fc.record({
    payload: fc.string({
      unit: fc.constantFrom(
        'a',
        '-',
        '/',
        "'",
        '"',
        '`',
        '$',
        '(',
        ')',
        '{',
        '}',
        ';',
        '|',
        '&',
        '\\',
        '\n',
        '#',
        '!',
        '*',
        'é',
        '\u202e',
      ),
      minLength: 1,
      maxLength: 12,
    }),
    how: fc.constantFrom('replace', 'append', 'prefix'),
  }),
);
const PER_FIELD = 3;

for (const [mode, text] of [
  ['bootstrap', EXAMPLE],
  ['extension', EXTENSION],
] as const) {
  test(`${mode}: a hostile string in every spec field is refused, or no generated script or Bicep file evaluates it`, {
    timeout: 900_000,
  }, (t) => {
    const raw = parse(text) as unknown;
    const baseline = new Map(generateAll(parseFleet(text, 'fleet.yaml')).map((f) => [f.path, f.content]));
    const paths = stringPaths(raw);
    assert.ok(paths.length > 100, `the example has many string fields (${paths.length})`);
    const stats = { refused: 0, accepted: 0, scriptsChanged: 0 };
    paths.forEach((at, i) => {
      // Every field, each with PER_FIELD hostile values drawn with a fixed seed (the field's index).
      for (const { payload, how } of fc.sample(HOSTILE, { seed: 2025 + i, numRuns: PER_FIELD })) {
        const where = `${at.key ? 'key' : 'value'} at ${at.path.join('.')} = ${JSON.stringify(payload)} (${how})`;
        const hostile = withValue(raw, at, (old) =>
          how === 'replace' ? payload : how === 'append' ? old + payload : payload + old,
        );
        let files: GeneratedFile[];
        try {
          files = generateAll(parseFleet(stringify(hostile), 'fleet.yaml'));
        } catch (e) {
          assert.ok(e instanceof InputError, `${where}: refused with an InputError, not ${String(e)}`);
          // Spec errors carry file:line:col; a generator's carry the field, which `generate` locates (locate() in its
          // command).
          assert.ok(
            /^fleet\.yaml:\d+:\d+: /.test(e.format()) || e.fieldPath !== undefined,
            `${where}: the refusal names where: ${e.format()}`,
          );
          stats.refused++;
          continue;
        }
        stats.accepted++;
        if (files.some((f) => f.path.endsWith('.sh') && baseline.get(f.path) !== f.content)) stats.scriptsChanged++;
        const dir = sandbox();
        try {
          assert.deepEqual(problems(files, baseline, dir), [], where);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
    t.diagnostic(
      `${paths.length} fields x ${PER_FIELD}: refused ${stats.refused}, ` +
        `accepted ${stats.accepted}, scripts reached ${stats.scriptsChanged}`,
    );
    // The property must have reached scripts with hostile values, or it proves nothing.
    assert.ok(stats.refused > 0 && stats.accepted > 0 && stats.scriptsChanged > 0, JSON.stringify(stats));
  });
}

test('branch names git accepts but bash would evaluate reach every script quoted, and nothing runs', {
  skip: hasShellcheck ? false : 'shellcheck not installed (apt-get install -y shellcheck)',
}, () => {
  const raw = parse(EXAMPLE) as { spec: { environments: { branch: string }[]; git: { mainBranch: string } } };
  const baseline = new Map(generateAll(parseFleet(EXAMPLE, 'fleet.yaml')).map((f) => [f.path, f.content]));
  const branches = PAYLOADS.map((p) => `env/x${p}`).filter(
    (b) => !/[\s\u2028\u202e~^:?*[\\]|\.\.|@\{|\/\.|\.lock(\/|$)|\/\/|\.$/u.test(b),
  );
  assert.ok(branches.length >= 8, `enough hostile branch names are valid git refs (${branches.length})`);
  for (const b of branches) {
    const copy = structuredClone(raw);
    copy.spec.environments[0]!.branch = b;
    const files = generateAll(parseFleet(stringify(copy), 'fleet.yaml'));
    const dir = sandbox();
    try {
      const changed = files.filter((f) => f.path.endsWith('.sh') && baseline.get(f.path) !== f.content);
      assert.ok(changed.length > 0, `${b}: the branch reaches a script`);
      assert.deepEqual(problems(files, baseline, dir), [], b);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.equal(readdirSync(PWN).length, 0);
});
