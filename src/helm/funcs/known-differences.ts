/**
 * Actions of cases.ts whose result differs from Helm 4.2's, each with the reason (also listed in
 * docs/helm-funcs.md). funcs.test.ts asserts they still differ, so a fix must remove its entry.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  'randBytes 12 | b64dec | len':
    'strings are Unicode text here: bytes that are not UTF-8 (b64dec of random bytes) become U+FFFD, changing len',
  'rest (list) | toJson':
    'a Go nil slice has no representation in value.ts: rest/initial of an empty list give an empty slice ' +
    '(JSON [] instead of null)',
  'fromJson "null" | toJson':
    'a nil map has no representation: fromJson "null" gives an empty map (JSON {} instead of null)',
  'fromYaml "a: b: c" | toJson': 'YAML error messages come from our YAML reader, not go-yaml',
  'fromToml "x = " | toJson': "fromToml error texts are ours, not BurntSushi/toml's",
  'dateInZone "MST" 0 "Asia/Seoul"':
    "zone abbreviations come from the runtime's Intl data, which lacks some of the tz database's (KST for " +
    'Asia/Seoul): ours is the numeric form (+09)',
};
