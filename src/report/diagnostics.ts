/**
 * Diagnostics (src/diagnostic.ts: what a session noticed, input errors, anything with a code and
 * a place) in each output format: one function per format, over the one Diagnostic shape.
 * Text and Markdown are lines for people; JSON is data with a stable key order (null for what is
 * absent); SARIF is a tool execution notification (`invocations[].toolExecutionNotifications`),
 * the place SARIF gives what a run noticed that is not a result.
 */
import { formatLocation, type Diagnostic, type SourceLocation } from '../diagnostic.js';

/** `severity: file:line:col: field.path: message [code]`, then `  related: ...` and `  hint: ...` lines. */
export function diagnosticText(d: Diagnostic): string {
  const at = formatLocation(d.location);
  const lines = [`${d.severity}: ${at ? `${at}: ` : ''}${d.message} [${d.code}]`];
  for (const r of d.related ?? []) lines.push(`  related: ${formatLocation(r)}: ${r.message}`);
  if (d.hint !== undefined) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** One Markdown list item: severity in bold, the place as code, the code last. */
export function diagnosticMarkdown(d: Diagnostic): string {
  const at = formatLocation(d.location);
  const lines = [`- **${d.severity}** ${at ? `\`${at}\` ` : ''}${d.message} (\`${d.code}\`)`];
  for (const r of d.related ?? []) lines.push(`  - related: \`${formatLocation(r)}\` ${r.message}`);
  if (d.hint !== undefined) lines.push(`  - hint: ${d.hint}`);
  return lines.join('\n');
}

const place = (l: SourceLocation | undefined) => ({
  file: l?.file || null,
  line: l?.line ?? null,
  column: l?.column ?? null,
  fieldPath: l?.fieldPath ?? null,
});

/** JSON data, keys always in this order. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    location: d.location ? place(d.location) : null,
    related: (d.related ?? []).map((r) => ({ ...place(r), message: r.message, resource: r.resource ?? null })),
    hint: d.hint ?? null,
  };
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A SARIF 2.1.0 `notification` (for `invocations[].toolExecutionNotifications`). */
export function diagnosticSarif(d: Diagnostic): Record<string, unknown> {
  const l = d.location;
  return {
    descriptor: { id: d.code },
    level: LEVEL[d.severity],
    message: { text: `${l?.fieldPath ? `${l.fieldPath}: ` : ''}${d.message}${d.hint ? ` (${d.hint})` : ''}` },
    ...(l?.file
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: l.file.split('/').map(encodeURIComponent).join('/') },
                ...(l.line !== undefined
                  ? { region: { startLine: l.line, ...(l.column !== undefined ? { startColumn: l.column } : {}) } }
                  : {}),
              },
            },
          ],
        }
      : {}),
  };
}
