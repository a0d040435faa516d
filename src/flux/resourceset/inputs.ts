/**
 * The input sets a Flux Operator ResourceSet is rendered with, combined as the operator does
 * (flux-operator internal/inputs: combine.go, flattener.go, permuter.go, keys.go, id.go,
 * provider.go): the ResourceSet's own `spec.inputs` first, then each ResourceSetInputProvider of
 * `spec.inputsFrom` sorted by apiVersion/kind, namespace, name; each input set annotated with
 * its `provider`; `Flatten` (the default) concatenates, `Permute` takes the cartesian product
 * (at most 10000 sets), each scoped under the provider's normalised name, with an `id`.
 */

/** One input set: JSON values by key. */
export type InputSet = Record<string, unknown>;

/** Where input sets come from: the ResourceSet itself or one ResourceSetInputProvider. */
export interface InputProvider {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly inputs: readonly InputSet[];
}

export const MAX_PERMUTATIONS = 10000;

/** adler32 of a string's UTF-8 bytes, as decimal text (inputs.ID). */
export function inputId(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let a = 1;
  let b = 0;
  for (const x of bytes) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return String(((b << 16) | a) >>> 0);
}

/**
 * A provider name as a template key (NormalizeKeyForTemplate): lower case, spaces and
 * punctuation to `_`, other characters outside [a-z0-9] dropped, runs of `_` collapsed, trimmed.
 */
export function normalizeKey(key: string): string {
  let out = '';
  for (const ch of key) {
    const r = ch.toLowerCase();
    if (/^[\s\p{P}]$/u.test(r)) out += '_';
    else if (/^[a-z0-9]$/.test(r)) out += r;
  }
  return out
    .split('_')
    .filter((w) => w !== '')
    .join('_');
}

const providerKey = (p: InputProvider) => `${groupVersionKind(p)}\u0000${p.namespace}\u0000${p.name}`;

/** schema.GroupVersionKind.String(): `group/version, Kind=kind` (`/v1, Kind=X` for the core group). */
function groupVersionKind(p: InputProvider): string {
  const i = p.apiVersion.indexOf('/');
  const group = i < 0 ? '' : p.apiVersion.slice(0, i);
  const version = i < 0 ? p.apiVersion : p.apiVersion.slice(i + 1);
  return `${group}/${version}, Kind=${p.kind}`;
}

/** Each input set of a provider, with `provider` set (getFromProvider). */
function annotated(p: InputProvider): InputSet[] {
  return p.inputs.map((i) => ({
    ...i,
    provider: { apiVersion: p.apiVersion, kind: p.kind, name: p.name, namespace: p.namespace },
  }));
}

export interface CombineOptions {
  /** `spec.inputStrategy.name`: Flatten (default) or Permute. */
  readonly strategy?: string;
  /** `spec.inputStrategy.includeEmptyProviders` (Permute only). */
  readonly includeEmptyProviders?: boolean;
}

/**
 * The combined input sets (inputs.Combine): `self` is the ResourceSet, `providers` the input
 * providers it reads. Throws an Error with the operator's message on an unknown strategy or too
 * many permutations.
 */
export function combineInputs(
  self: InputProvider,
  providers: readonly InputProvider[],
  opts: CombineOptions = {},
): InputSet[] {
  const sorted = [...providers].sort((a, b) =>
    providerKey(a) < providerKey(b) ? -1 : providerKey(a) > providerKey(b) ? 1 : 0,
  );
  const all = [self, ...sorted];
  const strategy = opts.strategy === undefined || opts.strategy === '' ? 'Flatten' : opts.strategy;
  if (strategy === 'Flatten') return all.flatMap(annotated);
  if (strategy !== 'Permute') throw new Error(`unknown input strategy: '${strategy}'`);
  const includeEmpty = opts.includeEmptyProviders === true;
  const scoped: { name: string; sets: InputSet[] }[] = [];
  let expected = 0;
  for (const p of all) {
    const sets = annotated(p);
    if (!includeEmpty && sets.length === 0) continue;
    expected = scoped.length === 0 ? sets.length : expected * sets.length;
    const where = `failed to get inputs from ${p.kind}/${p.name}`;
    if (expected > MAX_PERMUTATIONS) {
      throw new Error(
        `${where}: adding provider '${p.name}' with ${sets.length} inputs would exceed the maximum allowed ` +
          `permutations. max: ${MAX_PERMUTATIONS}, got: ${expected}`,
      );
    }
    const name = normalizeKey(p.name);
    if (name === '') throw new Error(`${where}: normalized provider name is empty: '${p.name}'`);
    scoped.push({ name, sets });
  }
  if (scoped.length === 0 || scoped.some((s) => s.sets.length === 0)) return [];
  const out: InputSet[] = [];
  const pick = (i: number, acc: InputSet, id: string[]): void => {
    if (i === scoped.length) {
      out.push({ ...acc, id: inputId(id.join('/')) });
      return;
    }
    const s = scoped[i]!;
    s.sets.forEach((set, j) => pick(i + 1, { ...acc, [s.name]: set }, [...id, `${s.name}=${j}`]));
  };
  pick(0, {}, []);
  return out;
}
