/**
 * The `slugify` template function of ResourceSets: github.com/gosimple/slug `slug.Make` with the
 * operator's settings (MaxLength 63, EnableSmartTruncate): `&` and `@` become `and` and `at`,
 * non-ASCII is transliterated, lower case, every character outside [a-zA-Z0-9-_] becomes `-`,
 * runs of `-` collapse, `-` and `_` are trimmed from both ends, then cut at the last `-` before 63.
 *
 * Transliteration: gosimple/unidecode's tables are not reproduced; Latin letters with diacritics
 * lose them (NFKD), and other non-ASCII characters become `-` (a known difference, docs/flux-operator.md).
 */
export const SLUG_MAX_LENGTH = 63;

export function slugify(s: string): string {
  let slug = s.trim().replace(/[&@]/g, (c) => (c === '&' ? 'and' : 'at'));
  slug = slug.normalize('NFKD').replace(/\p{M}/gu, '');
  slug = slug.toLowerCase();
  slug = slug
    .replace(/[^a-zA-Z0-9\-_]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (slug.length <= SLUG_MAX_LENGTH) return slug;
  for (let i = SLUG_MAX_LENGTH; i >= 0; i--) if (slug[i] === '-') return slug.slice(0, i);
  return slug.slice(0, SLUG_MAX_LENGTH);
}
