/**
 * `ExternalSecretSync`, `goDuration` and `Credentials` called directly, each in a chart of its own
 * test (nothing built at `describe` level): the ExternalSecret as written (validated against the
 * external-secrets CRD by `synth`), every default, the limits at the limit and one past, and each
 * refusal whole (where, field, value, problem, fix).
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Credentials, CredentialsSource, ExternalSecretSync, ExternalSecretSyncProps, SecretStoreKind } from '../src';
import { chart, one, synth } from './util/synth';
import { CredentialsContext } from '../src/secrets/credentials';
import { goDuration } from '../src/secrets/external-secret';

const WHERE = 'ExternalSecretSync at \'test/es\'';
const ENTRY = { secretKey: 'password', remoteKey: 'kubernetes/infra/cloudnative-pg/harbor', property: 'password' };
const base = (props: Partial<ExternalSecretSyncProps> = {}): ExternalSecretSyncProps => ({
  store: { name: 'onepassword' }, secretName: 'harbor-db', namespace: 'cnpg', entries: [ENTRY], ...props,
});

function written(props: Partial<ExternalSecretSyncProps> = {}): any {
  const c = chart();
  const es = new ExternalSecretSync(c, 'es', base(props));
  return one(synth(c), 'ExternalSecret', es.secretName);
}

const build = (props: Partial<ExternalSecretSyncProps>) => () => new ExternalSecretSync(chart(), 'es', base(props));
const refusal = (field: string, value: string, problem: string, fix: string) => new Error(`${WHERE}: ${field} = ${value} ${problem}. Fix: ${fix}`);

describe('ExternalSecretSync', () => {
  test('the defaults: a ClusterSecretStore read every hour, an owned Secret of the given name without a template', () => {
    const c = chart();
    const es = new ExternalSecretSync(c, 'es', base());
    expect([es.secretName, es.namespace]).toEqual(['harbor-db', 'cnpg']);
    const m = synth(c);
    expect(m).toHaveLength(1);
    expect(m[0]).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'harbor-db', namespace: 'cnpg' },
      spec: {
        secretStoreRef: { name: 'onepassword', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: { name: 'harbor-db', creationPolicy: 'Owner' },
        data: [{ secretKey: 'password', remoteRef: { key: 'kubernetes/infra/cloudnative-pg/harbor', property: 'password' } }],
      },
    });
    expect(es.apiObject.kind).toBe('ExternalSecret');
  });

  test('a namespaced store, its interval, the Secret\'s type and labels, the object\'s labels, an entry without a property', () => {
    const secretLabels = { 'cnpg.io/reload': 'true' };
    const c = chart();
    new ExternalSecretSync(c, 'es', base({
      store: { name: 'vault', kind: SecretStoreKind.SECRET_STORE, refreshInterval: Duration.minutes(15) },
      secretType: 'kubernetes.io/basic-auth',
      secretLabels,
      labels: { team: 'db' },
      entries: [ENTRY, { secretKey: 'username', remoteKey: 'k/u' }],
    }));
    secretLabels['cnpg.io/reload'] = 'false';
    const es = one(synth(c), 'ExternalSecret');
    expect(es.metadata).toEqual({ name: 'harbor-db', namespace: 'cnpg', labels: { team: 'db' } });
    expect(es.spec.secretStoreRef).toEqual({ name: 'vault', kind: 'SecretStore' });
    expect(es.spec.refreshInterval).toBe('15m');
    expect(es.spec.target).toEqual({
      name: 'harbor-db',
      creationPolicy: 'Owner',
      template: { type: 'kubernetes.io/basic-auth', metadata: { labels: { 'cnpg.io/reload': 'true' } } },
    });
    expect(es.spec.data[1]).toEqual({ secretKey: 'username', remoteRef: { key: 'k/u' } });
  });

  test('a type alone, or labels alone, makes the template', () => {
    expect(written({ secretType: 'Opaque' }).spec.target.template).toEqual({ type: 'Opaque' });
    expect(written({ secretLabels: { a: 'b' } }).spec.target.template).toEqual({ metadata: { labels: { a: 'b' } } });
  });

  test('goDuration writes whole hours, whole minutes, else seconds', () => {
    expect([3600, 7200, 60, 120, 5400, 90, 1, 3660].map((s) => goDuration(Duration.seconds(s)))).toEqual(['1h', '2h', '1m', '2m', '90m', '90s', '1s', '61m']);
    expect(written({ store: { name: 'onepassword', refreshInterval: Duration.seconds(45) } }).spec.refreshInterval).toBe('45s');
  });

  test('the arguments are checked', () => {
    expect(() => new ExternalSecretSync(chart(), 'es', undefined as any)).toThrow(new Error(`${WHERE}: props = (unset) is required. `
      + 'Fix: give an object with the props of ExternalSecretSyncProps (required: entries, namespace, secretName, store)'));
  });

  test('the Secret\'s name: a label of up to 253 characters', () => {
    const long = 'a'.repeat(253);
    expect(written({ secretName: long }).metadata.name).toBe(long);
    expect(build({ secretName: `${long}b` })).toThrow(refusal('secretName', JSON.stringify(`${long}b`), 'is 254 characters long, more than the 253 allowed',
      'use a name of at most 253 characters (the field is secret_name in Python, SecretName in Go)'));
  });

  test.each(['onepassword', 'a', 'a.b-c', 'a.b', 'ab.c.d', '0', 'vault.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`])(
    'the store name %j is accepted', (name) => {
      expect(written({ store: { name } }).spec.secretStoreRef.name).toBe(name);
    });

  test.each(['A', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a b', ' a', 'a\n', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`])(
    'the store name %j is refused', (name) => {
      expect(build({ store: { name } })).toThrow(refusal('store.name', JSON.stringify(name), 'is not a store name (a DNS-1123 subdomain, as external-secrets requires)',
        'name the external-secrets store, e.g. "onepassword" or "${EXTERNAL_SECRET_STORE}"'));
    });

  test.each(['${STORE}', 'X_${STORE} ', `${'A'.repeat(300)}\${STORE}`])('the store name %j holds a Flux variable: not checked', (name) => {
    // synth() validates the YAML as written, before Flux substitutes: the object as the library checks it.
    expect(new ExternalSecretSync(chart(), 'es', base({ store: { name } })).apiObject.toJson().spec.secretStoreRef.name).toBe(name);
  });

  test('an empty store name', () => {
    expect(build({ store: { name: '' } })).toThrow(refusal('store.name', '""', 'is empty',
      'name the external-secrets store, e.g. "onepassword" or "${EXTERNAL_SECRET_STORE}"'));
  });

  test('no entries', () => {
    expect(build({ entries: [] })).toThrow(refusal('entries', '[]', 'is empty', 'list at least one key to sync'));
  });

  test.each(['a', 'A-z_0.9', '.dockerconfigjson', '-', '_'])('the Secret key %j is accepted', (secretKey) => {
    expect(written({ entries: [{ secretKey, remoteKey: 'k' }] }).spec.data[0].secretKey).toBe(secretKey);
  });

  test.each(['', 'a b', 'a/b', ' a', 'a ', 'a\n', 'ä', 'a:b'])('the Secret key %j is refused', (secretKey) => {
    expect(build({ entries: [ENTRY, { secretKey, remoteKey: 'k' }] })).toThrow(refusal('entries[1].secretKey', JSON.stringify(secretKey), 'is not a valid Secret key',
      'use letters, digits, "-", "_" and "." (the field is entries[1].secret_key in Python, Entries[1].SecretKey in Go)'));
  });

  test('a Secret key twice', () => {
    expect(build({ entries: [ENTRY, { secretKey: 'user', remoteKey: 'k' }, { secretKey: 'password', remoteKey: 'other' }] })).toThrow(
      refusal('entries[2].secretKey', '"password"', 'appears twice', 'give each key once (the field is entries[2].secret_key in Python, Entries[2].SecretKey in Go)'));
  });

  test.each(['k', 'a/b-c_d.e', '${ITEM} path', ' ${PATH}'])('the remote key %j is accepted', (remoteKey) => {
    const es = new ExternalSecretSync(chart(), 'es', base({ entries: [{ secretKey: 'k', remoteKey }] }));
    expect(es.apiObject.toJson().spec.data[0].remoteRef.key).toBe(remoteKey);
  });

  test.each([['', '""'], ['a b', '"a b"'], [' a', '" a"'], ['a\t', '"a\\t"'], ['a\nb', '"a\\nb"']])('the remote key %j is refused', (remoteKey, shown) => {
    expect(build({ entries: [ENTRY, { secretKey: 'k', remoteKey: remoteKey as any }] })).toThrow(refusal('entries[1].remoteKey', shown, 'is empty or contains white space',
      'give the item path in the store, e.g. "kubernetes/infra/cloudnative-pg/harbor" (the field is entries[1].remote_key in Python, Entries[1].RemoteKey in Go)'));
  });
});

describe('Credentials', () => {
  const context = (extra: Partial<CredentialsContext> = {}): CredentialsContext => ({
    field: 'login', defaultSecretName: 'app-db-credentials', namespace: 'cnpg', store: () => ({ name: 'onepassword' }), ...extra,
  });
  const at = (): Construct => new Construct(chart(), 'app');
  const CWHERE = 'Construct at \'test/app\'';

  test('the factories', () => {
    expect({ ...Credentials.fromSecretStore('k/p') }).toEqual({
      source: CredentialsSource.SECRET_STORE, secretName: undefined, remoteKey: 'k/p', usernameProperty: undefined, passwordProperty: undefined,
    });
    expect({ ...Credentials.fromSecretStore('k/p', { secretName: 's', usernameProperty: 'user', passwordProperty: 'pass' }) }).toEqual({
      source: 'secret-store', secretName: 's', remoteKey: 'k/p', usernameProperty: 'user', passwordProperty: 'pass',
    });
    expect({ ...Credentials.fromSecret('harbor-db') }).toEqual({
      source: 'existing-secret', secretName: 'harbor-db', remoteKey: undefined, usernameProperty: undefined, passwordProperty: undefined,
    });
    expect({ ...Credentials.operatorGenerated() }).toEqual({
      source: 'operator-generated', secretName: undefined, remoteKey: undefined, usernameProperty: undefined, passwordProperty: undefined,
    });
    expect(() => Credentials.fromSecretStore(3 as any)).toThrow(/^Credentials\.fromSecretStore: remoteKey = 3 is a number, where a string goes/);
    expect(() => Credentials.fromSecret(undefined as any)).toThrow(/^Credentials\.fromSecret: secretName = \(unset\) is required/);
  });

  test('from the store: a basic-auth ExternalSecret with the default name and properties', () => {
    const scope = at();
    const m = Credentials.fromSecretStore('k/harbor')._materialize(scope, 'creds', context({ labels: { team: 'db' }, secretLabels: { 'cnpg.io/reload': 'true' } }));
    expect(m.secretName).toBe('app-db-credentials');
    expect(m.externalSecret!.node.path).toBe('test/app/creds');
    expect(one(synth(scope.node.scope as any), 'ExternalSecret')).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'app-db-credentials', namespace: 'cnpg', labels: { team: 'db' } },
      spec: {
        secretStoreRef: { name: 'onepassword', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: { name: 'app-db-credentials', creationPolicy: 'Owner', template: { type: 'kubernetes.io/basic-auth', metadata: { labels: { 'cnpg.io/reload': 'true' } } } },
        data: [
          { secretKey: 'username', remoteRef: { key: 'k/harbor', property: 'username' } },
          { secretKey: 'password', remoteRef: { key: 'k/harbor', property: 'password' } },
        ],
      },
    });
  });

  test('from the store: a chosen name and properties', () => {
    const scope = at();
    const m = Credentials.fromSecretStore('k/harbor', { secretName: 'mine', usernameProperty: 'user', passwordProperty: 'pw' })._materialize(scope, 'creds', context());
    expect(m.secretName).toBe('mine');
    expect(one(synth(scope.node.scope as any), 'ExternalSecret').spec.data.map((d: any) => d.remoteRef.property)).toEqual(['user', 'pw']);
  });

  test('from the store: an empty item path', () => {
    expect(() => Credentials.fromSecretStore('')._materialize(at(), 'creds', context())).toThrow(new Error(
      `${CWHERE}: login.remoteKey = "" is empty. Fix: give the item's path in the store, e.g. "kubernetes/infra/cloudnative-pg/harbor" (the field is login.remote_key in Python, Login.RemoteKey in Go)`));
    const notAString = Object.assign(Object.create(Credentials.prototype), { source: CredentialsSource.SECRET_STORE, remoteKey: 7 });
    expect(() => notAString._materialize(at(), 'creds', context())).toThrow(/login\.remoteKey = 7 is empty/);
  });

  test('an existing Secret: its name, nothing written', () => {
    const scope = at();
    expect(Credentials.fromSecret('harbor-db')._materialize(scope, 'creds', context())).toEqual({ secretName: 'harbor-db' });
    expect(scope.node.children).toHaveLength(0);
  });

  const long = `${'a'.repeat(200)}.${'b'.repeat(52)}`;
  test.each(['a', 'a.b-c', 'a.b', 'ab.c.d', '0x', long, '${SECRET}', 'A_${X}'])('the Secret name %j is accepted', (name) => {
    expect(Credentials.fromSecret(name)._materialize(at(), 'c', context()).secretName).toBe(name);
    // The ExternalSecret's own name check takes a DNS-1123 label (no dot).
    if (!name.includes('.')) expect(Credentials.fromSecretStore('k', { secretName: name })._materialize(at(), 'c', context()).secretName).toBe(name);
  });

  test.each([['A', '"A"'], ['-a', '"-a"'], ['a-', '"a-"'], ['a..b', '"a..b"'], ['a_b', '"a_b"'], ['', '""'], [`${long}b`, JSON.stringify(`${long}b`)], [' a', '" a"'], ['a\n', '"a\\n"']])(
    'the Secret name %j is refused', (name, shown) => {
      const message = new Error(`${CWHERE}: login.secretName = ${shown} is not a Secret name (a DNS-1123 subdomain). Fix: give the Secret's name, e.g. "harbor-db-credentials" `
        + '(the field is login.secret_name in Python, Login.SecretName in Go)');
      expect(() => Credentials.fromSecret(name)._materialize(at(), 'c', context())).toThrow(message);
      expect(() => Credentials.fromSecretStore('k', { secretName: name })._materialize(at(), 'c', context())).toThrow(message);
      expect(() => Credentials.fromSecretStore('k')._materialize(at(), 'c', context({ defaultSecretName: name }))).toThrow(message);
    });

  test('an existing Secret whose name is not a string', () => {
    const odd = Object.assign(Object.create(Credentials.prototype), { source: CredentialsSource.EXISTING_SECRET, secretName: 5 });
    expect(() => odd._materialize(at(), 'c', context())).toThrow(/login\.secretName = 5 is not a Secret name/);
  });

  test('operator-generated: the operator\'s Secret where it can, else the reason', () => {
    expect(Credentials.operatorGenerated()._materialize(at(), 'c', context({ operatorGenerated: 'pg-superuser' }))).toEqual({ secretName: 'pg-superuser' });
    const fix = 'Fix: use Credentials.fromSecret("<existing basic-auth Secret>") or Credentials.fromSecretStore("<path>")';
    expect(() => Credentials.operatorGenerated()._materialize(at(), 'c', context())).toThrow(new Error(
      `${CWHERE}: login = "Credentials.operatorGenerated()" cannot be generated by the operator here. ${fix}`));
    expect(() => Credentials.operatorGenerated()._materialize(at(), 'c', context({ operatorGeneratedUnsupported: 'is not generated for an application role' }))).toThrow(new Error(
      `${CWHERE}: login = "Credentials.operatorGenerated()" is not generated for an application role. ${fix}`));
  });

  test('not a Credentials, or an unknown source', () => {
    expect(() => Credentials.prototype._materialize.call({ toString: () => 'fake' } as any, at(), 'c', context())).toThrow(new Error(
      `${CWHERE}: login = fake is not a Credentials. Fix: use Credentials.fromSecretStore(...), fromSecret(...) or operatorGenerated()`));
    const odd = Object.assign(Object.create(Credentials.prototype), { source: 'vault' });
    expect(() => odd._materialize(at(), 'c', context())).toThrow(new Error(`${CWHERE}: login = "vault" is not a credentials source. Fix: use a Credentials factory`));
  });
});
