/**
 * CIDR arithmetic against Node's own net.BlockList (the oracle), and the network rules of the
 * fleet spec: overlapping or nested pod and service CIDRs, a DNS service IP outside the service
 * CIDR or on its network, first or broadcast address, and malformed or non-canonical blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { cidrContains, cidrsOverlap, formatIpv4, parseCidr } from './cidr.js';
import { editExample, fleetErrorOf } from './testing.js';

const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const block = fc.tuple(ip, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);

test('cidrContains and cidrsOverlap agree with net.BlockList (fast-check, seed 25)', () => {
  fc.assert(
    fc.property(block, block, ip, (a, b, x) => {
      const ca = parseCidr(a)!;
      const cb = parseCidr(b)!;
      const la = new BlockList();
      la.addSubnet(formatIpv4(ca.network), ca.prefix);
      assert.equal(cidrContains(ca, ipNumber(x)), la.check(x), `${x} in ${a}`);
      const lb = new BlockList();
      lb.addSubnet(formatIpv4(cb.network), cb.prefix);
      // Two blocks overlap exactly when one holds the other's network address.
      assert.equal(
        cidrsOverlap(ca, cb),
        la.check(formatIpv4(cb.network)) || lb.check(formatIpv4(ca.network)),
        `${a} ~ ${b}`,
      );
    }),
    { seed: 25, numRuns: 2000 },
  );
});

function ipNumber(s: string): number {
  return s.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

test(
  'network rules: overlapping/nested pod and service CIDRs and a ' +
    'misplaced DNS service IP are refused with file:line:col and field',
  () => {
    const net = (n: string) =>
      editExample('network: { plugin: cilium, policy: cilium,', `network: { plugin: cilium, policy: cilium, ${n},`);
    const cases: [string, string, RegExp][] = [
      [
        'podCidr: 10.0.0.0/16, serviceCidr: 10.0.0.0/16',
        'podCidr',
        /pod CIDR 10\.0\.0\.0\/16 overlaps the service CIDR 10\.0\.0\.0\/16; pick disjoint/,
      ],
      [
        'podCidr: 10.0.0.0/8, serviceCidr: 10.0.0.0/16',
        'podCidr',
        /overlaps the service CIDR 10\.0\.0\.0\/16 \(one holds the other\)/,
      ],
      ['podCidr: 10.0.128.0/24, serviceCidr: 10.0.0.0/16', 'podCidr', /overlaps/],
      ['serviceCidr: 10.2.0.0/16', 'dnsServiceIp', /10\.0\.0\.10 is outside the service CIDR 10\.2\.0\.0\/16/],
      [
        'serviceCidr: 10.2.0.0/16, dnsServiceIp: 10.2.0.1',
        'dnsServiceIp',
        /first address of the service CIDR .*e\.g\. 10\.2\.0\.10/,
      ],
      ['serviceCidr: 10.2.0.0/16, dnsServiceIp: 10.2.0.0', 'dnsServiceIp', /network address/],
      ['serviceCidr: 10.2.0.0/16, dnsServiceIp: 10.2.255.255', 'dnsServiceIp', /broadcast address/],
      [
        'serviceCidr: 10.2.0.5/16, dnsServiceIp: 10.2.0.10',
        'serviceCidr',
        /has host bits set: the block is 10\.2\.0\.0\/16/,
      ],
      ['serviceCidr: 10.2.0.0/33', 'serviceCidr', /prefix 0-32/],
      ['podCidr: 300.0.0.0/16', 'podCidr', /four parts 0-255/],
    ];
    for (const [n, field, why] of cases) {
      const e = net(n);
      const msg = fleetErrorOf(e.text);
      assert.match(
        msg,
        new RegExp(`^fleet\\.yaml:${e.line}:\\d+: spec\\.clusters\\[\\d\\]\\.network\\.${field}: `, 'm'),
        `${n}\n${msg}`,
      );
      assert.match(msg, why, `${n}\n${msg}`);
    }
  },
);

test('network rules: disjoint pod and service CIDRs with the DNS IP inside are accepted', () => {
  const e = editExample(
    'network: { plugin: cilium, policy: cilium,',
    'network: { plugin: cilium, policy: cilium, podCidr: ' +
      '192.168.0.0/16, serviceCidr: 10.2.0.0/16, dnsServiceIp: 10.2.0.10,',
  );
  assert.throws(() => fleetErrorOf(e.text), /expected the fleet to be refused/);
});
