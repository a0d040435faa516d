/** docs/rules.md and `--list-rules`, generated from the registry (a test keeps the page current). */
import { CATEGORY_TITLES, rules } from './registry.js';
import { CONFIG_FILE } from './config.js';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION } from './suppress.js';
import type { Rule } from './types.js';

export function rulesMarkdown(list: readonly Rule[] = rules): string {
  const out: string[] = [
    '<!-- Generated from src/checks/registry.ts by `node test/check/gen-rules-doc.mjs`; do not edit. -->',
    '# `aksfleet check` rules',
    '',
    `${list.length} rules. Each finding names the rule, the object (\`Kind/namespace/name\`), the file and line it came from, and a hint.`,
    '',
    `Configure in \`${CONFIG_FILE}\` at the repository root (\`rules: { <id>: error|warning|info|off }\`, \`allowedRegistries\`, \`systemNamespaces\`),`,
    `or suppress a rule for one object with the annotation \`${IGNORE_ANNOTATION}: <rule-id>[,<rule-id>]\` and a reason in \`${IGNORE_REASON_ANNOTATION}\`.`,
    '',
  ];
  for (const cat of Object.keys(CATEGORY_TITLES) as Rule['category'][]) {
    const rs = list.filter((r) => r.category === cat);
    if (!rs.length) continue;
    out.push(`## ${CATEGORY_TITLES[cat]}`, '', '| rule | severity | scope | requires | fix |', '| --- | --- | --- | --- | --- |');
    for (const r of rs) out.push(`| \`${r.id}\` | ${r.severity} | ${r.scope} | ${r.doc.replace(/\|/g, '\\|')} | ${r.hint.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}

export function rulesList(list: readonly Rule[] = rules): string {
  const w = Math.max(...list.map((r) => r.id.length));
  return `${list.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.doc}`).join('\n')}\n`;
}
