import { App, Chart } from 'cdk8s';
import { RelabelAction, Relabeling, renderRelabelings } from '../src/monitoring/relabeling';

/**
 * `renderRelabelings` (src/monitoring/relabeling.ts) called directly: what it writes, and each
 * refusal whole (construct path, field, value, problem, fix). Nothing is built at `describe` level.
 */

const scope = () => new Chart(new App(), 'test');
const render = (relabelings: Relabeling[] | undefined, reserved: string[] = ['cluster']) => renderRelabelings(scope(), 'relabelings', relabelings, reserved);
const thrown = (relabelings: Relabeling[], reserved: string[] = ['cluster'], field = 'relabelings'): string => {
  try {
    renderRelabelings(scope(), field, relabelings, reserved);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('what is written', () => {
  test('none or an empty list: nothing', () => {
    expect(render(undefined)).toBeUndefined();
    expect(render([])).toBeUndefined();
  });

  test('the action defaults to replace; every field as given, the unset ones undefined', () => {
    expect(render([{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }])).toStrictEqual([{
      action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], separator: undefined, targetLabel: 'node', regex: undefined, replacement: undefined, modulus: undefined,
    }]);
    expect(render([
      { action: RelabelAction.REPLACE, sourceLabels: ['a', 'b'], separator: '/', targetLabel: 'ab', regex: '(.+)/(.+)', replacement: '$2-$1' },
      { action: RelabelAction.HASHMOD, sourceLabels: ['__address__'], targetLabel: '__tmp_shard', modulus: 1 },
      { action: RelabelAction.KEEP, sourceLabels: ['__tmp_shard'], regex: '0' },
      { action: RelabelAction.DROP, sourceLabels: ['__name__'], regex: 'go_.*' },
      { action: RelabelAction.LABELMAP, regex: '__meta_kubernetes_pod_label_(.+)' },
      { action: RelabelAction.LABELDROP, regex: 'pod_template_hash' },
      { action: RelabelAction.LABELKEEP, regex: '.*' },
    ])).toStrictEqual([
      { action: 'replace', sourceLabels: ['a', 'b'], separator: '/', targetLabel: 'ab', regex: '(.+)/(.+)', replacement: '$2-$1', modulus: undefined },
      { action: 'hashmod', sourceLabels: ['__address__'], separator: undefined, targetLabel: '__tmp_shard', regex: undefined, replacement: undefined, modulus: 1 },
      { action: 'keep', sourceLabels: ['__tmp_shard'], separator: undefined, targetLabel: undefined, regex: '0', replacement: undefined, modulus: undefined },
      { action: 'drop', sourceLabels: ['__name__'], separator: undefined, targetLabel: undefined, regex: 'go_.*', replacement: undefined, modulus: undefined },
      { action: 'labelmap', sourceLabels: undefined, separator: undefined, targetLabel: undefined, regex: '__meta_kubernetes_pod_label_(.+)', replacement: undefined, modulus: undefined },
      { action: 'labeldrop', sourceLabels: undefined, separator: undefined, targetLabel: undefined, regex: 'pod_template_hash', replacement: undefined, modulus: undefined },
      { action: 'labelkeep', sourceLabels: undefined, separator: undefined, targetLabel: undefined, regex: '.*', replacement: undefined, modulus: undefined },
    ]);
  });

  test('label names: letters, digits and "_", not first a digit; a target label may hold $1 and ${1}', () => {
    expect(render([{ sourceLabels: ['_', 'A', 'a_9', '__name__'], targetLabel: '_' }])![0].sourceLabels).toStrictEqual(['_', 'A', 'a_9', '__name__']);
    for (const target of ['Z9', '$1', '${1}_x', 'x_${2}']) {
      expect(render([{ sourceLabels: ['a'], targetLabel: target, regex: '(a)' }])![0].targetLabel).toBe(target);
    }
  });
});

describe('refusals, each whole', () => {
  const at = 'Chart at \'test\': ';

  test('an action that is not a RelabelAction (the field of its item)', () => {
    expect(thrown([{ targetLabel: 'a' }, { action: 'Keep' as RelabelAction }]))
      .toBe(`${at}relabelings[1].action = "Keep" is not a relabel action. Fix: use a RelabelAction`);
  });

  test.each([['1a'], ['a-b'], ['ab-'], ['-ab'], ['a b'], [''], ['é']])('source label %j', (label) => {
    expect(thrown([{ sourceLabels: ['ok', label], targetLabel: 'x' }], ['cluster'], 'metricRelabelings')).toBe(`${at}metricRelabelings[0].sourceLabels[1] = ${JSON.stringify(label)} `
      + 'is not a Prometheus label name. Fix: use letters, digits and "_", e.g. "__meta_kubernetes_pod_node_name" '
      + '(the field is metric_relabelings[0].source_labels[1] in Python, MetricRelabelings[0].SourceLabels[1] in Go)');
  });

  test('a source label that is not a string (true would pass the grammar as text)', () => {
    expect(thrown([{ sourceLabels: [5 as unknown as string], targetLabel: 'x' }])).toMatch(/^Chart at 'test': relabelings\[0\]\.sourceLabels\[0\] = 5 is not a Prometheus label name\./);
    expect(thrown([{ sourceLabels: [true as unknown as string], targetLabel: 'x' }])).toMatch(/^Chart at 'test': relabelings\[0\]\.sourceLabels\[0\] = true is not a Prometheus label name\./);
  });

  test.each([['1a'], ['a-b'], ['ab-'], ['-ab'], ['a b'], [''], ['$'.repeat(0) + '{1}']])('target label %j', (label) => {
    expect(thrown([{ sourceLabels: ['a'], targetLabel: label }])).toBe(`${at}relabelings[0].targetLabel = ${JSON.stringify(label)} is not a Prometheus label name. `
      + 'Fix: use letters, digits and "_" (the field is relabelings[0].target_label in Python, Relabelings[0].TargetLabel in Go)');
  });

  test('a target label that is not a string', () => {
    expect(thrown([{ sourceLabels: ['a'], targetLabel: 7 as unknown as string }])).toMatch(/^Chart at 'test': relabelings\[0\]\.targetLabel = 7 is not a Prometheus label name\./);
    expect(thrown([{ sourceLabels: ['a'], targetLabel: true as unknown as string }])).toMatch(/^Chart at 'test': relabelings\[0\]\.targetLabel = true is not a Prometheus label name\./);
  });

  test('the reserved label as a target, whatever the action', () => {
    for (const action of [RelabelAction.REPLACE, RelabelAction.HASHMOD, RelabelAction.KEEP]) {
      expect(thrown([{ action, sourceLabels: ['a'], targetLabel: 'namespace', modulus: 2 }], ['cluster', 'namespace'])).toBe(`${at}relabelings[0].targetLabel = "namespace" `
        + 'is the label the alert presets and dashboards select on, which the library sets. Fix: write another label '
        + '(the field is relabelings[0].target_label in Python, Relabelings[0].TargetLabel in Go)');
    }
    expect(render([{ sourceLabels: ['a'], targetLabel: 'cluster' }], [])![0].targetLabel).toBe('cluster');
  });

  test('replace and hashmod need a target label; the other actions do not', () => {
    for (const action of [RelabelAction.REPLACE, RelabelAction.HASHMOD, undefined]) {
      expect(thrown([{ action, sourceLabels: ['a'], modulus: 2 }])).toBe(`${at}relabelings[0].targetLabel = (unset) is required by ${action ?? 'replace'}. Fix: name the label to write `
        + '(the field is relabelings[0].target_label in Python, Relabelings[0].TargetLabel in Go)');
    }
    for (const action of [RelabelAction.KEEP, RelabelAction.DROP, RelabelAction.LABELMAP, RelabelAction.LABELKEEP]) {
      expect(render([{ action, sourceLabels: ['a'] }])![0].action).toBe(action);
    }
  });

  test('hashmod needs a whole modulus of at least 1 (1 accepted, 0 refused)', () => {
    for (const modulus of [undefined, 0, -1, 1.5, Number.NaN]) {
      expect(thrown([{ action: RelabelAction.HASHMOD, sourceLabels: ['a'], targetLabel: 't', modulus }]))
        .toBe(`${at}relabelings[0].modulus = ${modulus === undefined ? '(unset)' : String(modulus)} is required by hashmod (a whole number of at least 1). Fix: give e.g. 4`);
    }
    expect(render([{ action: RelabelAction.HASHMOD, sourceLabels: ['a'], targetLabel: 't', modulus: 1 }])![0].modulus).toBe(1);
    // Only hashmod reads it.
    expect(render([{ action: RelabelAction.REPLACE, sourceLabels: ['a'], targetLabel: 't', modulus: 0 }])![0].modulus).toBe(0);
  });

  test('labeldrop must not drop a reserved label: the regex anchored at both ends, (.*) by default', () => {
    const drops = (regex: string | undefined) => `${at}relabelings[0].regex = ${JSON.stringify(regex ?? '(.*)')} drops the label cluster/namespace `
      + 'the alert presets and dashboards select on. Fix: narrow the regex';
    for (const regex of [undefined, 'clu.*', 'cluster', '.*space', 'a|cluster']) {
      expect(thrown([{ action: RelabelAction.LABELDROP, regex }], ['cluster', 'namespace'])).toBe(drops(regex));
    }
    for (const regex of ['clu', 'luster', 'xcluster', 'cluster.+', 'names']) {
      expect(render([{ action: RelabelAction.LABELDROP, regex }], ['cluster', 'namespace'])![0].regex).toBe(regex);
    }
    // Other actions may match it.
    expect(render([{ action: RelabelAction.LABELMAP, regex: '(.*)' }])![0].regex).toBe('(.*)');
  });

  test('labelkeep must keep the reserved labels: it drops every label its regex (anchored) does not match', () => {
    for (const regex of ['pod|instance', 'clu', 'xcluster', 'cluster']) {
      expect(thrown([{ action: RelabelAction.LABELKEEP, regex }], ['cluster', 'namespace'])).toBe(`${at}relabelings[0].regex = ${JSON.stringify(regex)} `
        + 'drops the label cluster/namespace the alert presets and dashboards select on (labelkeep keeps only the labels it matches). '
        + `Fix: let it match them too, e.g. "(${regex})|cluster|namespace"`);
    }
    for (const regex of [undefined, '.*', 'cluster|namespace|pod', '(clu|name)[a-z]+']) {
      expect(render([{ action: RelabelAction.LABELKEEP, regex }], ['cluster', 'namespace'])![0].regex).toBe(regex);
    }
    expect(thrown([{ action: RelabelAction.LABELKEEP, regex: 'a(' }])).toBe(`${at}relabelings[0].regex = "a(" is not a regular expression. Fix: write an RE2 expression, e.g. "pg_stat_.*"`);
  });

  test('a regex that is not one', () => {
    for (const action of [RelabelAction.LABELDROP, RelabelAction.DROP]) {
      expect(thrown([{ action, sourceLabels: ['a'], regex: 'a(' }])).toBe(`${at}relabelings[0].regex = "a(" is not a regular expression. Fix: write an RE2 expression, e.g. "pg_stat_.*"`);
    }
  });
});
