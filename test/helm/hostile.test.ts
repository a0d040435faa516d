/**
 * Hostile charts: archives that try to write outside the chart, links, gzip bombs, lying
 * headers, deep nesting, symbolic links out of a chart folder, `.Files` names that climb out,
 * include recursion. Where helm 4.2 refuses the same input, our message must be helm's.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../src/errors.js';
import { defaultTemplateEngine, helmTemplate, loadChart } from '../../src/helm/index.js';
import { oracle } from '../oracles/index.js';
import { helmError, makeTar, runHelm, writeTree, type TarSpec } from './testing.js';

const helm = oracle('helm-4.2');
const CHART_YAML = 'apiVersion: v2\nname: evil\nversion: 1.0.0\n';

function archiveCase(entries: TarSpec[]): { dir: string; file: string } {
  const dir = writeTree({});
  const file = join(dir, 'evil-1.0.0.tgz');
  writeFileSync(file, gzipSync(makeTar(entries)));
  return { dir, file };
}

function ourError(path: string, limits?: Parameters<typeof loadChart>[1]): string {
  try {
    loadChart(path, limits);
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    return e.message;
  }
  return '(loaded)';
}

/** The reason behind Helm's bare "unable to load chart archive" (kept as the error's cause). */
function ourCause(path: string, limits?: Parameters<typeof loadChart>[1]): string {
  try {
    loadChart(path, limits);
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(e.message, 'unable to load chart archive');
    return (e.cause as Error).message;
  }
  return '(loaded)';
}

/** `reason`: the cause we keep behind Helm's bare message (Helm's own words from archive.go). */
const REFUSED: { name: string; entries: TarSpec[]; reason?: string }[] = [
  {
    name: 'parent directory',
    entries: [
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil/../../etc/passwd', data: 'x' },
    ],
    reason: 'chart illegally references parent directory',
  },
  {
    name: 'parent directory after clean',
    entries: [
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil/templates/../../x', data: 'x' },
    ],
    reason: 'chart illegally references parent directory',
  },
  {
    name: 'absolute path',
    entries: [
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil//etc/passwd', data: 'x' },
    ],
    reason: 'chart illegally contains absolute paths',
  },
  {
    name: 'Chart.yaml at the archive root',
    entries: [{ name: 'Chart.yaml', data: CHART_YAML }],
    reason: 'chart illegally contains content outside the base directory: "Chart.yaml"',
  },
  {
    name: 'drive letter',
    entries: [
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil/C:/x', data: 'x' },
    ],
    reason: 'chart contains illegally named files',
  },
  { name: 'empty archive', entries: [], reason: 'no files in chart archive' },
  { name: 'no Chart.yaml', entries: [{ name: 'evil/values.yaml', data: 'a: 1\n' }] },
];

describe('hostile archives: refused with helm 4.2 words', () => {
  for (const c of REFUSED) {
    test(c.name, { skip: helm.skip }, () => {
      const { dir, file } = archiveCase(c.entries);
      try {
        const r = runHelm(helm.path, ['template', 'x', file], dir);
        assert.notEqual(r.status, 0, 'helm accepted it');
        assert.equal(ourError(file), helmError(r.stderr));
        if (c.reason) assert.equal(ourCause(file), c.reason);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('links in an archive are empty files, never followed (as helm)', { skip: helm.skip }, () => {
    const { dir, file } = archiveCase([
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      {
        name: 'evil/templates/cm.yaml',
        data:
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: {{ .Files.Get "link" | quote }}\n' +
          '  b: {{ .Files.Get "hard" | quote }}\n',
      },
      { name: 'evil/link', type: '2', linkName: '/etc/passwd' },
      { name: 'evil/hard', type: '1', linkName: '/etc/passwd' },
    ]);
    try {
      const r = runHelm(helm.path, ['template', 'x', file], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /a: ""\n {2}b: ""/);
      const chart = loadChart(file);
      const link = chart.files.find((f) => f.name === 'link');
      const hard = chart.files.find((f) => f.name === 'hard');
      assert.equal(link?.data.length, 0);
      assert.equal(hard?.data.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('size caps', () => {
  test('a gzip bomb stops at the cap, before memory fills', () => {
    // 1 GiB of zeros compresses to about 1 MiB; the cap is 100 MiB (Helm's), here lowered to 1 MiB.
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const tar = makeTar([
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil/big', data: zeros },
    ]);
    const { dir, file } = archiveCase([]);
    writeFileSync(file, gzipSync(tar));
    try {
      assert.equal(
        ourCause(file, { maxChartBytes: 1024 * 1024, maxFileBytes: 512 * 1024 }),
        'decompressed chart is larger than the maximum size 1048576',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one file over the per-file cap (helm: 5 MiB)', { skip: helm.skip }, () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x61);
    const { dir, file } = archiveCase([
      { name: 'evil/Chart.yaml', data: CHART_YAML },
      { name: 'evil/big.txt', data: big },
    ]);
    try {
      const r = runHelm(helm.path, ['template', 'x', file], dir);
      assert.notEqual(r.status, 0);
      assert.equal(ourError(file), helmError(r.stderr));
      assert.equal(
        ourCause(file),
        'decompressed chart file "evil/big.txt" is larger than the maximum file size 5242880',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a header that claims more data than the archive holds', () => {
    const tar = makeTar([{ name: 'evil/Chart.yaml', data: CHART_YAML, size: 4096 }]).subarray(0, 1024);
    const { dir, file } = archiveCase([]);
    writeFileSync(file, gzipSync(tar));
    try {
      assert.equal(ourCause(file), 'archive/tar: unexpected EOF');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('subcharts nested deeper than the cap', () => {
    let tar = makeTar([{ name: 'c/Chart.yaml', data: 'apiVersion: v2\nname: c\nversion: 1.0.0\n' }]);
    for (let i = 0; i < 5; i++) {
      tar = makeTar([
        { name: 'c/Chart.yaml', data: 'apiVersion: v2\nname: c\nversion: 1.0.0\n' },
        { name: 'c/charts/c.tgz', data: gzipSync(tar) },
      ]);
    }
    const { dir, file } = archiveCase([]);
    writeFileSync(file, gzipSync(tar));
    try {
      assert.match(ourError(file, { maxDepth: 3 }), /chart nesting is deeper than 3 subchart levels/);
      assert.equal(ourError(file), '(loaded)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('chart folders', () => {
  test('a symbolic link out of the chart folder is refused', () => {
    const dir = writeTree({ 'chart/Chart.yaml': CHART_YAML, 'outside/secret': 'top secret' });
    try {
      symlinkSync(join(dir, 'outside', 'secret'), join(dir, 'chart', 'stolen'));
      assert.match(ourError(join(dir, 'chart')), /^chart file stolen is a symbolic link to .*outside the chart folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a symbolic link inside the chart folder is followed (as helm)', () => {
    const dir = writeTree({ 'chart/Chart.yaml': CHART_YAML, 'chart/real/a.txt': 'A' });
    try {
      symlinkSync(join(dir, 'chart', 'real'), join(dir, 'chart', 'alias'));
      const c = loadChart(join(dir, 'chart'));
      assert.deepEqual(c.files.map((f) => f.name).sort(), ['alias/a.txt', 'real/a.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a symbolic link loop is refused', () => {
    const dir = writeTree({ 'chart/Chart.yaml': CHART_YAML });
    try {
      mkdirSync(join(dir, 'chart', 'd'));
      symlinkSync(join(dir, 'chart'), join(dir, 'chart', 'd', 'up'));
      assert.match(ourError(join(dir, 'chart')), /symbolic link loop/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('template execution caps', () => {
  test('a template that runs too long stops at the render deadline', () => {
    const dir = writeTree({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/a.yaml': '{{ range until 1000000 }}{{ range until 1000 }}{{ end }}{{ end }}\n',
    });
    try {
      assert.throws(
        () => helmTemplate({ args: ['x', join(dir, 'chart')], render: { timeoutMs: 200 } }, defaultTemplateEngine()),
        (e: unknown) => e instanceof InputError && /execution deadline exceeded/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a runaway template stops at the render step budget with the same message every time', () => {
    const dir = writeTree({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/a.yaml': '{{ range until 1000000 }}{{ range until 1000 }}{{ end }}{{ end }}\n',
    });
    const message = (): string => {
      try {
        helmTemplate({ args: ['x', join(dir, 'chart')], render: { maxSteps: 200_000 } }, defaultTemplateEngine());
      } catch (e) {
        return e instanceof InputError ? e.message : `not an InputError: ${String(e)}`;
      }
      return 'rendered';
    };
    try {
      const first = message();
      assert.match(first, /execution exceeded 200000 steps \(a resource limit\)/);
      assert.equal(message(), first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a render paused for hours (wall time, no CPU time) is not stopped by the time backstop', () => {
    const dir = writeTree({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/a.yaml': '{{ range until 300 }}{{ range until 300 }}{{ end }}{{ end }}done: true\n',
    });
    let wall = 0;
    const paused = { wallMs: () => (wall += 3_600_000), cpuMs: () => 0 };
    try {
      const out = helmTemplate(
        { args: ['x', join(dir, 'chart')], render: { timeoutMs: 1, clock: paused } },
        defaultTemplateEngine(),
      );
      assert.match(out, /done: true/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('output larger than the cap is refused', () => {
    const dir = writeTree({
      'chart/Chart.yaml': CHART_YAML,
      'chart/templates/a.yaml': '{{ range until 20000 }}{{ repeat 100 "x" }}{{ end }}\n',
    });
    try {
      assert.throws(
        () =>
          helmTemplate(
            { args: ['x', join(dir, 'chart')], render: { limits: { maxOutputBytes: 1000 } } },
            defaultTemplateEngine(),
          ),
        (e: unknown) => e instanceof InputError && /evil\/templates\/a.yaml/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('.Files never reads outside the chart (names are map keys, not paths)', () => {
    const dir = writeTree({
      'chart/Chart.yaml': CHART_YAML,
      'secret.txt': 'top secret',
      'chart/templates/a.yaml':
        'a: {{ .Files.Get "../secret.txt" | quote }}\nb: {{ .Files.Get "/etc/hostname" | quote }}\n' +
        'c: {{ (.Files.Glob "**").AsConfig | quote }}\n',
    });
    try {
      const out = helmTemplate({ args: ['x', join(dir, 'chart')] }, defaultTemplateEngine());
      assert.match(out, /a: ""\nb: ""\nc: "\{\}"\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
