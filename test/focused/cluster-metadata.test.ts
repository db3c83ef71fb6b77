// ClusterAnnotation and renderMetadata (src/cluster/cluster-metadata.ts), issue #17: called
// directly on a bare scope, nothing synthesized, so that per-test coverage runs only the tests a
// mutant reaches. test/cluster-options.test.ts checks the same through a synthesized Cluster.
import { ClusterAnnotation } from '../../src';
import { MetadataInput, renderMetadata } from '../../src/cluster/cluster-metadata';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const render = (props: MetadataInput) => renderMetadata(boxScope(), props);
const refusal = (props: MetadataInput) => thrown(() => render(props));
const fence = (instances: string[]) => thrown(() => render({ operatorAnnotations: [ClusterAnnotation.fenceInstances(instances)] }));

describe('ClusterAnnotation', () => {
  test('each factory\'s key and value, as the operator reads them', () => {
    expect([
      ClusterAnnotation.hibernate(), ClusterAnnotation.pauseReconciliation(), ClusterAnnotation.skipEmptyWalArchiveCheck(),
      ClusterAnnotation.skipWalArchiving(), ClusterAnnotation.freezePodSpec(), ClusterAnnotation.fenceInstances(['db-1', 'db-2']), ClusterAnnotation.fenceInstances(['*']),
    ].map((a) => [a.key, a.value])).toEqual([
      ['cnpg.io/hibernation', 'on'],
      ['cnpg.io/reconciliationLoop', 'disabled'],
      ['cnpg.io/skipEmptyWalArchiveCheck', 'enabled'],
      ['cnpg.io/skipWalArchiving', 'enabled'],
      ['cnpg.io/reconcilePodSpec', 'disabled'],
      ['cnpg.io/fencedInstances', '["db-1","db-2"]'],
      ['cnpg.io/fencedInstances', '["*"]'],
    ]);
  });

  test('fenceInstances: its argument checked by type', () => {
    expect(thrown(() => ClusterAnnotation.fenceInstances('db-1' as any))).toMatch(/^ClusterAnnotation\.fenceInstances: instances = "db-1" is a string, where a list goes\. Fix: /);
  });

  test('the fenced instances: pod names (one character, digits, inner dashes) or "*"', () => {
    expect(render({ operatorAnnotations: [ClusterAnnotation.fenceInstances(['a', 'db-1', '1', 'x--y', '*'])] }).annotations)
      .toEqual({ 'cnpg.io/fencedInstances': '["a","db-1","1","x--y","*"]' });
  });

  test('no instance, or one that is no pod name, refused with the whole message', () => {
    expect(fence([])).toBe(`${BOX_PATH}: operatorAnnotations[0] = [] lists no instance. Fix: name the pods to fence (e.g. "shared-postgres-1"), or ["*"] for all`
      + ' (the field is operator_annotations[0] in Python, OperatorAnnotations[0] in Go)');
    expect(fence(['db-1', 'DB-2'])).toBe(`${BOX_PATH}: operatorAnnotations[0] = "DB-2" is not an instance's pod name. Fix: name the pod, e.g. "shared-postgres-1", or "*" for every instance`
      + ' (the field is operator_annotations[0] in Python, OperatorAnnotations[0] in Go)');
    for (const bad of ['-db', 'db-', 'db_1', 'db 1', 'db-1.x', '**', '', ' db']) expect(fence([bad])).toMatch(new RegExp(`= ${JSON.stringify(bad).replace(/[*.]/g, '\\$&')} is not an instance's pod name`));
  });
});

describe('renderMetadata', () => {
  test('nothing given: nothing written', () => {
    expect(render({})).toEqual({ annotations: undefined, spec: { inheritedMetadata: undefined } });
    expect(render({ annotations: {}, operatorAnnotations: [], inheritedMetadata: {} }))
      .toEqual({ annotations: undefined, spec: { inheritedMetadata: undefined } });
  });

  test('the Cluster\'s own annotations: raw and typed together', () => {
    expect(render({ annotations: { 'example.com/owner': 'team db', 'cnpg.io/other': 'x' }, operatorAnnotations: [ClusterAnnotation.hibernate(), ClusterAnnotation.freezePodSpec()] }).annotations).toEqual({
      'example.com/owner': 'team db', 'cnpg.io/other': 'x', 'cnpg.io/hibernation': 'on', 'cnpg.io/reconcilePodSpec': 'disabled',
    });
  });

  test('inherited labels and annotations, each alone or together', () => {
    expect(render({ inheritedMetadata: { labels: { team: 'db' } } }).spec).toEqual({ inheritedMetadata: { labels: { team: 'db' }, annotations: undefined } });
    expect(render({ inheritedMetadata: { annotations: { a: 'b' } } }).spec).toEqual({ inheritedMetadata: { labels: undefined, annotations: { a: 'b' } } });
    expect(render({ inheritedMetadata: { labels: { a: 'b' }, annotations: { c: 'd' } } }).spec).toEqual({ inheritedMetadata: { labels: { a: 'b' }, annotations: { c: 'd' } } });
    expect(render({ inheritedMetadata: { labels: { a: 'b' } } }).annotations).toBeUndefined();
  });

  test('an operator annotation written raw is refused, its factory in the fix', () => {
    const factories: Array<[string, string]> = [
      ['cnpg.io/hibernation', 'ClusterAnnotation.hibernate()'],
      ['cnpg.io/reconciliationLoop', 'ClusterAnnotation.pauseReconciliation()'],
      ['cnpg.io/skipEmptyWalArchiveCheck', 'ClusterAnnotation.skipEmptyWalArchiveCheck()'],
      ['cnpg.io/skipWalArchiving', 'ClusterAnnotation.skipWalArchiving()'],
      ['cnpg.io/fencedInstances', 'ClusterAnnotation.fenceInstances([...])'],
      ['cnpg.io/reconcilePodSpec', 'ClusterAnnotation.freezePodSpec()'],
    ];
    for (const [key, factory] of factories) {
      expect(refusal({ annotations: { 'example.com/a': 'b', [key]: 'x' } })).toBe(
        `${BOX_PATH}: annotations["${key}"] = "x" is an operator annotation with a typed option (its value is checked there). Fix: use operatorAnnotations: [${factory}]`);
    }
  });

  test('an operator annotation that is not a ClusterAnnotation (a look-alike passes the argument check by its class name), or given twice', () => {
    // A class named ClusterAnnotation (its name taken from the property).
    const Lookalike = {
      ClusterAnnotation: class { public readonly key = 'cnpg.io/hibernation'; public readonly value = 'on'; public toString() { return 'lookalike'; } },
    }.ClusterAnnotation;
    const lookalike = new Lookalike();
    expect(refusal({ operatorAnnotations: [ClusterAnnotation.hibernate(), lookalike as any] })).toBe(
      `${BOX_PATH}: operatorAnnotations[1] = lookalike is not a ClusterAnnotation. Fix: use a factory such as ClusterAnnotation.hibernate()`
      + ' (the field is operator_annotations[1] in Python, OperatorAnnotations[1] in Go)');
    const twice = [ClusterAnnotation.skipWalArchiving(), ClusterAnnotation.hibernate(), ClusterAnnotation.hibernate()];
    expect(refusal({ operatorAnnotations: twice })).toBe(
      `${BOX_PATH}: operatorAnnotations[2] = "cnpg.io/hibernation" is given twice. Fix: give each operator annotation once (the field is operator_annotations[2] in Python, OperatorAnnotations[2] in Go)`);
    expect(fence(['db-1']).startsWith('(nothing')).toBe(true);
    expect(thrown(() => render({ operatorAnnotations: [ClusterAnnotation.hibernate(), ClusterAnnotation.fenceInstances([])] }))).toMatch(/^Construct at 'test\/box': operatorAnnotations\[1\] = \[\] lists no instance/);
  });

  test('keys: Kubernetes qualified names, with an optional DNS subdomain prefix', () => {
    const ok = ['a', 'A', 'team', 'a_b.c-D', `x${'y'.repeat(62)}`, 'a/b', 'example.c/team', 'ex-ample.com/x', '1.2/a', 'k8s.io/x'];
    for (const k of ok) expect(render({ annotations: { [k]: 'v' } }).annotations).toEqual({ [k]: 'v' });
    const bad = ['', 'a b', '-a', 'a-', '_a', 'a_', `x${'y'.repeat(63)}`, 'A.com/x', 'a-/x', '-a/x', 'a..b/x', '.a/x', 'a/', '/a', 'a/b/c', 'a b/x', 'x/a b', 'ex ample.com/x'];
    for (const k of bad) {
      expect(refusal({ annotations: { [k]: 'v' } })).toBe(
        `${BOX_PATH}: annotations[${JSON.stringify(k)}] = "v" has a key that is not a Kubernetes qualified name. Fix: use e.g. "team" or "example.com/team"`);
    }
  });

  test('each map named in the message', () => {
    expect(refusal({ inheritedMetadata: { labels: { 'a b': 'v' } } })).toMatch(/^Construct at 'test\/box': inheritedMetadata\.labels\["a b"\] = "v" has a key that is not a Kubernetes qualified name\. /);
    expect(refusal({ inheritedMetadata: { annotations: { 'a b': 'v' } } })).toMatch(/^Construct at 'test\/box': inheritedMetadata\.annotations\["a b"\] = "v" has a key that is not a Kubernetes qualified name\. /);
  });

  test('inherited label values: at most 63, letters, digits, "-", "_", "." inside; empty and Flux variables accepted', () => {
    const ok = ['', 'a', '1', 'a-b', 'a_b.c', 'A9', 'v'.repeat(63), '${TEAM}', `\${T}${'v'.repeat(70)}`];
    for (const v of ok) expect(render({ inheritedMetadata: { labels: { team: v } } }).spec.inheritedMetadata!.labels).toEqual({ team: v });
    const problem = 'is not a label value (at most 63 letters, digits, "-", "_", "."; starting and ending with a letter or digit). Fix: shorten or simplify the value';
    for (const v of ['v'.repeat(64), '-a', 'a-', '_a', 'a.', 'a b', 'a/b', 'é']) {
      expect(refusal({ inheritedMetadata: { labels: { team: v } } })).toBe(`${BOX_PATH}: inheritedMetadata.labels["team"] = ${JSON.stringify(v)} ${problem}`
        + ' (the field is inherited_metadata.labels["team"] in Python, InheritedMetadata.Labels["team"] in Go)');
    }
  });

  test('annotation values are free text (the Cluster\'s and the inherited ones)', () => {
    const long = `${'x'.repeat(100)} -`;
    expect(render({ annotations: { a: long }, inheritedMetadata: { annotations: { b: long } } })).toEqual({
      annotations: { a: long }, spec: { inheritedMetadata: { labels: undefined, annotations: { b: long } } },
    });
  });
});
