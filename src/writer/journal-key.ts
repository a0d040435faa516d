/**
 * The key that signs write journals: 32 random bytes in the user's state folder
 * (`$XDG_STATE_HOME/aksfleet/journal.key`, default `~/.local/state/aksfleet/journal.key`;
 * `%LOCALAPPDATA%\aksfleet\journal.key` on Windows), created on first use with mode 0600.
 * It never lives in a repository, so a pull request cannot sign a journal.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from '../errors.js';

/** The state folder aksfleet keeps per-user secrets in. */
export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)) return path.join(env.XDG_STATE_HOME, 'aksfleet');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'aksfleet');
  return path.join(os.homedir(), '.local', 'state', 'aksfleet');
}

const KEY_HEX = /^[0-9a-f]{64}\n?$/;

/** Reads the journal key in `dir`, creating it (and `dir`) when missing. */
export function loadJournalKey(dir: string = userStateDir()): Uint8Array {
  const file = path.join(dir, 'journal.key');
  const fail = (e: unknown) =>
    new InputError(
      `cannot keep the write journal's key at ${file} ` +
        `(${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ` +
        `set XDG_STATE_HOME to a folder of yours that is writable`,
      {
        cause: e,
      },
    );
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(file)) {
      // Written whole under a private name, then linked: a concurrent run sees no key or all of it.
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
      try {
        fs.linkSync(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        fs.unlinkSync(tmp);
      }
    }
    const text = fs.readFileSync(file, 'utf8');
    if (!KEY_HEX.test(text))
      throw new InputError(`${file} is not an aksfleet journal key (64 hex digits); delete it and run again`);
    return Buffer.from(text.trim(), 'hex');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fail(e);
  }
}
