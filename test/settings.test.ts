import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { ClusterSettings, DataDurability, SettingsMode, SynchronousMethod } from '../src';
import { VENDOR_DIR } from './util/conformance';
import { escapeRegExp } from './util/regexp';

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
      expect(() => read(key, v)).toThrow(new RegExp(`ClusterSettings\\(data\\): ${key} = ${escapeRegExp(JSON.stringify(v))} `));
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
  test.each(['kubernetes/infra/minio', '_x', '/path/x', 'a.b', 'yes-please', '80Gi', '12e', '0.1.2', 'a#b', 'yess', 'Nulls', 'a:b'])('%j is handed over', (v) => {
    expect(flux(v)()).toBe('${CNPG_MINIO_SECRET_PATH}');
  });
  // Every boolean and null word of YAML 1.1 (go-yaml v2's table); a word and a colon (a map in YAML); a number of YAML 1.2
  // only ('0o17': 15 in YAML 1.2, a string in YAML 1.1) and of YAML 1.1 only ('0b101').
  const YAML_11_WORDS = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
    'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL'];
  test.each([...YAML_11_WORDS, 'a:', '0o17', '0b101',
    '~', '0', '1e3', '0x1F', '1_000', '.inf', '1:20', '@daily', '*ref', '[a]', '#a', '&anchor', '!tag'])('%j is refused', (v) => {
    expect(flux(v)).toThrow(/CNPG_MINIO_SECRET_PATH = .* would not reach the manifests as this text/);
  });
  test('a tag the YAML reader does not know: refused without a process warning', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      for (const v of ['!x', '!x/a', '!!str', '!<tag:x>']) {
        expect(flux(v)).toThrow(/CNPG_MINIO_SECRET_PATH = .* would not reach the manifests as this text/);
      }
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
  test('a comment after a URL: YAML reads the URL without it', () => {
    const s = (v: string) => ClusterSettings.fromData({ CNPG_MINIO_ENDPOINT_URL: v }, { mode: SettingsMode.FLUX_VARIABLES });
    expect(thrown(() => s('http://minio:9000/a #b').backupEndpointUrl)).toMatch(/^ClusterSettings\(data\): CNPG_MINIO_ENDPOINT_URL = "http:\/\/minio:9000\/a #b" would not reach /);
    expect(s('http://minio:9000/a#b').backupEndpointUrl).toBe('${CNPG_MINIO_ENDPOINT_URL}');
  });
  test('a value mode reads the same value as it is (it writes it quoted)', () => {
    expect(ClusterSettings.fromData({ CNPG_MINIO_SECRET_PATH: 'yes' }).backupCredentialsPath).toBe('yes');
  });
});

/** The message of the error `f` throws ('' when it throws none). */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('the whole message of every refusal (issue #17: key, value, problem and fix, word for word)', () => {
  const refusal = (source: string, key: string, value: string, problem: string, fix: string) =>
    `ClusterSettings(${source}): ${key} = ${JSON.stringify(value)} ${problem}. Fix: ${fix}`;

  // [key, value, what it is, the problem, the fix]
  const VALUES: Array<[string, string, string, string, string]> = [
    ['CNPG_OPERATOR_VERSION', 'latest', 'the cloudnative-pg Helm chart version the platform installs', 'is not a semantic version',
      'write the chart version, e.g. "0.26.1"'],
    ['CNPG_POSTGRES_VERSION', '16', 'the PostgreSQL major.minor version', 'is not a PostgreSQL "major.minor" version of 13 or newer', 'write e.g. "16.8"'],
    ['CNPG_STORAGE_CLASS', 'Fast', 'the StorageClass of data and WAL volumes', 'is not a StorageClass name',
      'write a StorageClass name such as "openebs-local-nvme"'],
    ['CNPG_DATA_SIZE', '0', 'the data volume size', 'is not a positive Kubernetes quantity', 'write a Kubernetes quantity such as "80Gi"'],
    ['CNPG_DATA_SIZE', 'x', 'the data volume size', 'is not a positive Kubernetes quantity', 'write a Kubernetes quantity such as "80Gi"'],
    ['CNPG_WAL_SIZE', '-1Gi', 'the WAL volume size', 'is not a positive Kubernetes quantity', 'write a Kubernetes quantity such as "20Gi"'],
    ['CNPG_INSTANCES', '0', 'the number of PostgreSQL instances', 'is not an integer of at least 1', 'write a whole number such as "3"'],
    ['CNPG_SYNC_METHOD', 'all', 'the synchronous replication method', 'is not "any" or "first"', 'write "any" (quorum) or "first" (priority)'],
    ['CNPG_SYNC_NUMBER', '0', 'the number of synchronous standbys', 'is not an integer of at least 1', 'write a whole number of at least 1, such as "1"'],
    ['CNPG_SYNC_MAX_STANDBYS', '-1', 'maxStandbyNamesFromCluster', 'is not an integer of at least 0', 'write a whole number such as "2"'],
    ['CNPG_DATA_DURABILITY', 'strict', 'the synchronous replication durability', 'is not "required" or "preferred"', 'write "required" or "preferred"'],
    ['CNPG_SHARED_CLUSTER_NAME', 'Db', 'the name of the shared Cluster', 'is not a valid CNPG cluster name (a DNS-1035 label of at most 50 characters)',
      'write a name such as "shared-postgres"'],
    ['CNPG_BACKUP_BUCKET', 'ab', 'the object-store bucket of backups', 'is not an S3 bucket name',
      'write only the bucket name, e.g. "monosense-cnpg" (the s3:// path is derived from it)'],
    ['CNPG_BACKUP_BUCKET', 's3://ab', 'the object-store bucket of backups', 'is a URL, not a bucket name',
      'write only the bucket name, e.g. "monosense-cnpg" (the s3:// path is derived from it)'],
    // The schedule's problem and fix are the schedule check's own (test/backup-schedule.test.ts).
    ['CNPG_BACKUP_SCHEDULE', '0 0 2 * * 7', 'the ScheduledBackup cron expression (six fields, seconds first)',
      'is not a schedule CloudNativePG can parse (robfig/cron v1.2.0): it has 7 in the day of week field "7", above its maximum 6 (Sunday is 0 or SUN; 7 is not accepted)',
      'write six fields with the seconds first, e.g. "0 0 2 * * *" for 02:00:00 UTC every day (or BackupSchedule.dailyAt(2))'],
    ['CNPG_BACKUP_RETENTION', '30', 'the backup retention policy', 'is not a CloudNativePG retention policy', 'write a number followed by d, w or m, e.g. "30d"'],
    ['CNPG_MINIO_ENDPOINT_URL', 'minio', 'the S3 endpoint URL', 'is not a URL', 'write an http(s) URL such as "https://minio.example.com:9000"'],
    ['CNPG_MINIO_ENDPOINT_URL', 'ftp://minio', 'the S3 endpoint URL', 'is not an http(s) URL', 'write an http(s) URL such as "https://minio.example.com:9000"'],
    ['CNPG_POOLER_REPLICAS', '0', 'the replicas of each pooler', 'is not an integer of at least 1', 'write a whole number such as "3"'],
    ['EXTERNAL_SECRET_STORE', 'One', 'the external-secrets ClusterSecretStore', 'is not a store name', 'write the ClusterSecretStore name, e.g. "onepassword"'],
  ];
  test.each(VALUES)('%s = %j', (key, value, what, problem, fix) => {
    expect(thrown(() => ClusterSettings.fromData({ [key]: value }))).toBe(refusal('data', key, value, `(${what}) ${problem}`, fix));
  });

  test('a five-field schedule: the fix that fits the value (its six-field form)', () => {
    expect(thrown(() => ClusterSettings.fromData({ CNPG_BACKUP_SCHEDULE: '0 2 * * *' }))).toMatch(
      /\. Fix: write six fields with the seconds first, e\.g\. "0 0 2 \* \* \*": prepend the seconds field, never append one \(or use BackupSchedule\.dailyAt\(hour, minute\)\)$/);
  });

  test('an application secret path that is empty or has white space', () => {
    for (const value of ['', ' ', 'a b', 'kubernetes/infra/harbor\n']) {
      expect(thrown(() => ClusterSettings.fromData({ CNPG_HARBOR_SECRET_PATH: value }))).toBe(refusal('data', 'CNPG_HARBOR_SECRET_PATH', value,
        'is not a secret path (empty or with white space)', 'write the item path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/harbor"'));
    }
  });

  test('an unknown CNPG_ key, with every known key in the fix', () => {
    expect(thrown(() => ClusterSettings.fromData({ CNPG_INSTANCE: '3' }))).toBe(refusal('data', 'CNPG_INSTANCE', '3', 'is not a setting this library knows',
      'remove it or fix its name; known keys: CNPG_OPERATOR_VERSION, CNPG_POSTGRES_VERSION, CNPG_STORAGE_CLASS, CNPG_DATA_SIZE, CNPG_WAL_SIZE, '
      + 'CNPG_INSTANCES, CNPG_SYNC_METHOD, CNPG_SYNC_NUMBER, CNPG_SYNC_MAX_STANDBYS, CNPG_DATA_DURABILITY, CNPG_SHARED_CLUSTER_NAME, CNPG_BACKUP_BUCKET, '
      + 'CNPG_BACKUP_SCHEDULE, CNPG_BACKUP_RETENTION, CNPG_MINIO_ENDPOINT_URL, CNPG_POOLER_REPLICAS, EXTERNAL_SECRET_STORE and CNPG_<NAME>_SECRET_PATH'));
    // _SECRET_PATH is matched on the whole key: a second CNPG_ inside it does not make it one.
    expect(thrown(() => ClusterSettings.fromData({ 'CNPG_my-app_CNPG_APP_SECRET_PATH': 'k/app' })))
      .toMatch(/^ClusterSettings\(data\): CNPG_my-app_CNPG_APP_SECRET_PATH = "k\/app" is not a setting this library knows\. /);
  });

  test('a value of a parsed ConfigMap that is not a string', () => {
    expect(thrown(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: { CNPG_INSTANCES: 3 } }))).toBe(
      'ClusterSettings(ConfigMap): CNPG_INSTANCES = 3 is not a string (ConfigMap values are strings). Fix: quote the value: CNPG_INSTANCES: "3"');
  });

  test('a Flux variable where the manifests need the value itself', () => {
    const s = ClusterSettings.fromData({ CNPG_POOLER_REPLICAS: '${N}', CNPG_SYNC_METHOD: '${METHOD}', EXTERNAL_SECRET_STORE: '${STORE}' });
    expect(thrown(() => s.poolerReplicas)).toBe(refusal('data', 'CNPG_POOLER_REPLICAS', '${N}', 'is a variable, but the manifests need a number here',
      'write the number in the ConfigMap'));
    expect(thrown(() => s.replication)).toBe(refusal('data', 'CNPG_SYNC_METHOD', '${METHOD}', 'is a variable', 'write "any" or "first" in the ConfigMap'));
    expect(thrown(() => s.secretStore)).toBe(refusal('data', 'EXTERNAL_SECRET_STORE', '${STORE}',
      'is a variable, but the ExternalSecret schema needs the store name itself', 'write the store name in the ConfigMap'));
    // In Flux mode as well: these are written as values either way.
    const flux = ClusterSettings.fromData({ CNPG_SYNC_METHOD: '${METHOD}', EXTERNAL_SECRET_STORE: '${STORE}' }, { mode: SettingsMode.FLUX_VARIABLES });
    expect(thrown(() => flux.replication)).toMatch(/^ClusterSettings\(data\): CNPG_SYNC_METHOD = "\$\{METHOD\}" is a variable\. /);
    expect(thrown(() => flux.secretStore)).toMatch(/^ClusterSettings\(data\): EXTERNAL_SECRET_STORE = "\$\{STORE\}" is a variable, /);
  });

  test('an operator chart version of a release the library does not support: the version check\'s own problem, without its prefix', () => {
    expect(thrown(() => ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.20.0' }).operatorVersion)).toBe(refusal('data', 'CNPG_OPERATOR_VERSION', '0.20.0',
      'cannot give the operator release: is not a cloudnative-pg chart of a supported operator release',
      'use a chart of 0.26.x, 0.27.x, 0.28.x, 0.29.x (operator 1.27.0 to 1.30.1), or give operatorVersion explicitly (on the cluster)'));
    expect(ClusterSettings.fromData({ CNPG_OPERATOR_VERSION: '0.27.1' }).operatorVersion?.release).toBe('1.28.1');
    expect(ClusterSettings.fromData({}).operatorVersion).toBeUndefined();
  });

  test('a value Flux would substitute as something else', () => {
    const s = ClusterSettings.fromData({ CNPG_SUPERUSER_SECRET_PATH: 'on' }, { mode: SettingsMode.FLUX_VARIABLES });
    expect(thrown(() => s.superuserSecretPath)).toBe(refusal('data', 'CNPG_SUPERUSER_SECRET_PATH', 'on',
      'would not reach the manifests as this text: Flux substitutes ${CNPG_SUPERUSER_SECRET_PATH} unquoted, and YAML reads it as something else',
      'use a value that reads as plain text (e.g. a name that starts with a letter), or SettingsMode.VALUES, which writes the value quoted'));
  });

  test('a parsed ConfigMap without data, or with data that is not a map', () => {
    expect(thrown(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', metadata: { name: 'cs' } })))
      .toBe('ClusterSettings(cs): data = (unset) is missing. Fix: give a ConfigMap with a data section');
    expect(thrown(() => ClusterSettings.fromConfigMap({ kind: 'ConfigMap', data: ['a'] }, { source: 'fleet/cs.yaml' })))
      .toBe('ClusterSettings(fleet/cs.yaml): data = ["a"] is not a map of keys to values. Fix: write data: as a map of KEY: "value" lines (e.g. data:\n  CNPG_INSTANCES: "3")');
  });
});

describe('ClusterSettings.fromFile: the whole messages, and the source named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-file-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  test('a file that cannot be read', () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(thrown(() => ClusterSettings.fromFile(missing))).toBe(`ClusterSettings.fromFile("${missing}"): path = "${missing}" cannot be read `
      + `(ENOENT: no such file or directory, open '${missing}'; a relative path is read from the working directory ${process.cwd()}). `
      + 'Fix: give the path of the cluster-settings ConfigMap YAML file, e.g. the one Flux substitutes from in your fleet repository '
      + '(clusters/<cluster>/cluster-settings.yaml), or save it from a running cluster: kubectl get configmap cluster-settings -n flux-system -o yaml > cluster-settings.yaml');
  });

  test('a file without a ConfigMap: the kinds it has, an empty document as null', () => {
    const p = file('no-configmap.yaml', '---\n# nothing\n---\napiVersion: v1\nkind: Secret\n---\napiVersion: v1\nkind: Namespace\n');
    expect(thrown(() => ClusterSettings.fromFile(p))).toBe(
      `ClusterSettings.fromFile("${p}"): kind = [null,"Secret","Namespace"] has no ConfigMap document. Fix: point at the cluster-settings ConfigMap`);
  });

  test('a YAML error reported on its first line only (a duplicate key of an ordered map whose key has a line break)', () => {
    const p = file('omap.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  CNPG_INSTANCES: "3"\n  X: !!omap\n    - "a\\nb": 1\n    - "a\\nb": 2\n');
    expect(thrown(() => ClusterSettings.fromFile(p))).toBe(`ClusterSettings.fromFile("${p}"): line 5 = "X: !!omap" `
      + 'is not valid YAML (Ordered maps must not include duplicate keys: a). Fix: correct the YAML of the ConfigMap (check the indentation and quotes on that line)');
  });

  test('errors in the values name the file, or the source given', () => {
    const p = file('bad-value.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  CNPG_INSTANCES: "three"\n');
    expect(thrown(() => ClusterSettings.fromFile(p))).toMatch(new RegExp(`^ClusterSettings\\(${escapeRegExp(p)}\\): CNPG_INSTANCES = "three" `));
    expect(thrown(() => ClusterSettings.fromFile(p, { source: 'infra/cluster-settings.yaml' })))
      .toMatch(/^ClusterSettings\(infra\/cluster-settings\.yaml\): CNPG_INSTANCES = "three" /);
  });
});

describe('the getters of keys that are unset or need more than their value', () => {
  test('unset keys are undefined, in Flux mode too; the mode is values unless given', () => {
    expect(ClusterSettings.fromData({}).mode).toBe(SettingsMode.VALUES);
    for (const mode of [SettingsMode.VALUES, SettingsMode.FLUX_VARIABLES]) {
      const s = ClusterSettings.fromData({ CNPG_DATA_DURABILITY: 'required' }, { mode });
      expect(s.mode).toBe(mode);
      expect([s.clusterName, s.instances, s.postgres, s.storageClass, s.dataSize, s.walSize, s.replication, s.secretStore, s.backupBucket,
        s.backupSchedule, s.backupRetention, s.backupEndpointUrl, s.backupCredentialsPath, s.superuserSecretPath, s.poolerReplicas,
        s.operatorChartVersion, s.operatorVersion, s.applicationSecretPath('harbor')]).toStrictEqual(new Array(18).fill(undefined));
    }
  });

  test('Flux mode: a value holding a variable is handed over as the key\'s variable, unchecked', () => {
    const s = ClusterSettings.fromData({ CNPG_STORAGE_CLASS: '${ZONE}-nvme', CNPG_BACKUP_BUCKET: '${BUCKET} # per cluster' },
      { mode: SettingsMode.FLUX_VARIABLES });
    expect([s.storageClass, s.backupBucket]).toEqual(['${CNPG_STORAGE_CLASS}', '${CNPG_BACKUP_BUCKET}']);
  });

  test('Flux mode: the PostgreSQL image is the variable, its major version the value', () => {
    const s = ClusterSettings.fromData({ CNPG_POSTGRES_VERSION: '17.2' }, { mode: SettingsMode.FLUX_VARIABLES });
    expect(s.postgres?.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:${CNPG_POSTGRES_VERSION}');
    expect(s.postgres?.majorVersion).toBe(17);
    expect(ClusterSettings.fromData({ CNPG_POSTGRES_VERSION: '17.2' }).postgres?.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.2');
  });

  test('an application name with characters a key cannot hold: each becomes _', () => {
    const s = ClusterSettings.fromData({ CNPG_MY_APP_V2_SECRET_PATH: 'k/my-app' });
    expect(s.applicationSecretPath('my-app.v2')).toBe('k/my-app');
    expect(s.applicationSecretPath('myappv2')).toBeUndefined();
  });

  test('a DNS subdomain\'s labels may be one character long', () => {
    expect(ClusterSettings.fromData({ CNPG_STORAGE_CLASS: 'a.b.c', EXTERNAL_SECRET_STORE: 'vault.x' }).storageClass).toBe('a.b.c');
  });
});
