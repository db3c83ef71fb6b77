import {
  BackupCompression, BackupCredentials, BackupRetention, ObjectStoreProvider,
} from '../../src';
import { DATA_COMPRESSIONS } from '../../src/backup/options';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

/** The message `_validate` of a retention throws for the field `retention`. */
function retentionError(r: BackupRetention): string {
  return thrown(() => r._validate(boxScope(), 'retention'));
}

/** The message `_validate` of credentials throws for the field `credentials`. */
function credentialsError(c: BackupCredentials): string {
  return thrown(() => c._validate(boxScope(), 'credentials'));
}

describe('BackupRetention', () => {
  test('days, weeks and months in CloudNativePG\'s notation, their recovery windows (a month is 31 days)', () => {
    const cases: Array<[BackupRetention, string, number]> = [
      [BackupRetention.days(1), '1d', 1],
      [BackupRetention.days(30), '30d', 30],
      [BackupRetention.weeks(4), '4w', 28],
      [BackupRetention.months(1), '1m', 31],
      [BackupRetention.months(12), '12m', 372],
      [BackupRetention.of('10d'), '10d', 10],
      [BackupRetention.of('105w'), '105w', 735],
    ];
    for (const [r, policy, days] of cases) {
      expect([r.policy, r.toString(), `${r}`, r.recoveryWindowDays, r.isUnresolved]).toEqual([policy, policy, policy, days, false]);
      expect(retentionError(r)).toBe('(nothing thrown)');
    }
  });

  test('a Flux variable is unresolved, has no window, and is refused where the value is needed', () => {
    const r = BackupRetention.of('${CNPG_BACKUP_RETENTION}');
    expect([r.policy, r.isUnresolved, r.recoveryWindowDays]).toEqual(['${CNPG_BACKUP_RETENTION}', true, undefined]);
    expect(BackupRetention.of('x${A}y').isUnresolved).toBe(true);
    expect(retentionError(r)).toBe(`${BOX_PATH}: retention = "\${CNPG_BACKUP_RETENTION}" is a Flux variable, but the ObjectStore schema requires the pattern `
      + '^[1-9][0-9]*[dwm]$ and the alert windows are derived from it. Fix: give the value, e.g. BackupRetention.days(30)');
  });

  test.each(['0d', '30', 'd', '30y', '30D', ' 30d', '30d ', 'x30d', '30dx', '030d', '3.5d', '-1d', '', '30 d'])('%j is no policy: no window, refused', (policy) => {
    const r = BackupRetention.of(policy);
    expect(r.recoveryWindowDays).toBeUndefined();
    expect(r.isUnresolved).toBe(false);
    expect(retentionError(r)).toBe(`${BOX_PATH}: retention = ${JSON.stringify(policy)} is not a CloudNativePG retention policy (a positive number followed by d, w or m, `
      + 'e.g. "30d"). Fix: use BackupRetention.days(30), BackupRetention.weeks(4) or BackupRetention.months(3)');
  });

  test('the factories from numbers refuse what is no number, naming themselves', () => {
    for (const name of ['days', 'weeks', 'months'] as const) {
      expect(thrown(() => BackupRetention[name]('7' as any))).toBe(`BackupRetention.${name}: n = "7" is a string, where a number goes. Fix: write the number without quotes`);
    }
    expect(thrown(() => BackupRetention.of(30 as any))).toBe('BackupRetention.of: policy = 30 is a number, where a string goes. Fix: write the value as a string, in quotes');
  });
});

describe('BackupCompression', () => {
  test('base backups accept none, gzip, bzip2, lz4 and snappy only (xz and zstd are WAL-only)', () => {
    expect(DATA_COMPRESSIONS).toEqual(['none', 'gzip', 'bzip2', 'lz4', 'snappy']);
    expect(Object.values(BackupCompression).filter((c) => !DATA_COMPRESSIONS.includes(c))).toEqual(['xz', 'zstd']);
  });
});

describe('BackupCredentials factories', () => {
  const S3_DEFAULT_KEYS = { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'SECRET_ACCESS_KEY', region: undefined, sessionToken: undefined };

  test('fromSecretStore: S3 keys from the store, the documented default keys', () => {
    const c = BackupCredentials.fromSecretStore('kubernetes/cnpg/minio');
    expect(c._spec).toEqual({ kind: 's3-keys', remoteKey: 'kubernetes/cnpg/minio', secretName: undefined, keys: S3_DEFAULT_KEYS });
    expect([c.remoteKey, c.secretName, c.accessKeyIdKey, c.secretAccessKeyKey, c.provider, c.roleArn, c.usesSecret])
      .toEqual(['kubernetes/cnpg/minio', undefined, 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', ObjectStoreProvider.S3, undefined, true]);
    expect(c._secretKeys()).toEqual([['accessKeyId', 'ACCESS_KEY_ID'], ['secretAccessKey', 'SECRET_ACCESS_KEY']]);
    expect(credentialsError(c)).toBe('(nothing thrown)');
  });

  test('fromSecretStore with every option', () => {
    const c = BackupCredentials.fromSecretStore('k/s3', { secretName: 's3-keys', accessKeyIdKey: 'ID', secretAccessKeyKey: 'SECRET', regionKey: 'REGION', sessionTokenKey: 'TOKEN' });
    expect([c.remoteKey, c.secretName, c.accessKeyIdKey, c.secretAccessKeyKey]).toEqual(['k/s3', 's3-keys', 'ID', 'SECRET']);
    expect(c._secretKeys()).toEqual([['accessKeyId', 'ID'], ['secretAccessKey', 'SECRET'], ['region', 'REGION'], ['sessionToken', 'TOKEN']]);
    expect(credentialsError(c)).toBe('(nothing thrown)');
  });

  test('fromSecret: an existing Secret, no store', () => {
    const c = BackupCredentials.fromSecret('sealed-s3');
    expect(c._spec).toEqual({ kind: 's3-keys', secretName: 'sealed-s3', keys: S3_DEFAULT_KEYS });
    expect([c.remoteKey, c.secretName, c.provider, c.usesSecret]).toEqual([undefined, 'sealed-s3', ObjectStoreProvider.S3, true]);
    const k = BackupCredentials.fromSecret('s', { accessKeyIdKey: 'A', secretAccessKeyKey: 'B', regionKey: 'C', sessionTokenKey: 'D' });
    expect([k.accessKeyIdKey, k.secretAccessKeyKey]).toEqual(['A', 'B']);
    expect(k._secretKeys()).toEqual([['accessKeyId', 'A'], ['secretAccessKey', 'B'], ['region', 'C'], ['sessionToken', 'D']]);
    expect(credentialsError(c)).toBe('(nothing thrown)');
  });

  test('fromIamRole: no Secret, the role when given', () => {
    const none = BackupCredentials.fromIamRole();
    expect(none._spec).toEqual({ kind: 'iam-role', keys: {}, roleArn: undefined });
    expect([none.usesSecret, none.provider, none.roleArn, none.accessKeyIdKey, none.secretAccessKeyKey])
      .toEqual([false, ObjectStoreProvider.S3, undefined, 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY']);
    expect(none._secretKeys()).toEqual([]);
    expect(credentialsError(none)).toBe('(nothing thrown)');
    const role = BackupCredentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/cnpg-backups' });
    expect(role.roleArn).toBe('arn:aws:iam::123456789012:role/cnpg-backups');
    expect(credentialsError(role)).toBe('(nothing thrown)');
  });

  test('Azure: storage key, SAS token, connection string with their default and chosen keys', () => {
    const key = BackupCredentials.azureStorageKey({ remoteKey: 'k/az', secretName: 'az' });
    expect(key._spec).toEqual({ kind: 'azure-key', remoteKey: 'k/az', secretName: 'az', keys: { storageAccount: 'AZURE_STORAGE_ACCOUNT', storageKey: 'AZURE_STORAGE_KEY' } });
    expect([key.provider, key.usesSecret, key.remoteKey, key.secretName]).toEqual([ObjectStoreProvider.AZURE, true, 'k/az', 'az']);
    expect(BackupCredentials.azureStorageKey({ storageAccountKey: 'ACC', credentialKey: 'KEY' })._spec.keys).toEqual({ storageAccount: 'ACC', storageKey: 'KEY' });

    const sas = BackupCredentials.azureSasToken({ remoteKey: 'k/az', secretName: 'az' });
    expect(sas._spec).toEqual({ kind: 'azure-sas', remoteKey: 'k/az', secretName: 'az', keys: { storageAccount: 'AZURE_STORAGE_ACCOUNT', storageSasToken: 'AZURE_STORAGE_SAS_TOKEN' } });
    expect(sas.provider).toBe(ObjectStoreProvider.AZURE);
    expect(BackupCredentials.azureSasToken({ storageAccountKey: 'ACC', credentialKey: 'SAS' })._spec.keys).toEqual({ storageAccount: 'ACC', storageSasToken: 'SAS' });

    const conn = BackupCredentials.azureConnectionString({ remoteKey: 'k/az', secretName: 'az' });
    expect(conn._spec).toEqual({ kind: 'azure-connection-string', remoteKey: 'k/az', secretName: 'az', keys: { connectionString: 'AZURE_CONNECTION_STRING' } });
    expect(conn.provider).toBe(ObjectStoreProvider.AZURE);
    expect(BackupCredentials.azureConnectionString({ connectionStringKey: 'CS' })._spec.keys).toEqual({ connectionString: 'CS' });
    for (const c of [key, sas, conn]) expect(credentialsError(c)).toBe('(nothing thrown)');
  });

  test('Azure and Google inherited identities: no Secret', () => {
    const ad = BackupCredentials.azureWorkloadIdentity();
    const def = BackupCredentials.azureDefaultCredentials();
    const gke = BackupCredentials.googleWorkloadIdentity();
    expect([ad._spec, def._spec, gke._spec]).toEqual([{ kind: 'azure-ad', keys: {} }, { kind: 'azure-default', keys: {} }, { kind: 'google-gke', keys: {} }]);
    expect([ad.provider, def.provider, gke.provider]).toEqual([ObjectStoreProvider.AZURE, ObjectStoreProvider.AZURE, ObjectStoreProvider.GOOGLE]);
    expect([ad.usesSecret, def.usesSecret, gke.usesSecret]).toEqual([false, false, false]);
    for (const c of [ad, def, gke]) expect(credentialsError(c)).toBe('(nothing thrown)');
  });

  test('Google service-account key: the default and a chosen key', () => {
    const json = BackupCredentials.googleServiceAccountKey({ secretName: 'gcs' });
    expect(json._spec).toEqual({ kind: 'google-json', remoteKey: undefined, secretName: 'gcs', keys: { applicationCredentials: 'application_credentials.json' } });
    expect([json.provider, json.usesSecret]).toEqual([ObjectStoreProvider.GOOGLE, true]);
    expect(BackupCredentials.googleServiceAccountKey({ remoteKey: 'k/gcs', key: 'sa.json' })._spec)
      .toEqual({ kind: 'google-json', remoteKey: 'k/gcs', secretName: undefined, keys: { applicationCredentials: 'sa.json' } });
  });

  test('each factory checks its arguments and names itself', () => {
    expect(thrown(() => BackupCredentials.fromSecretStore(1 as any))).toBe('BackupCredentials.fromSecretStore: remoteKey = 1 is a number, where a string goes. '
      + 'Fix: write the value as a string, in quotes (the field is remote_key in Python, RemoteKey in Go)');
    expect(thrown(() => BackupCredentials.fromSecret(1 as any))).toBe('BackupCredentials.fromSecret: name = 1 is a number, where a string goes. Fix: write the value as a string, in quotes');
    const objects: Array<[string, () => unknown, string]> = [
      ['fromIamRole', () => BackupCredentials.fromIamRole(1 as any), 'IamRoleCredentialsOptions'],
      ['azureStorageKey', () => BackupCredentials.azureStorageKey(1 as any), 'AzureCredentialsOptions'],
      ['azureSasToken', () => BackupCredentials.azureSasToken(1 as any), 'AzureCredentialsOptions'],
      ['azureConnectionString', () => BackupCredentials.azureConnectionString(1 as any), 'AzureConnectionStringOptions'],
      ['googleServiceAccountKey', () => BackupCredentials.googleServiceAccountKey(1 as any), 'GoogleCredentialsOptions'],
    ];
    for (const [name, f, type] of objects) {
      expect(thrown(f)).toBe(`BackupCredentials.${name}: options = 1 is a number, where an object goes. Fix: give an object with the props of ${type} (all optional)`);
    }
  });
});

describe('BackupCredentials validation', () => {
  test('the Secret name: a DNS-1123 name of at most 253 characters', () => {
    expect(credentialsError(BackupCredentials.fromSecret('a'.repeat(253)))).toBe('(nothing thrown)');
    expect(credentialsError(BackupCredentials.fromSecret('a'.repeat(254)))).toBe(`${BOX_PATH}: credentials.secretName = "${'a'.repeat(254)}" is 254 characters long, `
      + 'more than the 253 allowed. Fix: use a name of at most 253 characters (the field is credentials.secret_name in Python, Credentials.SecretName in Go)');
    expect(credentialsError(BackupCredentials.fromSecret('S3_Keys'))).toMatch(/^Construct at 'test\/box': credentials\.secretName = "S3_Keys" is not a DNS-1123 label/);
    expect(credentialsError(BackupCredentials.fromSecret('${S3_SECRET}'))).toBe('(nothing thrown)');
  });

  test('a Secret the credentials need but neither a store item nor a name', () => {
    const message = `${BOX_PATH}: credentials.secretName = (unset) is required: the credentials come from an existing Secret, and no remoteKey fills one from the secret store. `
      + 'Fix: give the existing Secret\'s name (secretName: "azure-backup"), or remoteKey to fill it from the store (the field is credentials.secret_name in Python, Credentials.SecretName in Go)';
    expect(credentialsError(BackupCredentials.azureStorageKey())).toBe(message);
    expect(credentialsError(BackupCredentials.azureConnectionString())).toBe(message);
    expect(credentialsError(BackupCredentials.googleServiceAccountKey())).toBe(message);
    expect(credentialsError(BackupCredentials.azureStorageKey({ secretName: 'az' }))).toBe('(nothing thrown)');
    expect(credentialsError(BackupCredentials.azureStorageKey({ remoteKey: 'k/az' }))).toBe('(nothing thrown)');
  });

  test.each(['', '  ', '\t'])('an empty store item %j', (remoteKey) => {
    expect(credentialsError(BackupCredentials.fromSecretStore(remoteKey))).toBe(`${BOX_PATH}: credentials.remoteKey = ${JSON.stringify(remoteKey)} is empty. `
      + 'Fix: give the item\'s path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/minio" (the field is credentials.remote_key in Python, Credentials.RemoteKey in Go)');
  });

  test('a store item that is not a string (a jsii caller\'s any) is refused as empty', () => {
    const c = BackupCredentials.azureStorageKey({ remoteKey: 'k' });
    (c as any).remoteKey = 5;
    expect(credentialsError(c)).toBe(`${BOX_PATH}: credentials.remoteKey = 5 is empty. `
      + 'Fix: give the item\'s path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/minio" (the field is credentials.remote_key in Python, Credentials.RemoteKey in Go)');
  });

  test('Secret keys: letters, digits, "-", "_" and "." only, each key once', () => {
    expect(credentialsError(BackupCredentials.fromSecret('s', { accessKeyIdKey: 'a-b_c.D9', secretAccessKeyKey: 'x' }))).toBe('(nothing thrown)');
    for (const bad of ['a b', 'a/b', 'a:b', '']) {
      expect(credentialsError(BackupCredentials.fromSecret('s', { regionKey: bad }))).toBe(`${BOX_PATH}: credentials.regionKey = ${JSON.stringify(bad)} is not a valid Secret key. `
        + 'Fix: use letters, digits, "-", "_" and ".", e.g. "ACCESS_KEY_ID" (the field is credentials.region_key in Python, Credentials.RegionKey in Go)');
    }
    expect(credentialsError(BackupCredentials.fromSecret('s', { accessKeyIdKey: 'x!' }))).toBe(`${BOX_PATH}: credentials.accessKeyIdKey = "x!" is not a valid Secret key. `
      + 'Fix: use letters, digits, "-", "_" and ".", e.g. "ACCESS_KEY_ID" (the field is credentials.access_key_id_key in Python, Credentials.AccessKeyIdKey in Go)');
    expect(credentialsError(BackupCredentials.fromSecret('s', { sessionTokenKey: 'SECRET_ACCESS_KEY' }))).toBe(`${BOX_PATH}: credentials.sessionTokenKey = "SECRET_ACCESS_KEY" `
      + 'is the same key as secretAccessKeyKey. Fix: give each value its own Secret key (the field is credentials.session_token_key in Python, Credentials.SessionTokenKey in Go)');
    expect(credentialsError(BackupCredentials.azureStorageKey({ secretName: 'a', storageAccountKey: 'K', credentialKey: 'K' }))).toBe(`${BOX_PATH}: credentials.storageKeyKey = "K" `
      + 'is the same key as storageAccountKey. Fix: give each value its own Secret key (the field is credentials.storage_key_key in Python, Credentials.StorageKeyKey in Go)');
  });

  test('the role ARN: arn:aws(-partition):iam::<12 digits>:role/<path and name>, or a Flux variable', () => {
    const ok = ['arn:aws:iam::123456789012:role/cnpg', 'arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@_-d', 'arn:aws-cn:iam::123456789012:role/x', '${CNPG_ROLE_ARN}',
      'arn:aws:iam::${ACCOUNT}:role/cnpg'];
    for (const roleArn of ok) expect(credentialsError(BackupCredentials.fromIamRole({ roleArn }))).toBe('(nothing thrown)');
    const bad = ['cnpg-backups', 'arn:aws:iam::12345678901:role/x', 'arn:aws:iam::1234567890123:role/x', 'arn:aws:iam::123456789012:user/x', 'arn:aws:iam::123456789012:role/',
      'arn:aws:s3::123456789012:role/x', 'xarn:aws:iam::123456789012:role/x', 'arn:aws:iam::123456789012:role/x y', 'arn:AWS:iam::123456789012:role/x', 'arn:aws:iam:eu:123456789012:role/x'];
    for (const roleArn of bad) {
      expect(credentialsError(BackupCredentials.fromIamRole({ roleArn }))).toBe(`${BOX_PATH}: credentials.roleArn = ${JSON.stringify(roleArn)} is not an IAM role ARN. `
        + 'Fix: give "arn:aws:iam::<account id>:role/<name>" (the field is credentials.role_arn in Python, Credentials.RoleArn in Go)');
    }
  });
});
