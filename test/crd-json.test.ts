/**
 * src/common/crd-json.ts writes every spec the library builds as the CRD's JSON from the tables
 * of src/imports/json-names.ts, in place of the generated imports' `toJson_*` converters (half of
 * the bundle). Held here to the code it replaces: every spec that the generated configurations
 * and the reference platform write goes through both, and must come out the same.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { runGeneratedConfigurations } from './util/generated';
import { buildPlatform } from '../examples/platform/platform';
import * as crdJson from '../src/common/crd-json';
import * as barman from '../src/imports/barman-objectstore-barmancloud.cnpg.io';
import * as cluster from '../src/imports/cnpg-cluster-postgresql.cnpg.io';
import * as database from '../src/imports/cnpg-database-postgresql.cnpg.io';
import * as pooler from '../src/imports/cnpg-pooler-postgresql.cnpg.io';
import * as scheduled from '../src/imports/cnpg-scheduledbackup-postgresql.cnpg.io';
import * as eso from '../src/imports/eso-externalsecret-external-secrets.io';
import * as names from '../src/imports/json-names';
import * as podmonitor from '../src/imports/monitoring-podmonitor-monitoring.coreos.com';
import * as rule from '../src/imports/monitoring-prometheusrule-monitoring.coreos.com';

const ROOT = path.resolve(__dirname, '..');

/** Each table and the generated converter it was read from. */
const CONVERTERS: Array<[string, crdJson.CrdJsonTable<any>, (o: any) => unknown]> = [
  ['ClusterSpec', names.CLUSTER_SPEC, cluster.toJson_ClusterSpec],
  ['PoolerSpec', names.POOLER_SPEC, pooler.toJson_PoolerSpec],
  ['DatabaseSpec', names.DATABASE_SPEC, database.toJson_DatabaseSpec],
  ['ScheduledBackupSpec', names.SCHEDULED_BACKUP_SPEC, scheduled.toJson_ScheduledBackupSpec],
  ['ObjectStoreSpec', names.OBJECT_STORE_SPEC, barman.toJson_ObjectStoreSpec],
  ['ExternalSecretSpec', names.EXTERNAL_SECRET_SPEC, eso.toJson_ExternalSecretSpec],
  ['PodMonitorSpec', names.POD_MONITOR_SPEC, podmonitor.toJson_PodMonitorSpec],
  ['PrometheusRuleSpec', names.PROMETHEUS_RULE_SPEC, rule.toJson_PrometheusRuleSpec],
];

/** As cdk8s writes a value: keys sorted, null and undefined left out. */
function written(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(written);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] != null).map((k) => [k, written(o[k])]));
  }
  return v;
}

describe('toCrdJson', () => {
  test('renames, unwraps and walks as the converters do', () => {
    const spec: pooler.PoolerSpec = {
      cluster: { name: 'db' },
      pgbouncer: {
        pgHba: ['host all all 0.0.0.0/0 reject'],
        clientTlsSecret: { name: 'tls' },
        parameters: { max_client_conn: '100' },
      },
      deploymentStrategy: {
        rollingUpdate: {
          maxSurge: pooler.PoolerSpecDeploymentStrategyRollingUpdateMaxSurge.fromNumber(0),
          maxUnavailable: crdJson.crdValue<pooler.PoolerSpecDeploymentStrategyRollingUpdateMaxUnavailable>('25%'),
        },
      },
      template: {
        spec: {
          containers: [{
            name: 'pgbouncer',
            resources: { requests: crdJson.crdValues({ cpu: '100m' }), limits: { memory: pooler.PoolerSpecTemplateSpecContainersResourcesLimits.fromString('1Gi') } },
          }],
          hostIpc: false,
        },
      },
    };
    const expected = {
      cluster: { name: 'db' },
      pgbouncer: { pg_hba: ['host all all 0.0.0.0/0 reject'], clientTLSSecret: { name: 'tls' }, parameters: { max_client_conn: '100' } },
      deploymentStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } },
      template: { spec: { containers: [{ name: 'pgbouncer', resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi' } } }], hostIPC: false } },
    };
    expect(crdJson.toCrdJson(spec, names.POOLER_SPEC)).toStrictEqual(expected);
    expect(written(pooler.toJson_PoolerSpec(spec))).toEqual(written(expected));
  });

  test('dates are written as ISO 8601, undefined fields left out, unknown fields kept', () => {
    const validUntil = new Date(Date.UTC(2027, 0, 2, 3, 4, 5));
    const spec = {
      instances: 3,
      enablePdb: undefined,
      managed: { roles: [{ name: 'app', validUntil, ensure: crdJson.crdEnum<cluster.ClusterSpecManagedRolesEnsure>('present') }] },
    };
    expect(crdJson.toCrdJson(spec, names.CLUSTER_SPEC)).toStrictEqual({
      instances: 3,
      managed: { roles: [{ name: 'app', validUntil: '2027-01-02T03:04:05.000Z', ensure: 'present' }] },
    });
    // A field no table knows is written as it is: the schema check at synth refuses it.
    expect(crdJson.toCrdJson({ instances: 1, notAField: { a: 1 } } as any, names.CLUSTER_SPEC)).toStrictEqual({ instances: 1, notAField: { a: 1 } });
  });

  test('a field named like an Object.prototype member is not taken for a table entry', () => {
    const spec = { cluster: { name: 'db' }, constructor: 'x', toString: 'y', hasOwnProperty: 'z' } as any;
    expect(crdJson.toCrdJson(spec, names.DATABASE_SPEC)).toStrictEqual({ cluster: { name: 'db' }, constructor: 'x', toString: 'y', hasOwnProperty: 'z' });
  });

  test('no spec, null and undefined fields and map values are left out (cdk8s leaves out what the converters write for them)', () => {
    expect(crdJson.toCrdJson(undefined, names.CLUSTER_SPEC)).toBeUndefined();
    expect(crdJson.toCrdJson(null as any, names.CLUSTER_SPEC)).toBeUndefined();
    const spec = {
      instances: null,
      backup: null,
      certificates: undefined,
      resources: { requests: { cpu: undefined, memory: null, storage: crdJson.crdValue('1Gi') } },
    } as any;
    expect(crdJson.toCrdJson(spec, names.CLUSTER_SPEC)).toStrictEqual({ resources: { requests: { storage: '1Gi' } } });
    const withoutNulls: cluster.ClusterSpec = { instances: 1, resources: { requests: { storage: crdJson.crdValue('1Gi') } } };
    expect(written(cluster.toJson_ClusterSpec(withoutNulls))).toStrictEqual({ instances: 1, resources: { requests: { storage: '1Gi' } } });
  });

  test('an int-or-string or quantity given as a plain value is written as it is', () => {
    const spec = {
      deploymentStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: { spec: { containers: [{ name: 'c', resources: { limits: { memory: '1Gi', cpu: 2 } } }] } },
    } as any;
    expect(crdJson.toCrdJson(spec, names.POOLER_SPEC)).toStrictEqual(spec);
  });

  test('maps of quantities are unwrapped value by value', () => {
    const spec: cluster.ClusterSpec = {
      instances: 3,
      resources: { requests: crdJson.crdValues({ cpu: '1', memory: '2Gi' }), limits: undefined },
      ephemeralVolumesSizeLimit: { shm: crdJson.crdValue('256Mi'), temporaryData: cluster.ClusterSpecEphemeralVolumesSizeLimitTemporaryData.fromString('1Gi') },
    };
    const out = crdJson.toCrdJson(spec, names.CLUSTER_SPEC);
    expect(out).toStrictEqual({ instances: 3, resources: { requests: { cpu: '1', memory: '2Gi' } }, ephemeralVolumesSizeLimit: { shm: '256Mi', temporaryData: '1Gi' } });
    expect(written(out)).toEqual(written(cluster.toJson_ClusterSpec(spec)));
  });

  test('every spec the library writes comes out as the generated converter writes it', () => {
    const seen = new Map<string, number>();
    const problems: string[] = [];
    const original = crdJson.toCrdJson;
    const spy = jest.spyOn(crdJson, 'toCrdJson').mockImplementation((value: any, table: crdJson.CrdJsonTable<any>) => {
      const out = original(value, table);
      const entry = CONVERTERS.find(([, t]) => t === table);
      if (!entry) {
        problems.push('a table with no converter');
        return out;
      }
      const [name, , convert] = entry;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      const a = JSON.stringify(written(out));
      const b = JSON.stringify(written(convert(value)));
      if (a !== b && problems.length < 5) problems.push(`${name}:\n  tables:    ${a}\n  converter: ${b}`);
      return out;
    });
    try {
      // 40 random valid configurations of the whole public surface (test/util/generated.ts)...
      runGeneratedConfigurations(20261130, 40);
      // ...and the reference platform.
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'crd-json-')) });
      buildPlatform(app);
      app.synth();
    } finally {
      spy.mockRestore();
    }
    expect(problems).toEqual([]);
    // Every table was used, many times over.
    expect([...seen.keys()].sort()).toEqual(CONVERTERS.map(([n]) => n).sort());
    for (const [name, n] of seen) expect([name, n >= 5]).toEqual([name, true]);
  });
});

describe('src/imports/json-names.ts', () => {
  test('is what scripts/gen-json-names.js writes from the imports beside it (no drift)', () => {
    const file = path.join(ROOT, 'src', 'imports', 'json-names.ts');
    // (A mutation run's sandbox starts every TypeScript file with `// @ts-nocheck`.)
    const before = fs.readFileSync(file, 'utf-8').replace(/^\/\/ @ts-nocheck\n/, '');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { render } = require('../scripts/gen-json-names.js');
    expect(render()).toBe(before);
  });

  test('the library loads no generated import module at run time, only the tables and the release list', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'imports') walk(p);
          continue;
        }
        if (!e.name.endsWith('.ts')) continue;
        for (const m of fs.readFileSync(p, 'utf-8').matchAll(/^import (?!type )[^;]*from '\.\.\/imports\/([^']+)';/gm)) {
          if (m[1] !== 'json-names' && m[1] !== 'cnpg-releases') offenders.push(`${path.relative(ROOT, p)}: ${m[0]}`);
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });
});
