import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { ClusterSettings, DataDurability, SettingsMode, SynchronousMethod } from '../src';
import { VENDOR_DIR } from './util/conformance';

const REFERENCE_SETTINGS = path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/clusters/infra/cluster-settings.yaml');

describe('ClusterSettings', () => {
  test('reads every CNPG key of the reference cluster-settings as typed values', () => {
    const s = ClusterSettings.fromFile(REFERENCE_SETTINGS);
    expect(s.clusterName).toBe('shared-postgres');
    expect(s.instances).toBe(3);
    expect(s.postgres?.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:16.8');
    expect(s.postgres?.majorVersion).toBe(16);
    expect(s.storageClass).toBe('openebs-local-nvme');
    expect(s.dataSize?.value).toBe('80Gi');
    expect(s.walSize?.toNumber()).toBe(20 * 2 ** 30);
    expect(s.replication?.method).toBe(SynchronousMethod.ANY);
    expect(s.replication?.options).toEqual({ number: 1, maxStandbyNamesFromCluster: 2, dataDurability: DataDurability.PREFERRED });
    expect(s.secretStore).toEqual({ name: 'onepassword', kind: 'ClusterSecretStore' });
    expect(s.backupBucket).toBe('monosense-cnpg');
    expect(s.backupSchedule).toBe('0 0 2 * * *');
    expect(s.backupRetention).toBe('30d');
    expect(s.backupEndpointUrl).toBe('http://10.25.11.3:9000');
    expect(s.backupCredentialsPath).toBe('kubernetes/infra/cloudnative-pg/minio');
    expect(s.superuserSecretPath).toBe('kubernetes/infra/cloudnative-pg/superuser');
    expect(s.poolerReplicas).toBe(3);
    expect(s.operatorChartVersion).toBe('0.26.1');
    expect(s.applicationSecretPath('harbor')).toBe('kubernetes/infra/cloudnative-pg/harbor');
    expect(s.applicationSecretPath('synergyflow')).toBe('kubernetes/infra/cloudnative-pg/synergyflow');
    expect(s.applicationSecretPath('unknown')).toBeUndefined();
    expect(s.keys).toContain('CNPG_KEYCLOAK_SECRET_PATH');
    expect(s.keys).not.toContain('CILIUM_VERSION'); // other platform settings are not ours
    expect(s.value('CNPG_SYNC_NUMBER')).toBe('1');
  });

  test('Flux mode hands strings over as ${VARIABLES} and keeps numbers', () => {
    const s = ClusterSettings.fromFile(REFERENCE_SETTINGS, { mode: SettingsMode.FLUX_VARIABLES });
    expect(s.mode).toBe(SettingsMode.FLUX_VARIABLES);
    expect(s.clusterName).toBe('${CNPG_SHARED_CLUSTER_NAME}');
    expect(s.storageClass).toBe('${CNPG_STORAGE_CLASS}');
    expect(s.dataSize?.value).toBe('${CNPG_DATA_SIZE}');
    expect(s.dataSize?.isUnresolved).toBe(true);
    expect(s.secretStore?.name).toBe('onepassword'); // the ExternalSecret schema needs the name itself
    expect(s.applicationSecretPath('harbor')).toBe('${CNPG_HARBOR_SECRET_PATH}');
    expect(s.instances).toBe(3);
    expect(s.postgres?.majorVersion).toBe(16);
  });

  test('fromConfigMap and fromData read the same keys', () => {
    const data = { CNPG_INSTANCES: '5', CNPG_DATA_DURABILITY: 'required', CNPG_SYNC_METHOD: 'first', CNPG_SYNC_NUMBER: '2', OTHER: 'x' };
    expect(ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data }).instances).toBe(5);
    const s = ClusterSettings.fromData(data);
    expect(s.replication?.method).toBe(SynchronousMethod.FIRST);
    expect(s.replication?.options.number).toBe(2);
    expect(s.keys).toEqual(['CNPG_DATA_DURABILITY', 'CNPG_INSTANCES', 'CNPG_SYNC_METHOD', 'CNPG_SYNC_NUMBER']);
  });

  test('fromConfigMap names its source (an option, so Python passes it as a keyword) in errors', () => {
    const configMap = { kind: 'ConfigMap', metadata: { name: 'cluster-settings' }, data: { CNPG_INSTANCES: 'three' } };
    expect(() => ClusterSettings.fromConfigMap(configMap, { source: 'infra/cluster-settings.yaml' })).toThrow(/ClusterSettings\(infra\/cluster-settings.yaml\)/);
    expect(() => ClusterSettings.fromConfigMap(configMap)).toThrow(/ClusterSettings\(cluster-settings\)/);
  });

  test('a Flux variable inside the ConfigMap is kept as is', () => {
    expect(ClusterSettings.fromData({ CNPG_STORAGE_CLASS: '${BLOCK_SC}' }).storageClass).toBe('${BLOCK_SC}');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['instances', { CNPG_INSTANCES: 'three' }, /ClusterSettings\(data\): CNPG_INSTANCES = "three" \(the number of PostgreSQL instances\) is not an integer of at least 1\. Fix: write a whole number/],
    ['instances zero', { CNPG_INSTANCES: '0' }, /CNPG_INSTANCES = "0"/],
    ['data size', { CNPG_DATA_SIZE: '80GB!' }, /CNPG_DATA_SIZE = "80GB!" .* is not a positive Kubernetes quantity/],
    ['wal size', { CNPG_WAL_SIZE: '-1Gi' }, /CNPG_WAL_SIZE/],
    ['postgres version', { CNPG_POSTGRES_VERSION: '16' }, /CNPG_POSTGRES_VERSION = "16" .* is not a PostgreSQL "major\.minor" version/],
    ['sync method', { CNPG_SYNC_METHOD: 'all' }, /CNPG_SYNC_METHOD = "all" .* is not "any" or "first"/],
    ['durability', { CNPG_DATA_DURABILITY: 'strict' }, /CNPG_DATA_DURABILITY = "strict"/],
    ['sync number', { CNPG_SYNC_NUMBER: '0' }, /CNPG_SYNC_NUMBER = "0"/],
    ['cluster name', { CNPG_SHARED_CLUSTER_NAME: 'Shared_Postgres' }, /CNPG_SHARED_CLUSTER_NAME = "Shared_Postgres" .* is not a valid CNPG cluster name/],
    ['bucket with s3://', { CNPG_BACKUP_BUCKET: 's3://monosense-cnpg' }, /CNPG_BACKUP_BUCKET = "s3:\/\/monosense-cnpg" .* is a URL, not a bucket name\. Fix: write only the bucket name/],
    ['five-field schedule', { CNPG_BACKUP_SCHEDULE: '0 2 * * *' }, /CNPG_BACKUP_SCHEDULE = "0 2 \* \* \*" .* has 5 fields; .*Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*"/],
    ['retention', { CNPG_BACKUP_RETENTION: '30 days' }, /CNPG_BACKUP_RETENTION = "30 days" .* Fix: write a number followed by d, w or m/],
    ['endpoint', { CNPG_MINIO_ENDPOINT_URL: '10.25.11.3:9000' }, /CNPG_MINIO_ENDPOINT_URL = "10\.25\.11\.3:9000"/],
    ['endpoint scheme', { CNPG_MINIO_ENDPOINT_URL: 'ftp://x' }, /is not an http\(s\) URL/],
    ['secret path', { CNPG_HARBOR_SECRET_PATH: '' }, /CNPG_HARBOR_SECRET_PATH = "" is not a secret path/],
    ['unknown CNPG key', { CNPG_INSTANCE: '3' }, /CNPG_INSTANCE = "3" is not a setting this library knows\. Fix: remove it or fix its name; known keys: .*CNPG_INSTANCES/],
    ['operator version', { CNPG_OPERATOR_VERSION: 'latest' }, /CNPG_OPERATOR_VERSION = "latest"/],
    ['storage class', { CNPG_STORAGE_CLASS: 'Fast SSD' }, /CNPG_STORAGE_CLASS = "Fast SSD"/],
    ['secret store', { EXTERNAL_SECRET_STORE: 'One Password' }, /EXTERNAL_SECRET_STORE = "One Password"/],
  ];
  test.each(bad)('rejects a bad %s', (_n, data, message) => {
    expect(() => ClusterSettings.fromData(data)).toThrow(message);
  });

  test('rejects a non-string value of a parsed ConfigMap', () => {
    expect(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: { CNPG_INSTANCES: 3 } })).toThrow(/CNPG_INSTANCES = 3 is not a string .* Fix: quote the value/);
  });

  test('a numeric setting holding a variable cannot become a number', () => {
    const s = ClusterSettings.fromData({ CNPG_INSTANCES: '${N}' });
    expect(() => s.instances).toThrow(/CNPG_INSTANCES = "\$\{N\}" is a variable, but the manifests need a number here/);
  });

  test('a missing file and a file without a ConfigMap are explained', () => {
    expect(() => ClusterSettings.fromFile('/nonexistent.yaml')).toThrow(/cannot be read/);
    expect(() => ClusterSettings.fromFile(path.join(VENDOR_DIR, 'reference/k8s-gitops/kubernetes/workloads/platform/databases/cloudnative-pg/kustomization.yaml')))
      .toThrow(/has no ConfigMap document/);
  });
});

describe('ClusterSettings.fromFile on YAML that is not valid', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-yaml-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const read = (text: string) => {
    const file = path.join(dir, `s${n++}.yaml`);
    fs.writeFileSync(file, text);
    return () => ClusterSettings.fromFile(file);
  };
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n';

  test('a bad indentation: the line, its text and the fix', () => {
    expect(read(`${head}  CNPG_INSTANCES: "3"\n CNPG_SYNC_NUMBER: "1"\n`))
      .toThrow(/ClusterSettings\.fromFile\(".*s\d+\.yaml"\): line 7 = "CNPG_SYNC_NUMBER: \\"1\\"" is not valid YAML \(.*\)\. Fix: correct the YAML of the ConfigMap/);
  });

  test('a key written twice (Flux\'s kustomize refuses it too): the line of the second one', () => {
    expect(read(`${head}  CNPG_INSTANCES: "3"\n  CNPG_SYNC_NUMBER: "1"\n  "CNPG_INSTANCES": "5"\n`))
      .toThrow(/line 8 = "\\"CNPG_INSTANCES\\": \\"5\\"" is not valid YAML \(Map keys must be unique\)/);
    expect(read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: b}\ndata:\n  CNPG_INSTANCES: "3"\n'))
      .toThrow(/line 3 = "metadata: \{name: a, name: b\}" is not valid YAML \(Map keys must be unique\)/);
  });

  test('the first problem in the file is reported, duplicate keys found as the yaml package\'s own unique-key check finds them', () => {
    // Keys that are equal as YAML values though written differently, and some that are not.
    const key = fc.constantFrom('CNPG_INSTANCES', '"CNPG_INSTANCES"', "'CNPG_INSTANCES'", 'CNPG_SYNC_NUMBER', 'CLUSTER', '1', '01', '0x1', '1.0',
      'true', 'True', 'TRUE', 'null', '~', '.nan', '.NaN', '.inf', '"a b"', 'a b', '? x', '[a]');
    const line = fc.oneof(
      key.map((k) => `  ${k}: "3"`),
      fc.tuple(key, key).map(([a, b]) => `  FLOW_${a.replace(/\W/g, '')}: {${a}: x, ${b}: y}`),
      fc.constant('    bad: indent'),
    );
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
      const text = `${head}${lines.join('\n')}\n`;
      const errors = parseAllDocuments(text).flatMap((d) => d.errors);
      let message = '';
      try {
        read(text)();
      } catch (e) {
        message = (e as Error).message;
      }
      if (errors.length) {
        // The first problem in the file (the yaml package lists a map's duplicate keys before
        // some errors found earlier in the text); its message without "at line L, column C:".
        const first = Math.min(...errors.map((e) => e.pos[0]));
        const atFirst = errors.filter((e) => e.pos[0] === first);
        expect(message).toContain(`: line ${atFirst[0].linePos![0].line} = `);
        expect(atFirst.map((e) => `is not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:$/, '')})`)
          .some((m) => message.includes(m))).toBe(true);
      } else {
        expect(message).not.toContain('is not valid YAML');
      }
    }), { numRuns: 400 });
  });
});

describe('each setting on its edges (issue #17: the whole value is checked, limits exactly)', () => {
  // [key, accepted values, refused values]: junk before or after a valid value, and each limit.
  const EDGES: Array<[string, string[], string[]]> = [
    ['CNPG_OPERATOR_VERSION', ['0.26.1', 'v0.26.1', '10.20.30', '0.27.0-rc.1'], ['x0.26.1', '0.26.1x', '0.26', '0.26.1-', '0.26.1-rc_1']],
    ['CNPG_POSTGRES_VERSION', ['13.0', '16.8', '17.10'], ['12.9', 'x16.8', '16.8x', '16', '16.8.1']],
    ['CNPG_STORAGE_CLASS', ['openebs-local-nvme', 'a.b-c', 'a'.repeat(63) + '.' + 'b'.repeat(63) + '.' + 'c'.repeat(63) + '.' + 'd'.repeat(61)],
      ['-fast', 'fast-', 'Fast', 'fast..nvme', 'a.-b', 'a'.repeat(63) + '.' + 'b'.repeat(63) + '.' + 'c'.repeat(63) + '.' + 'd'.repeat(62)]],
    ['CNPG_DATA_SIZE', ['80Gi', '1'], ['0Gi', '0', '-1Gi', '80GB', 'x']],
    ['CNPG_INSTANCES', ['1', '3', '10'], ['0', 'x3', '3x', '3.0', '-1']],
    ['CNPG_SYNC_MAX_STANDBYS', ['0', '2'], ['-1', '2x']],
    ['CNPG_SHARED_CLUSTER_NAME', ['a', 'shared-postgres', 'a'.repeat(50)], ['a'.repeat(51), '1db', 'db-', 'x_db', 'db-x!', 'Db']],
    ['CNPG_BACKUP_BUCKET', ['abc', 'monosense-cnpg', 'a'.repeat(63)], ['ab', 'a'.repeat(64), '-abc', 'abc-', 'x/abc', 's3://abc', 'ABC']],
    ['CNPG_BACKUP_RETENTION', ['1d', '30d', '12w', '120m'], ['0d', '30', 'x30d', '30dx', '30y', '030d']],
    ['CNPG_MINIO_ENDPOINT_URL', ['http://10.25.11.3:9000', 'https://minio.example.com'], ['ftp://minio', 'minio:9000x', '10.25.11.3:9000', 'not a url']],
    ['CNPG_MINIO_SECRET_PATH', ['kubernetes/infra/minio', 'x'], ['', ' ', 'a b', 'a\tb']],
    ['EXTERNAL_SECRET_STORE', ['onepassword', 'vault.store'], ['One', '-x', 'x-']],
  ];
  const read = (key: string, value: string) => ClusterSettings.fromData({ [key]: value });

  test.each(EDGES)('%s', (key, accepted, refused) => {
    for (const v of accepted) expect(() => read(key, v)).not.toThrow();
    for (const v of refused) {
      expect(() => read(key, v)).toThrow(new RegExp(`ClusterSettings\\(data\\): ${key} = ${JSON.stringify(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    }
  });

  test('a CNPG_<NAME>_SECRET_PATH key is matched whole: another suffix is an unknown key', () => {
    expect(ClusterSettings.fromData({ CNPG_HARBOR_SECRET_PATH: 'k/harbor' }).applicationSecretPath('harbor')).toBe('k/harbor');
    expect(() => ClusterSettings.fromData({ CNPG_HARBOR_SECRET_PATHS: 'k/harbor' })).toThrow(/CNPG_HARBOR_SECRET_PATHS = "k\/harbor" is not a setting this library knows/);
    expect(() => ClusterSettings.fromData({ CNPG__SECRET_PATH: 'k' })).toThrow(/CNPG__SECRET_PATH = "k" is not a setting this library knows/);
  });

  test('a schedule\'s own fix is given (the five-field case)', () => {
    expect(() => read('CNPG_BACKUP_SCHEDULE', '0 2 * * *')).toThrow(/CNPG_BACKUP_SCHEDULE = "0 2 \* \* \*" .*Fix: .*0 0 2 \* \* \*/);
  });

  test('a parsed ConfigMap without data, or with data that is not a map, names the source', () => {
    expect(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', metadata: { name: 'cs' } })).toThrow(/ClusterSettings\(cs\): data = \(unset\) is missing/);
    expect(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: null })).toThrow(/ClusterSettings\(ConfigMap\): data = null is missing/);
    expect(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: ['a'] })).toThrow(/ClusterSettings\(ConfigMap\): data = \["a"\] is not a map of keys to values/);
    expect(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: 'a' })).toThrow(/data = "a" is not a map of keys to values/);
  });
});

describe('Flux mode: a value is handed over as a variable only when YAML reads it back as itself', () => {
  // Each verdict is Flux's own (test/integ/flux-values.test.ts runs its substitution); these are
  // the unit-level rows, one per way of reading.
  const flux = (v: string) => () => ClusterSettings.fromData({ CNPG_STORAGE_CLASS: 'fast', CNPG_MINIO_SECRET_PATH: v }, { mode: SettingsMode.FLUX_VARIABLES }).backupCredentialsPath;
  test.each(['kubernetes/infra/minio', '_x', '/path/x', 'a.b', 'yes-please', '80Gi', '12e', '0.1.2', 'a#b'])('%j is handed over', (v) => {
    expect(flux(v)()).toBe('${CNPG_MINIO_SECRET_PATH}');
  });
  test.each(['yes', 'No', 'ON', 'off', 'y', 'null', 'NULL', 'true', '~', '0', '1e3', '0x1F', '1_000', '.inf', '1:20', '@daily', '*ref', '[a]', '#a', '&anchor', '!tag'])('%j is refused', (v) => {
    expect(flux(v)).toThrow(/CNPG_MINIO_SECRET_PATH = .* would not reach the manifests as this text/);
  });
  test('a value mode reads the same value as it is (it writes it quoted)', () => {
    expect(ClusterSettings.fromData({ CNPG_MINIO_SECRET_PATH: 'yes' }).backupCredentialsPath).toBe('yes');
  });
});
