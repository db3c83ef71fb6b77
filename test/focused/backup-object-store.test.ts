import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BackupCredentials, ClusterSettings, CnpgSharedCluster, ObjectStoreProvider, SettingsMode,
} from '../../src';
import {
  barmanConfiguration, ObjectStoreDefaults, ObjectStoreOptions, provisionCredentials, ResolvedObjectStore, resolveObjectStore, sameArchive,
  validateEndpoint,
} from '../../src/backup/object-store';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope, chart } from '../util/synth';

const KEYS = BackupCredentials.fromSecret('s3-keys');
const DEFAULTS: ObjectStoreDefaults = { archiveCluster: 'pg', serverName: 'pg' };

function resolve(options: ObjectStoreOptions, defaults: Partial<ObjectStoreDefaults> = {}): ResolvedObjectStore {
  return resolveObjectStore(boxScope(), options, { ...DEFAULTS, ...defaults });
}

function error(options: ObjectStoreOptions, defaults: Partial<ObjectStoreDefaults> = {}): string {
  return thrown(() => resolve(options, defaults));
}

function settings(data: Record<string, string>, mode?: SettingsMode): ClusterSettings {
  return ClusterSettings.fromData(data, mode ? { mode } : {});
}

describe('resolveObjectStore: credentials', () => {
  test('required without CNPG_MINIO_SECRET_PATH, named with the field prefix', () => {
    const fix = 'Fix: give BackupCredentials.fromSecretStore("kubernetes/infra/cloudnative-pg/minio"), BackupCredentials.fromSecret("<secret>") or BackupCredentials.fromIamRole()';
    expect(error({ bucket: 'b-1' })).toBe(`${BOX_PATH}: credentials = (unset) are required (no CNPG_MINIO_SECRET_PATH in the settings). ${fix}`);
    expect(error({ bucket: 'b-1' }, { field: 'source.', settings: settings({ CNPG_BACKUP_BUCKET: 'b-1' }) }))
      .toBe(`${BOX_PATH}: source.credentials = (unset) are required (no CNPG_MINIO_SECRET_PATH in the settings). ${fix}`);
  });

  test('from CNPG_MINIO_SECRET_PATH: S3 keys from the store into <cluster>-backup-s3', () => {
    const r = resolve({ bucket: 'b-1' }, { settings: settings({ CNPG_MINIO_SECRET_PATH: 'kubernetes/cnpg/minio' }) });
    expect(r.credentials._spec).toEqual(BackupCredentials.fromSecretStore('kubernetes/cnpg/minio')._spec);
    expect(r.credentialsSecretName).toBe('pg-backup-s3');
    const given = BackupCredentials.fromIamRole();
    expect(resolve({ bucket: 'b-1', credentials: given }, { settings: settings({ CNPG_MINIO_SECRET_PATH: 'k/s3' }) }).credentials).toBe(given);
  });

  test('what is not a BackupCredentials', () => {
    expect(error({ bucket: 'b-1', credentials: { kind: 's3-keys' } as any }, { field: 'source.' })).toBe(`${BOX_PATH}: source.credentials = {"kind":"s3-keys"} is not a BackupCredentials. `
      + 'Fix: use one of the BackupCredentials factories, e.g. BackupCredentials.fromSecret("<secret>")');
  });

  test('the credentials are validated under the field', () => {
    expect(error({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore(' ') }, { field: 'source.' })).toBe(`${BOX_PATH}: source.credentials.remoteKey = " " is empty. `
      + 'Fix: give the item\'s path in the secret store, e.g. "kubernetes/infra/cloudnative-pg/minio" (the field is source.credentials.remote_key in Python, Source.Credentials.RemoteKey in Go)');
  });

  test('the Secret name: given, or <archive cluster>-backup-s3/-azure/-gcs; none for an inherited identity', () => {
    const az = 'https://acc.blob.core.windows.net/cnpg/pg';
    expect(resolve({ bucket: 'b-1', credentials: BackupCredentials.fromSecretStore('k') }, { archiveCluster: 'src' }).credentialsSecretName).toBe('src-backup-s3');
    expect(resolve({ destinationPath: az, credentials: BackupCredentials.azureStorageKey({ remoteKey: 'k' }) }).credentialsSecretName).toBe('pg-backup-azure');
    expect(resolve({ bucket: 'b-1', credentials: BackupCredentials.googleServiceAccountKey({ remoteKey: 'k' }) }).credentialsSecretName).toBe('pg-backup-gcs');
    expect(resolve({ bucket: 'b-1', credentials: KEYS }).credentialsSecretName).toBe('s3-keys');
    expect(resolve({ bucket: 'b-1', credentials: BackupCredentials.fromIamRole() }).credentialsSecretName).toBeUndefined();
    expect(resolve({ destinationPath: az, credentials: BackupCredentials.azureWorkloadIdentity() }).credentialsSecretName).toBeUndefined();
  });

  test('the derived Secret name at 253 characters, and one more', () => {
    const creds = BackupCredentials.fromSecretStore('k');
    const ok = 'a'.repeat(253 - '-backup-s3'.length);
    expect(resolve({ destinationPath: 's3://b-1/x', credentials: creds }, { archiveCluster: ok }).credentialsSecretName).toBe(`${ok}-backup-s3`);
    expect(error({ destinationPath: 's3://b-1/x', credentials: creds }, { archiveCluster: `${ok}a`, field: 'source.' }))
      .toBe(`${BOX_PATH}: source.credentials.secretName = "${ok}a-backup-s3" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters `
        + '(the field is source.credentials.secret_name in Python, Source.Credentials.SecretName in Go)');
  });
});

describe('resolveObjectStore: where', () => {
  test('bucket and destinationPath together', () => {
    expect(error({ bucket: 'b-1', destinationPath: 's3://b-1/pg', credentials: KEYS }, { field: 'source.' })).toBe(`${BOX_PATH}: source.bucket = "b-1" is given with destinationPath `
      + '("s3://b-1/pg"), which names the bucket already: one of them would be ignored. Fix: give only destinationPath (the full path, bucket included), or only bucket '
      + '(the path <bucket>/<cluster> is derived)');
    // The settings' bucket does not conflict with a given destinationPath.
    expect(resolve({ destinationPath: 's3://other/x', credentials: KEYS }, { settings: settings({ CNPG_BACKUP_BUCKET: 'b-1' }) }).destinationPath).toBe('s3://other/x');
  });

  test('Azure needs destinationPath, even with a bucket in the settings', () => {
    const creds = BackupCredentials.azureWorkloadIdentity();
    const message = `${BOX_PATH}: source.destinationPath = (unset) is required for Azure Blob Storage (a container has no bucket name). `
      + 'Fix: give destinationPath: "https://<account>.blob.core.windows.net/<container>/<path>" (the field is source.destination_path in Python, Source.DestinationPath in Go)';
    expect(error({ credentials: creds }, { field: 'source.', settings: settings({ CNPG_BACKUP_BUCKET: 'b-1' }) })).toBe(message);
  });

  test('a bucket is required without destinationPath', () => {
    expect(error({ credentials: KEYS }, { field: 'source.' })).toBe(`${BOX_PATH}: source.bucket = (unset) is required (no destinationPath and no CNPG_BACKUP_BUCKET in the settings). `
      + 'Fix: give the bucket name, e.g. bucket: "monosense-cnpg"');
  });

  test('the path: s3://<bucket>/<archive cluster>, gs:// for Google; the bucket from the settings or given', () => {
    expect(resolve({ credentials: KEYS }, { archiveCluster: 'src', settings: settings({ CNPG_BACKUP_BUCKET: 'from-settings' }) }).destinationPath).toBe('s3://from-settings/src');
    expect(resolve({ bucket: 'given', credentials: KEYS }, { settings: settings({ CNPG_BACKUP_BUCKET: 'from-settings' }) }).destinationPath).toBe('s3://given/pg');
    expect(resolve({ bucket: 'cnpg_gcs', credentials: BackupCredentials.googleWorkloadIdentity() }).destinationPath).toBe('gs://cnpg_gcs/pg');
  });

  test('a bucket holding a Flux variable is not checked', () => {
    expect(resolve({ bucket: '${CNPG_BACKUP_BUCKET}', credentials: KEYS }).destinationPath).toBe('s3://${CNPG_BACKUP_BUCKET}/pg');
    expect(resolve({ bucket: 's3://${B}', credentials: KEYS }).destinationPath).toBe('s3://s3://${B}/pg');
  });

  test('a URL as bucket: the bucket name suggested', () => {
    const fix = (name: string, scheme: string) => `Fix: give only the bucket name, e.g. "${name}" (the path ${scheme}<bucket>/<cluster> is derived), or set destinationPath`;
    expect(error({ bucket: 's3://monosense-cnpg/pg', credentials: KEYS })).toBe(`${BOX_PATH}: bucket = "s3://monosense-cnpg/pg" is a URL, not a bucket name. ${fix('monosense-cnpg', 's3://')}`);
    expect(error({ bucket: 'gs://cnpg', credentials: BackupCredentials.googleWorkloadIdentity() }, { field: 'source.' }))
      .toBe(`${BOX_PATH}: source.bucket = "gs://cnpg" is a URL, not a bucket name. ${fix('cnpg', 'gs://')}`);
    expect(error({ bucket: 'https://minio.x:9000/b', credentials: KEYS })).toBe(`${BOX_PATH}: bucket = "https://minio.x:9000/b" is a URL, not a bucket name. ${fix('minio.x:9000', 's3://')}`);
    // Only a scheme of lower-case letters and digits is removed.
    expect(error({ bucket: 'S3://b/x', credentials: KEYS })).toBe(`${BOX_PATH}: bucket = "S3://b/x" is a URL, not a bucket name. ${fix('S3:', 's3://')}`);
  });

  test('S3 bucket names: 3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit', () => {
    const ok = ['abc', 'a.b', 'a-b', '1b2', 'a'.repeat(63)];
    for (const bucket of ok) expect(resolve({ bucket, credentials: KEYS }).destinationPath).toBe(`s3://${bucket}/pg`);
    const bad = ['ab', 'a'.repeat(64), '-ab', 'ab-', '.ab', 'ab.', 'aBc', 'a_b', 'a b', 'xa/b'];
    for (const bucket of bad) {
      expect(error({ bucket, credentials: KEYS }, { field: 'source.' })).toBe(`${BOX_PATH}: source.bucket = ${JSON.stringify(bucket)} is not an S3 bucket name `
        + '(3-63 lower-case letters, digits, "." and "-"). Fix: give a bucket name such as "monosense-cnpg"');
    }
  });

  test('Google Cloud Storage bucket names also take "_"', () => {
    const gcs = BackupCredentials.googleWorkloadIdentity();
    for (const bucket of ['a_b', 'abc', 'a'.repeat(63)]) expect(resolve({ bucket, credentials: gcs }).destinationPath).toBe(`gs://${bucket}/pg`);
    for (const bucket of ['ab', 'a'.repeat(64), '_ab', 'ab_', 'A_b']) {
      expect(error({ bucket, credentials: gcs })).toBe(`${BOX_PATH}: bucket = ${JSON.stringify(bucket)} is not a Google Cloud Storage bucket name `
        + '(3-63 lower-case letters, digits, "." and "-"). Fix: give a bucket name such as "monosense-cnpg"');
    }
  });

  test('destinationPath per provider', () => {
    const google = BackupCredentials.googleWorkloadIdentity();
    const azure = BackupCredentials.azureWorkloadIdentity();
    const accepted: Array<[string, BackupCredentials]> = [
      ['s3://abc', KEYS], ['s3://abc/', KEYS], ['s3://a.b-c/x/y', KEYS], [`s3://${'a'.repeat(63)}/x`, KEYS], ['s3://${B}/x y', KEYS],
      ['gs://a_b/x', google], ['gs://abc', google],
      ['https://acc.blob.core.windows.net/cnpg/pg', azure], ['http://azurite:10000/devstoreaccount1/cnpg-backups', azure], ['https://a.b/abc', azure],
    ];
    for (const [destinationPath, credentials] of accepted) expect(resolve({ destinationPath, credentials }).destinationPath).toBe(destinationPath);
    const what = {
      [ObjectStoreProvider.S3]: ['an s3://bucket/path URL', '"s3://monosense-cnpg/shared-postgres", or only bucket'],
      [ObjectStoreProvider.GOOGLE]: ['a gs://bucket/path URL (Google Cloud Storage credentials)', '"gs://monosense-cnpg/shared-postgres", or only bucket'],
      [ObjectStoreProvider.AZURE]: ['an https://<account>.blob.core.windows.net/<container>/path URL (Azure Blob Storage credentials)',
        '"https://<account>.blob.core.windows.net/<container>/shared-postgres"'],
    };
    const refused: Array<[string, BackupCredentials]> = [
      ['s3://ab/x', KEYS], [`s3://${'a'.repeat(64)}/x`, KEYS], ['s3://a_b/x', KEYS], ['s3://abc/x y', KEYS], ['S3://abc/x', KEYS], ['gs://abc/x', KEYS], ['xs3://abc', KEYS],
      ['s3://abcx y', KEYS], ['s3://abc/x\n', KEYS],
      ['s3://abc/x', google], ['gs://A_b/x', google], ['xgs://abc/x', google], ['gs://abc/x y', google],
      ['https://acc.blob.core.windows.net/a--b/pg', azure], ['https://acc.blob.core.windows.net/ab', azure], ['https://acc.blob.core.windows.net/Cnpg', azure],
      ['ftp://acc/cnpg', azure], ['https://acc.blob.core.windows.net', azure], ['https:///cnpg', azure], ['https://a b/cnpg', azure], ['https://acc/-cnpg', azure],
      ['https://acc/cnpg-', azure], ['https://acc/cnpg x', azure], ['xhttps://acc/cnpg', azure],
    ];
    for (const [destinationPath, credentials] of refused) {
      const [w, example] = what[credentials.provider];
      expect(error({ destinationPath, credentials }, { field: 'source.' })).toBe(`${BOX_PATH}: source.destinationPath = ${JSON.stringify(destinationPath)} is not ${w}. `
        + `Fix: give e.g. ${example} (the field is source.destination_path in Python, Source.DestinationPath in Go)`);
    }
  });
});

describe('resolveObjectStore: server name, endpoint, CA, parallelism', () => {
  test('the whole result with the defaults', () => {
    expect(resolve({ bucket: 'b-1', credentials: KEYS })).toEqual({
      provider: ObjectStoreProvider.S3,
      destinationPath: 's3://b-1/pg',
      serverName: 'pg',
      endpointUrl: undefined,
      endpointUrlValue: undefined,
      endpointCa: undefined,
      credentials: KEYS,
      credentialsSecretName: 's3-keys',
      walMaxParallel: undefined,
    });
  });

  test('the whole result with every option', () => {
    const ca = { secretName: 'minio-ca', key: 'ca.pem' };
    expect(resolve({ bucket: 'b-1', credentials: KEYS, serverName: 'pg-2', endpointUrl: 'https://minio:9000', endpointCa: ca, walMaxParallel: 4 }, { serverName: 'pg-3' })).toEqual({
      provider: ObjectStoreProvider.S3,
      destinationPath: 's3://b-1/pg',
      serverName: 'pg-2',
      endpointUrl: 'https://minio:9000',
      endpointUrlValue: undefined,
      endpointCa: ca,
      credentials: KEYS,
      credentialsSecretName: 's3-keys',
      walMaxParallel: 4,
    });
    expect(resolve({ bucket: 'b-1', credentials: KEYS }, { serverName: 'pg-3' }).serverName).toBe('pg-3');
  });

  test('the server name: a DNS-1123 name of at most 253 characters', () => {
    expect(resolve({ bucket: 'b-1', credentials: KEYS, serverName: 'a'.repeat(253) }).serverName).toBe('a'.repeat(253));
    expect(error({ bucket: 'b-1', credentials: KEYS, serverName: 'a'.repeat(254) }, { field: 'source.' })).toBe(`${BOX_PATH}: source.serverName = "${'a'.repeat(254)}" `
      + 'is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters (the field is source.server_name in Python, Source.ServerName in Go)');
  });

  test('the endpoint from the settings; its value kept when the settings write Flux variables', () => {
    const data = { CNPG_MINIO_ENDPOINT_URL: 'http://10.0.0.1:9000' };
    const values = resolve({ bucket: 'b-1', credentials: KEYS }, { settings: settings(data) });
    expect([values.endpointUrl, values.endpointUrlValue]).toEqual(['http://10.0.0.1:9000', 'http://10.0.0.1:9000']);
    const flux = resolve({ bucket: 'b-1', credentials: KEYS }, { settings: settings(data, SettingsMode.FLUX_VARIABLES) });
    expect([flux.endpointUrl, flux.endpointUrlValue]).toEqual(['${CNPG_MINIO_ENDPOINT_URL}', 'http://10.0.0.1:9000']);
    const given = resolve({ bucket: 'b-1', credentials: KEYS, endpointUrl: 'https://minio:9000' }, { settings: settings(data, SettingsMode.FLUX_VARIABLES) });
    expect([given.endpointUrl, given.endpointUrlValue]).toEqual(['https://minio:9000', undefined]);
    const none = resolve({ bucket: 'b-1', credentials: KEYS }, { settings: settings({}) });
    expect([none.endpointUrl, none.endpointUrlValue]).toEqual([undefined, undefined]);
  });

  test('the endpoint given is checked', () => {
    expect(error({ bucket: 'b-1', credentials: KEYS, endpointUrl: 'http://minio x' }, { field: 'source.' })).toBe(`${BOX_PATH}: source.endpointUrl = "http://minio x" is not a URL. `
      + 'Fix: give an http(s) URL such as "https://minio x" (the field is source.endpoint_url in Python, Source.EndpointUrl in Go)');
  });

  test('the CA: its Secret name and key', () => {
    expect(resolve({ bucket: 'b-1', credentials: KEYS, endpointCa: { secretName: 'a'.repeat(253) } }).endpointCa).toEqual({ secretName: 'a'.repeat(253) });
    expect(resolve({ bucket: 'b-1', credentials: KEYS, endpointCa: { secretName: 'ca', key: 'a-b_c.D9' } }).endpointCa).toEqual({ secretName: 'ca', key: 'a-b_c.D9' });
    expect(error({ bucket: 'b-1', credentials: KEYS, endpointCa: { secretName: 'a'.repeat(254) } }, { field: 'source.' })).toBe(`${BOX_PATH}: source.endpointCa.secretName = `
      + `"${'a'.repeat(254)}" is 254 characters long, more than the 253 allowed. Fix: use a name of at most 253 characters `
      + '(the field is source.endpoint_ca.secret_name in Python, Source.EndpointCa.SecretName in Go)');
    for (const key of ['ca crt', 'ca/crt', '']) {
      expect(error({ bucket: 'b-1', credentials: KEYS, endpointCa: { secretName: 'ca', key } }, { field: 'source.' })).toBe(`${BOX_PATH}: source.endpointCa.key = ${JSON.stringify(key)} `
        + 'is not a valid Secret key. Fix: give the key of the CA bundle, e.g. "ca.crt" (the field is source.endpoint_ca.key in Python, Source.EndpointCa.Key in Go)');
    }
  });

  test('walMaxParallel from 1 to 64', () => {
    expect(resolve({ bucket: 'b-1', credentials: KEYS, walMaxParallel: 1 }).walMaxParallel).toBe(1);
    expect(resolve({ bucket: 'b-1', credentials: KEYS, walMaxParallel: 64 }).walMaxParallel).toBe(64);
    for (const n of [0, 65, 1.5]) {
      expect(error({ bucket: 'b-1', credentials: KEYS, walMaxParallel: n }, { field: 'source.' })).toBe(`${BOX_PATH}: source.walMaxParallel = ${n} is not valid: it must be an integer `
        + 'between 1 and 64. Fix: give the number of WAL files archived or restored in parallel, e.g. 2 (the field is source.wal_max_parallel in Python, Source.WalMaxParallel in Go)');
    }
  });
});

describe('validateEndpoint', () => {
  const check = (url: string) => thrown(() => validateEndpoint(boxScope(), 'endpointUrl', url));
  const HINT = ' (the field is endpoint_url in Python, EndpointUrl in Go)';

  test('http and https URLs, and Flux variables, pass', () => {
    for (const url of ['https://minio.storage:9000', 'http://10.0.0.1:9000', 'HTTPS://minio', '${CNPG_MINIO_ENDPOINT_URL}', 'ftp://${HOST}']) {
      expect(check(url)).toBe('(nothing thrown)');
    }
  });

  test('what is no URL: the fix prefixes https://', () => {
    expect(check('minio storage')).toBe(`${BOX_PATH}: endpointUrl = "minio storage" is not a URL. Fix: give an http(s) URL such as "https://minio storage"${HINT}`);
    expect(check('')).toBe(`${BOX_PATH}: endpointUrl = "" is not a URL. Fix: give an http(s) URL such as "https://minio.example.com:9000"${HINT}`);
    expect(check('http://')).toBe(`${BOX_PATH}: endpointUrl = "http://" is not a URL. Fix: give an http(s) URL such as "https://minio.example.com:9000"${HINT}`);
    // Only a leading scheme is replaced.
    expect(check('minio http://x')).toBe(`${BOX_PATH}: endpointUrl = "minio http://x" is not a URL. Fix: give an http(s) URL such as "https://minio http://x"${HINT}`);
    expect(check('http://a b')).toBe(`${BOX_PATH}: endpointUrl = "http://a b" is not a URL. Fix: give an http(s) URL such as "https://a b"${HINT}`);
  });

  test('another protocol', () => {
    expect(check('ftp://minio')).toBe(`${BOX_PATH}: endpointUrl = "ftp://minio" is a ftp URL, not http(s). Fix: give an http(s) URL such as "https://minio.example.com:9000"${HINT}`);
    expect(check('s3://bucket')).toBe(`${BOX_PATH}: endpointUrl = "s3://bucket" is a s3 URL, not http(s). Fix: give an http(s) URL such as "https://minio.example.com:9000"${HINT}`);
  });

  test('credentials in the URL: refused, and not repeated in the message', () => {
    const message = (shown: string) => `${BOX_PATH}: endpointUrl = "${shown}" carries credentials. Fix: remove them from the URL: the keys come from credentials${HINT}`;
    expect(check('https://key:secret@minio:9000')).toBe(message('https://***@minio:9000'));
    expect(check('https://key@minio:9000')).toBe(message('https://***@minio:9000'));
    expect(check('https://:secret@minio:9000')).toBe(message('https://***@minio:9000'));
  });
});

describe('barmanConfiguration', () => {
  const store = (credentials: BackupCredentials, extra: Partial<ResolvedObjectStore> = {}): ResolvedObjectStore => ({
    provider: credentials.provider, destinationPath: 's3://b-1/pg', serverName: 'pg', credentials, credentialsSecretName: 'sec', ...extra,
  });

  test('a read-only source: location and credentials, no wal or data', () => {
    expect(barmanConfiguration(store(KEYS))).toEqual({
      destinationPath: 's3://b-1/pg',
      endpointUrl: undefined,
      endpointCa: undefined,
      s3Credentials: { accessKeyId: { name: 'sec', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'sec', key: 'SECRET_ACCESS_KEY' }, region: undefined, sessionToken: undefined },
      wal: undefined,
      data: undefined,
    });
  });

  test('a source restoring WAL in parallel: wal.maxParallel only', () => {
    expect(barmanConfiguration(store(KEYS, { walMaxParallel: 8 })).wal).toEqual({ compression: undefined, encryption: undefined, maxParallel: 8 });
  });

  test('a backup: wal and data, the endpoint and its CA (ca.crt by default)', () => {
    const config = barmanConfiguration(store(KEYS, { endpointUrl: 'https://minio:9000', endpointCa: { secretName: 'ca' } }),
      { walCompression: 'gzip', dataCompression: 'bzip2', encryption: 'AES256', jobs: 3, immediateCheckpoint: false });
    expect(config.endpointUrl).toBe('https://minio:9000');
    expect(config.endpointCa).toEqual({ name: 'ca', key: 'ca.crt' });
    expect(config.wal).toEqual({ compression: 'gzip', encryption: 'AES256', maxParallel: undefined });
    expect(config.data).toEqual({ compression: 'bzip2', encryption: 'AES256', jobs: 3, immediateCheckpoint: false });
    expect(barmanConfiguration(store(KEYS, { endpointCa: { secretName: 'ca', key: 'x.pem' } })).endpointCa).toEqual({ name: 'ca', key: 'x.pem' });
    // A backup writes wal even with nothing set in it.
    expect(barmanConfiguration(store(KEYS), {}).wal).toEqual({ compression: undefined, encryption: undefined, maxParallel: undefined });
    expect(barmanConfiguration(store(KEYS), {}).data)
      .toEqual({ compression: undefined, encryption: undefined, jobs: undefined, immediateCheckpoint: undefined });
  });

  test('every credential kind', () => {
    const creds = (c: BackupCredentials) => {
      const { destinationPath, endpointUrl, endpointCa, wal, data, ...rest } = barmanConfiguration(store(c));
      return rest;
    };
    expect(creds(BackupCredentials.fromSecret('s', { regionKey: 'R', sessionTokenKey: 'T' }))).toEqual({
      s3Credentials: {
        accessKeyId: { name: 'sec', key: 'ACCESS_KEY_ID' },
        secretAccessKey: { name: 'sec', key: 'SECRET_ACCESS_KEY' },
        region: { name: 'sec', key: 'R' },
        sessionToken: { name: 'sec', key: 'T' },
      },
    });
    expect(creds(BackupCredentials.fromIamRole())).toEqual({ s3Credentials: { inheritFromIamRole: true } });
    expect(creds(BackupCredentials.azureStorageKey({ storageAccountKey: 'A', credentialKey: 'K' })))
      .toEqual({ azureCredentials: { storageAccount: { name: 'sec', key: 'A' }, storageKey: { name: 'sec', key: 'K' } } });
    expect(creds(BackupCredentials.azureSasToken({ storageAccountKey: 'A', credentialKey: 'S' })))
      .toEqual({ azureCredentials: { storageAccount: { name: 'sec', key: 'A' }, storageSasToken: { name: 'sec', key: 'S' } } });
    expect(creds(BackupCredentials.azureConnectionString({ connectionStringKey: 'C' }))).toEqual({ azureCredentials: { connectionString: { name: 'sec', key: 'C' } } });
    expect(creds(BackupCredentials.azureWorkloadIdentity())).toEqual({ azureCredentials: { inheritFromAzureAd: true } });
    expect(creds(BackupCredentials.azureDefaultCredentials())).toEqual({ azureCredentials: { useDefaultAzureCredentials: true } });
    expect(creds(BackupCredentials.googleServiceAccountKey({ key: 'sa.json' }))).toEqual({ googleCredentials: { applicationCredentials: { name: 'sec', key: 'sa.json' } } });
    expect(creds(BackupCredentials.googleWorkloadIdentity())).toEqual({ googleCredentials: { gkeEnvironment: true } });
  });
});

describe('sameArchive', () => {
  test('the same destination (trailing slashes ignored) and server name', () => {
    expect(sameArchive({ destinationPath: 's3://b/pg', serverName: 'pg' }, { destinationPath: 's3://b/pg//', serverName: 'pg' })).toBe(true);
    expect(sameArchive({ destinationPath: 's3://b/pg/', serverName: 'pg' }, { destinationPath: 's3://b/pg', serverName: 'pg' })).toBe(true);
    expect(sameArchive({ destinationPath: 's3://b/pg', serverName: 'pg' }, { destinationPath: 's3://b/pg', serverName: 'pg-2' })).toBe(false);
    expect(sameArchive({ destinationPath: 's3://b/pg', serverName: 'pg' }, { destinationPath: 's3://b/pg2', serverName: 'pg' })).toBe(false);
    expect(sameArchive({ destinationPath: 's3://b/pg/x', serverName: 'pg' }, { destinationPath: 's3://b/pg', serverName: 'pg' })).toBe(false);
    expect(sameArchive({ destinationPath: 's3://b//pg', serverName: 'pg' }, { destinationPath: 's3://b/pg', serverName: 'pg' })).toBe(false);
  });
});

describe('provisionCredentials', () => {
  function setup(namespace = 'databases', c: Chart = chart()) {
    const cluster = new CnpgSharedCluster(c, `pg-${namespace}`, { namespace, secretStore: { name: 'onepassword' } });
    return { c, cluster };
  }
  const resolved = (credentials: BackupCredentials, archiveCluster = 'pg') => resolveObjectStore(boxScope(), { bucket: 'b-1', credentials }, { archiveCluster, serverName: 'pg' });

  test('nothing for an existing Secret or an inherited identity', () => {
    const { c, cluster } = setup();
    const scope = new Construct(c, 'a');
    expect(provisionCredentials(scope, 'credentials', cluster, cluster, resolved(KEYS), 'f')).toBeUndefined();
    expect(provisionCredentials(scope, 'credentials', cluster, cluster, resolved(BackupCredentials.fromIamRole()), 'f')).toBeUndefined();
    const noSecret = { ...resolved(BackupCredentials.fromSecretStore('k')), credentialsSecretName: undefined };
    expect(provisionCredentials(scope, 'credentials', cluster, cluster, noSecret, 'f')).toBeUndefined();
    expect(scope.node.children).toHaveLength(0);
  });

  test('an ExternalSecret from the store, with the cluster\'s labels, the keys as properties', () => {
    const { c, cluster } = setup();
    const scope = new Construct(c, 'a');
    const sync = provisionCredentials(scope, 'credentials', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/s3', { regionKey: 'REGION' })), 'f')!;
    expect(sync.node.path).toBe('test/a/Credentials');
    expect([sync.secretName, sync.namespace]).toEqual(['pg-backup-s3', 'databases']);
    const json = sync.apiObject.toJson();
    expect(json.metadata).toEqual({
      name: 'pg-backup-s3',
      namespace: 'databases',
      labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'credentials' },
    });
    expect(json.spec.secretStoreRef).toEqual({ name: 'onepassword', kind: 'ClusterSecretStore' });
    expect(json.spec.data).toEqual([
      { secretKey: 'ACCESS_KEY_ID', remoteRef: { key: 'k/s3', property: 'ACCESS_KEY_ID' } },
      { secretKey: 'SECRET_ACCESS_KEY', remoteRef: { key: 'k/s3', property: 'SECRET_ACCESS_KEY' } },
      { secretKey: 'REGION', remoteRef: { key: 'k/s3', property: 'REGION' } },
    ]);
  });

  test('the secret store is required, named by the feature', () => {
    const c = chart();
    const cluster = new CnpgSharedCluster(c, 'pg', {});
    expect(thrown(() => provisionCredentials(new Construct(c, 'a'), 'credentials', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k')), 'backup credentials')))
      .toBe('CnpgSharedCluster at \'test/pg\': secretStore = (unset) is required by backup credentials, whose credentials come from the secret store. '
        + 'Fix: set secretStore: { name: "onepassword" } (or EXTERNAL_SECRET_STORE in the settings) (the field is secret_store in Python, SecretStore in Go)');
  });

  test('one Secret, one writer: the same keys share the ExternalSecret, other keys are refused, another namespace or chart has its own', () => {
    const { c, cluster } = setup();
    const first = provisionCredentials(new Construct(c, 'a'), 'credentials', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/s3')), 'f');
    expect(provisionCredentials(new Construct(c, 'b'), 'source', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/s3')), 'f')).toBe(first);
    expect(thrown(() => provisionCredentials(new Construct(c, 'c'), 'source', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/other')), 'f')))
      .toBe('Construct at \'test/c\': source.secretName = "pg-backup-s3" is already filled with other keys from the secret store by test/a. '
        + 'Fix: give these credentials another secretName, or the same remoteKey and keys (the field is source.secret_name in Python, Source.SecretName in Go)');
    expect(thrown(() => provisionCredentials(new Construct(c, 'd'), 'source', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/s3', { regionKey: 'R' })), 'f')))
      .toMatch(/^Construct at 'test\/d': source\.secretName = "pg-backup-s3" is already filled with other keys from the secret store by test\/a\./);
    const other = setup('apps', c).cluster;
    const second = provisionCredentials(new Construct(c, 'e'), 'source', other, other, resolved(BackupCredentials.fromSecretStore('k/other')), 'f');
    expect(second).not.toBe(first);
    expect(second!.namespace).toBe('apps');
    const again = provisionCredentials(new Construct(c, 'f'), 'source', cluster, cluster, resolved(BackupCredentials.fromSecretStore('k/s3'), 'pg2'), 'f');
    expect(again).not.toBe(first);
    expect(again!.secretName).toBe('pg2-backup-s3');
    const c2 = chart();
    const { cluster: elsewhere } = setup('databases', c2);
    const inOther = provisionCredentials(new Construct(c2, 'a'), 'credentials', elsewhere, elsewhere, resolved(BackupCredentials.fromSecretStore('k/other')), 'f');
    expect(inOther).not.toBe(first);
  });
});
