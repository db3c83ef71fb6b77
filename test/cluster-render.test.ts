/**
 * The Cluster fields of the lifecycle props (src/cluster/lifecycle.ts) and of the exporter's
 * queries (src/cluster/monitoring-queries.ts) rendered directly (nothing synthesized, so that
 * mutation testing runs only the tests that reach a mutant): the defaults, each limit at the limit
 * and one past, each refusal with its whole message.
 */
import { Duration } from 'cdk8s';
import { CnpgVersion, CustomQueries, PrimaryUpdateMethod, PrimaryUpdateStrategy } from '../src';
import { thrown } from './util/errors';
import { BOX_PATH, boxScope } from './util/synth';
import { CNPG_CLUSTER_FIELDS } from '../src/cluster/cluster-fields';
import { renderLifecycle, wholeSeconds } from '../src/cluster/lifecycle';
import { renderMonitoringQueries } from '../src/cluster/monitoring-queries';
import { releasesWith } from '../src/versions/features';

const scope = boxScope;
const where = BOX_PATH;

describe('lifecycle.ts: wholeSeconds', () => {
  const ws = (d: any, min: number, fix?: string) => wholeSeconds(scope(), 'delay', d, min, fix);
  test('whole seconds from the minimum to 2^31 − 1', () => {
    expect(ws(Duration.seconds(0), 0)).toBe(0);
    expect(ws(Duration.seconds(1), 1)).toBe(1);
    expect(ws(Duration.minutes(2), 1)).toBe(120);
    expect(ws(Duration.seconds(2 ** 31 - 1), 0)).toBe(2 ** 31 - 1);
  });

  test('below the minimum, past 2^31 − 1, a fraction, not a Duration: refused', () => {
    expect(thrown(() => ws(Duration.seconds(0), 1))).toBe(`${where}: delay = "0s" is not a whole number of seconds of at least 1. Fix: give e.g. Duration.seconds(30)`);
    expect(thrown(() => ws(Duration.seconds(2 ** 31), 0))).toBe(`${where}: delay = "2147483648s" is not a whole number of seconds of at least 0. Fix: give e.g. Duration.seconds(30)`);
    expect(thrown(() => ws(Duration.millis(1500), 1))).toBe(`${where}: delay = "1.5s" is not a whole number of seconds of at least 1. Fix: give e.g. Duration.seconds(30)`);
    expect(thrown(() => ws(Duration.seconds(40), 41))).toBe(`${where}: delay = "40s" is not a whole number of seconds of at least 41. Fix: give e.g. Duration.seconds(41)`);
    expect(thrown(() => ws(30, 0))).toBe(`${where}: delay = 30 is not a whole number of seconds of at least 0. Fix: give e.g. Duration.seconds(30)`);
    expect(thrown(() => ws(Duration.millis(500), 0, 'my fix'))).toBe(`${where}: delay = "0.5s" is not a whole number of seconds of at least 0. Fix: my fix`);
  });
});

describe('lifecycle.ts: renderLifecycle', () => {
  const render = (props: any, instances = 3) => renderLifecycle(scope(), props, instances);
  const nothing = {
    primaryUpdateStrategy: undefined,
    primaryUpdateMethod: undefined,
    failoverDelay: undefined,
    switchoverDelay: undefined,
    startDelay: undefined,
    stopDelay: undefined,
    smartShutdownTimeout: undefined,
    livenessProbeTimeout: undefined,
    nodeMaintenanceWindow: undefined,
  };

  test('the enums are the CRD\'s values', () => {
    expect(Object.entries(PrimaryUpdateStrategy)).toEqual([['UNSUPERVISED', 'unsupervised'], ['SUPERVISED', 'supervised']]);
    expect(Object.entries(PrimaryUpdateMethod)).toEqual([['RESTART', 'restart'], ['SWITCHOVER', 'switchover']]);
  });

  test('nothing given: nothing written (the operator\'s defaults)', () => {
    expect(render({})).toEqual(nothing);
  });

  test('every field written', () => {
    expect(render({
      primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED,
      primaryUpdateMethod: PrimaryUpdateMethod.SWITCHOVER,
      failoverDelay: Duration.seconds(0),
      switchoverDelay: Duration.seconds(0),
      startDelay: Duration.seconds(1),
      stopDelay: Duration.seconds(2),
      smartShutdownTimeout: Duration.seconds(1),
      livenessProbeTimeout: Duration.seconds(1),
      nodeMaintenanceWindow: { inProgress: true, reusePvc: false },
    }, 2)).toEqual({
      primaryUpdateStrategy: 'supervised',
      primaryUpdateMethod: 'switchover',
      failoverDelay: 0,
      switchoverDelay: 0,
      startDelay: 1,
      stopDelay: 2,
      smartShutdownTimeout: 1,
      livenessProbeTimeout: 1,
      nodeMaintenanceWindow: { inProgress: true, reusePvc: false },
    });
    expect(render({ nodeMaintenanceWindow: { inProgress: false } }).nodeMaintenanceWindow).toEqual({ inProgress: false, reusePvc: undefined });
    expect(render({ primaryUpdateStrategy: PrimaryUpdateStrategy.UNSUPERVISED }, 1).primaryUpdateStrategy).toBe('unsupervised');
  });

  test('values outside the enums refused with the values to use', () => {
    expect(thrown(() => render({ primaryUpdateStrategy: 'manual' }))).toBe(`${where}: primaryUpdateStrategy = "manual" is not a value the CRD accepts. `
      + 'Fix: use one of PrimaryUpdateStrategy.UNSUPERVISED, PrimaryUpdateStrategy.SUPERVISED (the field is primary_update_strategy in Python, PrimaryUpdateStrategy in Go)');
    expect(thrown(() => render({ primaryUpdateMethod: 'UNSUPERVISED' }))).toBe(`${where}: primaryUpdateMethod = "UNSUPERVISED" is not a value the CRD accepts. `
      + 'Fix: use one of PrimaryUpdateMethod.RESTART, PrimaryUpdateMethod.SWITCHOVER (the field is primary_update_method in Python, PrimaryUpdateMethod in Go)');
  });

  test('supervised with one instance refused, with two accepted', () => {
    expect(thrown(() => render({ primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED }, 1))).toBe(`${where}: primaryUpdateStrategy = "supervised" is not allowed `
      + 'with a single instance (CloudNativePG\'s webhook refuses it): there is no standby to promote. Fix: keep PrimaryUpdateStrategy.UNSUPERVISED, or raise instances '
      + '(the field is primary_update_strategy in Python, PrimaryUpdateStrategy in Go)');
    expect(render({ primaryUpdateStrategy: PrimaryUpdateStrategy.SUPERVISED }, 2).primaryUpdateStrategy).toBe('supervised');
  });

  test('the minimum of each delay: 0 for failover, switchover, smart shutdown (a Duration is never negative); 1 for start, stop, liveness', () => {
    for (const f of ['failoverDelay', 'switchoverDelay', 'smartShutdownTimeout']) {
      expect((render({ [f]: Duration.seconds(0) }) as any)[f]).toBe(0);
      expect(thrown(() => render({ [f]: Duration.millis(1) }))).toContain(`${where}: ${f} = "0.001s" is not a whole number of seconds of at least 0. Fix: give e.g. Duration.seconds(30)`);
    }
    for (const f of ['startDelay', 'stopDelay', 'livenessProbeTimeout']) {
      expect((render({ [f]: Duration.seconds(181) }) as any)[f]).toBe(181);
      expect(thrown(() => render({ [f]: Duration.seconds(0) }))).toContain(`${where}: ${f} = "0s" is not a whole number of seconds of at least 1. Fix: give e.g. Duration.seconds(30)`);
    }
    expect(render({ startDelay: Duration.seconds(1), livenessProbeTimeout: Duration.seconds(1) }))
      .toMatchObject({ startDelay: 1, livenessProbeTimeout: 1 });
  });

  test('the smart shutdown must end before stopDelay, against the operator\'s defaults when one is unset', () => {
    const noRoom = (field: string, value: number, stop: number, smart: number) => `${where}: ${field} = "${value}s" leaves no time for the fast shutdown: `
      + `the operator requests it at stopDelay (${stop}s) − smartShutdownTimeout (${smart}s), after which Kubernetes kills PostgreSQL. `
      + 'Fix: keep smartShutdownTimeout well below stopDelay (CloudNativePG\'s defaults: 180s and 1800s)';
    expect(render({ stopDelay: Duration.seconds(181) }).stopDelay).toBe(181);
    expect(thrown(() => render({ stopDelay: Duration.seconds(180) }))).toBe(`${noRoom('stopDelay', 180, 180, 180)} (the field is stop_delay in Python, StopDelay in Go)`);
    expect(thrown(() => render({ stopDelay: Duration.seconds(100) }))).toBe(`${noRoom('stopDelay', 100, 100, 180)} (the field is stop_delay in Python, StopDelay in Go)`);
    expect(render({ smartShutdownTimeout: Duration.seconds(1799) }).smartShutdownTimeout).toBe(1799);
    expect(thrown(() => render({ smartShutdownTimeout: Duration.seconds(1800) })))
      .toBe(`${noRoom('smartShutdownTimeout', 1800, 1800, 1800)} (the field is smart_shutdown_timeout in Python, SmartShutdownTimeout in Go)`);
    expect(render({ stopDelay: Duration.seconds(10), smartShutdownTimeout: Duration.seconds(9) }))
      .toMatchObject({ stopDelay: 10, smartShutdownTimeout: 9 });
    expect(thrown(() => render({ stopDelay: Duration.seconds(10), smartShutdownTimeout: Duration.seconds(10) })))
      .toBe(`${noRoom('smartShutdownTimeout', 10, 10, 10)} (the field is smart_shutdown_timeout in Python, SmartShutdownTimeout in Go)`);
    expect(thrown(() => render({ stopDelay: Duration.seconds(10), smartShutdownTimeout: Duration.seconds(20) })))
      .toBe(`${noRoom('smartShutdownTimeout', 20, 10, 20)} (the field is smart_shutdown_timeout in Python, SmartShutdownTimeout in Go)`);
  });

  test('the maintenance window\'s inProgress must be a boolean', () => {
    expect(thrown(() => render({ nodeMaintenanceWindow: { inProgress: 'yes' } }))).toBe(`${where}: nodeMaintenanceWindow.inProgress = "yes" is not a boolean. `
      + 'Fix: write true while the nodes are being maintained, false otherwise (the field is node_maintenance_window.in_progress in Python, NodeMaintenanceWindow.InProgress in Go)');
    expect(thrown(() => render({ nodeMaintenanceWindow: {} }))).toContain(`${where}: nodeMaintenanceWindow.inProgress = (unset) is not a boolean.`);
  });
});

describe('monitoring-queries.ts', () => {
  const render = (props: any, version = CnpgVersion.LATEST_SUPPORTED) => renderMonitoringQueries(scope(), props, version);

  test('CustomQueries: the source, the object, the key', () => {
    const cm = CustomQueries.fromConfigMap('pg-queries', 'queries.yaml');
    expect([cm.source, cm.objectName, cm.key]).toEqual(['configMap', 'pg-queries', 'queries.yaml']);
    const s = CustomQueries.fromSecret('pg-secret-queries', 'q.yaml');
    expect([s.source, s.objectName, s.key]).toEqual(['secret', 'pg-secret-queries', 'q.yaml']);
    expect(thrown(() => CustomQueries.fromConfigMap(1 as any, 'k'))).toContain('CustomQueries.fromConfigMap: configMapName = 1 is a number, where a string goes.');
    expect(thrown(() => CustomQueries.fromSecret('s', 1 as any))).toContain('CustomQueries.fromSecret: key = 1 is a number, where a string goes.');
  });

  test('nothing given: no spec.monitoring', () => {
    expect(render({})).toBeUndefined();
    expect(render({ customQueries: [] })).toBeUndefined();
  });

  test('ConfigMaps and Secrets in their lists, in order; each other field alone is enough', () => {
    expect(render({
      customQueries: [
        CustomQueries.fromConfigMap('a', 'q.yaml'), CustomQueries.fromSecret('b', 'q.yaml'), CustomQueries.fromConfigMap('c.d', 'x-1_2.yml'),
        CustomQueries.fromConfigMap('a', 'other.yaml'), CustomQueries.fromSecret('a', 'q.yaml'),
      ],
      disableDefaultQueries: true,
      metricsQueriesTtl: Duration.seconds(30),
    })).toEqual({
      customQueriesConfigMap: [{ name: 'a', key: 'q.yaml' }, { name: 'c.d', key: 'x-1_2.yml' }, { name: 'a', key: 'other.yaml' }],
      customQueriesSecret: [{ name: 'b', key: 'q.yaml' }, { name: 'a', key: 'q.yaml' }],
      disableDefaultQueries: true,
      metricsQueriesTtl: '30s',
    });
    const none = {
      customQueriesConfigMap: undefined, customQueriesSecret: undefined, disableDefaultQueries: undefined, metricsQueriesTtl: undefined,
    };
    expect(render({ disableDefaultQueries: false })).toEqual({ ...none, disableDefaultQueries: false });
    expect(render({ metricsQueriesTtl: Duration.seconds(1) })).toEqual({ ...none, metricsQueriesTtl: '1s' });
    expect(render({ customQueries: [CustomQueries.fromSecret('s', 'k')] })).toEqual({ ...none, customQueriesSecret: [{ name: 's', key: 'k' }] });
    expect(render({ customQueries: [CustomQueries.fromConfigMap('m', 'k')] })).toEqual({ ...none, customQueriesConfigMap: [{ name: 'm', key: 'k' }] });
  });

  test('object names: DNS subdomains of at most 253 characters, a Flux variable unchecked', () => {
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    expect(render({ customQueries: [CustomQueries.fromConfigMap(longest, 'k')] })?.customQueriesConfigMap).toEqual([{ name: longest, key: 'k' }]);
    const bad = (kind: string, v: string) => `${where}: customQueries[0] = ${v} is not a ${kind} name. Fix: give the object's name, e.g. "pg-custom-queries" `
      + '(the field is custom_queries[0] in Python, CustomQueries[0] in Go)';
    expect(thrown(() => render({ customQueries: [CustomQueries.fromConfigMap(`${longest}e`, 'k')] }))).toBe(bad('ConfigMap', `"${longest}e"`));
    for (const name of ['', 'A', '-a', 'a-', 'a..b', 'a_b', '.a', 'a.', ' a', 'a\n']) {
      expect(thrown(() => render({ customQueries: [CustomQueries.fromConfigMap(name, 'k')] }))).toBe(bad('ConfigMap', JSON.stringify(name)));
      expect(thrown(() => render({ customQueries: [CustomQueries.fromSecret(name, 'k')] }))).toBe(bad('Secret', JSON.stringify(name)));
    }
    for (const name of ['a', '9', 'a-b.c-d', 'a.b.c']) expect(render({ customQueries: [CustomQueries.fromSecret(name, 'k')] })?.customQueriesSecret).toEqual([{ name, key: 'k' }]);
    expect(render({ customQueries: [CustomQueries.fromConfigMap('${QUERIES}', 'k')] })?.customQueriesConfigMap).toEqual([{ name: '${QUERIES}', key: 'k' }]);
    const odd = Object.assign(Object.create(CustomQueries.prototype), { source: 'configMap', objectName: 5, key: 'k' });
    expect(thrown(() => render({ customQueries: [odd] }))).toBe(bad('ConfigMap', '5'));
  });

  test('keys: letters, digits, "-", "_" and "."', () => {
    const bad = (i: number, v: string) => `${where}: customQueries[${i}].key = ${v} is not a key. Fix: give the key holding the queries, e.g. "queries.yaml" `
      + `(the field is custom_queries[${i}].key in Python, CustomQueries[${i}].Key in Go)`;
    expect(render({ customQueries: [CustomQueries.fromConfigMap('a', 'A-z_0.9')] })?.customQueriesConfigMap).toEqual([{ name: 'a', key: 'A-z_0.9' }]);
    for (const key of ['', 'a/b', 'a b', ' a', 'a\n']) {
      expect(thrown(() => render({ customQueries: [CustomQueries.fromConfigMap('m', 'ok'), CustomQueries.fromConfigMap('m', key)] }))).toBe(bad(1, JSON.stringify(key)));
    }
    const odd = Object.assign(Object.create(CustomQueries.prototype), { source: 'secret', objectName: 's', key: 5 });
    expect(thrown(() => render({ customQueries: [odd] }))).toBe(bad(0, '5'));
  });

  test('not a CustomQueries, or a key given twice: refused', () => {
    expect(thrown(() => render({ customQueries: [{ source: 'configMap', objectName: 'a', key: 'k' }] })))
      .toBe(`${where}: customQueries[0] = {"source":"configMap","objectName":"a","key":"k"} is not a CustomQueries. `
        + 'Fix: use CustomQueries.fromConfigMap(name, key) or fromSecret(name, key) (the field is custom_queries[0] in Python, CustomQueries[0] in Go)');
    expect(thrown(() => render({ customQueries: [CustomQueries.fromSecret('a', 'k'), CustomQueries.fromConfigMap('b', 'k'), CustomQueries.fromSecret('a', 'k')] })))
      .toBe(`${where}: customQueries[2] = "secret/a/k" is given twice. Fix: list each key once (the field is custom_queries[2] in Python, CustomQueries[2] in Go)`);
  });

  test('metricsQueriesTtl: whole seconds from 1, on the releases whose CRD has it', () => {
    const fix = 'give e.g. Duration.seconds(30) (the operator\'s default); 0 turns the cache off and runs every query at each scrape (the webhook warns of heavy load)';
    expect(thrown(() => render({ metricsQueriesTtl: Duration.seconds(0) })))
      .toBe(`${where}: metricsQueriesTtl = "0s" is not a whole number of seconds of at least 1. Fix: ${fix} (the field is metrics_queries_ttl in Python, MetricsQueriesTtl in Go)`);
    const releases = releasesWith(CNPG_CLUSTER_FIELDS.metricsQueriesTtl);
    const without = CnpgVersion.supported().filter((v) => !releases.some((r) => r.release === v.release));
    expect(without.length).toBeGreaterThan(0);
    expect(thrown(() => render({ metricsQueriesTtl: Duration.seconds(30) }, without[without.length - 1])))
      .toContain('metricsQueriesTtl = "30s"');
    expect(render({ metricsQueriesTtl: Duration.minutes(2) }, releases[0])?.metricsQueriesTtl).toBe('120s');
  });
});
