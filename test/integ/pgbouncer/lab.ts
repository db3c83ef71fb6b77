/**
 * The real-component lab behind test/integ/pgbouncer.test.ts: a throw-away PKI, a PostgreSQL 15
 * instance set up the way a CNPG Cluster is for its poolers, and PgBouncer processes running the
 * configuration the CNPG operator would write for a given Pooler (../support/pgbouncer-config.ts).
 *
 * Everything lives in one temporary directory and is torn down by {@link Lab.stop}, which also runs
 * on process exit. Ports are picked free at run time, listening on 127.0.0.1 only.
 *
 * initdb/PostgreSQL and PgBouncer refuse to run as root: when the tests run as root (CI, the
 * developer machines) the servers run as the `postgres` OS user (Debian's postgresql package) and
 * as the `pgbouncer` OS user (created by .ci/install/pgbouncer.sh). The PgBouncer admin console is
 * reached the way CNPG's instance manager reaches it: over the unix socket, as OS user `pgbouncer`,
 * through the operator's `local pgbouncer pgbouncer peer` HBA rule.
 */
import { ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  OPERATOR_POOLER_INTEGRATION_SQL,
  OPERATOR_POSTGRES_HBA_POOLER_RULE,
  OPERATOR_POSTGRES_IDENT_POOLER_LINE,
  PGBOUNCER_POOLER_USER,
  PoolerManifest,
  RenderedPgBouncerConfig,
  renderPgBouncerConfig,
} from '../support/pgbouncer-config';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE_DIR = process.env.CNPG_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');
const PG_BIN = '/usr/lib/postgresql/15/bin';

export const TOOLS = {
  pgbouncer: path.join(CACHE_DIR, 'pgbouncer', 'bin', 'pgbouncer'),
  initdb: path.join(PG_BIN, 'initdb'),
  postgres: path.join(PG_BIN, 'postgres'),
  psql: path.join(PG_BIN, 'psql'),
  python: path.join(CACHE_DIR, 'venv-pg', 'bin', 'python'),
  openssl: '/usr/bin/openssl',
  probe: path.join(__dirname, 'psycopg_probe.py'),
};

const DEPS_HINT = 'run `bash .ci/deps.sh` (it installs PostgreSQL 15, builds PgBouncer into .cache/pgbouncer and creates the venv .cache/venv-pg)';

interface OsUser { name: string; uid: number; gid: number }

function osUser(name: string): OsUser | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Fails (never skips) with the command to run when a tool or OS user the lab needs is missing. */
export function preflight(): { postgres: OsUser; pgbouncer: OsUser } {
  const problems: string[] = [];
  for (const [name, file] of Object.entries(TOOLS)) {
    if (!fs.existsSync(file)) problems.push(`${name}: ${file} is missing`);
  }
  if (fs.existsSync(TOOLS.python)) {
    const r = spawnSync(TOOLS.python, ['-c', 'import psycopg'], { encoding: 'utf8' });
    if (r.status !== 0) problems.push(`psycopg does not import in ${TOOLS.python}: ${r.stderr.trim()}`);
  }
  if (fs.existsSync(TOOLS.pgbouncer)) {
    const r = spawnSync(TOOLS.pgbouncer, ['--version'], { encoding: 'utf8' });
    if (r.status !== 0) problems.push(`${TOOLS.pgbouncer} does not run: ${r.stderr.trim()}`);
  }
  const postgres = osUser('postgres');
  const pgbouncer = osUser('pgbouncer');
  if (!postgres) problems.push('OS user `postgres` is missing (Debian postgresql package)');
  if (!pgbouncer) problems.push('OS user `pgbouncer` is missing (created by .ci/install/pgbouncer.sh)');
  if (process.getuid && process.getuid() !== 0) {
    problems.push('the lab must run as root: it starts PostgreSQL as OS user `postgres` and PgBouncer as OS user `pgbouncer`');
  }
  if (problems.length > 0 || !postgres || !pgbouncer) {
    throw new Error(`PgBouncer lab cannot start:\n- ${problems.join('\n- ')}\nTo fix: ${DEPS_HINT}.`);
  }
  return { postgres, pgbouncer };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function run(cmd: string, args: string[], opts: { user?: OsUser; input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, {
      uid: opts.user?.uid,
      gid: opts.user?.gid,
      cwd: opts.cwd,
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: os.tmpdir(), ...opts.env },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 60_000,
    }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (opts.input !== undefined) {
      // A command that exits before reading its input (psql failing to connect while a server
      // starts) makes the write fail with EPIPE: its exit status already reports the failure.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `done` settles within `ms` (the timer is cleared either way, so it keeps nothing alive). */
async function settlesWithin(done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), ms); });
  try {
    return (await Promise.race([done, timeout])) !== 'timeout';
  } finally {
    clearTimeout(timer);
  }
}

/** Parses `psql -A -F US -P footer=off` output into rows keyed by column name. */
function parseUnaligned(output: string): Record<string, string>[] {
  const lines = output.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  const header = lines[0].split('\x1f');
  return lines.slice(1).map((line) => {
    const cells = line.split('\x1f');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

class ManagedProcess {
  public log = '';
  public exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  constructor(public readonly name: string, public readonly child: ChildProcess, logFile: string) {
    const out = fs.createWriteStream(logFile);
    const onData = (d: Buffer) => { this.log += d.toString(); out.write(d); };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // 'close', not 'exit': 'exit' can come before the last of the output has been read, which then
    // was missing from the log (a startup failure without its reason) or written after out.end().
    this.exited = new Promise((resolve) => child.on('close', (code) => { this.exitCode = code; out.end(); resolve(code); }));
  }
  get running(): boolean { return this.exitCode === undefined; }
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    if (!(await settlesWithin(this.exited, graceMs)) && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

// Last resort when the test process ends without Lab.stop() (a crash, a timeout): no server and no
// temporary directory outlives it.
const liveProcesses = new Set<ManagedProcess>();
const liveRoots = new Set<string>();
process.once('exit', () => {
  for (const p of liveProcesses) if (p.running) p.child.kill('SIGKILL');
  for (const root of liveRoots) fs.rmSync(root, { recursive: true, force: true });
});

export interface Pki {
  serverCA: string;
  clientCA: string;
  rogueCA: string;
  postgresCert: string;
  postgresKey: string;
  pgbouncerCert: string;
  pgbouncerKey: string;
  poolerUserCert: string;
  poolerUserKey: string;
}

export interface AppUser { name: string; password: string }

export interface PgBouncerInstance {
  readonly name: string;
  readonly port: number;
  readonly socketDir: string;
  readonly rendered: RenderedPgBouncerConfig;
  readonly process: ManagedProcess;
  /** What PgBouncer printed so far (it logs to stderr: no logfile is configured, as in CNPG). */
  log(): string;
}

export class Lab {
  readonly root: string;
  readonly pki: Pki;
  readonly users: { postgres: OsUser; pgbouncer: OsUser };
  pgPort = 0;
  readonly pgSocketDir: string;
  readonly appUsers = new Map<string, AppUser>();
  private postgres?: ManagedProcess;
  private readonly bouncers = new Map<string, PgBouncerInstance>();

  constructor() {
    this.users = preflight();
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-pgbouncer-lab-'));
    liveRoots.add(this.root);
    fs.chmodSync(this.root, 0o755);
    this.pgSocketDir = path.join(this.root, 'pg', 'run');
    const pkiDir = path.join(this.root, 'pki');
    this.pki = {
      serverCA: path.join(pkiDir, 'server-ca.crt'),
      clientCA: path.join(pkiDir, 'client-ca.crt'),
      rogueCA: path.join(pkiDir, 'rogue-ca.crt'),
      postgresCert: path.join(pkiDir, 'postgres.crt'),
      postgresKey: path.join(pkiDir, 'postgres.key'),
      pgbouncerCert: path.join(pkiDir, 'pgbouncer.crt'),
      pgbouncerKey: path.join(pkiDir, 'pgbouncer.key'),
      poolerUserCert: path.join(pkiDir, `${PGBOUNCER_POOLER_USER}.crt`),
      poolerUserKey: path.join(pkiDir, `${PGBOUNCER_POOLER_USER}.key`),
    };
  }

  /**
   * Two CAs as in a CNPG Cluster: the server CA signs PostgreSQL's certificate (and here PgBouncer's
   * own, which CNPG takes from the Cluster's server certificate by default); the client CA signs the
   * pooler's `cnpg_pooler_pgbouncer` client certificate and is PostgreSQL's ssl_ca_file.
   * A third, unrelated CA is there to prove that PgBouncer really verifies the server certificate.
   */
  private makePki(): void {
    const dir = path.dirname(this.pki.serverCA);
    fs.mkdirSync(dir, { recursive: true });
    const ssl = (...args: string[]) => execFileSync(TOOLS.openssl, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const ca = (name: string, cn: string) => ssl('req', '-x509', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.crt`,
      '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    ca('server-ca', 'lab server CA');
    ca('client-ca', 'lab client CA');
    ca('rogue-ca', 'lab rogue CA');
    const leaf = (name: string, cn: string, caName: string, ext: string) => {
      fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
      ssl('req', '-new', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-set_serial',
        `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
    };
    const serverExt = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n';
    leaf('postgres', 'shared-pg-rw', 'server-ca', serverExt);
    leaf('pgbouncer', 'pooler', 'server-ca', serverExt);
    leaf(PGBOUNCER_POOLER_USER, PGBOUNCER_POOLER_USER, 'client-ca',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), f.endsWith('.key') ? 0o600 : 0o644);
  }

  /** PostgreSQL 15 with TLS 1.3 only, cert auth for the pooler role and SCRAM over TLS for applications. */
  async start(apps: readonly string[]): Promise<void> {
    this.makePki();
    const pg = this.users.postgres;
    const pgDir = path.join(this.root, 'pg');
    const data = path.join(pgDir, 'data');
    const certs = path.join(pgDir, 'certs');
    fs.mkdirSync(this.pgSocketDir, { recursive: true });
    fs.mkdirSync(certs, { recursive: true });
    fs.copyFileSync(this.pki.postgresCert, path.join(certs, 'server.crt'));
    fs.copyFileSync(this.pki.postgresKey, path.join(certs, 'server.key'));
    fs.copyFileSync(this.pki.clientCA, path.join(certs, 'client-ca.crt'));
    fs.chmodSync(path.join(certs, 'server.key'), 0o600);
    execFileSync('chown', ['-R', `${pg.uid}:${pg.gid}`, pgDir]);

    await run(TOOLS.initdb, ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth=reject', '--no-sync'], { user: pg });
    this.pgPort = await freePort();
    fs.appendFileSync(path.join(data, 'postgresql.conf'), [
      '',
      '# --- PgBouncer lab ---',
      "listen_addresses = '127.0.0.1'",
      `port = ${this.pgPort}`,
      `unix_socket_directories = '${this.pgSocketDir}'`,
      'ssl = on',
      "ssl_min_protocol_version = 'TLSv1.3'",
      `ssl_cert_file = '${certs}/server.crt'`,
      `ssl_key_file = '${certs}/server.key'`,
      `ssl_ca_file = '${certs}/client-ca.crt'`,
      "password_encryption = 'scram-sha-256'",
      'max_connections = 300',
      'shared_buffers = 32MB',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'log_connections = on',
      "log_line_prefix = '%m [%p] %q%u@%d '",
      '',
    ].join('\n'));
    // No plain `host` rule: local superuser for the harness, certificate for the pooler role (the
    // Cluster's fixed rule and ident map), SCRAM over TLS for everyone else.
    fs.writeFileSync(path.join(data, 'pg_hba.conf'), [
      'local all postgres peer',
      OPERATOR_POSTGRES_HBA_POOLER_RULE,
      'hostssl all all all scram-sha-256',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(data, 'pg_ident.conf'), `${OPERATOR_POSTGRES_IDENT_POOLER_LINE}\n`);
    execFileSync('chown', ['-R', `${pg.uid}:${pg.gid}`, data]);

    const child = spawn(TOOLS.postgres, ['-D', data], {
      uid: pg.uid, gid: pg.gid, stdio: ['ignore', 'pipe', 'pipe'], env: { LANG: 'C.UTF-8', PATH: process.env.PATH },
    });
    this.postgres = new ManagedProcess('postgres', child, path.join(pgDir, 'postgres.log'));
    liveProcesses.add(this.postgres);
    await this.waitFor('PostgreSQL', this.postgres, () => this.sql('SELECT 1'));

    const statements: string[] = [];
    for (const app of apps) {
      const user = { name: app, password: randomBytes(12).toString('hex') };
      this.appUsers.set(app, user);
      statements.push(`CREATE ROLE ${app} LOGIN PASSWORD '${user.password}';`, `CREATE DATABASE ${app} OWNER ${app};`);
    }
    await this.sql(statements.join('\n'));
    // What the instance manager creates for the automated pooler integration, in `postgres`.
    await this.sql(OPERATOR_POOLER_INTEGRATION_SQL.map((s) => (s.endsWith(';') ? s : `${s};`)).join('\n'), 'postgres');
  }

  private async waitFor(what: string, proc: ManagedProcess, probe: () => Promise<unknown>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (!proc.running) throw new Error(`${what} exited during startup:\n${proc.log}`);
      try {
        await probe();
        return;
      } catch (e) {
        lastError = e;
        await sleep(100);
      }
    }
    throw new Error(`${what} did not become ready in ${timeoutMs} ms: ${String(lastError)}\n${proc.log}`);
  }

  /** Runs SQL as the PostgreSQL superuser over the unix socket; returns the rows. */
  async sql(sql: string, database = 'postgres'): Promise<Record<string, string>[]> {
    const out = await run(TOOLS.psql, ['-X', '-v', 'ON_ERROR_STOP=1', '-A', '-F', '\x1f', '-P', 'footer=off', '-q',
      '-h', this.pgSocketDir, '-p', String(this.pgPort), '-U', 'postgres', '-d', database, '-f', '-'],
    { user: this.users.postgres, input: sql });
    return parseUnaligned(out);
  }

  /**
   * Starts PgBouncer with what the operator would write for `pooler` (only the environment-specific
   * values substituted). `serverCA: 'rogue'` puts an unrelated CA in server-tls/ca.crt;
   * `readyTimeoutMs` bounds the wait for its admin console (default 30 s).
   */
  async startPgBouncer(name: string, pooler: PoolerManifest, opts: { serverCA?: 'cluster' | 'rogue'; readyTimeoutMs?: number } = {}): Promise<PgBouncerInstance> {
    if (this.bouncers.has(name)) throw new Error(`PgBouncer ${name} already started`);
    const dir = path.join(this.root, `pgbouncer-${name}`);
    const configsDir = path.join(dir, 'configs');
    const socketDir = path.join(dir, 'run');
    fs.mkdirSync(configsDir, { recursive: true });
    fs.mkdirSync(socketDir, { recursive: true });
    const port = await freePort();
    const rendered = renderPgBouncerConfig(pooler, {
      serverHost: 'localhost',
      serverPort: this.pgPort,
      configsDir,
      unixSocketDir: socketDir,
      listenAddr: '127.0.0.1',
      listenPort: port,
    });
    const sources: Record<string, string> = {
      serverCA: opts.serverCA === 'rogue' ? this.pki.rogueCA : this.pki.serverCA,
      clientCA: this.pki.clientCA,
      clientTLSCert: this.pki.pgbouncerCert,
      clientTLSKey: this.pki.pgbouncerKey,
      authUserCert: this.pki.poolerUserCert,
      authUserKey: this.pki.poolerUserKey,
    };
    for (const role of rendered.requiredFiles) {
      const target = rendered.paths[role];
      const source = sources[role];
      if (!target || !source) throw new Error(`no lab file for ${role}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
      fs.chmodSync(target, target.endsWith('.key') ? 0o600 : 0o644);
    }
    fs.writeFileSync(rendered.paths.ini!, rendered.pgbouncerIni);
    fs.writeFileSync(rendered.paths.hba!, rendered.pgHbaConf);
    if (rendered.userlistTxt !== undefined) fs.writeFileSync(rendered.paths.userlist!, rendered.userlistTxt);
    const pgb = this.users.pgbouncer;
    execFileSync('chown', ['-R', `${pgb.uid}:${pgb.gid}`, dir]);

    const child = spawn(TOOLS.pgbouncer, [rendered.paths.ini!], {
      uid: pgb.uid, gid: pgb.gid, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { LANG: 'C.UTF-8', PATH: process.env.PATH },
    });
    const proc = new ManagedProcess(`pgbouncer-${name}`, child, path.join(dir, 'pgbouncer.log'));
    liveProcesses.add(proc);
    const instance: PgBouncerInstance = { name, port, socketDir, rendered, process: proc, log: () => proc.log };
    this.bouncers.set(name, instance);
    await this.waitFor(`PgBouncer ${name}`, proc, () => this.admin(instance, 'SHOW VERSION'), opts.readyTimeoutMs);
    return instance;
  }

  /** A PgBouncer admin-console command, over the unix socket as OS user `pgbouncer` (peer). */
  async admin(instance: PgBouncerInstance, command: string): Promise<Record<string, string>[]> {
    const out = await run(TOOLS.psql, ['-X', '-A', '-F', '\x1f', '-P', 'footer=off',
      '-h', instance.socketDir, '-p', String(instance.port), '-U', 'pgbouncer', '-d', 'pgbouncer', '-c', command],
    { user: this.users.pgbouncer });
    return parseUnaligned(out);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.bouncers.values()].map((b) => b.process.stop('SIGTERM', 5_000)));
    if (this.postgres) await this.postgres.stop('SIGINT', 15_000);
    for (const p of liveProcesses) if (!p.running) liveProcesses.delete(p);
    fs.rmSync(this.root, { recursive: true, force: true });
    liveRoots.delete(this.root);
  }
}

/** Runs the psycopg probe (psycopg_probe.py) and returns its JSON lines (the first is the version banner). */
export async function runPsycopg(command: string, conninfo: Record<string, string | number>, args: Record<string, unknown> = {}): Promise<any[]> {
  const out = await run(TOOLS.python, [TOOLS.probe, JSON.stringify({ command, conninfo, args })]);
  return out.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

/** Starts the psycopg probe in `hold` mode: resolves once connected; `release()` closes it. */
export async function holdPsycopg(conninfo: Record<string, string | number>): Promise<{ info: any; release: () => Promise<void> }> {
  const child = spawn(TOOLS.python, [TOOLS.probe, JSON.stringify({ command: 'hold', conninfo })], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let stderr = '';
  child.stdin.on('error', () => undefined); // EPIPE when the probe has already exited
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const info = await new Promise<any>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buffer += d.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const msg = JSON.parse(line);
        if (msg.event === 'connected' || msg.ok === false) resolve(msg);
      }
    });
    child.on('close', (code) => reject(new Error(`psycopg probe exited (${code}) before connecting: ${stderr}${buffer}`)));
  });
  return {
    info,
    release: async () => {
      child.stdin.end('\n');
      if (!(await settlesWithin(exited, 10_000))) child.kill('SIGKILL');
    },
  };
}
