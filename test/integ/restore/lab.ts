/**
 * Real components for restore.test.ts, on top of the backup-validation lab (versitygw, barman
 * 3.19.1 from PyPI, PostgreSQL 15 from Debian): PostgreSQL servers that archive with
 * barman-cloud-wal-archive, base backups with barman-cloud-backup, and a recovery the way
 * CloudNativePG runs one: barman-cloud-restore of the base backup, then PostgreSQL in recovery
 * with barman-cloud-wal-restore as its restore_command and the recovery target.
 *
 * Every location (bucket, path, server name, endpoint, compression, encryption) and the target
 * come from the synthesized manifests (`archivesOf`), never from constants of the test.
 */
import { ChildProcess, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { BackupLab, freePort, run, tail, TOOLS, waitFor } from '../backup-validation/lab';

const VENV = path.dirname(TOOLS.walArchive);
export const RESTORE_TOOLS = {
  restore: path.join(VENV, 'barman-cloud-restore'),
  walRestore: path.join(VENV, 'barman-cloud-wal-restore'),
  backupList: path.join(VENV, 'barman-cloud-backup-list'),
  checkWalArchive: path.join(VENV, 'barman-cloud-check-wal-archive'),
};

/** An archive folder and how barman-cloud writes it, as a manifest describes it. */
export interface Archive {
  readonly destinationPath: string;
  readonly serverName: string;
  readonly endpointUrl?: string;
  readonly walCompression?: string;
  readonly dataCompression?: string;
  readonly encryption?: string;
  readonly jobs?: number;
  readonly immediateCheckpoint?: boolean;
}

/** What a recovery Cluster of the manifests says: where it reads, where it writes, where it stops. */
export interface RecoveryPlan {
  readonly clusterName: string;
  readonly source: Archive;
  readonly own: Archive;
  readonly target: { [key: string]: unknown };
}

/** The archive an ObjectStore (plugin) or a barmanObjectStore stanza (in-tree) describes. */
function archiveOf(configuration: any, serverName: string): Archive {
  return {
    destinationPath: configuration.destinationPath,
    serverName,
    endpointUrl: configuration.endpointURL,
    walCompression: configuration.wal?.compression,
    dataCompression: configuration.data?.compression,
    encryption: configuration.wal?.encryption,
    jobs: configuration.data?.jobs,
    immediateCheckpoint: configuration.data?.immediateCheckpoint,
  };
}

/** An object of the manifests, by kind, name and namespace. */
function find(manifests: any[], kind: string, name: string, namespace: string): any {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === namespace);
}

/** A cluster's own archive (the WAL archiver of its spec). */
export function ownArchiveOf(manifests: any[], clusterName: string, namespace = 'databases'): Archive {
  const cluster = find(manifests, 'Cluster', clusterName, namespace);
  if (!cluster) throw new Error(`no Cluster ${namespace}/${clusterName} in the manifests`);
  const plugin = (cluster.spec.plugins ?? []).find((p: any) => p.isWALArchiver);
  if (plugin) {
    // The plugin reads the ObjectStore of the cluster's namespace.
    const store = find(manifests, 'ObjectStore', plugin.parameters.barmanObjectName, namespace);
    if (!store) throw new Error(`no ObjectStore ${plugin.parameters.barmanObjectName}`);
    return archiveOf(store.spec.configuration, plugin.parameters.serverName ?? clusterName);
  }
  const bos = cluster.spec.backup?.barmanObjectStore;
  if (!bos) throw new Error(`Cluster ${clusterName} has no WAL archiver`);
  return archiveOf(bos, bos.serverName ?? clusterName);
}

/** The recovery plan of a Cluster bootstrapped with `recovery` from an object store. */
export function recoveryPlanOf(manifests: any[], clusterName: string, namespace = 'databases'): RecoveryPlan {
  const cluster = find(manifests, 'Cluster', clusterName, namespace);
  const recovery = cluster?.spec.bootstrap?.recovery;
  if (!recovery?.source) throw new Error(`Cluster ${clusterName} does not recover from an external cluster`);
  const external = cluster.spec.externalClusters.find((e: any) => e.name === recovery.source);
  let source: Archive;
  if (external.plugin) {
    const store = find(manifests, 'ObjectStore', external.plugin.parameters.barmanObjectName, namespace);
    if (!store) throw new Error(`no ObjectStore ${external.plugin.parameters.barmanObjectName} in the manifests`);
    // The plugin's own default when serverName is missing is the *recovering* cluster's name.
    source = archiveOf(store.spec.configuration, external.plugin.parameters.serverName ?? clusterName);
  } else {
    source = archiveOf(external.barmanObjectStore, external.barmanObjectStore.serverName ?? external.name);
  }
  return { clusterName, source, own: ownArchiveOf(manifests, clusterName, namespace), target: recovery.recoveryTarget ?? {} };
}

/** The barman-cloud options of an archive (endpoint, compression, encryption). */
function cloudArgs(a: Archive, what: 'wal' | 'data' | 'read'): string[] {
  const args = a.endpointUrl ? ['--endpoint-url', a.endpointUrl] : [];
  const compression = what === 'wal' ? a.walCompression : what === 'data' ? a.dataCompression : undefined;
  if (compression) args.push(`--${compression}`);
  if (what !== 'read' && a.encryption) args.push('--encryption', a.encryption);
  if (what === 'data' && a.jobs !== undefined) args.push('--jobs', String(a.jobs));
  if (what === 'data' && a.immediateCheckpoint) args.push('--immediate-checkpoint');
  return args;
}

/** One PostgreSQL server of the lab. */
export class Server {
  constructor(readonly lab: RestoreLab, readonly name: string, readonly data: string, readonly port: number, readonly child: ChildProcess) {}

  async sql(text: string, values: unknown[] = []): Promise<any[]> {
    const client = new Client({ host: this.lab.sockDir, port: this.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Switches WAL and waits until PostgreSQL says the segment was archived. */
  async switchWalAndWaitArchived(): Promise<string> {
    const [{ walfile }] = await this.sql('select pg_walfile_name(pg_switch_wal()) as walfile');
    await waitFor(`${this.name}: WAL ${walfile} archived`, 60_000, async () => {
      const [s] = await this.sql('select last_archived_wal, failed_count from pg_stat_archiver');
      if (Number(s.failed_count) > 0) throw new Error('archive_command failed');
      return s.last_archived_wal !== null && s.last_archived_wal >= walfile;
    }, () => this.lab.logTail(this.name));
    return walfile;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => { clearTimeout(timer); resolve(); });
      this.child.kill('SIGINT');
    });
  }
}

export class RestoreLab extends BackupLab {
  /** Fails (never skips) when a tool is missing. */
  static assertToolsInstalled(): void {
    const missing = Object.values(RESTORE_TOOLS).filter((f) => !fs.existsSync(f));
    if (missing.length) throw new Error(`missing: ${missing.join(', ')}. Run \`bash .ci/deps.sh\` first.`);
  }

  private owned(dir: string, mode = 0o700): string {
    fs.mkdirSync(dir, { recursive: true, mode });
    if (this.pgUser) fs.chownSync(dir, this.pgUser.uid, this.pgUser.gid);
    return dir;
  }

  private env(home: string): NodeJS.ProcessEnv {
    return this.s3Env({ HOME: home, LANG: 'C.UTF-8' });
  }

  /** Starts PostgreSQL on `data` with extra settings; rejects with its log when it exits. */
  async startServer(name: string, data: string, conf: string[]): Promise<Server> {
    const port = await freePort();
    this.owned(this.sockDir, 0o755);
    fs.appendFileSync(path.join(data, 'postgresql.conf'), [
      "listen_addresses = ''",
      `port = ${port}`,
      `unix_socket_directories = '${this.sockDir}'`,
      'fsync = off',
      ...conf,
      '',
    ].join('\n'));
    const child = this.startChild(name, path.join(TOOLS.pgBin, 'postgres'), ['-D', data], this.env(path.dirname(data)), this.pgUser);
    const server = new Server(this, name, data, port, child);
    await waitFor(`${name} to accept connections`, 60_000, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${this.logTail(name)}`);
      await server.sql('select 1');
      return true;
    }, () => this.logTail(name));
    return server;
  }

  /** archive_command for an archive, as CloudNativePG runs it (barman-cloud-wal-archive). */
  private archiveCommand(a: Archive): string {
    return [TOOLS.walArchive, ...cloudArgs(a, 'wal'), a.destinationPath, a.serverName, '%p'].join(' ');
  }

  /** A new, empty data directory (initdb). */
  async initdb(name: string): Promise<string> {
    const root = this.owned(path.join(this.dir, name));
    const data = path.join(root, 'data');
    const initdb = await run(path.join(TOOLS.pgBin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'],
      { env: this.env(root), ...this.pgUser });
    if (initdb.code !== 0) throw new Error(`initdb failed: ${initdb.stdout}\n${initdb.stderr}`);
    return data;
  }

  /** What PostgreSQL says of one setting in a data directory's configuration (`postgres -C`). */
  async checkSetting(data: string, name: string, value: string): Promise<{ code: number | null; output: string }> {
    const r = await run(path.join(TOOLS.pgBin, 'postgres'), ['-D', data, '-C', name, '-c', `${name}=${value}`],
      { env: this.env(path.dirname(data)), ...this.pgUser });
    return { code: r.code, output: (r.stdout + r.stderr).trim() };
  }

  /** A new PostgreSQL 15 archiving into `archive`. */
  async startPrimary(name: string, archive: Archive): Promise<Server> {
    const data = await this.initdb(name);
    return this.startServer(name, data, ['wal_level = replica', 'archive_mode = on', `archive_command = '${this.archiveCommand(archive)}'`]);
  }

  /** A base backup with barman-cloud-backup into `archive`; returns the backup ID. */
  async backupTo(server: Server, archive: Archive): Promise<string> {
    const result = await run(TOOLS.backup, [...cloudArgs(archive, 'data'), '-h', this.sockDir, '-p', String(server.port), '-U', 'postgres',
      archive.destinationPath, archive.serverName], { env: this.s3Env(), timeoutMs: 180_000 });
    if (result.code !== 0) throw new Error(`barman-cloud-backup failed (${result.code}): ${result.stderr}`);
    return (await this.backups(archive)).slice(-1)[0].backup_id;
  }

  /** barman-cloud-backup-list, oldest first. */
  async backups(archive: Archive): Promise<Array<{ backup_id: string; end_time_iso: string; status: string }>> {
    const result = await run(RESTORE_TOOLS.backupList, [...cloudArgs(archive, 'read'), '--format', 'json', archive.destinationPath, archive.serverName],
      { env: this.s3Env(), timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`barman-cloud-backup-list failed: ${result.stderr}`);
    return JSON.parse(result.stdout).backups_list;
  }

  /**
   * The base backup CloudNativePG would pick: the one given, or the newest completed before a
   * time target (the newest one otherwise).
   */
  async chooseBackup(plan: RecoveryPlan): Promise<string> {
    if (typeof plan.target.backupID === 'string') return plan.target.backupID;
    const done = (await this.backups(plan.source)).filter((b) => b.status === 'DONE');
    const before = typeof plan.target.targetTime === 'string'
      ? done.filter((b) => Date.parse(b.end_time_iso) < Date.parse(plan.target.targetTime as string)) : done;
    const chosen = before.slice(-1)[0];
    if (!chosen) throw new Error(`no base backup before ${JSON.stringify(plan.target)}`);
    return chosen.backup_id;
  }

  /** barman-cloud-check-wal-archive: exit 0 when the folder is empty (a new cluster may archive there). */
  async checkWalArchiveEmpty(archive: Archive): Promise<{ code: number | null; output: string }> {
    const r = await run(RESTORE_TOOLS.checkWalArchive, [...cloudArgs(archive, 'read'), archive.destinationPath, archive.serverName],
      { env: this.s3Env(), timeoutMs: 60_000 });
    return { code: r.code, output: r.stdout + r.stderr };
  }

  /**
   * The recovery of `plan`, as CloudNativePG runs it: barman-cloud-restore of the chosen base
   * backup into a new data directory, then PostgreSQL with barman-cloud-wal-restore as its
   * restore_command, the target as `recoveryOptions` (the release's own rendering of the
   * Cluster's recoveryTarget), promotion at the target, and archiving into the plan's own
   * archive. Resolves when the server is promoted (out of recovery).
   */
  async recover(name: string, plan: RecoveryPlan, recoveryOptions: string): Promise<{ server: Server; backupId: string }> {
    const backupId = await this.chooseBackup(plan);
    const root = this.owned(path.join(this.dir, name));
    const data = path.join(root, 'data');
    const restored = await run(RESTORE_TOOLS.restore, [...cloudArgs(plan.source, 'read'), plan.source.destinationPath, plan.source.serverName, backupId, data],
      { env: this.s3Env(), uid: this.pgUser?.uid, gid: this.pgUser?.gid, timeoutMs: 180_000 });
    if (restored.code !== 0) throw new Error(`barman-cloud-restore failed (${restored.code}): ${restored.stderr}`);
    fs.chmodSync(data, 0o700);
    const restoreCommand = [RESTORE_TOOLS.walRestore, ...cloudArgs(plan.source, 'read'), plan.source.destinationPath, plan.source.serverName, '%f', '%p'].join(' ');
    fs.writeFileSync(path.join(data, 'recovery.signal'), '');
    if (this.pgUser) execFileSync('chown', ['-R', `${this.pgUser.uid}:${this.pgUser.gid}`, root]);
    const server = await this.startServer(name, data, [
      `restore_command = '${restoreCommand}'`,
      // The target exactly as the release's instance manager writes it (RecoveryTarget.BuildPostgresOptions).
      ...recoveryOptions.trim().split('\n'),
      "recovery_target_action = 'promote'",
      'archive_mode = on',
      `archive_command = '${this.archiveCommand(plan.own)}'`,
    ]);
    await waitFor(`${name} to reach its target and promote`, 180_000, async () => {
      const [r] = await server.sql('select pg_is_in_recovery() as rec');
      return r.rec === false;
    }, () => this.logTail(name));
    return { server, backupId };
  }

  /** The objects under a prefix of the lab's bucket: key, size, ETag. */
  async list(prefix: string): Promise<Array<{ key: string; size: number; etag: string }>> {
    return JSON.parse(await this.s3Admin('list', this.bucket, prefix));
  }

  /** The bucket-relative folder of an archive (`<path>/<server>/`). */
  prefixOf(a: Archive): string {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(a.destinationPath);
    if (!m || m[1] !== this.bucket) throw new Error(`${a.destinationPath} is not in the lab's bucket ${this.bucket}`);
    return `${m[2] ? `${m[2].replace(/\/+$/, '')}/` : ''}${a.serverName}/`;
  }

  logTail(name: string): string {
    return tail(path.join(this.dir, `${name}.log`), 40);
  }
}
