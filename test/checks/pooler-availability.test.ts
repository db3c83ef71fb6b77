import {
  MIN_HA_POOLER_INSTANCES, pdbCoversPooler, POOLER_NAME_LABEL, poolerAvailabilityProblems, poolerInstancesProblem,
} from '../../src/checks/pooler-availability';

const spreadTerm = (name: string) => ({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'cnpg.io/poolerName': name } } });
const pooler = (spec: any, name = 'app-rw') => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name, namespace: 'databases' }, spec });
const spread = (name = 'app-rw') => ({ spec: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: spreadTerm(name) }] } } } });
const ANTI_PROBLEM = 'does not spread the replicas over nodes: the scheduler may put them all on one node, which a single drain or node failure takes down';

describe('poolerInstancesProblem', () => {
  test('3 replicas is the least (documented), with the pooler label of CloudNativePG', () => {
    expect(MIN_HA_POOLER_INSTANCES).toBe(3);
    expect(POOLER_NAME_LABEL).toBe('cnpg.io/poolerName');
  });

  test('3 and more accepted, 2 refused with the application named', () => {
    expect(poolerInstancesProblem(3, 'shop')).toBeUndefined();
    expect(poolerInstancesProblem(4, 'shop')).toBeUndefined();
    expect(poolerInstancesProblem(2, 'shop')).toEqual({
      problem: 'is fewer than 3: a node drain plus one crash (or, with one replica, any rollout) leaves shop without a pooler',
      fix: 'use 3 or more, or set acceptReducedAvailability: true for a development cluster',
    });
    expect(poolerInstancesProblem(0, 'shop')?.problem).toMatch(/^is fewer than 3: /);
  });
});

describe('poolerAvailabilityProblems (a Pooler as written)', () => {
  test('3 replicas spread over nodes (preferred or required): nothing', () => {
    expect(poolerAvailabilityProblems(pooler({ instances: 3, template: spread() }))).toStrictEqual({});
    const required = { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [spreadTerm('app-rw')] } } } };
    expect(poolerAvailabilityProblems(pooler({ instances: 5, template: required }))).toStrictEqual({});
  });

  test('2 replicas: the instances problem on spec.instances with its value', () => {
    expect(poolerAvailabilityProblems(pooler({ instances: 2, template: spread() }))).toStrictEqual({
      instances: {
        path: 'spec.instances',
        value: 2,
        problem: 'is fewer than 3: a node drain plus one crash (or, with one replica, any rollout) leaves app-rw without a pooler',
        fix: 'set spec.instances to 3 or more',
      },
    });
  });

  test('instances unset: CloudNativePG runs one replica, said so', () => {
    expect(poolerAvailabilityProblems(pooler({ template: spread() }))).toStrictEqual({
      instances: {
        path: 'spec.instances',
        value: undefined,
        problem: 'is unset, and CloudNativePG runs 1 replica: a node drain plus one crash (or, with one replica, any rollout) leaves app-rw without a pooler',
        fix: 'set spec.instances to 3 or more',
      },
    });
  });

  test('instances that are not a number (a Flux variable) are not judged', () => {
    expect(poolerAvailabilityProblems(pooler({ instances: '${POOLER_INSTANCES}', template: spread() }))).toStrictEqual({});
  });

  test('no anti-affinity: the problem with the pooler\'s own label in the fix', () => {
    expect(poolerAvailabilityProblems(pooler({ instances: 3 }))).toStrictEqual({
      antiAffinity: {
        path: 'spec.template.spec.affinity.podAntiAffinity',
        value: undefined,
        problem: ANTI_PROBLEM,
        fix: 'add a podAntiAffinity term on topologyKey kubernetes.io/hostname selecting cnpg.io/poolerName: app-rw (preferred, or required with more nodes than replicas)',
      },
    });
  });

  test.each([
    ['a zone topology', { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { 'cnpg.io/poolerName': 'app-rw' } } }],
    ['another pooler\'s pods', spreadTerm('app-ro')],
    ['another label', { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'app-rw' } } }],
    ['no selector', { topologyKey: 'kubernetes.io/hostname' }],
  ])('anti-affinity over %s does not spread the replicas over nodes (required and preferred)', (_what, term) => {
    const required = { requiredDuringSchedulingIgnoredDuringExecution: [term] };
    const preferred = { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] };
    for (const anti of [required, preferred]) {
      const found = poolerAvailabilityProblems(pooler({ instances: 3, template: { spec: { affinity: { podAntiAffinity: anti } } } }));
      expect(found).toStrictEqual({ antiAffinity: expect.objectContaining({ value: anti, problem: ANTI_PROBLEM }) });
    }
  });

  test('one spreading term among others is enough; a preferred entry without a term is skipped', () => {
    const anti = {
      requiredDuringSchedulingIgnoredDuringExecution: [spreadTerm('other')],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }, { weight: 1, podAffinityTerm: spreadTerm('app-rw') }],
    };
    expect(poolerAvailabilityProblems(pooler({ instances: 3, template: { spec: { affinity: { podAntiAffinity: anti } } } }))).toStrictEqual({});
  });

  test('sections missing on the way to the anti-affinity: not spread, no error', () => {
    for (const template of [{}, { spec: {} }, { spec: { affinity: {} } }]) {
      expect(poolerAvailabilityProblems(pooler({ instances: 3, template })))
        .toStrictEqual({ antiAffinity: expect.objectContaining({ value: undefined, problem: ANTI_PROBLEM }) });
    }
    const anti = { preferredDuringSchedulingIgnoredDuringExecution: [null, { weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: {} } }] };
    expect(Object.keys(poolerAvailabilityProblems(pooler({ instances: 3, template: { spec: { affinity: { podAntiAffinity: anti } } } })))).toEqual(['antiAffinity']);
  });

  test('a Pooler without metadata: its name is unset in the sentences', () => {
    expect(poolerAvailabilityProblems({ spec: { instances: 1 } })).toStrictEqual({
      instances: expect.objectContaining({ value: 1, problem: 'is fewer than 3: a node drain plus one crash (or, with one replica, any rollout) leaves undefined without a pooler' }),
      antiAffinity: expect.objectContaining({ fix: expect.stringContaining('selecting cnpg.io/poolerName: undefined (') }),
    });
  });

  test('no spec or no object: one replica, not spread, no error', () => {
    expect(Object.keys(poolerAvailabilityProblems({ metadata: { name: 'x' } }))).toEqual(['instances', 'antiAffinity']);
    expect(Object.keys(poolerAvailabilityProblems(undefined))).toEqual(['instances', 'antiAffinity']);
  });
});

describe('pdbCoversPooler', () => {
  const p = { metadata: { name: 'app-rw', namespace: 'databases' }, spec: { template: { metadata: { labels: { tier: 'db' } } } } };
  const pdb = (selector: any, namespace = 'databases') => ({ kind: 'PodDisruptionBudget', metadata: { namespace }, spec: { selector } });

  test('matchLabels on the pooler label or the template\'s labels, in the same namespace', () => {
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw' } }), p)).toBe(true);
    expect(pdbCoversPooler(pdb({ matchLabels: { tier: 'db' } }), p)).toBe(true);
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw', 'tier': 'db' } }), p)).toBe(true);
  });

  test('another namespace, another value, a label the pods lack, no selector, an empty selector: not covered', () => {
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw' } }, 'other'), p)).toBe(false);
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-ro' } }), p)).toBe(false);
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw', 'zone': 'a' } }), p)).toBe(false);
    expect(pdbCoversPooler(pdb(undefined), p)).toBe(false);
    expect(pdbCoversPooler(pdb({}), p)).toBe(false);
    expect(pdbCoversPooler(pdb({ matchLabels: {}, matchExpressions: [] }), p)).toBe(false);
  });

  test('a pooler without template labels has the pooler label alone', () => {
    const bare = { metadata: { name: 'app-rw', namespace: 'databases' }, spec: {} };
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw' } }), bare)).toBe(true);
    expect(pdbCoversPooler(pdb({ matchLabels: { tier: 'db' } }), bare)).toBe(false);
  });

  test('the pooler label wins over a template label of the same name', () => {
    const clash = { metadata: { name: 'app-rw', namespace: 'databases' }, spec: { template: { metadata: { labels: { 'cnpg.io/poolerName': 'x' } } } } };
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'app-rw' } }), clash)).toBe(true);
    expect(pdbCoversPooler(pdb({ matchLabels: { 'cnpg.io/poolerName': 'x' } }), clash)).toBe(false);
  });

  test.each([
    ['In with the value', { key: 'tier', operator: 'In', values: ['web', 'db'] }, true],
    ['In without it', { key: 'tier', operator: 'In', values: ['web'] }, false],
    ['In on a missing label', { key: 'zone', operator: 'In', values: ['web'] }, false],
    ['In without values', { key: 'tier', operator: 'In' }, false],
    ['NotIn without the value', { key: 'tier', operator: 'NotIn', values: ['web'] }, true],
    ['NotIn with it', { key: 'tier', operator: 'NotIn', values: ['db'] }, false],
    ['NotIn on a missing label', { key: 'zone', operator: 'NotIn', values: ['db'] }, true],
    ['NotIn without values', { key: 'tier', operator: 'NotIn' }, true],
    ['Exists on a present label', { key: 'tier', operator: 'Exists' }, true],
    ['Exists on a missing one', { key: 'zone', operator: 'Exists' }, false],
    ['DoesNotExist on a missing label', { key: 'zone', operator: 'DoesNotExist' }, true],
    ['DoesNotExist on a present one', { key: 'tier', operator: 'DoesNotExist' }, false],
    ['an unknown operator', { key: 'tier', operator: 'Equals', values: ['db'] }, false],
  ])('matchExpressions: %s', (_what, expr, covered) => {
    expect(pdbCoversPooler(pdb({ matchExpressions: [expr] }), p)).toBe(covered);
    // With matchLabels that match, the expression still decides.
    expect(pdbCoversPooler(pdb({ matchLabels: { tier: 'db' }, matchExpressions: [expr] }), p)).toBe(covered);
  });

  test('objects without metadata, spec or selector parts: compared as unset, no error', () => {
    const selector = { matchLabels: { 'cnpg.io/poolerName': 'app-rw' } };
    // Neither has a namespace: the same (unset) namespace.
    expect(pdbCoversPooler({ spec: { selector } }, { metadata: { name: 'app-rw' } })).toBe(true);
    expect(pdbCoversPooler({ spec: { selector } }, { metadata: { name: 'app-rw' }, spec: { template: {} } })).toBe(true);
    expect(pdbCoversPooler({ spec: { selector: { matchLabels: { tier: 'db' } } } }, { metadata: { name: 'app-rw' }, spec: { template: { metadata: {} } } })).toBe(false);
    expect(pdbCoversPooler({ spec: { selector } }, {})).toBe(false);
    expect(pdbCoversPooler({ spec: { selector } }, undefined)).toBe(false);
    expect(pdbCoversPooler({ metadata: {} }, { metadata: {} })).toBe(false);
    expect(pdbCoversPooler(undefined, undefined)).toBe(false);
    expect(pdbCoversPooler(pdb({ matchExpressions: [null] }), p)).toBe(false);
  });

  test('matchLabels that do not match fail even when the expressions match', () => {
    expect(pdbCoversPooler(pdb({ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }), p)).toBe(false);
  });
});
