/**
 * PgBouncer lab: the Poolers the library emits for the reference platform (test/integ/pgbouncer/fixtures.ts
 * synthesizes examples/platform), turned into the
 * pgbouncer.ini and HBA file the CNPG 1.30 operator would write (test/integ/support/pgbouncer-config.ts),
 * run on a real PgBouncer (>= 1.21; trixie's 1.24.1 built by .ci/install/pgbouncer.sh) in front of a
 * real PostgreSQL 15 set up as a CNPG Cluster is for its poolers (TLS 1.3 only, `cnpg_pooler_pgbouncer`
 * authenticated by certificate and running auth_query through `public.user_search`, applications by
 * SCRAM over `hostssl` only). Every claim is checked with node-postgres and with psycopg 3.
 *
 * Needs the tools of `bash .ci/deps.sh`; without them every test fails, saying so.
 */
import * as fs from 'node:fs';
import { Client } from 'pg';
import { HARBOR, KEYCLOAK, PLATFORM_1_27, PROFILES, PoolerProfile } from './pgbouncer/fixtures';
import { holdPsycopg, Lab, PgBouncerInstance, runPsycopg } from './pgbouncer/lab';
import {
  DEFAULT_PGBOUNCER_PARAMETERS,
  FORCED_PGBOUNCER_PARAMETERS,
  PGBOUNCER_POOLER_USER,
  PoolerManifest,
  renderPgBouncerConfig,
} from './support/pgbouncer-config';

jest.setTimeout(120_000);

let lab: Lab | undefined;
const instances = new Map<string, PgBouncerInstance>();
const openClients = new Set<Client>();
/** What the lab saw (error texts, TLS strings): printed once at the end for the record. */
const observed: Record<string, unknown> = {};

function theLab(): Lab {
  if (!lab) throw new Error('the lab did not start (see the beforeAll error)');
  return lab;
}

beforeAll(async () => {
  lab = new Lab();
  await lab.start(PROFILES.map((p) => p.app));
  for (const profile of PROFILES) instances.set(profile.app, await lab.startPgBouncer(profile.app, profile.pooler));
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([...openClients].map((c) => c.end()));
  await lab?.stop();
  if (Object.keys(observed).length > 0) console.info(`PgBouncer lab observations:\n${JSON.stringify(observed, null, 2)}`);
}, 60_000);

/** A copy of a Pooler with its pg_hba rules replaced. */
function withHba(pooler: PoolerManifest, rules: string[]): PoolerManifest {
  const copy = JSON.parse(JSON.stringify(pooler)) as PoolerManifest;
  (copy.spec.pgbouncer as { pg_hba?: string[] }).pg_hba = rules;
  return copy;
}

/** A copy of a fixture Pooler with some parameters changed (`null` removes one). */
function variant(pooler: PoolerManifest, changes: Record<string, string | null>): PoolerManifest {
  const copy = JSON.parse(JSON.stringify(pooler)) as PoolerManifest;
  const parameters = copy.spec.pgbouncer.parameters as Record<string, string>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete parameters[key];
    else parameters[key] = value;
  }
  return copy;
}

async function startVariant(name: string, pooler: PoolerManifest, opts: { serverCA?: 'cluster' | 'rogue' } = {}): Promise<PgBouncerInstance> {
  const instance = await theLab().startPgBouncer(name, pooler, opts);
  instances.set(name, instance);
  return instance;
}

/** node-postgres client of `app` through `instance`; `tls` verifies PgBouncer's certificate and name. */
function nodeClient(instance: PgBouncerInstance, app: string, applicationName: string, tls = true): Client {
  const user = theLab().appUsers.get(app)!;
  const client = new Client({
    host: '127.0.0.1',
    port: instance.port,
    user: user.name,
    password: user.password,
    database: app,
    application_name: applicationName,
    ssl: tls ? { ca: fs.readFileSync(theLab().pki.serverCA), servername: 'localhost', rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 20_000,
  });
  client.on('error', () => { /* reported through the failing call */ });
  openClients.add(client);
  return client;
}

async function closeClient(client: Client): Promise<void> {
  openClients.delete(client);
  await client.end().catch(() => undefined);
}

/** libpq keywords for psycopg: verify-full against the lab's server CA unless told otherwise. */
function pyConninfo(instance: PgBouncerInstance, app: string, applicationName: string, sslmode = 'verify-full'): Record<string, string | number> {
  const user = theLab().appUsers.get(app)!;
  return {
    host: 'localhost',
    hostaddr: '127.0.0.1',
    port: instance.port,
    user: user.name,
    password: user.password,
    dbname: app,
    application_name: applicationName,
    sslmode,
    sslrootcert: theLab().pki.serverCA,
  };
}

async function failure(action: () => Promise<unknown>): Promise<{ message: string; code?: string }> {
  try {
    await action();
  } catch (e) {
    const error = e as { message: string; code?: string };
    return { message: error.message, code: error.code };
  }
  throw new Error('expected the call to fail, it succeeded');
}

const TLS13 = /^TLSv1\.3\//;

describe.each(PROFILES)('$app pooler (poolMode $pooler.spec.pgbouncer.poolMode)', ({ app, pooler }: PoolerProfile) => {
  test('renders as the operator would, keeping every fixture parameter', () => {
    const operator = renderPgBouncerConfig(pooler);
    expect(operator.pgbouncerIni.startsWith([
      '',
      '[databases]',
      `* = host=${pooler.spec.cluster.name}-rw`,
      '',
      '[pgbouncer]',
      `pool_mode = ${pooler.spec.pgbouncer.poolMode}`,
      `auth_user = ${PGBOUNCER_POOLER_USER}`,
      'auth_query = SELECT usename, passwd FROM public.user_search($1)',
      'auth_dbname = postgres',
      '',
      '',
    ].join('\n'))).toBe(true);
    for (const [key, value] of Object.entries(FORCED_PGBOUNCER_PARAMETERS)) expect(operator.pgbouncerIni).toContain(`\n${key} = ${value}\n`);
    expect(operator.pgbouncerIni).toContain('\nserver_tls_cert_file = /controller/configs/authUser/tls.crt\n');
    for (const [key, value] of Object.entries(pooler.spec.pgbouncer.parameters ?? {})) {
      const expected = key === 'ignore_startup_parameters' ? `${DEFAULT_PGBOUNCER_PARAMETERS[key]},${value}` : value;
      expect({ key, value: operator.parameters[key] }).toEqual({ key, value: expected });
    }
    expect(operator.pgHbaConf).toBe(`\nlocal pgbouncer pgbouncer peer\n\n${(pooler.spec.pgbouncer.pg_hba ?? []).map((r) => `\n${r}`).join('')}`
      + '\n\nhost all all 0.0.0.0/0 md5\nhost all all ::/0 md5\n');
  });

  test('PgBouncer starts, SHOW CONFIG reports every value, and its log has no warning or error', async () => {
    const instance = instances.get(app)!;
    const config = Object.fromEntries((await theLab().admin(instance, 'SHOW CONFIG')).map((r) => [r.key, r.value]));
    // Every line of the [pgbouncer] section, fixture parameters, operator defaults and forced keys alike.
    for (const [key, value] of Object.entries(instance.rendered.settings)) {
      expect({ key, value: config[key] }).toEqual({ key, value });
    }
    for (const [key, value] of Object.entries(pooler.spec.pgbouncer.parameters ?? {})) {
      expect(config[key]).toBe(key === 'ignore_startup_parameters' ? `extra_float_digits,options,${value}` : value);
    }
    const log = instance.log();
    expect(log).toMatch(/LOG process up: PgBouncer 1\.(2[1-9]|[3-9]\d)\./);
    expect(log).not.toMatch(/unknown parameter|invalid value/i);
    expect(log.split('\n').filter((l) => /\b(WARNING|ERROR|FATAL)\b/.test(l))).toEqual([]);
  });

  test('TLS on both hops: application↔PgBouncer and PgBouncer↔PostgreSQL (node-postgres and psycopg)', async () => {
    const lab_ = theLab();
    const instance = instances.get(app)!;
    const node = nodeClient(instance, app, `node-tls-${app}`);
    await node.connect();
    expect((await node.query('SELECT current_user AS u')).rows[0].u).toBe(app);
    expect((node as unknown as { connection: { stream: { encrypted?: boolean } } }).connection.stream.encrypted).toBe(true);
    const py = await holdPsycopg(pyConninfo(instance, app, `psycopg-tls-${app}`));
    try {
      expect(py.info).toMatchObject({ ok: true, user: app, ssl_in_use: true });

      const clients = await lab_.admin(instance, 'SHOW CLIENTS');
      const ours = clients.filter((c) => /^(node|psycopg)-tls-/.test(c.application_name));
      expect(ours.map((c) => c.application_name.split(' ')[0]).sort()).toEqual([`node-tls-${app}`, `psycopg-tls-${app}`]);
      for (const c of ours) {
        expect({ client: c.application_name, tls: c.tls }).toEqual({ client: c.application_name, tls: expect.stringMatching(TLS13) });
      }

      // min_pool_size makes PgBouncer open server connections in the background: those still in
      // state `new` (connecting, TLS not yet negotiated) are left out.
      const servers = (await lab_.admin(instance, 'SHOW SERVERS')).filter((s) => s.state !== 'new');
      expect(servers.filter((s) => s.user === app).length).toBeGreaterThan(0);
      expect(servers.filter((s) => s.user === PGBOUNCER_POOLER_USER && s.database === 'postgres').length).toBeGreaterThan(0);
      for (const s of servers) {
        expect({ server: `${s.user}@${s.database}`, tls: s.tls }).toEqual({ server: `${s.user}@${s.database}`, tls: expect.stringMatching(TLS13) });
      }

      // PostgreSQL's side of the same connections. PgBouncer presents the auth user's certificate
      // (server_tls_cert_file) on every server connection, the application's too.
      const ssl = await lab_.sql(`SELECT a.usename, s.ssl, s.version, s.client_dn, s.issuer_dn
        FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.client_addr IS NOT NULL AND a.usename IN ('${app}', '${PGBOUNCER_POOLER_USER}')`);
      expect(ssl.filter((r) => r.usename === app).length).toBeGreaterThan(0);
      expect(ssl.filter((r) => r.usename === PGBOUNCER_POOLER_USER).length).toBeGreaterThan(0);
      for (const row of ssl) {
        expect(row).toMatchObject({ ssl: 't', version: 'TLSv1.3', client_dn: `/CN=${PGBOUNCER_POOLER_USER}`, issuer_dn: '/CN=lab client CA' });
      }
      observed.tls = { client: ours[0].tls, server: servers[0].tls, postgres: `${ssl[0].version} client_dn=${ssl[0].client_dn}` };
    } finally {
      await py.release();
      await closeClient(node);
    }
  });

  test('client_tls_sslmode=require: a plain-text client is refused (node-postgres and psycopg)', async () => {
    const instance = instances.get(app)!;
    expect(instance.rendered.parameters.client_tls_sslmode).toBe('require');
    const node = nodeClient(instance, app, `node-plain-${app}`, false);
    const nodeError = await failure(() => node.connect());
    await closeClient(node);
    expect(nodeError).toEqual({ message: 'SSL required', code: '08P01' });
    const [, py] = await runPsycopg('connect', pyConninfo(instance, app, `psycopg-plain-${app}`, 'disable'));
    expect(py.ok).toBe(false);
    expect(py.error).toMatch(/FATAL: {2}SSL required$/);
    observed.plainTextRefused = { nodePostgres: nodeError, psycopg: py.error };
  });
});

describe("the operator's default client_tls_sslmode=prefer (why the library sets require, and its pg_hba refuses plain text too)", () => {
  test("with prefer and the hand-written poolers' hostssl-only pg_hba, plain-text clients get in through the operator's trailing `host all all 0.0.0.0/0 md5`", async () => {
    const handWritten = withHba(variant(HARBOR.pooler, { client_tls_sslmode: null }), ['hostssl all all 0.0.0.0/0 scram-sha-256', 'hostssl all all ::/0 scram-sha-256']);
    const instance = await startVariant('harbor-prefer', handWritten);
    expect(instance.rendered.parameters.client_tls_sslmode).toBe('prefer');
    const node = nodeClient(instance, 'harbor', 'node-prefer-plain', false);
    try {
      await node.connect();
      expect((await node.query('SELECT current_user AS u')).rows[0].u).toBe('harbor');
      const [, py] = await runPsycopg('connect', pyConninfo(instance, 'harbor', 'psycopg-prefer-plain', 'disable'));
      expect(py).toMatchObject({ ok: true, user: 'harbor', ssl_in_use: false });
      const client = (await theLab().admin(instance, 'SHOW CLIENTS')).find((c) => c.application_name.startsWith('node-prefer-plain'));
      expect(client?.tls).toBe('');
      // The server hop stays TLS: only the application's side is plain text.
      const servers = (await theLab().admin(instance, 'SHOW SERVERS')).filter((s) => s.state !== 'new');
      expect(servers.length).toBeGreaterThan(0);
      for (const s of servers) expect(s.tls).toMatch(TLS13);
    } finally {
      await closeClient(node);
    }
  });

  test('the library\'s Pooler for CNPG 1.27 (prefer and verify-ca forced by that operator): its pg_hba refuses plain text, TLS gets in', async () => {
    const pooler = PLATFORM_1_27.harbor.pooler;
    expect(pooler.spec.pgbouncer.parameters?.client_tls_sslmode).toBeUndefined();
    expect(pooler.spec.pgbouncer.pg_hba?.slice(0, 2)).toEqual(['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject']);
    const instance = await startVariant('harbor-1-27', pooler);
    expect(instance.rendered.parameters).toMatchObject({ client_tls_sslmode: 'prefer', server_tls_sslmode: 'verify-ca' });
    const node = nodeClient(instance, 'harbor', 'node-1-27-plain', false);
    const nodeError = await failure(() => node.connect());
    await closeClient(node);
    const [, py] = await runPsycopg('connect', pyConninfo(instance, 'harbor', 'psycopg-1-27-plain', 'disable'));
    expect(nodeError).toEqual({ message: 'login rejected', code: '08P01' });
    expect(py.ok).toBe(false);
    expect(py.error).toMatch(/FATAL: {2}login rejected$/);
    observed.plainTextRejectedByHba = { nodePostgres: nodeError, psycopg: py.error };
    // TLS clients still get in, and only for the application's own database and role.
    const tls = nodeClient(instance, 'harbor', 'node-1-27-tls');
    try {
      await tls.connect();
      expect((await tls.query('SELECT current_user AS u')).rows[0].u).toBe('harbor');
    } finally {
      await closeClient(tls);
    }
    const other = new Client({
      host: '127.0.0.1',
      port: instance.port,
      user: 'harbor',
      password: theLab().appUsers.get('harbor')!.password,
      database: 'postgres',
      ssl: { ca: fs.readFileSync(theLab().pki.serverCA), servername: 'localhost', rejectUnauthorized: true },
      connectionTimeoutMillis: 20_000,
    });
    other.on('error', () => undefined);
    openClients.add(other);
    const otherError = await failure(() => other.connect());
    await closeClient(other);
    expect(otherError).toEqual({ message: 'login rejected', code: '08P01' });
    observed.otherDatabaseRejectedByHba = otherError;
  });
});

const TRANSACTION_PROFILES = PROFILES.filter((p) => p.pooler.spec.pgbouncer.poolMode === 'transaction');

/** Two clients, same statement name, different texts, alternating over one server connection. */
interface PreparedStep { client: string; ok: boolean; value?: number; error?: string; code?: string }

async function nodePreparedSteps(instance: PgBouncerInstance, app: string): Promise<PreparedStep[]> {
  const a = nodeClient(instance, app, 'node-prep-A');
  const b = nodeClient(instance, app, 'node-prep-B');
  await a.connect();
  await b.connect();
  const plan: Array<[string, Client, string, number]> = [
    ['A', a, 'SELECT $1::int + 1 AS v', 1],
    ['B', b, 'SELECT $1::int * 10 AS v', 2],
    ['A', a, 'SELECT $1::int + 1 AS v', 41],
    ['B', b, 'SELECT $1::int * 10 AS v', 3],
  ];
  const steps: PreparedStep[] = [];
  try {
    for (const [who, client, text, value] of plan) {
      try {
        const result = await client.query({ name: 'q1', text, values: [value] });
        steps.push({ client: who, ok: true, value: Number(result.rows[0].v) });
      } catch (e) {
        const error = e as { message: string; code?: string };
        steps.push({ client: who, ok: false, error: error.message, code: error.code });
      }
    }
  } finally {
    await closeClient(a);
    await closeClient(b);
  }
  return steps;
}

const POOL_OF_ONE = { default_pool_size: '1', min_pool_size: '0', reserve_pool_size: '0' };

describe('transaction mode: protocol-level prepared statements of two clients over a pool of ONE server connection', () => {
  test.each(TRANSACTION_PROFILES)('$app: they work with the fixture max_prepared_statements', async ({ app, pooler }) => {
    const maxPrepared = Number(pooler.spec.pgbouncer.parameters?.max_prepared_statements);
    expect(maxPrepared).toBeGreaterThan(0);
    const instance = await startVariant(`${app}-prepared`, variant(pooler, POOL_OF_ONE));
    const nodeSteps = await nodePreparedSteps(instance, app);
    expect(nodeSteps).toEqual([
      { client: 'A', ok: true, value: 2 },
      { client: 'B', ok: true, value: 20 },
      { client: 'A', ok: true, value: 42 },
      { client: 'B', ok: true, value: 30 },
    ]);
    const [, py] = await runPsycopg('prepared', pyConninfo(instance, app, 'psycopg-prep'));
    expect(py.steps).toEqual([
      { client: 'A', ok: true, value: 2 },
      { client: 'B', ok: true, value: 20 },
      { client: 'A', ok: true, value: 42 },
      { client: 'B', ok: true, value: 30 },
    ]);
    // All of it went through one server connection, where PgBouncer prepared its own PGBOUNCER_n names.
    const servers = (await theLab().admin(instance, 'SHOW SERVERS')).filter((s) => s.user === app);
    expect(servers).toHaveLength(1);
    expect(Number(servers[0].prepared_statements)).toBeGreaterThanOrEqual(2);
  });

  test('they fail as PgBouncer documents with max_prepared_statements=0 (node-postgres and psycopg)', async () => {
    const instance = await startVariant('harbor-unprepared', variant(HARBOR.pooler, { ...POOL_OF_ONE, max_prepared_statements: '0' }));
    const nodeSteps = await nodePreparedSteps(instance, 'harbor');
    expect(nodeSteps).toEqual([
      { client: 'A', ok: true, value: 2 },
      { client: 'B', ok: false, error: 'prepared statement "q1" already exists', code: '42P05' },
      { client: 'A', ok: true, value: 42 },
      { client: 'B', ok: false, error: 'prepared statement "q1" already exists', code: '42P05' },
    ]);
    const [, py] = await runPsycopg('prepared', pyConninfo(instance, 'harbor', 'psycopg-unprep'));
    expect(py.steps[0]).toEqual({ client: 'A', ok: true, value: 2 });
    expect(py.steps[1]).toEqual({
      client: 'B', ok: false, error: 'prepared statement "_pg3_0" already exists', sqlstate: '42P05', type: 'DuplicatePreparedStatement',
    });
    observed.preparedWithoutMaxPreparedStatements = { nodePostgres: nodeSteps, psycopg: py.steps };
  });
});

interface SessionState { pid: number; statement_timeout: string; advisory_locks: number }

/** Client A sets state in autocommit statements; client B then holds a transaction; A looks again. */
interface SessionStates { a_first: SessionState; b_in_tx: SessionState; a_later: SessionState }

async function nodeSessionState(instance: PgBouncerInstance, app: string, lockKey: number): Promise<SessionStates> {
  const a = nodeClient(instance, app, 'node-state-A');
  const b = nodeClient(instance, app, 'node-state-B');
  const state = async (client: Client): Promise<SessionState> => {
    const row = (await client.query(
      `SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement_timeout,
        (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objid = $1)::int AS advisory_locks`,
      [lockKey])).rows[0];
    return { pid: row.pid, statement_timeout: row.statement_timeout, advisory_locks: row.advisory_locks };
  };
  try {
    await a.connect();
    await b.connect();
    await a.query("SET statement_timeout = '4321ms'");
    await a.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const aFirst = await state(a);
    await b.query('BEGIN');
    const bInTx = await state(b);
    const aLater = await state(a);
    await b.query('COMMIT');
    for (const c of [a, b]) await c.query('SELECT pg_advisory_unlock_all(); RESET statement_timeout');
    return { a_first: aFirst, b_in_tx: bInTx, a_later: aLater };
  } finally {
    await closeClient(a);
    await closeClient(b);
  }
}

const POOL_OF_TWO = { default_pool_size: '2', min_pool_size: '0', reserve_pool_size: '0' };

describe('session state: Keycloak (session mode) keeps it, transaction mode does not', () => {
  test('session mode: a SET and a session advisory lock survive across transactions of one client', async () => {
    const instance = await startVariant('keycloak-state', variant(KEYCLOAK.pooler, POOL_OF_TWO));
    const [, py] = await runPsycopg('session-state', pyConninfo(instance, 'keycloak', 'psycopg-state'), { lockKey: 4343 });
    for (const result of [await nodeSessionState(instance, 'keycloak', 4242), py]) {
      expect(result.a_later).toEqual({ pid: result.a_first.pid, statement_timeout: '4321ms', advisory_locks: 1 });
      expect(result.b_in_tx.pid).not.toBe(result.a_first.pid);
      expect(result.b_in_tx).toMatchObject({ statement_timeout: '0', advisory_locks: 0 });
    }
  });

  test("transaction mode: the client's next transaction runs elsewhere without them, and they stay behind for whoever gets that server", async () => {
    const instance = await startVariant('harbor-state', variant(HARBOR.pooler, POOL_OF_TWO));
    const [, py] = await runPsycopg('session-state', pyConninfo(instance, 'harbor', 'psycopg-state'), { lockKey: 4343 });
    for (const result of [await nodeSessionState(instance, 'harbor', 4242), py]) {
      expect(result.a_first).toMatchObject({ statement_timeout: '4321ms', advisory_locks: 1 });
      expect(result.a_later.pid).not.toBe(result.a_first.pid);
      expect(result.a_later).toMatchObject({ statement_timeout: '0', advisory_locks: 0 });
      expect(result.b_in_tx).toEqual({ pid: result.a_first.pid, statement_timeout: '4321ms', advisory_locks: 1 });
    }
  });

  test('session mode hands a server connection to the next client clean with DISCARD ALL, dirty with the hand-written ""', async () => {
    const results: Record<string, SessionState> = {};
    for (const [name, reset] of [['keycloak-reset', 'DISCARD ALL'], ['keycloak-noreset', '']] as const) {
      const instance = await startVariant(name, variant(KEYCLOAK.pooler, { ...POOL_OF_ONE, server_reset_query: reset }));
      const first = nodeClient(instance, 'keycloak', 'node-first');
      await first.connect();
      await first.query("SET statement_timeout = '4321ms'");
      await first.query('SELECT pg_advisory_lock(4444)');
      const firstPid = (await first.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await closeClient(first);
      const next = nodeClient(instance, 'keycloak', 'node-next');
      try {
        await next.connect();
        const row = (await next.query(`SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement_timeout,
          (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND objid = 4444)::int AS advisory_locks`)).rows[0];
        expect(row.pid).toBe(firstPid); // the pool has one server connection: the same backend
        results[reset || '""'] = row;
        await next.query('SELECT pg_advisory_unlock_all()');
      } finally {
        await closeClient(next);
      }
    }
    expect(results['DISCARD ALL']).toMatchObject({ statement_timeout: '0', advisory_locks: 0 });
    expect(results['""']).toMatchObject({ statement_timeout: '4321ms', advisory_locks: 1 });
  });
});

describe('PgBouncer→PostgreSQL: the server certificate is verified', () => {
  test('with a CA that did not sign PostgreSQL\'s certificate PgBouncer refuses the server, and clients get an error', async () => {
    // query_wait_timeout 2 s so the client waiting for the (failing) auth_query connection gives up quickly.
    const instance = await startVariant('harbor-rogue-ca', variant(HARBOR.pooler, { query_wait_timeout: '2' }), { serverCA: 'rogue' });
    const node = nodeClient(instance, 'harbor', 'node-rogue');
    const nodeError = await failure(() => node.connect());
    await closeClient(node);
    expect(nodeError.message).toMatch(/^(query_wait_timeout|server login has been failing, cached error: server conn crashed\? \(server_login_retry\))$/);
    const [, py] = await runPsycopg('connect', pyConninfo(instance, 'harbor', 'psycopg-rogue'));
    expect(py.ok).toBe(false);
    expect(py.error).toMatch(/FATAL: {2}(query_wait_timeout|server login has been failing)/);
    expect(instance.log()).toContain('WARNING TLS handshake error: handshake failed: error:0A000086:SSL routines::certificate verify failed');
    // No server connection got past the TLS handshake.
    const servers = await theLab().admin(instance, 'SHOW SERVERS');
    expect(servers.filter((s) => s.tls !== '')).toEqual([]);
    observed.rogueServerCA = { nodePostgres: nodeError.message, psycopg: py.error, log: 'WARNING TLS handshake error: handshake failed: error:0A000086:SSL routines::certificate verify failed' };
  });
});

describe('renderer: what the admission webhook rejects', () => {
  test('a parameter outside AllowedPgbouncerGenericConfigurationParameters, such as a forced key', () => {
    expect(() => renderPgBouncerConfig(variant(HARBOR.pooler, { listen_port: '6432' }))).toThrow(/listen_port: Invalid or reserved parameter/);
    expect(() => renderPgBouncerConfig(variant(HARBOR.pooler, { client_tls_protocols: 'tlsv1.3' }))).toThrow(/client_tls_protocols: Invalid or reserved parameter/);
  });
  test('a Pooler named like its Cluster, and an authQuery without a secret', () => {
    const sameName = { ...HARBOR.pooler, metadata: { ...HARBOR.pooler.metadata, name: HARBOR.pooler.spec.cluster.name } };
    expect(() => renderPgBouncerConfig(sameName)).toThrow(/the pooler resource cannot have the same name of a cluster/);
    const authQuery = { ...HARBOR.pooler, spec: { ...HARBOR.pooler.spec, pgbouncer: { ...HARBOR.pooler.spec.pgbouncer, authQuery: 'SELECT 1' } } };
    expect(() => renderPgBouncerConfig(authQuery)).toThrow(/must specify an existing auth query secret/);
  });
});
