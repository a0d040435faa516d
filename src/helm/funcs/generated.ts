/**
 * Values that Helm generates at random on every render (randAlphaNum, uuidv4, genCA, bcrypt
 * salts...), made deterministic and recorded so that `diff` and `check` can tell them from real
 * changes.
 *
 * - Every generated value is a pure function of (seed, function name, how many times that function
 *   was called before in this render, arguments): the same chart renders to the same bytes.
 * - The value keeps the shape a chart expects (charset and length for random strings, a v4 UUID,
 *   a bcrypt-shaped hash, real AES-CBC ciphertext that decryptAES reads back), except keys and
 *   certificates, which are PEM blocks whose body says what they are:
 *   `-----BEGIN CERTIFICATE-----\nAKSFLEET-GENERATED genCA 1\n-----END CERTIFICATE-----`.
 * - The registry lists every value with the call that made it; `isGenerated` and `mask` let a
 *   caller treat them as "generated, not compared".
 */
import { createHash } from 'node:crypto';

/** One generated value and the call that made it. */
export interface Generated {
  readonly fn: string;
  readonly args: readonly string[];
  /** 1 for the function's first call in this render, 2 for the second... */
  readonly seq: number;
  readonly value: string;
}

/** The marker inside placeholder PEM bodies. */
export const GENERATED_MARKER = 'AKSFLEET-GENERATED';

export class GeneratedValues {
  private readonly counters = new Map<string, number>();
  private readonly list: Generated[] = [];

  /** @param seed mixes into every value; the default gives the same values in every run. */
  constructor(readonly seed: string = 'aksfleet') {}

  /** Deterministic bytes for the next call of `fn` with `args`; `take` then records the value. */
  next(fn: string, args: readonly string[], n: number): { bytes: Buffer; take: (value: string) => string } {
    const seq = (this.counters.get(fn) ?? 0) + 1;
    this.counters.set(fn, seq);
    const chunks: Buffer[] = [];
    for (let i = 0, got = 0; got < n; i++) {
      const h = createHash('sha256')
        .update(JSON.stringify([this.seed, fn, seq, args, i]))
        .digest();
      chunks.push(h);
      got += h.length;
    }
    const bytes = Buffer.concat(chunks).subarray(0, n);
    return {
      bytes,
      take: (value) => {
        this.list.push({ fn, args, seq, value });
        return value;
      },
    };
  }

  /** The call number the next call of `fn` will get. */
  peekSeq(fn: string): number {
    return (this.counters.get(fn) ?? 0) + 1;
  }

  /** Every value generated so far, in call order. */
  values(): readonly Generated[] {
    return this.list;
  }

  /** True when `text` is, or contains, a generated value (or a placeholder PEM). */
  isGenerated(text: string): boolean {
    if (text.includes(GENERATED_MARKER)) return true;
    return this.list.some((g) => g.value !== '' && text.includes(g.value));
  }

  /** `text` with every generated value replaced by `placeholder(g)`, longest values first. */
  mask(text: string, placeholder: (g: Generated) => string = (g) => `<generated:${g.fn}>`): string {
    const sorted = [...this.list].filter((g) => g.value !== '').sort((a, b) => b.value.length - a.value.length);
    for (const g of sorted) text = text.split(g.value).join(placeholder(g));
    return text;
  }
}

/** A placeholder PEM block whose body names the call that generated it. */
export function placeholderPem(type: string, fn: string, seq: number): string {
  return `-----BEGIN ${type}-----\n${GENERATED_MARKER} ${fn} ${seq}\n-----END ${type}-----\n`;
}
