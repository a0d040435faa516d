/** File reading for the day-2 commands: clear errors naming the file, nothing else. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';

export function readInputFile(cwd: string, path: string, what: string): string {
  const abs = resolve(cwd, path);
  try {
    return readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${(e as Error).message}`,
      { pos: { file: path }, cause: e },
    );
  }
}

/** Today's date (UTC) as YYYY-MM-DD, or the --date flag checked. */
export function dateFlag(v: unknown, now: Date = new Date()): string {
  if (v === undefined) return now.toISOString().slice(0, 10);
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
    throw new InputError(`--date must be YYYY-MM-DD, got ${JSON.stringify(v)}`, { fieldPath: '--date' });
  return v;
}
