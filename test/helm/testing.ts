/**
 * Shared helpers of the Helm tests: running a real helm (an oracle) in clean homes, writing probe
 * charts into temp folders, and reading the probe lines back.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs helm with empty cache/config/data homes. */
export function runHelm(
  bin: string,
  args: readonly string[],
  cwd: string,
): { stdout: string; stderr: string; status: number } {
  const home = mkdtempSync(join(tmpdir(), 'helm-home-'));
  try {
    const r = spawnSync(bin, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_DATA_HOME: join(home, 'data'),
      },
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Helm's error line (`Error: ...` on stderr), without the prefix; log lines before it are dropped. */
export function helmError(stderr: string): string {
  const i = stderr.indexOf('Error: ');
  return i < 0 ? stderr.trim() : stderr.slice(i + 'Error: '.length).trim();
}

/** Writes a tree of files (relative path -> text or bytes) under a new temp folder; returns it. */
export function writeTree(files: Readonly<Record<string, string | Uint8Array>>, prefix = 'helm-probe-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, data] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  return root;
}

/** A probe template: one comment line per object, `# NAME: <toJson .X>`, which Helm's manifest parser ignores. */
export const PROBE_TEMPLATE = [
  '# values: {{ toJson .Values }}',
  '# chart: {{ toJson .Chart }}',
  '# files: {{ toJson .Files }}',
  '',
].join('\n');

/** The probe lines of helm's output: template path -> { values, chart, files } as parsed JSON. */
export function readProbes(stdout: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  let current: Record<string, unknown> | undefined;
  for (const line of stdout.split('\n')) {
    const src = /^# Source: (.*)$/.exec(line);
    if (src) {
      current = {};
      out.set(src[1]!, current);
      continue;
    }
    const m = /^# (values|chart|files): (.*)$/.exec(line);
    if (m && current) current[m[1]!] = JSON.parse(m[2]!);
  }
  return out;
}

/** One entry of a hand-made tar archive. */
export interface TarSpec {
  readonly name: string;
  readonly data?: string | Uint8Array;
  /** '0' file (default), '5' directory, '2' symlink, '1' hard link. */
  readonly type?: string;
  readonly linkName?: string;
  /** Header size when it should differ from the data (a lying header). */
  readonly size?: number;
}

function octalField(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, '0') + '\0';
}

/** A ustar archive of the entries (uncompressed). */
export function makeTar(entries: readonly TarSpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data ?? new Uint8Array(0));
    const h = Buffer.alloc(512);
    h.write(e.name.slice(0, 100), 0, 'utf8');
    h.write(octalField(0o644, 8), 100);
    h.write(octalField(0, 8), 108);
    h.write(octalField(0, 8), 116);
    h.write(octalField(e.size ?? data.length, 12), 124);
    h.write(octalField(0, 12), 136);
    h.write('        ', 148);
    h.write(e.type ?? '0', 156);
    if (e.linkName) h.write(e.linkName, 157);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(octalField(sum, 7) + ' ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
