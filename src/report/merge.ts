/**
 * `aksfleet report merge`: the JSON parts of `check --shard I/N --format json` back into the one
 * run an unsharded `check` gives (same findings in the same order, same clusters, same rules), so
 * that any format rendered from it is byte for byte the unsharded report (src/checks/shard.ts).
 * Parts from different runs (another N, another aksfleet, another rule set or --fail-on) or a
 * missing or repeated shard are refused: a merged report must never silently lack a share.
 */
import { InputError } from '../errors.js';
import { sortFindings } from '../checks/run.js';
import { rules as allRules } from '../checks/registry.js';
import { SEVERITIES, type Finding, type RelatedLocation, type Severity } from '../checks/types.js';
import type { CheckRun } from './types.js';

export interface ShardPart {
  /** Where the part was read from (for errors). */
  readonly file: string;
  readonly text: string;
}

interface PartDoc {
  tool: { name: string; version: string };
  failOn: Severity;
  clusters: { name: string; path: string; objects: number }[];
  findings: {
    rule: string;
    severity: Severity;
    cluster: string | null;
    clusters?: string[];
    resource: string | null;
    file: string | null;
    line: number | null;
    message: string;
    hint: string | null;
    related?: { file: string; line: number | null; message: string; resource: string | null }[];
  }[];
  shard: { index: number; of: number; clusterOrder: number[]; rules: string[] };
}

function fail(file: string, message: string, fieldPath?: string): never {
  throw new InputError(message, { pos: { file }, ...(fieldPath ? { fieldPath } : {}) });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One part, checked for the shape `check --shard --format json` writes. */
export function parsePart(part: ShardPart): PartDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(part.text);
  } catch (e) {
    fail(part.file, `not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc) || !isObject(doc.tool) || doc.tool.name !== 'aksfleet')
    fail(part.file, 'not the JSON report of aksfleet check (--format json)');
  if (!isObject(doc.shard)) fail(part.file, 'not a shard: run each part with check --shard I/N --format json', 'shard');
  const s = doc.shard;
  if (
    !Number.isInteger(s.index) ||
    !Number.isInteger(s.of) ||
    (s.index as number) < 1 ||
    (s.index as number) > (s.of as number)
  )
    fail(part.file, 'shard.index and shard.of must be whole numbers with 1 <= index <= of', 'shard');
  if (
    !Array.isArray(doc.clusters) ||
    !Array.isArray(s.clusterOrder) ||
    s.clusterOrder.length !== doc.clusters.length ||
    !s.clusterOrder.every((n) => Number.isInteger(n))
  )
    fail(part.file, 'shard.clusterOrder must give one whole number per cluster', 'shard.clusterOrder');
  if (!Array.isArray(s.rules) || !s.rules.every((r) => typeof r === 'string'))
    fail(part.file, 'shard.rules must list rule ids', 'shard.rules');
  if (!(SEVERITIES as readonly unknown[]).includes(doc.failOn))
    fail(part.file, `failOn must be one of ${SEVERITIES.join(', ')}`, 'failOn');
  if (!Array.isArray(doc.findings)) fail(part.file, 'findings must be a list', 'findings');
  doc.findings.forEach((f, i) => {
    if (
      !isObject(f) ||
      typeof f.rule !== 'string' ||
      typeof f.message !== 'string' ||
      !(SEVERITIES as readonly unknown[]).includes(f.severity)
    )
      fail(part.file, 'a finding needs rule, severity and message', `findings[${i}]`);
  });
  return doc as unknown as PartDoc;
}

function finding(f: PartDoc['findings'][number]): Finding {
  const related: RelatedLocation[] | undefined = f.related?.map((r) => ({
    file: r.file,
    ...(r.line !== null ? { line: r.line } : {}),
    message: r.message,
    ...(r.resource !== null ? { resource: r.resource } : {}),
  }));
  return {
    rule: f.rule,
    severity: f.severity,
    ...(f.resource !== null ? { resource: f.resource } : {}),
    ...(f.file !== null ? { file: f.file } : {}),
    ...(f.line !== null ? { line: f.line } : {}),
    message: f.message,
    ...(f.hint !== null ? { hint: f.hint } : {}),
    ...(f.cluster !== null ? { cluster: f.cluster } : {}),
    ...(Array.isArray(f.clusters) ? { clusters: f.clusters } : {}),
    ...(related ? { related } : {}),
  };
}

/** The unsharded run from all N parts (any order); `failOn` overrides the parts' own. */
export function mergeShardParts(parts: readonly ShardPart[], opts: { failOn?: Severity } = {}): CheckRun {
  if (parts.length === 0) throw new InputError('report merge needs the JSON parts of check --shard I/N --format json');
  const docs = parts.map((p) => ({ file: p.file, doc: parsePart(p) }));
  const [first, ...rest] = docs;
  const f0 = first!.doc;
  for (const { file, doc } of rest) {
    if (doc.shard.of !== f0.shard.of)
      fail(file, `a part of ${doc.shard.of} shards among parts of ${f0.shard.of} (${first!.file})`, 'shard.of');
    if (doc.tool.version !== f0.tool.version)
      fail(
        file,
        `made by aksfleet ${doc.tool.version}, ` +
          `${first!.file} by ${f0.tool.version}: run every shard with the same version`,
        'tool.version',
      );
    if (doc.failOn !== f0.failOn)
      fail(
        file,
        `--fail-on ${doc.failOn}, ${first!.file} has ${f0.failOn}: run every shard with the same options`,
        'failOn',
      );
    if (doc.shard.rules.join(',') !== f0.shard.rules.join(','))
      fail(
        file,
        `other rules ran than in ${first!.file}: run every shard on the same commit with the same options`,
        'shard.rules',
      );
  }
  const byIndex = new Map<number, { file: string; doc: PartDoc }>();
  for (const d of docs) {
    const seen = byIndex.get(d.doc.shard.index);
    if (seen)
      fail(d.file, `shard ${d.doc.shard.index}/${d.doc.shard.of} given twice (also ${seen.file})`, 'shard.index');
    byIndex.set(d.doc.shard.index, d);
  }
  const missing = Array.from({ length: f0.shard.of }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new InputError(
      `missing shard(s) ${missing.map((i) => `${i}/${f0.shard.of}`).join(', ')}: ` +
        `a merged report would lack their clusters`,
    );
  const known = new Map(allRules.map((r) => [r.id, r]));
  const ruleList = f0.shard.rules.map(
    (id) =>
      known.get(id) ??
      fail(
        first!.file,
        `rule '${id}' is not one of this aksfleet's rules (made by aksfleet ${f0.tool.version})`,
        'shard.rules',
      ),
  );
  const ordered = [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i)!.doc);
  const clusters = ordered
    .flatMap((d) => d.clusters.map((c, pos) => ({ c, order: d.shard.clusterOrder[pos]!, pos })))
    .sort((a, b) => a.order - b.order || a.pos - b.pos)
    .map(({ c }) => ({ name: c.name, path: c.path, objects: c.objects }));
  return {
    findings: sortFindings(ordered.flatMap((d) => d.findings.map(finding))),
    clusters,
    rules: ruleList,
    failOn: opts.failOn ?? f0.failOn,
    toolVersion: f0.tool.version,
  };
}
