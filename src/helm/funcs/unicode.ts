/** Go's unicode predicates and byte-level string views that sprig's string functions depend on. */

const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
export const isSpace = (ch: string): boolean => SPACE.test(ch);
export const isUpper = (ch: string): boolean => /^\p{Lu}$/u.test(ch);
export const isLower = (ch: string): boolean => /^\p{Ll}$/u.test(ch);
export const isTitle = (ch: string): boolean => /^\p{Lt}$/u.test(ch);
export const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);
export const isDigitOrNumber = (ch: string): boolean => /^\p{N}$/u.test(ch);
export const isPunct = (ch: string): boolean => /^\p{P}$/u.test(ch);

/** unicode.ToUpper of one rune (a simple mapping: a character whose upper case is longer stays). */
export function toUpperRune(ch: string): string {
  const u = ch.toUpperCase();
  return [...u].length === 1 ? u : ch;
}
export function toLowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return [...l].length === 1 ? l : ch;
}
/** unicode.ToTitle: upper case except for the few digraphs with a title-case form. */
export function toTitleRune(ch: string): string {
  const TITLE: Record<string, string> = {
    Ǆ: 'ǅ',
    ǅ: 'ǅ',
    ǆ: 'ǅ',
    Ǉ: 'ǈ',
    ǈ: 'ǈ',
    ǉ: 'ǈ',
    Ǌ: 'ǋ',
    ǋ: 'ǋ',
    ǌ: 'ǋ',
    Ǳ: 'ǲ',
    ǲ: 'ǲ',
    ǳ: 'ǲ',
  };
  return TITLE[ch] ?? toUpperRune(ch);
}
export const mapRunes = (s: string, f: (ch: string) => string): string => Array.from(s, f).join('');

/** The UTF-8 bytes of a Go string. */
export const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
/** A Go string from bytes (invalid UTF-8 becomes U+FFFD here, where Go keeps the raw bytes). */
export const fromUtf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
/** Go's len(s): the number of UTF-8 bytes. */
export const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');
/** s[start:end] on bytes. */
export const byteSlice = (s: string, start: number, end?: number): string => fromUtf8(utf8(s).subarray(start, end));
/** Go's `rune(str[i])` loop: each byte as the rune of the same number (Latin-1), then re-encoded. */
export const bytesAsRunes = (s: string): string[] => Array.from(utf8(s), (b) => String.fromCharCode(b));
