/**
 * Kyverno's pure CEL libraries (hash, math, json, yaml, image references, transform, gzip,
 * random, x509) function by function. The values are the ones `kyverno apply` 1.19.1 gives for
 * the same calls (src/admission/cel-policies/kyverno-libraries-oracle.test.ts runs them against it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CelCompileError, CelEvalError, compileCel } from '../index.js';
import { kyvernoActivation } from './kyverno.js';
import { hashString } from './kyverno-hash.js';
import { goRound, roundTo } from './kyverno-math.js';
import { goMarshal, jsonUnmarshal } from './kyverno-json.js';
import { yamlParse } from './kyverno-yaml.js';
import { imageIdentifier, imageTag, isImage, parseImageReference } from './kyverno-image.js';
import { listObjToMap } from './kyverno-transform.js';
import { gzipCompress, gzipDecompress } from './kyverno-gzip.js';
import { posixSyntaxError, randomDefault, randomFromPattern } from './kyverno-random.js';
import { ipString, pemDecode, x509Decode } from './kyverno-x509.js';
import { fromCel } from '../values.js';

const run = (expr: string): unknown =>
  compileCel(expr, { libraries: 'kyverno' }).evaluate(kyvernoActivation({ now: new Date(0) }));
const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

test('hash: hex digests of the UTF-8 bytes, global and under hash.', () => {
  assert.equal(hashString('sha1', 'abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(hashString('md5', 'héllo'), 'be50e8478cf24ff3595bc7307fb91b50');
  assert.equal(run("sha256('') == hash.sha256('')"), true);
  assert.equal(run("hash.md5('')"), 'd41d8cd98f00b204e9800998ecf8427e');
});

test('math.round: Go math.Round (halves away from zero) at a number of places', () => {
  assert.equal(goRound(2.5), 3);
  assert.equal(goRound(-2.5), -3);
  assert.ok(Object.is(goRound(-0.4), -0));
  assert.equal(roundTo(1234.5678, -2n), 1200);
  assert.equal(roundTo(0.125, 2n), 0.13);
  assert.equal(run('math.round(2.345, 2)'), 2.35);
  assert.throws(
    () => compileCel('math.round(2, 2)', { libraries: 'kyverno' }),
    CelCompileError,
    'an int is not a double',
  );
});

test('json: unmarshal gives doubles (Go decodes into any); marshal is Go json.Marshal', () => {
  assert.equal(run(`type(json.unmarshal('{"a":1}').a) == double`), true);
  assert.equal(
    goMarshal(jsonUnmarshal('{"b":1,"a":[1.5,"x<&>",null,true,{}],"c":1e300}')),
    '{"a":[1.5,"x\\u003c\\u0026\\u003e",null,true,{}],"b":1,"c":1e+300}',
  );
  assert.equal(
    run("json.marshal({'z': dyn(1), 'm': dyn([b'hi']), 't': dyn(timestamp('2026-01-02T03:04:05.5Z'))})"),
    '{"m":["aGk="],"t":"2026-01-02T03:04:05.5Z","z":1}',
  );
  assert.throws(() => jsonUnmarshal('{'), /unexpected end of JSON input/);
  assert.throws(() => jsonUnmarshal('x'), /invalid character 'x' looking for beginning of value/);
  assert.throws(() => run('json.marshal(1.0 / 0.0)'), /json: unsupported value: \+Inf/);
  assert.throws(() => run('json.unmarshal(1)'), /type conversion error from 'int' to 'string'/);
});

test('yaml.parse: the first document, YAML 1.1 scalars, numbers as doubles; NaN/Inf refused as the JSON step does', () => {
  assert.deepEqual(fromCel(yamlParse('a: 1\nb: [x, 2.5, yes, 0x10]\n---\nz: 1')), { a: 1, b: ['x', 2.5, true, 16] });
  assert.equal(run("type(yaml.parse('a: 1').a) == double"), true);
  assert.equal(yamlParse(''), null);
  assert.throws(() => yamlParse('n: .inf'), /json: unsupported value: \+Inf/);
  assert.throws(() => yamlParse('a: ['), CelEvalError);
});

test('image references: go-containerregistry parsing and the library methods', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const r = parseImageReference('nginx');
  assert.deepEqual(
    [r.registry, r.repository, imageTag(r), imageIdentifier(r)],
    ['index.docker.io', 'library/nginx', 'latest', 'latest'],
  );
  const d = parseImageReference(`ghcr.io/a/b:v1@${digest}`);
  assert.deepEqual(
    [d.kind, d.registry, d.repository, imageTag(d), imageIdentifier(d)],
    ['digest', 'ghcr.io', 'a/b', 'v1', `v1@${digest}`],
  );
  assert.equal(parseImageReference('docker.io/nginx').registry, 'index.docker.io', 'docker.io is an alias');
  assert.equal(parseImageReference('localhost:5000/xy').registry, 'localhost:5000');
  assert.equal(isImage('localhost:5000/x'), false, 'a repository has at least 2 characters');
  assert.equal(imageTag(parseImageReference(`registry.example:5000/repo@${digest}`)), '', 'a port is not a tag');
  for (const bad of [
    'Nginx',
    'a',
    'nginx:',
    'nginx:bad tag',
    'x/y@sha256:abc',
    `x@sha512:${'a'.repeat(64)}`,
    '',
    `nginx:${'t'.repeat(129)}`,
  ])
    assert.equal(isImage(bad), false, bad);
  assert.throws(() => parseImageReference('Nginx'), /could not parse reference: Nginx/);
  assert.equal(
    run(
      "image('nginx:1').identifierWithSeparator() + parseImageReference('nginx@" +
        digest +
        "').identifierWithSeparator()",
    ),
    `:1@${digest}`,
  );
  assert.equal(
    run(
      "parseImageReference('nginx') == parseImageReference('nginx') " +
        "&& parseImageReference('nginx') != parseImageReference('docker.io/nginx')",
    ),
    true,
  );
});

test("listObjToMap: keys from one list, values from the other; the library's errors", () => {
  assert.deepEqual(
    fromCel(
      listObjToMap(
        [new Map([['k', 'a']]), new Map([['k', 'b']])],
        [new Map([['v', 1n]]), new Map([['w', 2n]])],
        'k',
        'v',
      ),
    ),
    { a: 1, b: null },
  );
  assert.throws(
    () => listObjToMap([new Map([['k', 'a']])], [], 'k', 'v'),
    /listObjToMap must take lists of equal length. list1: 1, list2: 0/,
  );
  assert.throws(
    () => listObjToMap([new Map([['k', 1n]])], [new Map()], 'k', 'v'),
    /the passed key name cannot be handled as a string/,
  );
  assert.equal(run("transform.listObjToMap([{'k':'a'}], [{'v': 'x'}], 'k', 'v').a"), 'x');
});

test("gzip: decompress what any gzip wrote; compress round-trips; Go's errors for bad input", () => {
  assert.equal(gzipDecompress(gzipSync('hello')), 'hello');
  assert.equal(gzipDecompress(gzipCompress('héllo')), 'héllo');
  assert.throws(() => gzipDecompress(Buffer.from('not gzip')), /^Error: unexpected EOF$|unexpected EOF/);
  assert.throws(() => gzipDecompress(Buffer.from('not gzip at all')), /gzip: invalid header/);
  assert.throws(() => gzipCompress(1n), /type conversion error from 'int' to 'string'/);
});

test("random: strings the pattern matches, goregen's syntax (no flags), Go's parse errors", () => {
  for (let i = 0; i < 20; i++) {
    assert.match(randomDefault(), /^[0-9a-z]{8}$/);
    assert.match(randomFromPattern('(ab|cd)+x?[0-9]{2}'), /^(ab|cd)+x?[0-9]{2}$/);
    assert.match(randomFromPattern('[^a-z]{3}'), /^[^a-z]{3}$/);
    assert.match(randomFromPattern('[[:digit:]]{4}'), /^[0-9]{4}$/);
    assert.ok(randomFromPattern('x*').length <= 4096);
  }
  assert.equal(posixSyntaxError('\\d'), 'error parsing regexp: invalid escape sequence: `\\d`');
  assert.equal(posixSyntaxError('(?:a)'), 'error parsing regexp: missing argument to repetition operator: `?`');
  assert.equal(posixSyntaxError('\\x41\\.\\n'), undefined);
  assert.throws(() => randomFromPattern('[a'), /error parsing regexp: missing closing \]: `\[a`/);
  for (let i = 0; i < 5; i++) {
    try {
      assert.ok(randomFromPattern('((x*)*)*').length <= 100_000);
    } catch (e) {
      assert.match((e as Error).message, /more than 100000 characters/);
    }
  }
  assert.match(String(run("random.random('[a-c]{3}')")), /^[a-c]{3}$/);
});

test("x509.decode: Kyverno's certificate map (json.marshal of it equals kyverno apply's), and its errors", () => {
  const c = fromCel(x509Decode(fixture('x509-rsa-extensions.pem'))) as Record<string, unknown>;
  assert.deepEqual(c.DNSNames, ['a.test', 'b.test']);
  assert.deepEqual(c.IPAddresses, ['10.1.2.3', '2001:db8::1']);
  assert.deepEqual(c.EmailAddresses, ['x@y.z']);
  assert.deepEqual(
    [c.KeyUsage, c.IsCA, c.MaxPathLen, c.MaxPathLenZero, c.BasicConstraintsValid],
    [37, true, 0, true, true],
  );
  assert.deepEqual(c.ExtKeyUsage, [1, 2], 'the unknown OID 1.2.3.4 is not listed');
  assert.deepEqual(c.ExcludedIPRanges, [{ IP: '192.168.0.0', Mask: '//8AAA==' }]);
  assert.deepEqual(
    [c.OCSPServer, c.IssuingCertificateURL, c.CRLDistributionPoints],
    [['http://ocsp.test'], ['http://ca.test/ca.crt'], ['http://crl.test/a.crl']],
  );
  assert.deepEqual(c.PolicyIdentifiers, [[1, 2, 3, 4, 5]]);
  assert.equal((c.Issuer as Record<string, unknown>).CommonName, 'acme.test');
  assert.equal((c.PublicKey as Record<string, unknown>).E, 65537);
  const plain = fromCel(x509Decode(fixture('x509-rsa-plain.pem'))) as Record<string, unknown>;
  assert.deepEqual([plain.DNSNames, plain.Extensions === null, plain.MaxPathLen], [null, false, -1]);
  assert.throws(() => x509Decode(fixture('x509-ec.pem')), /certificate should use rsa algorithm/);
  assert.throws(() => x509Decode('nope'), /failed to decode PEM block/);
  assert.throws(
    () => x509Decode('-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'),
    /PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST/,
  );
  assert.throws(
    () => x509Decode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    /x509: malformed certificate/,
  );
  const csr = fromCel(x509Decode(fixture('x509-csr.pem'))) as Record<string, unknown>;
  assert.deepEqual(
    [csr.Version, csr.SignatureAlgorithm, csr.DNSNames, csr.IPAddresses, csr.EmailAddresses],
    [0, 4, ['a.test'], ['10.0.0.1'], ['x@y.z']],
  );
  assert.deepEqual((csr.URIs as Record<string, unknown>[])[0], {
    Scheme: 'https',
    Opaque: '',
    User: null,
    Host: 'u.test',
    Path: '/p',
    RawPath: '',
    OmitHost: false,
    ForceQuery: false,
    RawQuery: '',
    Fragment: '',
    RawFragment: '',
  });
  assert.equal((csr.Subject as Record<string, unknown>).CommonName, 'csr.test');
  assert.equal(pemDecode('junk\n-----BEGIN X-----\nQUJD\n-----END X-----\n')?.bytes.toString(), 'ABC');
  assert.equal(ipString(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4])), '1.2.3.4');
  assert.equal(ipString(Buffer.from('20010db8000000000001000000000001', 'hex')), '2001:db8::1:0:0:1');
});

test('a comprehension over an Any-typed value does not compile, as in cel-go; dyn() or orValue() lets it', () => {
  assert.throws(
    () => compileCel("resource.List('v1', 'configmaps', 'default').items.map(i, i)", { libraries: 'kyverno' }),
    /expression of type 'any' cannot be range of a comprehension/,
  );
  assert.throws(
    () => compileCel("http.Get('https://x').exists(k, true)", { libraries: 'kyverno' }),
    /cannot be range of a comprehension/,
  );
  compileCel("dyn(resource.List('v1', 'configmaps', 'default').items).map(i, i)", { libraries: 'kyverno' });
  compileCel("resource.List('v1', 'configmaps', 'default').items.orValue([]).map(i, i)", { libraries: 'kyverno' });
  compileCel("resource.List('v1', 'configmaps', 'default').items[0].spec.x.map(i, i)", { libraries: 'kyverno' });
});
