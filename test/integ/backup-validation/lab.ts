/**
 * Real components for backup-validation.test.ts: an S3 server (versitygw), PostgreSQL 15 from
 * Debian archiving WAL with barman-cloud, and a runner for check_backup.py. No mocks.
 * Every process started here is a direct child, tracked, and killed by `stop()` (and on exit).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = process.env.CNPG_CACHE_DIR ?? path.join(ROOT, '.cache');
export const TOOLS = {
  versitygw: path.join(CACHE, 'bin', 'versitygw'),
  python: path.join(CACHE, 'venv-barman', 'bin', 'python3'),
  walArchive: path.join(CACHE, 'venv-barman', 'bin', 'barman-cloud-wal-archive'),
  backup: path.join(CACHE, 'venv-barman', 'bin', 'barman-cloud-backup'),
  pgBin: '/usr/lib/postgresql/15/bin',
  openssl: '/usr/bin/openssl',
  checkScript: path.join(ROOT, 'assets', 'backup-validation', 'check_backup.py'),
  s3Admin: path.join(__dirname, 's3_admin.py'),
};
/** The sidecar image runs as 26:26 (no passwd entry there, none here either). */
export const CHECK_UID = 26;
const ACCESS_KEY = 'backupvalidation';
const SECRET_KEY = 'backupvalidation-secret-key';

/** Fails (never skips) when a tool is missing, naming it and the command that installs it. */
export function assertToolsInstalled(): void {
  const wanted = [TOOLS.versitygw, TOOLS.python, TOOLS.walArchive, TOOLS.backup,
    path.join(TOOLS.pgBin, 'initdb'), path.join(TOOLS.pgBin, 'postgres'), TOOLS.openssl, TOOLS.checkScript];
  const missing = wanted.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`missing: ${missing.join(', ')}. Run \`bash .ci/deps.sh\` first (it runs .ci/install/*.sh).`);
  }
}

export interface RunResult { code: number | null; stdout: string; stderr: string }

export interface RunOptions { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number }

/** Runs a command to completion; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
}

function listening(child: ChildProcess, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(false);
    const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

export class BackupLab {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-backup-validation-'));
  readonly bucket = 'backups';
  readonly destination = `s3://${this.bucket}/cnpg`;
  readonly serverName = 'shared-cluster';
  readonly sockDir = path.join(this.dir, 'pg-socket');
  s3Port = 0;
  pgPort = 0;
  private readonly children: ChildProcess[] = [];
  /** Debian's postgres user when we are root (initdb refuses root). */
  readonly pgUser: { uid: number; gid: number } | undefined;

  constructor() {
    fs.chmodSync(this.dir, 0o755);
    process.on('exit', this.onExit);
    // initdb refuses root: run PostgreSQL as Debian's postgres user then.
    this.pgUser = process.getuid?.() === 0
      ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
      : undefined;
  }

  private readonly onExit = () => this.children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));

  get endpoint(): string {
    return `http://127.0.0.1:${this.s3Port}`;
  }

  /** Environment with the object-store credentials, and nothing else from ours. */
  s3Env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: '/usr/bin:/bin',
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_DEFAULT_REGION: 'us-east-1',
      S3_ENDPOINT_URL: this.endpoint,
      ...extra,
    };
  }

  startChild(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, user?: { uid: number; gid: number }): ChildProcess {
    const log = fs.openSync(path.join(this.dir, `${name}.log`), 'a');
    const child = spawn(cmd, args, { env, uid: user?.uid, gid: user?.gid, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.children.push(child);
    return child;
  }

  async startS3(): Promise<void> {
    this.s3Port = await freePort();
    const data = path.join(this.dir, 's3-data');
    fs.mkdirSync(data);
    const child = this.startChild('versitygw', TOOLS.versitygw, ['--port', `127.0.0.1:${this.s3Port}`, 'posix', data],
      { PATH: '/usr/bin:/bin', ROOT_ACCESS_KEY: ACCESS_KEY, ROOT_SECRET_KEY: SECRET_KEY });
    await waitFor('versitygw to listen', 20_000, () => listening(child, this.s3Port), () => tail(path.join(this.dir, 'versitygw.log')));
    await this.s3Admin('create-bucket', this.bucket);
  }

  /** A second gateway on the same data, serving HTTPS with a fresh self-signed certificate. */
  async startTlsS3(): Promise<{ endpoint: string; caBundle: string }> {
    const port = await freePort();
    const cert = path.join(this.dir, 'tls-cert.pem');
    const key = path.join(this.dir, 'tls-key.pem');
    const openssl = await run(TOOLS.openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
    if (openssl.code !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);
    fs.chmodSync(cert, 0o644);
    const child = this.startChild('versitygw-tls', TOOLS.versitygw,
      ['--port', `127.0.0.1:${port}`, '--cert', cert, '--key', key, 'posix', path.join(this.dir, 's3-data')],
      { PATH: '/usr/bin:/bin', ROOT_ACCESS_KEY: ACCESS_KEY, ROOT_SECRET_KEY: SECRET_KEY });
    await waitFor('versitygw (TLS) to listen', 20_000, () => listening(child, port), () => tail(path.join(this.dir, 'versitygw-tls.log')));
    return { endpoint: `https://127.0.0.1:${port}`, caBundle: cert };
  }

  async s3Admin(...args: string[]): Promise<string> {
    const result = await run(TOOLS.python, [TOOLS.s3Admin, ...args], { env: this.s3Env() });
    if (result.code !== 0) throw new Error(`s3_admin.py ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim();
  }

  /** PostgreSQL 15 with archive_command = barman-cloud-wal-archive (SSE header AES256) into the bucket. */
  async startPostgres(): Promise<void> {
    this.pgPort = await freePort();
    const pgRoot = path.join(this.dir, 'pg');
    fs.mkdirSync(pgRoot, { mode: 0o700 });
    fs.mkdirSync(this.sockDir, { mode: 0o755 });
    if (this.pgUser) {
      fs.chownSync(pgRoot, this.pgUser.uid, this.pgUser.gid);
      fs.chownSync(this.sockDir, this.pgUser.uid, this.pgUser.gid);
    }
    const data = path.join(pgRoot, 'data');
    const env = this.s3Env({ HOME: pgRoot, LANG: 'C.UTF-8' });
    const initdb = await run(path.join(TOOLS.pgBin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'],
      { env, ...this.pgUser });
    if (initdb.code !== 0) throw new Error(`initdb failed: ${initdb.stdout}\n${initdb.stderr}`);
    const archive = [TOOLS.walArchive, '--endpoint-url', this.endpoint, '--encryption', 'AES256',
      this.destination, this.serverName, '%p'].join(' ');
    fs.appendFileSync(path.join(data, 'postgresql.conf'), [
      "listen_addresses = ''",
      `port = ${this.pgPort}`,
      `unix_socket_directories = '${this.sockDir}'`,
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${archive}'`,
      'fsync = off',
      '',
    ].join('\n'));
    const child = this.startChild('postgres', path.join(TOOLS.pgBin, 'postgres'), ['-D', data], env, this.pgUser);
    await waitFor('PostgreSQL to accept connections', 30_000, async () => {
      if (child.exitCode !== null) return false;
      await this.sql('select 1');
      return true;
    }, () => tail(path.join(this.dir, 'postgres.log')));
  }

  async sql(text: string): Promise<any[]> {
    const client = new Client({ host: this.sockDir, port: this.pgPort, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }

  /** A real base backup with barman-cloud-backup; returns its output. */
  async baseBackup(): Promise<string> {
    const result = await run(TOOLS.backup, ['--endpoint-url', this.endpoint, '--encryption', 'AES256',
      '-h', this.sockDir, '-p', String(this.pgPort), '-U', 'postgres', this.destination, this.serverName],
    { env: this.s3Env(), timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`barman-cloud-backup failed (${result.code}): ${result.stderr}`);
    return result.stdout + result.stderr;
  }

  /** Writes, switches WAL and waits until PostgreSQL says the segment was archived. */
  async switchWalAndWaitArchived(): Promise<string> {
    await this.sql('insert into ledger (note) select md5(g::text) from generate_series(1, 1000) g');
    const [{ walfile }] = await this.sql('select pg_walfile_name(pg_switch_wal()) as walfile');
    await waitFor(`WAL ${walfile} to be archived`, 30_000, async () => {
      const [s] = await this.sql('select last_archived_wal, failed_count from pg_stat_archiver');
      if (Number(s.failed_count) > 0) throw new Error('archive_command failed');
      return s.last_archived_wal !== null && s.last_archived_wal >= walfile;
    }, () => tail(path.join(this.dir, 'postgres.log')));
    return walfile;
  }

  /**
   * Runs check_backup.py the way the CronJob does: a clean environment, as UID 26, and (when we
   * are root) in a private mount namespace where / is read-only and only a scratch dir (the
   * emptyDir's stand-in) is writable. `undefined` in `env` removes a variable.
   */
  async check(env: Record<string, string | undefined> = {}): Promise<RunResult & { output: string }> {
    const scratch = fs.mkdtempSync(path.join(this.dir, 'check-tmp-'));
    fs.chmodSync(scratch, 0o1777);
    const merged: NodeJS.ProcessEnv = this.s3Env({
      BACKUP_DESTINATION_PATH: this.destination,
      BACKUP_SERVER_NAME: this.serverName,
      MAX_BASE_BACKUP_AGE_SECONDS: '3600',
      MAX_WAL_AGE_SECONDS: '3600',
      TMPDIR: scratch,
      PYTHONDONTWRITEBYTECODE: '1',
    });
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete merged[key]; else merged[key] = value;
    }
    const result = process.getuid?.() === 0
      ? await run('unshare', ['--mount', '--propagation', 'private', 'sh', '-ec',
        'mount --rbind / / && mount -o remount,bind,ro / && mount --bind "$TMPDIR" "$TMPDIR" '
        + '&& mount -o remount,bind,rw "$TMPDIR" && ! touch /.root-is-writable 2>/dev/null '
        + `&& exec setpriv --reuid=${CHECK_UID} --regid=${CHECK_UID} --clear-groups --no-new-privs "$@"`,
        'sh', TOOLS.python, TOOLS.checkScript], { env: merged })
      : await run(TOOLS.python, [TOOLS.checkScript], { env: merged });
    return { ...result, output: result.stdout + result.stderr };
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGINT'); // PostgreSQL: fast shutdown; versitygw: graceful stop
    })));
    process.removeListener('exit', this.onExit);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(name: string): string {
    return tail(path.join(this.dir, `${name}.log`));
  }
}
