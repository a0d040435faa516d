/**
 * Rendering a fleet diff: text (terminal), markdown (a pull-request comment, size-capped) and JSON.
 */
import { toYaml } from '../yaml/emit.js';
import type { FieldChange, ObjectSetDiff } from './object-diff.js';
import { isEmptyDiff } from './object-diff.js';
import { isMultiLine, unifiedHunks } from './line-diff.js';
import { formatUnfollowed, type Unfollowed } from '../flux/source/unfollowed.js';

export interface ClusterDiff {
  readonly cluster: string;
  readonly path: string;
  /** Undefined when the cluster's inputs did not change (it was not rebuilt). */
  readonly diff?: ObjectSetDiff;
  /** Build errors on either side (the diff is then incomplete). */
  readonly errors: readonly string[];
  /** True when this cluster's inputs were identical on both sides (skipped rebuild). */
  readonly unchangedInputs: boolean;
  /**
   * Parts of the cluster not rendered on either side (another repository's source, ...): the
   * diff says nothing about their objects, so "no changes" is not claimed for them.
   */
  readonly unfollowed: readonly Unfollowed[];
  /**
   * What changes on other clusters this one applies to with spec.kubeConfig (remote
   * Kustomizations, HelmReleases installing elsewhere), per `namespace/secret` of the kubeConfig:
   * shown apart, never counted in `diff`.
   */
  readonly remote?: readonly RemoteDiff[];
}

/** The changes of the objects another cluster gets from this one (through `kubeConfig` `target`). */
export interface RemoteDiff {
  readonly target: string;
  readonly diff: ObjectSetDiff;
}

export interface FleetDiff {
  readonly base: string;
  readonly head: string;
  readonly clusters: readonly ClusterDiff[];
}

/** Whether anything changes: on a cluster, or on another cluster one of them applies to (kubeConfig). */
export function hasDifferences(d: FleetDiff): boolean {
  return d.clusters.some(
    (c) => (c.diff !== undefined && !isEmptyDiff(c.diff)) || (c.remote ?? []).some((r) => !isEmptyDiff(r.diff)),
  );
}

/** The heading of the objects a cluster applies to another one. */
function remoteTitle(c: ClusterDiff, r: RemoteDiff): string {
  return `objects cluster ${c.cluster} applies to another cluster (kubeConfig ${r.target}), not counted above`;
}

/** Whether some cluster has parts that were not rendered (the diff is incomplete there). */
export function hasUnfollowed(d: FleetDiff): boolean {
  return d.clusters.some((c) => c.unfollowed.length > 0);
}

/** The note for a cluster with unfollowed parts. */
function notFollowedCount(c: ClusterDiff): string {
  const n = new Map<string, number>();
  for (const u of c.unfollowed) n.set(u.kind, (n.get(u.kind) ?? 0) + 1);
  return `${[...n].map(([k, m]) => `${m} ${k}${m > 1 ? 's' : ''}`).join(' and ')} not followed`;
}

function short(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/**
 * One change as text lines: `+`/`-`/`~ path: value`; a multi-line string field as unified hunks
 * inside the field (line-diff.ts), never the whole old and new text cut short.
 */
function changeLines(c: FieldChange): string[] {
  switch (c.op) {
    case 'add':
      return [`+ ${c.path}: ${short(c.to)}`];
    case 'remove':
      return [`- ${c.path}: ${short(c.from)}`];
    default:
      if (isMultiLine(c.from, c.to))
        return [`~ ${c.path}:`, ...unifiedHunks(c.from, c.to as string).map((l) => `    ${l}`)];
      return [`~ ${c.path}: ${short(c.from)} -> ${short(c.to)}`];
  }
}

function counts(d: ObjectSetDiff): string {
  return `${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed`;
}

export function renderText(fd: FleetDiff, color = false): string {
  const g = (s: string) => (color ? `\x1b[32m${s}\x1b[0m` : s);
  const r = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const y = (s: string) => (color ? `\x1b[33m${s}\x1b[0m` : s);
  /** A diff's dangers, images and objects, indented by `pad`. */
  const body = (d: ObjectSetDiff, pad: string): string[] => {
    const out: string[] = [];
    if (d.dangers.length) {
      out.push(`${pad}${r('danger:')}`);
      for (const x of d.dangers) out.push(`${pad}  ${r('!')} ${x.id}: ${x.reason}`);
    }
    if (d.images.length) {
      out.push(`${pad}images:`);
      for (const i of d.images)
        out.push(`${pad}  ${i.id} [${i.container}]: ${i.from ?? '(new)'} -> ${i.to ?? '(removed)'}`);
    }
    for (const a of d.added) out.push(g(`${pad}+ ${a.id}`));
    for (const a of d.removed) out.push(r(`${pad}- ${a.id}`));
    for (const ch of d.changed) {
      out.push(y(`${pad}~ ${ch.id}`));
      for (const f of ch.changes) for (const l of changeLines(f)) out.push(`${pad}    ${l}`);
    }
    return out;
  };
  const out: string[] = [`diff ${fd.base} -> ${fd.head}`];
  for (const c of fd.clusters) {
    out.push('');
    if (c.errors.length) {
      out.push(`cluster ${c.cluster} (${c.path}): ERROR`);
      for (const e of c.errors) out.push(`  ${r(e)}`);
      continue;
    }
    const notFollowed = c.unfollowed.length ? formatUnfollowed(c.unfollowed).map((l) => `  ${y('!')} ${l}`) : [];
    if (!c.diff || isEmptyDiff(c.diff)) {
      // Never "no changes" for what was not rendered: say what the diff could not see.
      if (notFollowed.length) {
        out.push(
          `cluster ${c.cluster} (${c.path}): INCOMPLETE: no changes in what was ` +
            `rendered${c.unchangedInputs ? ' (inputs unchanged)' : ''}; ${notFollowedCount(c)}, their changes ` +
            `are not shown`,
        );
        out.push(...notFollowed);
      } else {
        out.push(`cluster ${c.cluster} (${c.path}): no changes${c.unchangedInputs ? ' (inputs unchanged)' : ''}`);
      }
    } else {
      out.push(
        `cluster ${c.cluster} (${c.path}): ${counts(c.diff)}` +
          `${notFollowed.length ? `; INCOMPLETE: ${notFollowedCount(c)}` : ''}`,
      );
      out.push(...notFollowed);
      out.push(...body(c.diff, '  '));
    }
    for (const x of c.remote ?? []) {
      out.push(`  ${remoteTitle(c, x)}: ${isEmptyDiff(x.diff) ? 'no changes' : counts(x.diff)}`);
      out.push(...body(x.diff, '    '));
    }
  }
  return out.join('\n') + '\n';
}

/** One diff's section of the pull-request comment. */
function markdownBody(title: string, d: ObjectSetDiff): string[] {
  const body: string[] = [`#### ${title}: ${counts(d)}`, ''];
  if (d.dangers.length) body.push('**Danger**', '', ...d.dangers.map((x) => `- ⚠️ \`${x.id}\`: ${x.reason}`), '');
  if (d.images.length)
    body.push(
      '**Images**',
      '',
      ...d.images.map((i) => `- \`${i.id}\` \`${i.container}\`: \`${i.from ?? '(new)'}\` → \`${i.to ?? '(removed)'}\``),
      '',
    );
  const lines: string[] = [];
  for (const a of d.added) lines.push(`+ ${a.id}`);
  for (const a of d.removed) lines.push(`- ${a.id}`);
  for (const ch of d.changed) {
    lines.push(`~ ${ch.id}`);
    for (const f of ch.changes) for (const l of changeLines(f)) lines.push(`    ${l}`);
  }
  body.push('<details><summary>Changes</summary>', '', '```diff', ...lines, '```', '', '</details>', '');
  if (d.added.length) {
    body.push(
      '<details><summary>Added objects</summary>',
      '',
      '```yaml',
      d.added
        .map((a) => toYaml(a.object))
        .join('---\n')
        .trimEnd(),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return body;
}

/** A pull-request comment. Output longer than `maxBytes` is cut with a note saying so. */
export function renderMarkdown(fd: FleetDiff, maxBytes = 60000): string {
  const head: string[] = [`### aksfleet diff: \`${fd.base}\` → \`${fd.head}\``, ''];
  const rows = ['| cluster | path | added | changed | removed | dangers |', '|---|---|---:|---:|---:|---:|'];
  for (const c of fd.clusters) {
    if (c.errors.length) rows.push(`| ${c.cluster} | \`${c.path}\` | ⚠️ build error | | | |`);
    else if (c.unfollowed.length && (!c.diff || isEmptyDiff(c.diff)))
      rows.push(`| ${c.cluster} | \`${c.path}\` | ⚠️ incomplete: ${notFollowedCount(c)} | | | |`);
    else if (!c.diff) rows.push(`| ${c.cluster} | \`${c.path}\` | 0 | 0 | 0 | 0 |`);
    else
      rows.push(
        `| ${c.cluster} | \`${c.path}\` | ${c.diff.added.length} | ${c.diff.changed.length} | ` +
          `${c.diff.removed.length} | ${c.diff.dangers.length} |`,
      );
    if (c.errors.length) continue;
    // Another cluster's objects: a row of their own, named after the kubeConfig they go through.
    for (const x of c.remote ?? [])
      rows.push(
        `| ${c.cluster} → kubeConfig \`${x.target}\` | \`${c.path}\` | ${x.diff.added.length} | ` +
          `${x.diff.changed.length} | ${x.diff.removed.length} | ${x.diff.dangers.length} |`,
      );
  }
  const body: string[] = [];
  for (const c of fd.clusters) {
    if (c.errors.length) {
      body.push(`#### ${c.cluster}: build error`, '', ...c.errors.map((e) => `- ${e.replace(/\n/g, ' ')}`), '');
      continue;
    }
    if (c.unfollowed.length) {
      body.push(
        `#### ${c.cluster}: incomplete, ${notFollowedCount(c)}`,
        '',
        ...formatUnfollowed(c.unfollowed).map((l) => `- ${l}`),
        '',
      );
    }
    if (c.diff && !isEmptyDiff(c.diff)) body.push(...markdownBody(`${c.cluster} (\`${c.path}\`)`, c.diff));
    for (const x of c.remote ?? [])
      if (!isEmptyDiff(x.diff))
        body.push(
          ...markdownBody(
            `${c.cluster} → another cluster (kubeConfig \`${x.target}\`), not counted in ${c.cluster}`,
            x.diff,
          ),
        );
  }
  let text = [...head, ...rows, '', ...body].join('\n');
  if (Buffer.byteLength(text) > maxBytes) {
    const note =
      `\n\n_Output truncated at ${maxBytes} bytes; run \`aksfleet diff --base ${fd.base}\` locally for the ` +
      `whole diff._\n`;
    text = Buffer.from(text)
      .subarray(0, maxBytes - Buffer.byteLength(note))
      .toString('utf8')
      .replace(/\uFFFD$/, '');
    // Close an open code fence so the comment still renders.
    if ((text.match(/```/g) ?? []).length % 2 === 1) text += '\n```';
    text += note;
  }
  return text.endsWith('\n') ? text : text + '\n';
}

export function renderJson(fd: FleetDiff): string {
  return JSON.stringify(fd, null, 2) + '\n';
}
