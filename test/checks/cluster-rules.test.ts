import { clusterWebhookProblems } from '../../src/checks/cluster-rules';

const IMAGE = 'ghcr.io/cloudnative-pg/postgresql';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const cluster = (spec: any) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec });
const params = (parameters: Record<string, unknown>, extra: any = {}) => cluster({ postgresql: { parameters }, ...extra });
const LATEST = {
  problem: 'uses the "latest" tag, which CloudNativePG refuses ("can\'t detect upgrades")',
  fix: 'pin a PostgreSQL version tag, e.g. "ghcr.io/cloudnative-pg/postgresql:17.6"',
};
const notSmaller = (max: string, dflt: boolean) =>
  `is not smaller than max_wal_size (${max}${dflt ? ', the default' : ''}), which CloudNativePG's webhook refuses`;
const volumeProblem = (key: string, value: string, size: string) => ({
  path: `spec.postgresql.parameters.${key}`,
  value,
  problem: `is not smaller than the WAL volume (walStorage.size ${size}), which CloudNativePG's webhook refuses: PostgreSQL would fill the volume before recycling WAL`,
  fix: `keep ${key} below the WAL volume (about half of it is usual), or give a larger walStorage.size`,
});

describe('clusterWebhookProblems', () => {
  test('a Cluster with nothing to check, or no spec: none', () => {
    expect(clusterWebhookProblems(cluster({ instances: 3 }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ postgresql: {} }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ postgresql: { parameters: null } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster('x'))).toEqual([]);
    expect(clusterWebhookProblems(cluster(null))).toEqual([]);
    expect(clusterWebhookProblems({})).toEqual([]);
    expect(clusterWebhookProblems(undefined)).toEqual([]);
  });

  test('every rule at once, in order: image, WAL sizes, certificates', () => {
    expect(clusterWebhookProblems(cluster({
      imageName: `${IMAGE}:latest`,
      postgresql: { parameters: { min_wal_size: '2GB' } },
      certificates: { serverTLSSecret: 's', serverAltDNSNames: ['a'] },
    })).map((p) => p.path)).toEqual(['spec.imageName', 'spec.postgresql.parameters.min_wal_size', 'spec.certificates.serverAltDNSNames']);
  });
});

describe('validateImageName', () => {
  test.each([
    `${IMAGE}:latest`, 'postgres:latest', 'registry.example.com:5000/pg:latest', `${IMAGE}:latest@${DIGEST}`,
  ])('%s: the "latest" tag is refused', (image) => {
    expect(clusterWebhookProblems(cluster({ imageName: image }))).toEqual([{ path: 'spec.imageName', value: image, ...LATEST }]);
  });

  test.each([
    [`${IMAGE}@${DIGEST}`, `${IMAGE}:17.6@${DIGEST}`],
    [`registry.example.com:5000/pg@${DIGEST}`, `registry.example.com:5000/pg:17.6@${DIGEST}`],
  ])('%s: a digest without a tag is refused, the fix puts a tag before the digest', (image, fixed) => {
    expect(clusterWebhookProblems(cluster({ imageName: image }))).toEqual([{
      path: 'spec.imageName',
      value: image,
      problem: 'has a digest but no tag, which CloudNativePG refuses ("Can\'t use just the image sha as we can\'t detect upgrades")',
      fix: `give the tag with the digest, e.g. "${fixed}"`,
    }]);
  });

  test.each([
    `${IMAGE}:17.6`, `${IMAGE}:17.6@${DIGEST}`, 'registry.example.com:5000/pg:16', 'postgres:13', `${IMAGE}:Latest`, `${IMAGE}:latest-17`,
    '${POSTGRES_IMAGE}', `${IMAGE}:\${PG_TAG}`, '',
  ])('%s: accepted by this rule', (image) => {
    expect(clusterWebhookProblems(cluster({ imageName: image }))).toEqual([]);
  });

  test('an image that is not a string is not judged here (the schema refuses it)', () => {
    expect(clusterWebhookProblems(cluster({ imageName: 17 }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ imageName: null }))).toEqual([]);
  });
});

describe('validateWalSizeConfiguration', () => {
  test('the defaults (80MB, 1GB) pass; min_wal_size at max_wal_size is refused, one unit below is not', () => {
    expect(clusterWebhookProblems(params({}))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '1023MB' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '1GB' }))).toEqual([{
      path: 'spec.postgresql.parameters.min_wal_size',
      value: '1GB',
      problem: notSmaller('1GB', true),
      fix: 'lower min_wal_size below 1GB or raise max_wal_size',
    }]);
    expect(clusterWebhookProblems(params({ min_wal_size: '2GB', max_wal_size: '2GB' }))).toEqual([{
      path: 'spec.postgresql.parameters.min_wal_size',
      value: '2GB',
      problem: notSmaller('2GB', false),
      fix: 'lower min_wal_size below 2GB or raise max_wal_size',
    }]);
    expect(clusterWebhookProblems(params({ max_wal_size: '80MB' }))[0]).toEqual({
      path: 'spec.postgresql.parameters.min_wal_size',
      value: '80MB',
      problem: notSmaller('80MB', false),
      fix: 'lower min_wal_size below 80MB or raise max_wal_size',
    });
    expect(clusterWebhookProblems(params({ max_wal_size: '81MB' }))).toEqual([]);
  });

  test.each([
    ['a bare number is MB', '1024', true], ['a bare number is MB, one below', '1023', false],
    ['kB', '1048576kB', true], ['kB, one below', '1048575kB', false],
    ['TB', '1TB', true], ['GB with spaces before and between', ' 1 GB', true], ['MB', '1024MB', true], ['MB with spaces, small', ' 512 MB', false],
  ])('units: %s', (_what, min, refused) => {
    expect(clusterWebhookProblems(params({ min_wal_size: min })).length).toBe(refused ? 1 : 0);
  });

  test('zero is not compared (the webhook skips a zero size)', () => {
    expect(clusterWebhookProblems(params({ min_wal_size: '0' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ max_wal_size: '0' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '0', max_wal_size: '0' }, { walStorage: { size: '1Gi' } }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '0' }, { walStorage: { size: '0' } }))).toEqual([]);
  });

  test('a size CloudNativePG cannot read: its own problem, with the default as the example', () => {
    expect(clusterWebhookProblems(params({ min_wal_size: 'lots', max_wal_size: '1gb' }))).toEqual([
      {
        path: 'spec.postgresql.parameters.min_wal_size',
        value: 'lots',
        problem: 'is not a size CloudNativePG reads (a number of MB, or a number with kB, MB, GB or TB)',
        fix: 'write e.g. "80MB"',
      },
      {
        path: 'spec.postgresql.parameters.max_wal_size',
        value: '1gb',
        problem: 'is not a size CloudNativePG reads (a number of MB, or a number with kB, MB, GB or TB)',
        fix: 'write e.g. "1GB"',
      },
    ]);
    expect(clusterWebhookProblems(params({ min_wal_size: '1GB MB' })).map((p) => p.value)).toEqual(['1GB MB']);
    expect(clusterWebhookProblems(params({ min_wal_size: 'x1MB' })).map((p) => p.value)).toEqual(['x1MB']);
    expect(clusterWebhookProblems(params({ min_wal_size: '1GBx' })).map((p) => p.value)).toEqual(['1GBx']);
  });

  test('empty or non-string values are the defaults; Flux variables are not judged', () => {
    expect(clusterWebhookProblems(params({ min_wal_size: '', max_wal_size: '' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: 4096 }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '${MIN_WAL}', max_wal_size: '1MB' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '2GB', max_wal_size: '${MAX_WAL}' }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '2GB', max_wal_size: '4GB' }, { walStorage: { size: '${WAL_SIZE}' } }))).toEqual([]);
  });

  test('a WAL volume: each size given at the volume is refused, one unit below is not; defaults are not compared', () => {
    expect(clusterWebhookProblems(params({ max_wal_size: '1GB' }, { walStorage: { size: '1Gi' } }))).toEqual([volumeProblem('max_wal_size', '1GB', '1Gi')]);
    expect(clusterWebhookProblems(params({ max_wal_size: '1023MB' }, { walStorage: { size: '1Gi' } }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '512MB', max_wal_size: '4GB' }, { walStorage: { size: '512Mi' } }))).toEqual([
      volumeProblem('min_wal_size', '512MB', '512Mi'),
      volumeProblem('max_wal_size', '4GB', '512Mi'),
    ]);
    expect(clusterWebhookProblems(params({ min_wal_size: '511MB', max_wal_size: '511MB' }, { walStorage: { size: '512Mi' } })).map((p) => p.problem))
      .toEqual([notSmaller('511MB', false)]);
    // Neither given: the defaults (80MB, 1GB) are not compared with a small volume.
    expect(clusterWebhookProblems(cluster({ walStorage: { size: '64Mi' } }))).toEqual([]);
    expect(clusterWebhookProblems(params({ min_wal_size: '4GB' }, { walStorage: { size: 5 } })).map((p) => p.path)).toEqual(['spec.postgresql.parameters.min_wal_size']);
    expect(clusterWebhookProblems(params({ min_wal_size: 'lots' }, { walStorage: { size: '1Mi' } })).map((p) => p.fix)).toEqual(['write e.g. "80MB"']);
  });
});

describe('certificates: serverAltDNSNames with serverTLSSecret', () => {
  test('refused together', () => {
    expect(clusterWebhookProblems(cluster({ certificates: { serverTLSSecret: 'tls', serverCASecret: 'ca', serverAltDNSNames: ['db.example.com'] } }))).toEqual([{
      path: 'spec.certificates.serverAltDNSNames',
      value: ['db.example.com'],
      problem: 'is given with serverTLSSecret, which CloudNativePG\'s webhook refuses: the operator issues no server certificate then',
      fix: 'put the names into your own server certificate (serverTLSSecret) and drop serverAltDNSNames',
    }]);
  });

  test('alt names alone, an empty list, no server secret, no certificates: none', () => {
    expect(clusterWebhookProblems(cluster({ certificates: { serverAltDNSNames: ['db.example.com'] } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ certificates: { serverTLSSecret: 'tls', serverAltDNSNames: [] } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ certificates: { serverTLSSecret: 'tls', serverAltDNSNames: 'db.example.com' } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ certificates: { serverTLSSecret: 'tls' } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ certificates: { serverTLSSecret: '', serverAltDNSNames: ['a'] } }))).toEqual([]);
    expect(clusterWebhookProblems(cluster({ certificates: null }))).toEqual([]);
  });
});

describe('validateImageName: an image without a tag or digest', () => {
  // machinery's reference.New gives such an image the tag "latest" (a digest alone gives none),
  // and the webhook refuses it as "latest".
  test.each(['postgres', IMAGE, 'registry.example.com:5000/pg'])('%s: read as "latest" and refused as such', (image) => {
    expect(clusterWebhookProblems(cluster({ imageName: image }))).toEqual([{
      path: 'spec.imageName',
      value: image,
      problem: 'has no tag, which CloudNativePG reads as "latest" and refuses ("can\'t detect upgrades")',
      fix: LATEST.fix,
    }]);
  });
});
