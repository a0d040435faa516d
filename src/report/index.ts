/** Finding formatters, by `--format` name. */
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { CheckRun } from './types.js';

export type { CheckRun } from './types.js';
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function formatRun(run: CheckRun, format: Format, opts: { color: boolean } = { color: false }): string {
  switch (format) {
    case 'text': return formatText(run, opts);
    case 'json': return formatJson(run);
    case 'sarif': return formatSarif(run);
    case 'junit': return formatJunit(run);
    case 'markdown': return formatMarkdown(run);
  }
}
