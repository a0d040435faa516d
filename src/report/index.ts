/** Finding formatters, by `--format` name. */
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { CheckRun } from './types.js';
import { maskStrings } from '../resources/mask.js';

export type { CheckRun } from './types.js';
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** The run in `format`; URL userinfo in any finding's text is masked (src/resources/mask.ts). */
export function formatRun(given: CheckRun, format: Format, opts: { color: boolean } = { color: false }): string {
  const run: CheckRun = { ...given, findings: maskStrings(given.findings) as CheckRun['findings'] };
  switch (format) {
    case 'text':
      return formatText(run, opts);
    case 'json':
      return formatJson(run);
    case 'sarif':
      return formatSarif(run);
    case 'junit':
      return formatJunit(run);
    case 'markdown':
      return formatMarkdown(run);
  }
}
