/**
 * src/cluster/scheduling-options.ts called directly (nothing synthesized, so that mutation testing
 * runs only the tests that reach a mutant): `renderScheduling`'s tolerations, node selector,
 * topology spread constraints, priority class and scheduler, each default and each refusal with
 * its whole message.
 */
import { TaintEffect, UnsatisfiableSpread } from '../../src';
import { renderScheduling, SchedulingInput } from '../../src/cluster/scheduling-options';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const LABELS = { 'cnpg.io/cluster': 'shared', 'cnpg.io/podRole': 'instance' };
const render = (props: SchedulingInput, zoneSpread = false) => renderScheduling(boxScope(), props, LABELS, zoneSpread);
const refusal = (props: SchedulingInput, zoneSpread = false) => thrown(() => render(props, zoneSpread));

describe('nothing set', () => {
  test('no toleration, selector, spread, priority class or scheduler', () => {
    expect(render({})).toStrictEqual({
      affinity: { tolerations: undefined, nodeSelector: undefined },
      topologySpreadConstraints: [],
      spec: { priorityClassName: undefined, schedulerName: undefined },
    });
    expect(render({ tolerations: [], nodeSelector: {}, topologySpread: [] }).affinity)
      .toStrictEqual({ tolerations: undefined, nodeSelector: undefined });
  });

  test('the enums are Kubernetes\' values', () => {
    expect(Object.values(TaintEffect)).toEqual(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
    expect(Object.values(UnsatisfiableSpread)).toEqual(['DoNotSchedule', 'ScheduleAnyway']);
  });
});

describe('tolerations', () => {
  test('a value makes operator Equal, no value Exists; every field is written', () => {
    expect(render({
      tolerations: [
        { key: 'dedicated', value: 'database', effect: TaintEffect.NO_SCHEDULE },
        { key: 'node.kubernetes.io/unreachable', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 0 },
        { key: 'spot', effect: TaintEffect.PREFER_NO_SCHEDULE },
        {},
      ],
    }).affinity.tolerations).toStrictEqual([
      { key: 'dedicated', operator: 'Equal', value: 'database', effect: 'NoSchedule', tolerationSeconds: undefined },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', value: undefined, effect: 'NoExecute', tolerationSeconds: 0 },
      { key: 'spot', operator: 'Exists', value: undefined, effect: 'PreferNoSchedule', tolerationSeconds: undefined },
      { key: undefined, operator: 'Exists', value: undefined, effect: undefined, tolerationSeconds: undefined },
    ]);
  });

  test('an empty value is Equal to the empty value', () => {
    expect(render({ tolerations: [{ key: 'k', value: '' }] }).affinity.tolerations).toStrictEqual([
      { key: 'k', operator: 'Equal', value: '', effect: undefined, tolerationSeconds: undefined },
    ]);
  });

  test('an effect outside TaintEffect is refused', () => {
    expect(refusal({ tolerations: [{ key: 'k' }, { key: 'k', effect: 'NoExecution' as any }] })).toBe(
      `${BOX_PATH}: tolerations[1].effect = "NoExecution" is not a taint effect. Fix: use TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE`);
  });

  test.each([-1, 1.5, NaN])('tolerationSeconds %p is refused', (s) => {
    expect(refusal({ tolerations: [{ key: 'k', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: s }] })).toBe(
      `${BOX_PATH}: tolerations[0].tolerationSeconds = ${s} is not a whole number of seconds. Fix: give e.g. 300`
      + ' (the field is tolerations[0].toleration_seconds in Python, Tolerations[0].TolerationSeconds in Go)');
  });

  test('the webhook\'s rules: the first problem, with the toleration as given', () => {
    expect(refusal({ tolerations: [{ key: 'k', tolerationSeconds: 300 }] })).toBe(
      `${BOX_PATH}: tolerations[0] = {"key":"k","tolerationSeconds":300} sets tolerationSeconds, which only NoExecute taints take. `
      + 'Fix: set effect NoExecute, or drop tolerationSeconds');
    expect(refusal({ tolerations: [{ value: 'x' }] })).toBe(
      `${BOX_PATH}: tolerations[0] = {"value":"x"} has no key, so its operator must be Exists (matching every taint). Fix: give the taint's key, or operator Exists`);
    expect(refusal({ tolerations: [{ key: 'a b', value: 'x y' }] })).toBe(
      `${BOX_PATH}: tolerations[0] = {"key":"a b","value":"x y"} has the key "a b", which is not a label name. `
      + 'Fix: use a taint key such as "dedicated" or "node-role.kubernetes.io/db"');
    expect(refusal({ tolerations: [{ key: 'k', value: 'x y' }] })).toBe(
      `${BOX_PATH}: tolerations[0] = {"key":"k","value":"x y"} has the value "x y", which is not a label value. Fix: use letters, digits, "-", "_" and "." (at most 63)`);
  });
});

describe('nodeSelector', () => {
  const KEY_FIX = 'Fix: use e.g. "node-role.kubernetes.io/database"';
  const VALUE_FIX = 'Fix: give the node label\'s value, e.g. "true"';
  const hint = (k: string) => ` (the field is node_selector["${k}"] in Python, NodeSelector["${k}"] in Go)`;

  test('written as a copy', () => {
    const nodeSelector = { 'node-role.kubernetes.io/database': 'true', 'disk': '' };
    const out = render({ nodeSelector });
    expect(out.affinity.nodeSelector).toStrictEqual({ 'node-role.kubernetes.io/database': 'true', 'disk': '' });
    expect(out.affinity.nodeSelector).not.toBe(nodeSelector);
  });

  test.each(['a', 'x_y.z', 'A9', 'example.com/x', 'a.b/c', 'a'.repeat(63), `${'p'.repeat(63)}.${'q'.repeat(63)}/n`])('the key %p is accepted', (k) => {
    expect(render({ nodeSelector: { [k]: 'v' } }).affinity.nodeSelector).toStrictEqual({ [k]: 'v' });
  });

  test.each(['a'.repeat(64), '-x', 'x-', '_x', 'x.', 'Example.com/x', '/x', 'x/', 'a/b/c', 'a b', '', '-a.com/x', 'a..b/x'])('the key %p is refused', (k) => {
    // The language hint is cut off: it spells a dotted map key wrongly in Go (language-names.ts, outside this file).
    expect(refusal({ nodeSelector: { [k]: 'v' } }).split(' (the field is ')[0]).toBe(`${BOX_PATH}: nodeSelector["${k}"] = "v" has a key that is not a node label name. ${KEY_FIX}`);
  });

  test.each(['true', '', 'a', 'A-b_c.9', 'v'.repeat(63)])('the value %p is accepted', (v) => {
    expect(render({ nodeSelector: { k: v } }).affinity.nodeSelector).toStrictEqual({ k: v });
  });

  test.each(['v'.repeat(64), '-a', 'a-', '.a', 'a.', 'a b', 'a/b'])('the value %p is refused', (v) => {
    expect(refusal({ nodeSelector: { k: v } })).toBe(`${BOX_PATH}: nodeSelector["k"] = ${JSON.stringify(v)} is not a label value. ${VALUE_FIX}${hint('k')}`);
  });

  test('a Flux variable is written unchecked, at any length', () => {
    const v = `${'x'.repeat(70)}\${NODE_POOL}`;
    expect(render({ nodeSelector: { pool: v } }).affinity.nodeSelector).toStrictEqual({ pool: v });
  });

  test('a value that is not a string is refused', () => {
    expect(refusal({ nodeSelector: { k: true as any } })).toBe(`${BOX_PATH}: nodeSelector["k"] = true is not a label value. ${VALUE_FIX}${hint('k')}`);
  });
});

describe('topologySpread', () => {
  test('the defaults: a skew of 1, DoNotSchedule, no minimum; the instances\' labels select, as a copy', () => {
    const out = render({ topologySpread: [{ topologyKey: 'kubernetes.io/hostname' }] });
    expect(out.topologySpreadConstraints).toStrictEqual([
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', minDomains: undefined, labelSelector: { matchLabels: LABELS } },
    ]);
    expect(out.topologySpreadConstraints[0].labelSelector!.matchLabels).not.toBe(LABELS);
  });

  test('every field given', () => {
    expect(render({
      topologySpread: [
        { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: UnsatisfiableSpread.DO_NOT_SCHEDULE, minDomains: 1 },
        { topologyKey: 'rack', maxSkew: 1, whenUnsatisfiable: UnsatisfiableSpread.SCHEDULE_ANYWAY },
      ],
    }).topologySpreadConstraints).toStrictEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule', minDomains: 1, labelSelector: { matchLabels: LABELS } },
      { topologyKey: 'rack', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', minDomains: undefined, labelSelector: { matchLabels: LABELS } },
    ]);
  });

  test.each(['a b', '', '-x', 'a'.repeat(64), 5 as any])('the topology key %p is refused', (k) => {
    expect(refusal({ topologySpread: [{ topologyKey: k }] })).toBe(
      `${BOX_PATH}: topologySpread[0].topologyKey = ${typeof k === 'string' ? JSON.stringify(k) : k} is not a node label name. `
      + 'Fix: use e.g. "topology.kubernetes.io/zone" (the field is topology_spread[0].topology_key in Python, TopologySpread[0].TopologyKey in Go)');
  });

  test('the zone key is refused when zoneSpread spreads by zone already, accepted otherwise', () => {
    expect(refusal({ topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone' }] }, true)).toBe(
      `${BOX_PATH}: topologySpread[0].topologyKey = "topology.kubernetes.io/zone" is already spread by zoneSpread. Fix: drop one of them`
      + ' (the field is topology_spread[0].topology_key in Python, TopologySpread[0].TopologyKey in Go)');
    expect(render({ topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone' }] }, false).topologySpreadConstraints).toHaveLength(1);
    expect(render({ topologySpread: [{ topologyKey: 'kubernetes.io/hostname' }] }, true).topologySpreadConstraints).toHaveLength(1);
  });

  test.each([0, -1, 1.5])('maxSkew %p is refused', (s) => {
    expect(refusal({ topologySpread: [{ topologyKey: 'k', maxSkew: s }] })).toBe(
      `${BOX_PATH}: topologySpread[0].maxSkew = ${s} is not a whole number of at least 1. Fix: give 1 (the default) or more`
      + ' (the field is topology_spread[0].max_skew in Python, TopologySpread[0].MaxSkew in Go)');
  });

  test('whenUnsatisfiable outside UnsatisfiableSpread is refused', () => {
    expect(refusal({ topologySpread: [{ topologyKey: 'k', whenUnsatisfiable: 'Never' as any }] })).toBe(
      `${BOX_PATH}: topologySpread[0].whenUnsatisfiable = "Never" is not a value Kubernetes accepts. Fix: use UnsatisfiableSpread.DO_NOT_SCHEDULE or SCHEDULE_ANYWAY`
      + ' (the field is topology_spread[0].when_unsatisfiable in Python, TopologySpread[0].WhenUnsatisfiable in Go)');
  });

  test.each([0, -1, 1.5])('minDomains %p is refused', (d) => {
    expect(refusal({ topologySpread: [{ topologyKey: 'k', minDomains: d }] })).toBe(
      `${BOX_PATH}: topologySpread[0].minDomains = ${d} is not a whole number of at least 1. Fix: give e.g. 3`
      + ' (the field is topology_spread[0].min_domains in Python, TopologySpread[0].MinDomains in Go)');
  });

  test('minDomains only with DoNotSchedule', () => {
    expect(refusal({ topologySpread: [{ topologyKey: 'k', minDomains: 3, whenUnsatisfiable: UnsatisfiableSpread.SCHEDULE_ANYWAY }] })).toBe(
      `${BOX_PATH}: topologySpread[0].minDomains = 3 is only allowed with UnsatisfiableSpread.DO_NOT_SCHEDULE (Kubernetes refuses it otherwise). `
      + 'Fix: drop minDomains or use DO_NOT_SCHEDULE (the field is topology_spread[0].min_domains in Python, TopologySpread[0].MinDomains in Go)');
    expect(render({ topologySpread: [{ topologyKey: 'k', minDomains: 3 }] }).topologySpreadConstraints[0].minDomains).toBe(3);
  });

  test('the field names the item', () => {
    expect(refusal({ topologySpread: [{ topologyKey: 'a' }, { topologyKey: 'b', maxSkew: 0 }] })).toBe(
      `${BOX_PATH}: topologySpread[1].maxSkew = 0 is not a whole number of at least 1. Fix: give 1 (the default) or more`
      + ' (the field is topology_spread[1].max_skew in Python, TopologySpread[1].MaxSkew in Go)');
  });
});

describe('priorityClassName and schedulerName', () => {
  const names = [['priorityClassName', 'priority_class_name', 'PriorityClassName'], ['schedulerName', 'scheduler_name', 'SchedulerName']] as const;

  test('written as given', () => {
    expect(render({ priorityClassName: 'database-critical', schedulerName: 'stork' }).spec).toStrictEqual({ priorityClassName: 'database-critical', schedulerName: 'stork' });
  });

  test.each(names)('%s: DNS-1123 subdomains up to 253 characters and Flux variables are accepted', (field) => {
    for (const v of ['a', 'a.b', 'a-b.c9', 'a.b-c', 'a'.repeat(253), `${'x'.repeat(300)}\${PRIORITY}`]) {
      expect(render({ [field]: v }).spec[field]).toBe(v);
    }
  });

  test.each(names)('%s: what is not a DNS-1123 subdomain is refused', (field, python, go) => {
    for (const v of ['a'.repeat(254), 'A', '-a', 'a-', 'a..b', '.a', 'a_b', '', 5]) {
      expect(refusal({ [field]: v as any })).toBe(
        `${BOX_PATH}: ${field} = ${typeof v === 'string' ? JSON.stringify(v) : v} is not a DNS-1123 subdomain. Fix: give the name of the object, e.g. "database-critical"`
        + ` (the field is ${python} in Python, ${go} in Go)`);
    }
  });
});
