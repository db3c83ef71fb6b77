/**
 * The small parts of src/cluster/ called directly (nothing synthesized, so that mutation testing
 * runs only the tests that reach a mutant): the TLS values (`tls.ts`), `SuperuserAccess`
 * (`superuser.ts`), `renderHugePages` (`huge-pages.ts`), `renderTablespaces` (`tablespaces.ts`) and
 * the gated Cluster fields (`cluster-fields.ts`), `SynchronousReplication` (`replication.ts`), `BackupMethod`
 * (`attachments.ts`). Each refusal is checked with its whole message.
 */
import {
  BackupMethod, Credentials, CredentialsSource, DataDurability, Quantity, SuperuserAccess, SynchronousMethod, SynchronousReplication, TlsVersion,
} from '../src';
import { thrown } from './util/errors';
import { BOX_PATH, boxScope } from './util/synth';
import { CNPG_CLUSTER_FIELDS } from '../src/cluster/cluster-fields';
import { renderHugePages } from '../src/cluster/huge-pages';
import { renderTablespaces, Tablespace } from '../src/cluster/tablespaces';
import { TLS_ONLY_PG_HBA } from '../src/cluster/tls';
import { CnpgVersion } from '../src/versions/cnpg-version';
import { releasesWith } from '../src/versions/features';

const scope = boxScope;
const where = BOX_PATH;

describe('tls.ts', () => {
  test('the TLS versions are the names PostgreSQL\'s ssl_min_protocol_version takes', () => {
    expect(TlsVersion.TLS_1_2).toBe('TLSv1.2');
    expect(TlsVersion.TLS_1_3).toBe('TLSv1.3');
  });

  test('pg_hba rejects plain text before CloudNativePG\'s catch-all, and takes TLS with SCRAM', () => {
    expect(TLS_ONLY_PG_HBA).toEqual(['hostnossl all all all reject', 'hostssl all all all scram-sha-256']);
  });
});

describe('superuser.ts: SuperuserAccess', () => {
  test('disabled: no password, no credentials', () => {
    const s = SuperuserAccess.disabled();
    expect(s.enabled).toBe(false);
    expect(s.credentials).toBeUndefined();
    expect(s.remoteKey).toBeUndefined();
    expect(s.secretName).toBeUndefined();
  });

  test('operatorGenerated: enabled, the operator\'s Secret, no store path, no name chosen', () => {
    const s = SuperuserAccess.operatorGenerated();
    expect(s.enabled).toBe(true);
    expect(s.credentials?.source).toBe(CredentialsSource.OPERATOR_GENERATED);
    expect(s.remoteKey).toBeUndefined();
    expect(s.secretName).toBeUndefined();
  });

  test('fromSecretStore: the store path, and the Secret name when given', () => {
    const s = SuperuserAccess.fromSecretStore('kubernetes/infra/cloudnative-pg/superuser');
    expect(s.enabled).toBe(true);
    expect(s.credentials?.source).toBe(CredentialsSource.SECRET_STORE);
    expect(s.credentials?.remoteKey).toBe('kubernetes/infra/cloudnative-pg/superuser');
    expect(s.remoteKey).toBe('kubernetes/infra/cloudnative-pg/superuser');
    expect(s.secretName).toBeUndefined();
    const named = SuperuserAccess.fromSecretStore('kubernetes/x', 'pg-super');
    expect(named.remoteKey).toBe('kubernetes/x');
    expect(named.secretName).toBe('pg-super');
    expect(named.credentials?.secretName).toBe('pg-super');
  });

  test('withCredentials: an existing Secret has a name and no store path', () => {
    const s = SuperuserAccess.withCredentials(Credentials.fromSecret('pg-superuser'));
    expect(s.enabled).toBe(true);
    expect(s.credentials?.source).toBe(CredentialsSource.EXISTING_SECRET);
    expect(s.secretName).toBe('pg-superuser');
    expect(s.remoteKey).toBeUndefined();
    const fromStore = SuperuserAccess.withCredentials(Credentials.fromSecretStore('kubernetes/y', { secretName: 'su' }));
    expect(fromStore.remoteKey).toBe('kubernetes/y');
    expect(fromStore.secretName).toBe('su');
  });

  test.each([
    ['fromSecretStore, a number as the path', () => SuperuserAccess.fromSecretStore(5 as any),
      'SuperuserAccess.fromSecretStore: remoteKey = 5 is a number, where a string goes. Fix: write the value as a string, in quotes'
      + ' (the field is remote_key in Python, RemoteKey in Go)'],
    ['fromSecretStore, a number as the Secret name', () => SuperuserAccess.fromSecretStore('k', 5 as any),
      'SuperuserAccess.fromSecretStore: secretName = 5 is a number, where a string goes. Fix: write the value as a string, in quotes'
      + ' (the field is secret_name in Python, SecretName in Go)'],
    ['withCredentials, a text', () => SuperuserAccess.withCredentials('pg-superuser' as any),
      'SuperuserAccess.withCredentials: credentials = "pg-superuser" is a string, where a Credentials goes. Fix: give a Credentials: '
      + 'Credentials.fromSecretStore(\'kubernetes/infra/cloudnative-pg/harbor\'), Credentials.fromSecret(\'harbor-db\'), Credentials.operatorGenerated()'],
  ])('the arguments are checked: %s', (_name, call, message) => {
    expect(thrown(call)).toBe(message);
  });
});

describe('huge-pages.ts: renderHugePages', () => {
  test('nothing without huge pages', () => {
    expect(renderHugePages(scope(), undefined)).toEqual({});
    expect(renderHugePages(scope(), {})).toEqual({});
  });

  test('each size under its resource name, as written', () => {
    expect(renderHugePages(scope(), { size2Mi: Quantity.mebibytes(2) })).toEqual({ 'hugepages-2Mi': '2Mi' });
    expect(renderHugePages(scope(), { size1Gi: Quantity.gibibytes(1) })).toEqual({ 'hugepages-1Gi': '1Gi' });
    expect(renderHugePages(scope(), { size2Mi: Quantity.of('4194304'), size1Gi: Quantity.of('2Gi') }))
      .toEqual({ 'hugepages-2Mi': '4194304', 'hugepages-1Gi': '2Gi' });
  });

  test('a whole number of pages accepted, one byte more or less refused', () => {
    expect(renderHugePages(scope(), { size2Mi: Quantity.of(`${2 ** 21}`) })).toEqual({ 'hugepages-2Mi': `${2 ** 21}` });
    expect(thrown(() => renderHugePages(scope(), { size2Mi: Quantity.of(`${2 ** 21 + 1}`) })))
      .toBe(`${where}: hugePages.size2Mi = "2097153" is not a whole number of 2Mi pages. Fix: give a multiple of 2Mi (the field is huge_pages.size2_mi in Python, HugePages.Size2Mi in Go)`);
    expect(thrown(() => renderHugePages(scope(), { size2Mi: Quantity.of(`${2 ** 21 - 1}`) })))
      .toBe(`${where}: hugePages.size2Mi = "2097151" is not a whole number of 2Mi pages. Fix: give a multiple of 2Mi (the field is huge_pages.size2_mi in Python, HugePages.Size2Mi in Go)`);
    expect(renderHugePages(scope(), { size1Gi: Quantity.of(`${2 ** 31}`) })).toEqual({ 'hugepages-1Gi': `${2 ** 31}` });
    expect(thrown(() => renderHugePages(scope(), { size1Gi: Quantity.of(`${2 ** 30 + 1}`) })))
      .toBe(`${where}: hugePages.size1Gi = "1073741825" is not a whole number of 1Gi pages. Fix: give a multiple of 1Gi (the field is huge_pages.size1_gi in Python, HugePages.Size1Gi in Go)`);
    expect(thrown(() => renderHugePages(scope(), { size1Gi: Quantity.mebibytes(1536) })))
      .toBe(`${where}: hugePages.size1Gi = "1536Mi" is not a whole number of 1Gi pages. Fix: give a multiple of 1Gi (the field is huge_pages.size1_gi in Python, HugePages.Size1Gi in Go)`);
    // 2Mi pages are not whole 1Gi pages, and 1Gi is a whole number of 2Mi pages.
    expect(thrown(() => renderHugePages(scope(), { size1Gi: Quantity.mebibytes(2) }))).toContain('is not a whole number of 1Gi pages');
    expect(renderHugePages(scope(), { size2Mi: Quantity.gibibytes(1) })).toEqual({ 'hugepages-2Mi': '1Gi' });
  });

  test('the second size is checked after a valid first one', () => {
    expect(thrown(() => renderHugePages(scope(), { size2Mi: Quantity.mebibytes(2), size1Gi: Quantity.mebibytes(2) })))
      .toContain('hugePages.size1Gi = "2Mi" is not a whole number of 1Gi pages');
  });

  test('not a Quantity, not a quantity, not positive: refused with the field', () => {
    expect(thrown(() => renderHugePages(scope(), { size2Mi: '2Mi' as any })))
      .toBe(`${where}: hugePages.size2Mi = "2Mi" is not a Quantity. Fix: use e.g. Quantity.gibibytes(2) (the field is huge_pages.size2_mi in Python, HugePages.Size2Mi in Go)`);
    expect(thrown(() => renderHugePages(scope(), { size1Gi: 1 as any })))
      .toBe(`${where}: hugePages.size1Gi = 1 is not a Quantity. Fix: use e.g. Quantity.gibibytes(2) (the field is huge_pages.size1_gi in Python, HugePages.Size1Gi in Go)`);
    expect(thrown(() => renderHugePages(scope(), { size2Mi: Quantity.of('2 Mi') }))).toContain(`${where}: hugePages.size2Mi = "2 Mi" is not a Kubernetes quantity`);
    expect(thrown(() => renderHugePages(scope(), { size1Gi: Quantity.of('0') }))).toContain(`${where}: hugePages.size1Gi = "0" `);
  });

  test('a Flux variable is written unchecked', () => {
    expect(renderHugePages(scope(), { size2Mi: Quantity.of('${HUGE_2M}'), size1Gi: Quantity.of('${HUGE_1G:=1Gi}') }))
      .toEqual({ 'hugepages-2Mi': '${HUGE_2M}', 'hugepages-1Gi': '${HUGE_1G:=1Gi}' });
  });
});

describe('tablespaces.ts: renderTablespaces', () => {
  const size = Quantity.gibibytes(1);
  const render = (ts: Tablespace[] | undefined, sc?: string) => renderTablespaces(scope(), ts, sc);
  const msg = (ts: Tablespace[], sc?: string) => thrown(() => render(ts, sc));
  const notAName = (i: number, v: string) => `${where}: tablespaces[${i}].name = ${v} is not a tablespace name (a PostgreSQL identifier of at most 63 `
    + 'characters, not starting with "pg_"). Fix: use e.g. "archive" or "fast_temp"';

  test('none: nothing written', () => {
    expect(render(undefined)).toBeUndefined();
    expect(render([])).toBeUndefined();
  });

  test('each field written, the default StorageClass used unless the tablespace has one', () => {
    expect(render([
      { name: 'archive', storage: { size }, owner: 'billing', temporary: false },
      { name: 'fast_temp', storage: { size: Quantity.of('5Gi'), storageClass: 'local-nvme' }, temporary: true },
      { name: 'plain', storage: { size } },
    ], 'standard')).toEqual([
      { name: 'archive', storage: { size: '1Gi', storageClass: 'standard' }, owner: { name: 'billing' }, temporary: false },
      { name: 'fast_temp', storage: { size: '5Gi', storageClass: 'local-nvme' }, owner: undefined, temporary: true },
      { name: 'plain', storage: { size: '1Gi', storageClass: 'standard' }, owner: undefined, temporary: undefined },
    ]);
    expect(render([{ name: 'x', storage: { size } }])).toEqual([{ name: 'x', storage: { size: '1Gi', storageClass: undefined }, owner: undefined, temporary: undefined }]);
  });

  test('names: identifiers of 1 to 63 characters, not starting with pg_ in any case', () => {
    const ok = ['a', '_', 'A9_', '_pg', 'pgdata', 'p'.repeat(63), 'Z'];
    for (const name of ok) expect(render([{ name, storage: { size } }])?.[0].name).toBe(name);
    for (const name of ['', '9a', 'a-b', 'a b', 'p'.repeat(64), 'pg_x', 'PG_x', 'Pg_', 'é', ' a', 'a\n']) {
      expect(msg([{ name, storage: { size } }])).toBe(notAName(0, JSON.stringify(name)));
    }
    expect(msg([{ name: 5 as any, storage: { size } }])).toBe(notAName(0, '5'));
    expect(msg([{ name: undefined as any, storage: { size } }])).toBe(notAName(0, '(unset)'));
    expect(msg([{ name: 'ok', storage: { size } }, { name: 'pg_x', storage: { size } }])).toBe(notAName(1, '"pg_x"'));
  });

  test('a name twice, in another case, or giving the same volume: refused at the second', () => {
    const twice = (i: number, v: string) => `${where}: tablespaces[${i}].name = "${v}" is declared twice (names are case-insensitive, and "_" becomes "-" `
      + 'in the volume name). Fix: give each tablespace its own name';
    expect(msg([{ name: 'a', storage: { size } }, { name: 'a', storage: { size } }])).toBe(twice(1, 'a'));
    expect(msg([{ name: 'Ab', storage: { size } }, { name: 'x', storage: { size } }, { name: 'aB', storage: { size } }])).toBe(twice(2, 'aB'));
    expect(msg([{ name: 'a_b_c', storage: { size } }, { name: 'A_B_C', storage: { size } }])).toBe(twice(1, 'A_B_C'));
    expect(render([{ name: 'a_b', storage: { size } }, { name: 'ab', storage: { size } }, { name: 'a__b', storage: { size } }])?.map(t => t.name))
      .toEqual(['a_b', 'ab', 'a__b']);
  });

  test('the size is required and checked', () => {
    expect(msg([{ name: 'a', storage: {} }]))
      .toBe(`${where}: tablespaces[0].storage.size = (unset) is required. Fix: give the volume size, e.g. Quantity.gibibytes(50)`);
    expect(msg([{ name: 'a', storage: undefined as any }]))
      .toBe(`${where}: tablespaces[0].storage.size = (unset) is required. Fix: give the volume size, e.g. Quantity.gibibytes(50)`);
    expect(msg([{ name: 'a', storage: { size } }, { name: 'b', storage: { size: Quantity.of('1 Gi') } }]))
      .toContain(`${where}: tablespaces[1].storage.size = "1 Gi" is not a Kubernetes quantity`);
  });

  test('the StorageClass: a DNS subdomain, its own or the default, a Flux variable unchecked', () => {
    const bad = (v: string) => `${where}: tablespaces[0].storage.storageClass = ${JSON.stringify(v)} is not a StorageClass name. Fix: give the name of a StorageClass`
      + ' (the field is tablespaces[0].storage.storage_class in Python, Tablespaces[0].Storage.StorageClass in Go)';
    for (const sc of ['a', 'fast-ssd', 'a.b', '9', 'a-9.b']) expect(render([{ name: 'a', storage: { size, storageClass: sc } }])?.[0].storage.storageClass).toBe(sc);
    for (const sc of ['', 'Fast', '-a', 'a-', 'a.', '.a', 'a_b', 'a b', 'a\n']) expect(msg([{ name: 'a', storage: { size, storageClass: sc } }])).toBe(bad(sc));
    expect(msg([{ name: 'a', storage: { size } }], 'Bad')).toBe(bad('Bad'));
    expect(render([{ name: 'a', storage: { size, storageClass: '${SC}' } }])?.[0].storage.storageClass).toBe('${SC}');
    expect(render([{ name: 'a', storage: { size } }], '${SC:=fast}')?.[0].storage.storageClass).toBe('${SC:=fast}');
  });

  test('the owner: a role name of 1 to 63 characters', () => {
    const bad = (v: string) => `${where}: tablespaces[0].owner = ${v} is not a role name. Fix: give the owning role, e.g. an application's role name`;
    for (const owner of ['a', '_', 'a9_', 'r'.repeat(63)]) expect(render([{ name: 'a', storage: { size }, owner }])?.[0].owner).toEqual({ name: owner });
    for (const owner of ['', 'A', '9a', 'a-b', 'r'.repeat(64), ' a', 'a\n']) expect(msg([{ name: 'a', storage: { size }, owner }])).toBe(bad(JSON.stringify(owner)));
    expect(msg([{ name: 'a', storage: { size }, owner: 7 as any }])).toBe(bad('7'));
    // A list's text is its item's: the type check refuses it before the pattern.
    expect(msg([{ name: 'a', storage: { size }, owner: ['billing'] as any }])).toBe(bad('["billing"]'));
  });
});

describe('cluster-fields.ts: the gated Cluster fields', () => {
  test('each names its CRD kind and field, and some supported release lacks it', () => {
    expect(CNPG_CLUSTER_FIELDS).toEqual({
      serviceAccountName: { kind: 'Cluster', field: 'spec.serviceAccountName' },
      metricsQueriesTtl: { kind: 'Cluster', field: 'spec.monitoring.metricsQueriesTTL' },
    });
    const all = CnpgVersion.supported().map(v => v.release);
    for (const f of Object.values(CNPG_CLUSTER_FIELDS)) {
      const releases = releasesWith(f);
      expect(releases.length).toBeGreaterThan(0);
      expect(releases.length).toBeLessThan(all.length);
    }
  });
});

describe('replication.ts: SynchronousReplication', () => {
  test('the enums are CloudNativePG\'s values', () => {
    expect(DataDurability.REQUIRED).toBe('required');
    expect(DataDurability.PREFERRED).toBe('preferred');
    expect(SynchronousMethod.ANY).toBe('any');
    expect(SynchronousMethod.FIRST).toBe('first');
  });

  test('any and first: synchronous, their method, the options as given (none by default)', () => {
    const options = { number: 2, dataDurability: DataDurability.PREFERRED, standbyNamesPre: ['a'] };
    const any = SynchronousReplication.any(options);
    expect(any.method).toBe(SynchronousMethod.ANY);
    expect(any.isSynchronous).toBe(true);
    expect(any.options).toBe(options);
    const first = SynchronousReplication.first({ number: 1 });
    expect(first.method).toBe(SynchronousMethod.FIRST);
    expect(first.isSynchronous).toBe(true);
    expect(first.options).toEqual({ number: 1 });
    expect(SynchronousReplication.any().options).toEqual({});
    expect(SynchronousReplication.first().options).toEqual({});
  });

  test('asynchronous: no method, not synchronous, no options', () => {
    const r = SynchronousReplication.asynchronous();
    expect(r.method).toBeUndefined();
    expect(r.isSynchronous).toBe(false);
    expect(r.options).toEqual({});
  });

  test.each([
    ['any', () => SynchronousReplication.any({ number: '2' } as any), 'SynchronousReplication.any: number = "2" is a string, where a number goes. Fix: write the number without quotes'],
    ['first', () => SynchronousReplication.first({ nmber: 2 } as any), 'SynchronousReplication.first: nmber = 2 is not a prop of SynchronousReplicationOptions (it would be ignored). Fix: did you mean number?'],
  ])('%s checks its options', (_name, call, message) => {
    expect(thrown(call)).toBe(message);
  });
});

describe('attachments.ts: BackupMethod', () => {
  test('the values other constructs compare with', () => {
    expect(Object.entries(BackupMethod)).toEqual([['PLUGIN', 'plugin'], ['BARMAN_OBJECT_STORE', 'barmanObjectStore']]);
  });
});
