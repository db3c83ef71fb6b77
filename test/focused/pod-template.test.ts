/**
 * src/cluster/pod-template.ts called directly (nothing synthesized, so that mutation testing runs
 * only the tests that reach a mutant): `EnvironmentValue`, `EnvironmentSource`, `ProjectedVolume`
 * and `renderPodTemplate`, each written field and each refusal with its whole message.
 */
import { EnvironmentSource, EnvironmentValue, ImagePullPolicy, InstanceLogLevel, ProjectedVolume, Quantity } from '../../src';
import { PodTemplateInput, renderPodTemplate } from '../../src/cluster/pod-template';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

/** The fields as a manifest holds them (unset fields dropped, as when the spec is written). */
const render = (props: PodTemplateInput) => JSON.parse(JSON.stringify(renderPodTemplate(boxScope(), props)));
const refusal = (props: PodTemplateInput) => thrown(() => renderPodTemplate(boxScope(), props));

const NAME_FIX = 'give the object\'s name, e.g. "pg-extension-config"';
const notAName = (field: string, value: string, hint = '') =>
  `${BOX_PATH}: ${field} = ${value} is not the name of a Kubernetes object (a DNS-1123 subdomain). Fix: ${NAME_FIX}${hint}`;

describe('the enums are the values the CRD takes', () => {
  test('ImagePullPolicy and InstanceLogLevel', () => {
    expect(Object.values(ImagePullPolicy)).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(Object.values(InstanceLogLevel)).toEqual(['error', 'warning', 'info', 'debug', 'trace']);
  });
});

describe('nothing set', () => {
  test('writes no field', () => {
    expect(render({})).toEqual({});
  });

  test('empty lists and maps write no field either', () => {
    expect(render({ env: {}, envFrom: [], projectedVolumes: [], imagePullSecrets: [], ephemeralVolumes: {} })).toEqual({});
  });
});

describe('env: EnvironmentValue', () => {
  test('each factory renders its value or reference, in the order given', () => {
    expect(render({
      env: {
        TZ: EnvironmentValue.value('Europe/Berlin'),
        TOKEN: EnvironmentValue.fromSecret('ext-token', 'token'),
        SETTING: EnvironmentValue.fromConfigMap('ext-config', 'a-b_c.D9'),
        NODE: EnvironmentValue.fromPodField('spec.nodeName'),
      },
    }).env).toEqual([
      { name: 'TZ', value: 'Europe/Berlin' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'ext-token', key: 'token' } } },
      { name: 'SETTING', valueFrom: { configMapKeyRef: { name: 'ext-config', key: 'a-b_c.D9' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
  });

  test('an empty literal value is written', () => {
    expect(render({ env: { EMPTY: EnvironmentValue.value('') } }).env).toEqual([{ name: 'EMPTY', value: '' }]);
  });

  test.each(['TZ', '_X', '.x', '-x', 'a.b-c_D9', 'x1'])('the name %p is accepted', (name) => {
    expect(render({ env: { [name]: EnvironmentValue.value('v') } }).env).toEqual([{ name, value: 'v' }]);
  });

  test.each(['1X', 'A B', 'X=1', 'X/', '/X', ''])('the name %p is refused', (name) => {
    expect(refusal({ env: { [name]: EnvironmentValue.value('v') } })).toBe(
      `${BOX_PATH}: env["${name}"] = ${JSON.stringify(name)} is not an environment variable name. Fix: use letters, digits and "_", e.g. "TZ"`);
  });

  test.each(['PGDATA', 'pgport', 'CNPG_SECRET', 'cnpg_x', 'POD_NAME', 'NAMESPACE', 'CLUSTER_NAME', 'cluster_name'])('the operator\'s name %p is refused', (name) => {
    expect(refusal({ env: { [name]: EnvironmentValue.value('v') } })).toBe(
      `${BOX_PATH}: env["${name}"] = ${JSON.stringify(name)} is reserved for the operator (CNPG_*, PG*, POD_NAME, NAMESPACE, CLUSTER_NAME): `
      + 'CloudNativePG\'s webhook refuses it. Fix: use another name; PostgreSQL settings go into parameters');
  });

  test('names that only resemble the reserved ones are accepted', () => {
    expect(render({ env: { XPG: EnvironmentValue.value('1'), MY_CNPG_X: EnvironmentValue.value('2'), POD_NAMES: EnvironmentValue.value('3') } }).env)
      .toEqual([{ name: 'XPG', value: '1' }, { name: 'MY_CNPG_X', value: '2' }, { name: 'POD_NAMES', value: '3' }]);
  });

  test('a value that is not an EnvironmentValue is refused', () => {
    expect(refusal({ env: { TZ: 'Europe/Berlin' as any } })).toBe(
      `${BOX_PATH}: env["TZ"] = "Europe/Berlin" is not an EnvironmentValue. Fix: use EnvironmentValue.value("..."), fromSecret(...) or fromConfigMap(...)`);
  });

  test('the Secret or ConfigMap name is checked, named as the field\'s name', () => {
    expect(refusal({ env: { T: EnvironmentValue.fromSecret('Ext_Token', 'token') } })).toBe(notAName('env["T"].name', '"Ext_Token"'));
    expect(refusal({ env: { T: EnvironmentValue.fromConfigMap('a'.repeat(254), 'k') } })).toBe(notAName('env["T"].name', `"${'a'.repeat(254)}"`));
    expect(render({ env: { T: EnvironmentValue.fromConfigMap('a'.repeat(253), 'k') } }).env[0].valueFrom.configMapKeyRef.name).toBe('a'.repeat(253));
  });

  test.each(['a/b', 'k/', '/k', 'a b', ''])('the key %p is refused', (key) => {
    expect(refusal({ env: { T: EnvironmentValue.fromSecret('s', key) } })).toBe(
      `${BOX_PATH}: env["T"].key = ${JSON.stringify(key)} is not a Secret or ConfigMap key. Fix: use letters, digits, "-", "_" and "."`);
    expect(refusal({ env: { T: EnvironmentValue.fromConfigMap('s', key) } })).toBe(
      `${BOX_PATH}: env["T"].key = ${JSON.stringify(key)} is not a Secret or ConfigMap key. Fix: use letters, digits, "-", "_" and "."`);
  });
});

describe('envFrom: EnvironmentSource', () => {
  test('a Secret and a ConfigMap, with and without a prefix', () => {
    expect(render({ envFrom: [EnvironmentSource.secret('ext-secret'), EnvironmentSource.configMap('ext-config', 'EXT_')] }).envFrom).toEqual([
      { secretRef: { name: 'ext-secret' } },
      { configMapRef: { name: 'ext-config' }, prefix: 'EXT_' },
    ]);
  });

  test.each(['EXT_', '_x', 'a1', 'Z'])('the prefix %p is accepted', (prefix) => {
    expect(render({ envFrom: [EnvironmentSource.secret('s', prefix)] }).envFrom).toEqual([{ secretRef: { name: 's' }, prefix }]);
  });

  test.each(['1X', 'A-B', 'X ', ' X', 'a.b', ''])('the prefix %p is refused', (prefix) => {
    expect(refusal({ envFrom: [EnvironmentSource.configMap('c'), EnvironmentSource.secret('s', prefix)] })).toBe(
      `${BOX_PATH}: envFrom[1].prefix = ${JSON.stringify(prefix)} is not an environment variable prefix. Fix: use letters, digits and "_", e.g. "EXT_"`
      + ' (the field is env_from[1].prefix in Python, EnvFrom[1].Prefix in Go)');
  });

  test.each(['CNPG_', 'cnpg_', 'PG', 'pg_', 'PGX_'])('the reserved prefix %p is refused', (prefix) => {
    expect(refusal({ envFrom: [EnvironmentSource.secret('s', prefix)] })).toBe(
      `${BOX_PATH}: envFrom[0].prefix = ${JSON.stringify(prefix)} gives names the operator reserves (CNPG_*, PG*). Fix: use another prefix`
      + ' (the field is env_from[0].prefix in Python, EnvFrom[0].Prefix in Go)');
  });

  test('the object\'s name is checked, named as the list item', () => {
    expect(refusal({ envFrom: [EnvironmentSource.secret('Bad_Name')] }))
      .toBe(notAName('envFrom[0]', '"Bad_Name"', ' (the field is env_from[0] in Python, EnvFrom[0] in Go)'));
  });

  test('an item that is not an EnvironmentSource is refused', () => {
    expect(refusal({ envFrom: [EnvironmentSource.secret('s'), { secretRef: 's' } as any] })).toBe(
      `${BOX_PATH}: envFrom[1] = {"secretRef":"s"} is not an EnvironmentSource. Fix: use EnvironmentSource.secret(...) or configMap(...)`
      + ' (the field is env_from[1] in Python, EnvFrom[1] in Go)');
  });
});

describe('projectedVolumes: ProjectedVolume', () => {
  test('a Secret with items and a ConfigMap with every key', () => {
    expect(render({
      projectedVolumes: [
        ProjectedVolume.secret('ldap-ca', [{ key: 'ca.crt', path: 'ldap/ca.crt' }, { key: 'k', path: 'a..b' }]),
        ProjectedVolume.configMap('pg-extra'),
        ProjectedVolume.configMap('pg-more', []),
      ],
    }).projectedVolumeTemplate).toEqual({
      sources: [
        { secret: { name: 'ldap-ca', items: [{ key: 'ca.crt', path: 'ldap/ca.crt' }, { key: 'k', path: 'a..b' }] } },
        { configMap: { name: 'pg-extra' } },
        { configMap: { name: 'pg-more' } },
      ],
    });
  });

  test('a ConfigMap with items, a Secret without', () => {
    expect(render({ projectedVolumes: [ProjectedVolume.configMap('c', [{ key: 'k', path: 'p' }]), ProjectedVolume.secret('s')] }).projectedVolumeTemplate)
      .toEqual({ sources: [{ configMap: { name: 'c', items: [{ key: 'k', path: 'p' }] } }, { secret: { name: 's' } }] });
  });

  test.each(['a/b', 'k/', '/k', 'a b', ''])('the key %p is refused', (key) => {
    expect(refusal({ projectedVolumes: [ProjectedVolume.secret('s', [{ key: 'ok', path: 'ok' }, { key, path: 'p' }])] })).toBe(
      `${BOX_PATH}: projectedVolumes[0].items[1].key = ${JSON.stringify(key)} is not a key. Fix: use letters, digits, "-", "_" and "."`
      + ' (the field is projected_volumes[0].items[1].key in Python, ProjectedVolumes[0].Items[1].Key in Go)');
  });

  test.each(['', '/etc/passwd', '../etc/passwd', 'a/../b', 'a/..', '..'])('the path %p is refused', (path) => {
    expect(refusal({ projectedVolumes: [ProjectedVolume.configMap('c'), ProjectedVolume.configMap('s', [{ key: 'k', path }])] })).toBe(
      `${BOX_PATH}: projectedVolumes[1].items[0].path = ${JSON.stringify(path)} is not a relative path inside /projected. Fix: give e.g. "ldap/ca.crt"`
      + ' (the field is projected_volumes[1].items[0].path in Python, ProjectedVolumes[1].Items[0].Path in Go)');
  });

  test('the object\'s name is checked', () => {
    expect(refusal({ projectedVolumes: [ProjectedVolume.secret('-ca')] }))
      .toBe(notAName('projectedVolumes[0].name', '"-ca"', ' (the field is projected_volumes[0].name in Python, ProjectedVolumes[0].Name in Go)'));
  });

  test('an item that is not a ProjectedVolume is refused', () => {
    expect(refusal({ projectedVolumes: ['ldap-ca' as any] })).toBe(
      `${BOX_PATH}: projectedVolumes[0] = "ldap-ca" is not a ProjectedVolume. Fix: use ProjectedVolume.secret(...) or configMap(...)`
      + ' (the field is projected_volumes[0] in Python, ProjectedVolumes[0] in Go)');
  });
});

describe('object names (DNS-1123 subdomains)', () => {
  const SA_HINT = ' (the field is service_account_name in Python, ServiceAccountName in Go)';

  test.each(['a', 'pg-instances', 'a.b-c', 'a.b', 'x.y.z', '0x', 'a'.repeat(253), `${'a'.repeat(63)}.${'b'.repeat(63)}`])('%p is accepted', (name) => {
    expect(render({ serviceAccountName: name }).serviceAccountName).toBe(name);
  });

  test.each(['a'.repeat(254), 'A', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', ''])('%p is refused', (name) => {
    expect(refusal({ serviceAccountName: name })).toBe(notAName('serviceAccountName', JSON.stringify(name), SA_HINT));
  });

  test('a Flux variable is not checked, at any length', () => {
    expect(render({ serviceAccountName: '${SA_NAME}' }).serviceAccountName).toBe('${SA_NAME}');
    const long = `${'x'.repeat(260)}-\${SUFFIX}`;
    expect(render({ imagePullSecrets: [long] }).imagePullSecrets).toEqual([{ name: long }]);
  });

  test('a name that is not a string is refused', () => {
    expect(refusal({ serviceAccountName: 5 as any })).toBe(notAName('serviceAccountName', '5', SA_HINT));
  });

  test('each image pull Secret is checked and written', () => {
    expect(render({ imagePullSecrets: ['registry-creds', 'mirror'] }).imagePullSecrets).toEqual([{ name: 'registry-creds' }, { name: 'mirror' }]);
    expect(refusal({ imagePullSecrets: ['ok', 'Not_OK'] }))
      .toBe(notAName('imagePullSecrets[1]', '"Not_OK"', ' (the field is image_pull_secrets[1] in Python, ImagePullSecrets[1] in Go)'));
  });
});

describe('the ServiceAccount', () => {
  test('the operator\'s ServiceAccount gets the annotations and labels', () => {
    expect(render({ serviceAccountMetadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' }, labels: { team: 'db' } } })).toEqual({
      serviceAccountTemplate: { metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' }, labels: { team: 'db' } } },
    });
    expect(render({ serviceAccountMetadata: {} })).toEqual({ serviceAccountTemplate: { metadata: {} } });
  });

  test('an existing ServiceAccount by name', () => {
    expect(render({ serviceAccountName: 'pg-instances' })).toEqual({ serviceAccountName: 'pg-instances' });
  });

  test('both are refused', () => {
    expect(refusal({ serviceAccountName: 'sa', serviceAccountMetadata: { labels: { a: 'b' } } })).toBe(
      `${BOX_PATH}: serviceAccountName = "sa" cannot be combined with serviceAccountMetadata (CloudNativePG's webhook refuses both). `
      + 'Fix: give either an existing ServiceAccount, or the metadata of the operator\'s (the field is service_account_name in Python, ServiceAccountName in Go)');
  });
});

describe('the postgres user\'s ids', () => {
  test.each([0, 26, 2 ** 31 - 1])('%p is written', (id) => {
    expect(render({ postgresUid: id, postgresGid: id })).toEqual({ postgresUid: id, postgresGid: id });
  });

  test.each([-1, 2 ** 31, 1.5, NaN])('%p is refused, as a uid and as a gid', (id) => {
    const fix = 'Fix: give the id of the postgres user in the image (26 in CloudNativePG\'s images)';
    expect(refusal({ postgresUid: id })).toBe(
      `${BOX_PATH}: postgresUid = ${id} is not a Unix user or group id. ${fix} (the field is postgres_uid in Python, PostgresUid in Go)`);
    expect(refusal({ postgresUid: 26, postgresGid: id })).toBe(
      `${BOX_PATH}: postgresGid = ${id} is not a Unix user or group id. ${fix} (the field is postgres_gid in Python, PostgresGid in Go)`);
  });
});

describe('log level, image pull policy, description', () => {
  test('written as given', () => {
    expect(render({ logLevel: InstanceLogLevel.TRACE, imagePullPolicy: ImagePullPolicy.NEVER, description: 'the shared database' }))
      .toEqual({ logLevel: 'trace', imagePullPolicy: 'Never', description: 'the shared database' });
  });

  test.each(Object.values(InstanceLogLevel))('the log level %p is accepted', (level) => {
    expect(render({ logLevel: level }).logLevel).toBe(level);
  });

  test.each(Object.values(ImagePullPolicy))('the pull policy %p is accepted', (policy) => {
    expect(render({ imagePullPolicy: policy }).imagePullPolicy).toBe(policy);
  });

  test('a value outside the enums is refused', () => {
    expect(refusal({ logLevel: 'verbose' as any })).toBe(
      `${BOX_PATH}: logLevel = "verbose" is not a log level the CRD accepts. Fix: use InstanceLogLevel.INFO (the default), DEBUG, ... `
      + '(the field is log_level in Python, LogLevel in Go)');
    expect(refusal({ imagePullPolicy: 'always' as any })).toBe(
      `${BOX_PATH}: imagePullPolicy = "always" is not an image pull policy. Fix: use ImagePullPolicy.IF_NOT_PRESENT, ALWAYS or NEVER `
      + '(the field is image_pull_policy in Python, ImagePullPolicy in Go)');
  });
});

describe('ephemeral volume limits', () => {
  // Quantities are the imports' wrapped values (`{ value }`) until the spec is written.
  test('shared memory, temporary data, or both', () => {
    expect(render({ ephemeralVolumes: { sharedMemory: Quantity.gibibytes(1) } })).toEqual({ ephemeralVolumesSizeLimit: { shm: { value: '1Gi' } } });
    expect(render({ ephemeralVolumes: { temporaryData: Quantity.mebibytes(512) } })).toEqual({ ephemeralVolumesSizeLimit: { temporaryData: { value: '512Mi' } } });
    expect(render({ ephemeralVolumes: { sharedMemory: Quantity.of('2Gi'), temporaryData: Quantity.of('1G') } }))
      .toEqual({ ephemeralVolumesSizeLimit: { shm: { value: '2Gi' }, temporaryData: { value: '1G' } } });
  });

  test('each quantity is checked', () => {
    expect(refusal({ ephemeralVolumes: { sharedMemory: Quantity.of('1 GB') } })).toBe(
      `${BOX_PATH}: ephemeralVolumes.sharedMemory = "1 GB" is not a Kubernetes quantity. `
      + 'Fix: write a number with an optional unit suffix, such as "80Gi", "512Mi" or "1Ti", or use Quantity.gibibytes(80) '
      + '(the field is ephemeral_volumes.shared_memory in Python, EphemeralVolumes.SharedMemory in Go)');
    expect(refusal({ ephemeralVolumes: { sharedMemory: Quantity.gibibytes(1), temporaryData: Quantity.of('0') } })).toBe(
      `${BOX_PATH}: ephemeralVolumes.temporaryData = "0" must be greater than zero. Fix: give a positive size such as Quantity.gibibytes(10) `
      + '(the field is ephemeral_volumes.temporary_data in Python, EphemeralVolumes.TemporaryData in Go)');
  });

  test('a value that is not a Quantity is refused', () => {
    expect(refusal({ ephemeralVolumes: { temporaryData: '1Gi' as any } })).toBe(
      `${BOX_PATH}: ephemeralVolumes.temporaryData = "1Gi" is not a Quantity. Fix: use e.g. Quantity.gibibytes(1) `
      + '(the field is ephemeral_volumes.temporary_data in Python, EphemeralVolumes.TemporaryData in Go)');
    expect(refusal({ ephemeralVolumes: { sharedMemory: 1 as any } })).toBe(
      `${BOX_PATH}: ephemeralVolumes.sharedMemory = 1 is not a Quantity. Fix: use e.g. Quantity.gibibytes(1) `
      + '(the field is ephemeral_volumes.shared_memory in Python, EphemeralVolumes.SharedMemory in Go)');
  });
});

describe('the factories\' argument checks (which make type checks at render needless)', () => {
  const NOT_A_STRING = 'is a number, where a string goes. Fix: write the value as a string, in quotes';

  test('a value, key, prefix or item that is not a string is refused when the object is made', () => {
    expect(thrown(() => EnvironmentValue.value(5 as any))).toBe(`EnvironmentValue.value: value = 5 ${NOT_A_STRING}`);
    expect(thrown(() => EnvironmentValue.fromSecret('s', 5 as any))).toBe(`EnvironmentValue.fromSecret: key = 5 ${NOT_A_STRING}`);
    expect(thrown(() => EnvironmentValue.fromConfigMap('c', 5 as any))).toBe(`EnvironmentValue.fromConfigMap: key = 5 ${NOT_A_STRING}`);
    expect(thrown(() => EnvironmentSource.secret('s', 5 as any))).toBe(`EnvironmentSource.secret: prefix = 5 ${NOT_A_STRING}`);
    expect(thrown(() => ProjectedVolume.secret('s', [{ key: 5 as any, path: 'p' }]))).toBe(`ProjectedVolume.secret: items[0].key = 5 ${NOT_A_STRING}`);
    expect(thrown(() => ProjectedVolume.configMap('c', [{ key: 'k', path: 5 as any }]))).toBe(`ProjectedVolume.configMap: items[0].path = 5 ${NOT_A_STRING}`);
  });
});
