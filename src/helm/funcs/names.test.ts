/**
 * The function map has exactly Helm 4.2's names: sprig v3.3.0's genericMap (functions.go) without
 * env and expandenv, plus Helm's own from pkg/engine/funcs.go and engine.go. The list was read from
 * those two files.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helmFuncMap } from './index.js';

const HELM_4_2_FUNCTIONS = [
  'abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc b64dec b64enc base',
  'bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce compact concat contains date',
  'dateInZone dateModify date_in_zone date_modify decryptAES deepCopy deepEqual default derivePassword dict dig',
  'dir div divf duration durationRound empty encryptAES ext fail first float64 floor fromJson fromJsonArray',
  'fromToml fromYaml fromYamlArray genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey',
  'genSignedCert genSignedCertWithKey get getHostByName has hasKey hasPrefix hasSuffix hello htmlDate',
  'htmlDateInZone htpasswd include indent initial initials int int64 isAbs join kebabcase keys kindIs kindOf',
  'last list lookup lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend mustChunk mustCompact',
  'mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite',
  'mustPrepend mustPush mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll',
  'mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson',
  'mustToPrettyJson mustToRawJson mustToToml mustToYaml mustUniq mustWithout must_date_modify nindent nospace',
  'now omit osBase osClean osDir osExt osIsAbs pick pluck plural prepend push quote randAlpha randAlphaNum',
  'randAscii randBytes randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll',
  'regexReplaceAllLiteral regexSplit repeat replace required rest reverse round semver semverCompare seq set',
  'sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr',
  'swapcase ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings toToml toYaml',
  'toYamlPretty tpl trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq',
  'unixEpoch unset until untilStep untitle upper urlJoin urlParse uuidv4 values without wrap wrapWith',
]
  .join(' ')
  .split(' ');

test('helmFuncMap has exactly the functions of Helm 4.2', () => {
  assert.equal(HELM_4_2_FUNCTIONS.length, 222);
  assert.deepEqual(Object.keys(helmFuncMap()).sort(), [...HELM_4_2_FUNCTIONS].sort());
});

test('env and expandenv are not there (Helm removes them)', () => {
  const m = helmFuncMap();
  assert.equal(m.env, undefined);
  assert.equal(m.expandenv, undefined);
});
