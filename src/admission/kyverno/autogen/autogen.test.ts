/**
 * Pod-controller autogen, with Kyverno's own tables (pkg/autogen/v1/autogen_test.go, v1.15.2):
 * Test_CanAutoGen (policy and whether the controllers are generated, read mechanically) and
 * Test_getAutogenRuleName (names cut at 63 characters), plus the rewritten rules themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canAutogen, computeRules } from './autogen.js';

const CAN_AUTOGEN: readonly {
  name: string;
  policy: { spec: Record<string, unknown>; [k: string]: unknown };
  autogen: boolean;
}[] = [
  {
    name: 'rule-with-match-name',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: { rules: [{ name: 'test', match: { resources: { kinds: ['Namespace'], name: '*' } } }] },
    },
    autogen: false,
  },
  {
    name: 'rule-with-match-selector',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test-getcontrollers' },
      spec: {
        background: false,
        rules: [
          {
            name: 'test-getcontrollers',
            match: { resources: { kinds: ['Pod'], selector: { matchLabels: { foo: 'bar' } } } },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-exclude-name',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test-getcontrollers' },
      spec: {
        background: false,
        rules: [
          {
            name: 'test-getcontrollers',
            match: { resources: { kinds: ['Pod'] } },
            exclude: { resources: { name: 'test' } },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-exclude-names',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test-getcontrollers' },
      spec: {
        background: false,
        rules: [
          {
            name: 'test-getcontrollers',
            match: { resources: { kinds: ['Pod'] } },
            exclude: { resources: { names: ['test'] } },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-exclude-selector',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test-getcontrollers' },
      spec: {
        background: false,
        rules: [
          {
            name: 'test-getcontrollers',
            match: { resources: { kinds: ['Pod'] } },
            exclude: { resources: { selector: { matchLabels: { foo: 'bar' } } } },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-deny',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: {
        rules: [
          {
            name: 'require-network-policy',
            match: { resources: { kinds: ['Pod'] } },
            validate: {
              message: 'testpolicy',
              deny: {
                conditions: [{ key: '{{request.object.metadata.labels.foo}}', operator: 'Equals', value: 'bar' }],
              },
            },
          },
        ],
      },
    },
    autogen: true,
  },
  {
    name: 'rule-with-match-mixed-kinds-pod-podcontrollers',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'set-service-labels-env' },
      spec: {
        background: false,
        rules: [
          {
            name: 'set-service-label',
            match: { resources: { kinds: ['Pod', 'Deployment'] } },
            preconditions: { any: [{ key: '{{request.operation}}', operator: 'Equals', value: 'CREATE' }] },
            mutate: {
              patchStrategicMerge: {
                metadata: { labels: { '+(service)': '{{request.object.spec.template.metadata.labels.app}}' } },
              },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-exclude-mixed-kinds-pod-podcontrollers',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'set-service-labels-env' },
      spec: {
        background: false,
        rules: [
          {
            name: 'set-service-label',
            match: { resources: { kinds: ['Pod'] } },
            exclude: { resources: { kinds: ['Pod', 'Deployment'] } },
            mutate: {
              patchStrategicMerge: {
                metadata: { labels: { '+(service)': '{{request.object.spec.template.metadata.labels.app}}' } },
              },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-match-kinds-pod-only',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: {
        rules: [
          {
            name: 'require-network-policy',
            match: { resources: { kinds: ['Pod'] } },
            validate: { message: 'testpolicy', pattern: { metadata: { labels: { foo: 'bar' } } } },
          },
        ],
      },
    },
    autogen: true,
  },
  {
    name: 'rule-with-exclude-kinds-pod-only',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: {
        rules: [
          {
            name: 'require-network-policy',
            match: { resources: { kinds: ['Pod'] } },
            exclude: { resources: { kinds: ['Pod'], namespaces: ['test'] } },
            validate: { message: 'testpolicy', pattern: { metadata: { labels: { foo: 'bar' } } } },
          },
        ],
      },
    },
    autogen: true,
  },
  {
    name: 'rule-with-mutate-patches',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: {
        rules: [
          {
            name: 'test',
            match: { resources: { kinds: ['Pod'] } },
            mutate: {
              patchesJson6902:
                '-op:add\npath:/spec/containers/0/env/-1\n' +
                'value:{"name":"SERVICE","value":{{request.object.spec.template.metadata.labels.app}}}',
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-generate',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'add-networkpolicy' },
      spec: {
        rules: [
          {
            name: 'default-deny-ingress',
            match: { resources: { kinds: ['Namespace'], name: '*' } },
            exclude: { resources: { namespaces: ['kube-system', 'default', 'kube-public', 'kyverno'] } },
            generate: {
              kind: 'NetworkPolicy',
              name: 'default-deny-ingress',
              namespace: '{{request.object.metadata.name}}',
              synchronize: true,
              data: { spec: { podSelector: {}, policyTypes: ['Ingress'] } },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-predefined-invalid-controllers',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'set-service-labels-env' },
      annotations: null,
      'pod-policies.kyverno.io/autogen-controllers': 'DaemonSet,Deployment,StatefulSet',
      spec: {
        background: false,
        rules: [
          {
            name: 'set-service-label',
            match: { resources: { kinds: ['Pod', 'Deployment'] } },
            mutate: {
              patchStrategicMerge: {
                metadata: { labels: { '+(service)': '{{request.object.spec.template.metadata.labels.app}}' } },
              },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-predefined-valid-controllers',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'set-service-labels-env' },
      annotations: null,
      'pod-policies.kyverno.io/autogen-controllers': 'none',
      spec: {
        background: false,
        rules: [
          {
            name: 'set-service-label',
            match: { resources: { kinds: ['Pod', 'Deployment'] } },
            mutate: {
              patchStrategicMerge: {
                metadata: { labels: { '+(service)': '{{request.object.spec.template.metadata.labels.app}}' } },
              },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-only-predefined-valid-controllers',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'set-service-labels-env' },
      annotations: null,
      'pod-policies.kyverno.io/autogen-controllers': 'none',
      spec: {
        background: false,
        rules: [
          {
            name: 'set-service-label',
            match: { resources: { kinds: ['Namespace'] } },
            mutate: {
              patchStrategicMerge: {
                metadata: { labels: { '+(service)': '{{request.object.spec.template.metadata.labels.app}}' } },
              },
            },
          },
        ],
      },
    },
    autogen: false,
  },
  {
    name: 'rule-with-match-kinds-pod-only-validate-exclude',
    policy: {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'test' },
      spec: {
        rules: [
          {
            name: 'require-network-policy',
            match: { resources: { kinds: ['Pod'] } },
            validate: {
              message: 'testpolicy',
              podSecurity: {
                level: 'baseline',
                version: 'v1.24',
                exclude: [
                  {
                    controlName: 'SELinux',
                    restrictedField: 'spec.containers[*].securityContext.seLinuxOptions.role',
                    images: ['nginx'],
                    values: ['baz'],
                  },
                  {
                    controlName: 'SELinux',
                    restrictedField: 'spec.initContainers[*].securityContext.seLinuxOptions.role',
                    images: ['nodejs'],
                    values: ['init-baz'],
                  },
                ],
              },
            },
          },
        ],
      },
    },
    autogen: true,
  },
];

test(`Test_CanAutoGen: ${CAN_AUTOGEN.length} upstream policies`, () => {
  for (const c of CAN_AUTOGEN) assert.equal(canAutogen(c.policy.spec), c.autogen, c.name);
});

const podRule = (name: string): Record<string, unknown> => ({
  name,
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  validate: { message: 'm', pattern: { spec: { containers: [{ image: '!*:latest' }] } } },
});

test('Test_getAutogenRuleName: autogen- and autogen-cronjob- names are cut at 63 characters', () => {
  const long = 'too-long-this-rule-name-will-be-truncated-to-63-characters';
  const spec = { rules: [podRule(long)] };
  assert.deepEqual(
    computeRules(spec, {}, 'Deployment').map((r) => r.name),
    [long, 'autogen-too-long-this-rule-name-will-be-truncated-to-63-charact'],
  );
  assert.deepEqual(
    computeRules(spec, {}, 'CronJob').map((r) => r.name),
    [long, 'autogen-cronjob-too-long-this-rule-name-will-be-truncated-to-63'],
  );
});

test('generated rules: kinds, pattern under the template, request paths moved, annotation honoured', () => {
  const deny = {
    name: 'no-host-network',
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    validate: {
      deny: {
        conditions: { any: [{ key: '{{ request.object.spec.hostNetwork }}', operator: 'Equals', value: true }] },
      },
    },
  };
  const spec = { rules: [podRule('no-latest'), deny] };
  const [, , genPattern, genDeny] = computeRules(spec, {}, 'Deployment');
  assert.deepEqual(genPattern!.match, { any: [{ resources: { kinds: ['Deployment'] } }] });
  assert.deepEqual((genPattern!.validate as { pattern: unknown }).pattern, {
    spec: { template: { spec: { containers: [{ image: '!*:latest' }] } } },
  });
  assert.match(JSON.stringify(genDeny), /request\.object\.spec\.template\.spec\.hostNetwork/);
  const [, cron] = computeRules({ rules: [podRule('no-latest')] }, {}, 'CronJob');
  assert.deepEqual((cron!.validate as { pattern: unknown }).pattern, {
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: '!*:latest' }] } } } } },
  });
  assert.equal(computeRules(spec, {}, 'Pod').length, 2, 'Pods get the rules as written');
  const ann = 'pod-policies.kyverno.io/autogen-controllers';
  assert.equal(computeRules(spec, { [ann]: 'none' }, 'Deployment').length, 2);
  assert.equal(computeRules(spec, { [ann]: 'StatefulSet' }, 'Deployment').length, 2);
  assert.equal(computeRules(spec, { [ann]: 'StatefulSet' }, 'StatefulSet').length, 4);
});
