/**
 * OpenAPI `pattern`s of CRD schemas as the API server reads them: Go's `regexp` (RE2 syntax),
 * matched anywhere in the string (kube-openapi's validate.Pattern: `regexp.MatchString`). JS
 * regexes differ: no inline flags `(?i)` on Node 20, no `\z`, `[[:alpha:]]` or `\pL`, `.` that
 * also stops at `\r`, and lookarounds and backreferences that Go refuses (the API server refuses a
 * CRD whose pattern does not compile). ajv takes this as its regex engine (`code.regExp`), so a
 * pattern compiles as Go compiles it or the compile fails with Go's words (re2js: RE2 ported
 * from Go's regexp/syntax, linear time).
 */
import { RE2JS } from 're2js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';

/** ajv's regex engine for CRD schemas: Go RE2 syntax and semantics, unanchored search. */
export const goRegExp: RegExpEngine = Object.assign(
  (pattern: string): { test: (s: string) => boolean; toString: () => string } => {
    const re = RE2JS.compile(pattern);
    // ajv keeps compiled patterns by their toString(): each pattern its own key.
    return { test: (s: string) => re.matcher(s).find(), toString: () => `goRegExp(${JSON.stringify(pattern)})` };
  },
  { code: 'goRegExp' },
);
