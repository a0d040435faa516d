/**
 * Memo of postBuild substitutions, owned by a session's BuildMemo (../build/build-memo.ts):
 * object (its data key) -> its emitted text, and per variant the variables envsubst looked up,
 * their values, and the outcome. envsubst is a function of the text and of the answers to its
 * lookups, so a variant applies when every recorded lookup gets the same value. Parsed objects
 * are copied on every use (postbuild-substitute.ts `replay`).
 */
import type { KObject } from '../../resources/resource.js';

/** What envsubst + the YAML 1.1 read made of one text (the object it came from aside). */
export type TextOutcome =
  | { readonly kind: 'same' }
  | { readonly kind: 'error'; readonly message: string; readonly variable?: string }
  | { readonly kind: 'parsed'; readonly object: KObject; readonly missing: readonly string[] };

const MAX_TEXTS = 50_000;
const MAX_VARIANTS = 8;

interface Entry {
  readonly text: string;
  readonly variants: { readonly lookups: readonly [string, string | undefined][]; readonly outcome: TextOutcome }[];
}

export class SubstitutionMemo {
  private readonly entries = new Map<string, Entry>();

  /** The outcome recorded for this key whose lookups all get the same values from `vars`. */
  find(key: string, vars: ReadonlyMap<string, string>): TextOutcome | undefined {
    for (const v of this.entries.get(key)?.variants ?? []) {
      if (v.lookups.every(([k, val]) => vars.get(k) === val)) return v.outcome;
    }
    return undefined;
  }

  /** The text emitted for this key before, if any. */
  text(key: string): string | undefined {
    return this.entries.get(key)?.text;
  }

  remember(key: string, text: string, lookups: readonly [string, string | undefined][], outcome: TextOutcome): void {
    const entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_TEXTS) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { text, variants: [{ lookups, outcome }] });
    } else if (entry.variants.length < MAX_VARIANTS) {
      entry.variants.push({ lookups, outcome });
    }
  }
}
