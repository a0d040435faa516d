/**
 * SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif): tool.driver.rules
 * with ids, descriptions and help; one result per finding with a physical location
 * (artifactLocation.uri relative to the repository root, region.startLine).
 */
import type { Severity } from '../checks/types.js';
import { camelName, type CheckRun } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function formatSarif(run: CheckRun): string {
  const rules = [...run.rules];
  // Findings from rules outside the list (e.g. a crashed rule) still need a descriptor.
  // A repository policy's rule (`policy:<policy>/<rule>`) gets one of its own, under the admission rule's category.
  for (const f of run.findings) {
    if (rules.some((r) => r.id === f.rule)) continue;
    const policy = /^policy:([^/]+)\/(.*)$/.exec(f.rule);
    rules.push(
      policy
        ? {
            id: f.rule,
            severity: f.severity,
            category: 'policy',
            doc: `Repository admission policy ${policy[1]}, rule ${policy[2]}.`,
            hint: 'Change the object so that the policy admits it.',
            scope: 'cluster',
            check: () => {},
          }
        : {
            id: f.rule,
            severity: f.severity,
            category: 'schema',
            doc: f.rule,
            hint: '',
            scope: 'repo',
            check: () => {},
          },
    );
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const doc = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aksfleet',
            semanticVersion: run.toolVersion,
            informationUri: 'https://aksfleet.dev',
            rules: rules.map((r) => ({
              id: r.id,
              name: camelName(r.id).replace(/^./, (c) => c.toUpperCase()),
              shortDescription: { text: r.doc },
              fullDescription: { text: r.doc },
              help: { text: `${r.doc}\nFix: ${r.hint}`, markdown: `${r.doc}\n\n**Fix:** ${r.hint}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, tags: ['aksfleet', r.category] },
            })),
          },
        },
        automationDetails: { id: 'aksfleet/check/' },
        columnKind: 'utf16CodeUnits',
        results: run.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule)!,
          level: LEVEL[f.severity],
          message: {
            text: `${f.message}${f.resource ? ` [${f.resource}]` : ''}${f.cluster ? ` (cluster ${f.cluster})` : ''}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(f.file ?? '.aksfleet.yaml'),
                region: { startLine: f.line ?? 1 },
              },
              ...(f.resource ? { logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }] } : {}),
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i + 1,
                  physicalLocation: { artifactLocation: artifact(r.file), region: { startLine: r.line ?? 1 } },
                  message: { text: r.message },
                  ...(r.resource ? { logicalLocations: [{ fullyQualifiedName: r.resource, kind: 'resource' }] } : {}),
                })),
              }
            : {}),
          partialFingerprints: {
            'aksfleet/v1': fingerprint(`${f.rule}|${f.cluster ?? ''}|${f.resource ?? ''}|${f.message}`),
          },
          properties: { cluster: f.cluster ?? null },
        })),
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** A repository file relative to %SRCROOT%; a file outside it (an absolute `--policies` path) as a file: URI. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('/')) return { uri: `file://${encodeUri(file)}` };
  return { uri: encodeUri(file), uriBaseId: '%SRCROOT%' };
}

function encodeUri(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** FNV-1a 64-bit, hex: a stable fingerprint so code scanning tracks a finding across commits. */
function fingerprint(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
