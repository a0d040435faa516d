/**
 * Key/value sources of configMapGenerator/secretGenerator (kustomize api/kv): `envs` files,
 * then `literals`, then `files`. A repeated key is an error.
 */
import { InputError } from '../../errors.js';
import type { GeneratorArgs } from '../kustomization.js';
import type { Loader } from '../loader.js';

export interface KvPair {
  readonly key: string;
  /** The value as bytes (files may be binary). */
  readonly bytes: Uint8Array;
}

const enc = new TextEncoder();

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  if (s[0] === '"' || s[0] === "'") return s.slice(1, -1);
  return s;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function envPairs(text: string, file: string): KvPair[] {
  const out: KvPair[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    line = line.replace(/^\s+/u, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    if (!ENV_NAME.test(key)) {
      throw new InputError(
        `'${key}' is not a valid environment variable name (a C ` +
          `identifier-like name of letters, digits, '-', '_' or '.')`,
        {
          pos: { file, line: i + 1 },
        },
      );
    }
    out.push({ key, bytes: enc.encode(value) });
  });
  return out;
}

export function parseFileSource(source: string): [string, string] {
  const n = source.split('=').length - 1;
  if (n === 0) return [source.slice(source.lastIndexOf('/') + 1), source];
  if (n === 1 && source.startsWith('='))
    throw new InputError(`missing key name for file path "${source.slice(1)}" in source "${source}"`);
  if (n === 1 && source.endsWith('='))
    throw new InputError(`missing file path for key name "${source.slice(0, -1)}" in source "${source}"`);
  if (n > 1) throw new InputError(`source "${source}" key name or file path contains '='`);
  const [k, p] = source.split('=');
  return [k!, p!];
}

/** All pairs of a generator entry, validated; `where` names the entry for messages. */
export function loadPairs(args: GeneratorArgs, loader: Loader, where: string): KvPair[] {
  const all: KvPair[] = [];
  for (const e of args.envs ?? []) {
    const { rel, bytes } = loader.loadBytes(e, `${where}.envs`);
    if (!isValidUtf8(bytes)) throw new InputError('env file has invalid UTF-8 bytes', { pos: { file: rel } });
    all.push(...envPairs(new TextDecoder().decode(bytes), rel));
  }
  for (const lit of args.literals ?? []) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new InputError(`${where}.literals: invalid literal source ${lit}, expected key=value`);
    all.push({ key: lit.slice(0, eq), bytes: enc.encode(removeQuotes(lit.slice(eq + 1))) });
  }
  for (const f of args.files ?? []) {
    let key: string, path: string;
    try {
      [key, path] = parseFileSource(f);
    } catch (e) {
      throw new InputError(`${where}.files: ${(e as Error).message}`);
    }
    const { bytes } = loader.loadBytes(path, `${where}.files`);
    all.push({ key, bytes });
  }
  const seen = new Set<string>();
  for (const p of all) {
    if (!CONFIG_KEY.test(p.key) || p.key.length > 253) {
      throw new InputError(
        `${where}: "${p.key}" is not a valid key name: ` +
          `a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      );
    }
    if (seen.has(p.key))
      throw new InputError(`${where}: configmap ${args.name ?? ''} illegally repeats the key \`${p.key}\``);
    seen.add(p.key);
  }
  return all;
}

/** base64 in 70-character lines, each ending in a newline, when longer than one line (kyaml encodeBase64). */
export function encodeBase64(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = Math.floor(b64.length / 70) + 1;
  if (lines <= 1) return b64;
  let out = '';
  for (let i = 0; i < b64.length; i += 70) out += b64.slice(i, i + 70) + '\n';
  return out;
}
