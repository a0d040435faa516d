/**
 * Go strings are byte strings. The envsubst dialect measures lengths, offsets and substrings in
 * UTF-8 bytes, so this port works on "byte strings": JS strings whose every char code is one
 * byte (0-255) of the UTF-8 encoding. These helpers convert and decode runes like Go does.
 */

/** UTF-8 text -> byte string. */
export function toBytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** Byte string -> UTF-8 text (invalid sequences become U+FFFD, as Go's string conversion shows them). */
export function fromBytes(b: string): string {
  return Buffer.from(b, 'latin1').toString('utf8');
}

/** Go's utf8.DecodeRuneInString on a byte string: [rune, width]; invalid -> [0xFFFD, 1]; empty -> [0xFFFD, 0]. */
export function decodeRune(b: string, pos: number): [number, number] {
  if (pos >= b.length) return [0xfffd, 0];
  const c0 = b.charCodeAt(pos);
  if (c0 < 0x80) return [c0, 1];
  let need: number;
  let cp: number;
  let min: number;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    need = 1;
    cp = c0 & 0x1f;
    min = 0x80;
  } else if (c0 >= 0xe0 && c0 <= 0xef) {
    need = 2;
    cp = c0 & 0x0f;
    min = 0x800;
  } else if (c0 >= 0xf0 && c0 <= 0xf4) {
    need = 3;
    cp = c0 & 0x07;
    min = 0x10000;
  } else return [0xfffd, 1];
  if (pos + need >= b.length) return [0xfffd, 1];
  for (let i = 1; i <= need; i++) {
    const c = b.charCodeAt(pos + i);
    if (Number.isNaN(c) || (c & 0xc0) !== 0x80) return [0xfffd, 1];
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return [0xfffd, 1];
  return [cp, need + 1];
}

/** One rune as a byte string. */
export function encodeRune(cp: number): string {
  return toBytes(String.fromCodePoint(cp));
}

/** Go's unicode.ToUpper / ToLower on one rune: a single-rune mapping, else the rune itself. */
export function mapRune(cp: number, upper: boolean): number {
  const s = String.fromCodePoint(cp);
  const m = upper ? s.toUpperCase() : s.toLowerCase();
  const first = m.codePointAt(0)!;
  return m.length === String.fromCodePoint(first).length ? first : cp;
}

/** Maps every rune of a byte string (Go's strings.ToUpper/ToLower for valid UTF-8). */
export function mapRunes(b: string, upper: boolean): string {
  let out = '';
  let pos = 0;
  while (pos < b.length) {
    const [r, w] = decodeRune(b, pos);
    out += w === 1 && r === 0xfffd ? b[pos] : encodeRune(mapRune(r, upper));
    pos += w;
  }
  return out;
}

/** Reverses the runes of a byte string (Go: []rune conversion, reverse, string()). */
export function reverseRunes(b: string): string {
  const runes: string[] = [];
  let pos = 0;
  while (pos < b.length) {
    const [r, w] = decodeRune(b, pos);
    runes.push(w === 1 && r === 0xfffd ? encodeRune(0xfffd) : b.slice(pos, pos + w));
    pos += w;
  }
  return runes.reverse().join('');
}
