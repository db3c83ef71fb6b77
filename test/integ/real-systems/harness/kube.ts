/**
 * A real Kubernetes API server on 127.0.0.1: etcd and kube-apiserver (built by
 * .ci/install/real-systems-kube.sh) in a temporary folder, with self-signed serving certificates
 * (openssl), a static token in `system:masters`, `--authorization-mode=AlwaysAllow`, every port a
 * free one on the loopback interface. No kubelet, scheduler or controller-manager: objects are
 * validated, defaulted and stored, and only the CloudNativePG operator (operator.ts) acts on them.
 *
 * Objects are applied as Flux applies them: server-side apply (`application/apply-patch+yaml`),
 * field manager `kustomize-controller`, `force=true`, and `fieldValidation=Strict`.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The field manager of Flux's kustomize-controller. */
export const FIELD_MANAGER = 'kustomize-controller';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(intervalMs);
  }
}

/** A CA and certificates for 127.0.0.1, made with openssl. */
export class Pki {
  public readonly caCert: string;
  private readonly caKey: string;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.caKey = path.join(dir, 'ca.key');
    this.caCert = path.join(dir, 'ca.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', this.caKey, '-out', this.caCert,
      '-days', '2', '-subj', '/CN=cnpg-constructs-real-systems-ca'], { stdio: 'pipe' });
  }

  /** A serving certificate for 127.0.0.1 and localhost signed by the CA: [cert, key] paths. */
  public serving(name: string): [string, string] {
    const key = path.join(this.dir, `${name}.key`);
    const csr = path.join(this.dir, `${name}.csr`);
    const crt = path.join(this.dir, `${name}.crt`);
    const ext = path.join(this.dir, `${name}.ext`);
    fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], { stdio: 'pipe' });
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', this.caCert, '-CAkey', this.caKey, '-CAcreateserial',
      '-out', crt, '-days', '2', '-extfile', ext], { stdio: 'pipe' });
    return [crt, key];
  }

  /** An RSA key pair (service-account token signing): [private, public] paths. */
  public keyPair(name: string): [string, string] {
    const key = path.join(this.dir, `${name}.key`);
    const pub = path.join(this.dir, `${name}.pub`);
    execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'pipe' });
    execFileSync('openssl', ['rsa', '-in', key, '-pubout', '-out', pub], { stdio: 'pipe' });
    return [key, pub];
  }
}

/** A process of the harness, its output in a log file. */
export class Proc {
  private exited?: number | null;
  private readonly child: ChildProcess;

  constructor(public readonly name: string, bin: string, args: string[], public readonly log: string, env: NodeJS.ProcessEnv = {}, cwd?: string) {
    const out = fs.openSync(log, 'a');
    this.child = spawn(bin, args, { cwd, stdio: ['ignore', out, out], env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    fs.closeSync(out);
    this.child.on('exit', (code) => { this.exited = code; });
    LIVE.add(this);
  }

  public get running(): boolean {
    return this.exited === undefined;
  }

  /** The last lines of its log. */
  public tail(lines = 30): string {
    try {
      return fs.readFileSync(this.log, 'utf-8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  public async stop(): Promise<void> {
    LIVE.delete(this);
    if (!this.running) return;
    this.child.kill('SIGTERM');
    for (let i = 0; i < 40 && this.running; i++) await sleep(100);
    if (this.running) this.child.kill('SIGKILL');
  }

  /** Kills it at once (process exit). */
  public kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

const LIVE = new Set<Proc>();
process.on('exit', () => { for (const p of LIVE) p.kill(); });
// A test run stopped by a signal leaves no API server or operator behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const p of LIVE) p.kill();
    process.kill(process.pid, signal);
  });
}

/** What the API server answered to one request. */
export interface ApiResponse {
  readonly status: number;
  readonly body: any;
  /** The `Warning` headers (RFC 7234 warn-text), in order. */
  readonly warnings: string[];
}

/** The verdict on one applied object. */
export interface ApplyResult {
  readonly ref: string;
  readonly accepted: boolean;
  /** The API server's message when refused (with its HTTP status). */
  readonly message?: string;
  readonly warnings: string[];
  /** The object as stored (or as it would be stored, for a dry run). */
  readonly stored?: any;
}

interface Resource { readonly plural: string; readonly namespaced: boolean }

/** `Kind/namespace/name` of a manifest. */
export function refOf(o: any): string {
  return `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

export interface LocalKubeOptions {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** Folder for data, certificates and logs (a new temporary one by default). */
  readonly dir?: string;
}

/** etcd + kube-apiserver on 127.0.0.1. */
export class LocalKube {
  public readonly dir: string;
  public readonly pki: Pki;
  public port = 0;
  public readonly token = 'cnpg-constructs-real-systems';
  public kubeconfig = '';
  private readonly procs: Proc[] = [];
  private readonly resources = new Map<string, Resource | null>();
  private agent?: https.Agent;

  constructor(private readonly opts: LocalKubeOptions) {
    this.dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-real-systems-'));
    this.pki = new Pki(path.join(this.dir, 'pki'));
  }

  /** Starts etcd and the API server and waits until /readyz answers ok. */
  public async start(): Promise<void> {
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    this.procs.push(new Proc('etcd', this.opts.etcd, [
      '--name', 'default', '--data-dir', path.join(this.dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level', 'warn',
    ], path.join(this.dir, 'etcd.log')));
    await waitFor('etcd', 30_000, async () => {
      this.assertRunning();
      const r: any = await fetch(`http://127.0.0.1:${etcdClient}/health`).then((x) => x.json()).catch(() => undefined);
      return r?.health === 'true' ? true : undefined;
    });

    const [crt, key] = this.pki.serving('kube-apiserver');
    const [saKey, saPub] = this.pki.keyPair('service-account');
    const tokens = path.join(this.dir, 'tokens.csv');
    fs.writeFileSync(tokens, `${this.token},admin,admin-uid,"system:masters"\n`);
    this.port = await freePort();
    this.procs.push(new Proc('kube-apiserver', this.opts.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', `--secure-port=${this.port}`, '--advertise-address=127.0.0.1',
      `--tls-cert-file=${crt}`, `--tls-private-key-file=${key}`, `--client-ca-file=${this.pki.caCert}`,
      `--token-auth-file=${tokens}`, '--authorization-mode=AlwaysAllow', '--anonymous-auth=false',
      '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`, '--service-cluster-ip-range=10.96.0.0/16',
      '--endpoint-reconciler-type=none', '--enable-priority-and-fairness=false', '--allow-privileged=true',
      `--cert-dir=${path.join(this.dir, 'apiserver-certs')}`, '--v=1',
    ], path.join(this.dir, 'kube-apiserver.log')));
    this.agent = new https.Agent({ ca: fs.readFileSync(this.pki.caCert), keepAlive: true, maxSockets: 8 });
    await waitFor('kube-apiserver /readyz', 90_000, async () => {
      this.assertRunning();
      const r = await this.request('GET', '/readyz');
      return r.status === 200 ? true : undefined;
    }, 200);
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: local',
      'clusters:', '- name: local', '  cluster:', `    server: https://127.0.0.1:${this.port}`, `    certificate-authority: ${this.pki.caCert}`,
      'users:', '- name: admin', '  user:', `    token: ${this.token}`,
      'contexts:', '- name: local', '  context:', '    cluster: local', '    user: admin', '',
    ].join('\n'));
  }

  /** Throws with the log of a process that died. */
  public assertRunning(): void {
    for (const p of this.procs) {
      if (!p.running) throw new Error(`${p.name} exited:\n${p.tail()}`);
    }
  }

  public async stop(): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop();
    this.agent?.destroy();
    if (!process.env.CNPG_KEEP_REAL_SYSTEMS) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** One HTTP request to the API server. */
  public request(method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = https.request({
        host: '127.0.0.1',
        port: this.port,
        path: urlPath,
        method,
        agent: this.agent,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf-8');
          let parsed: any = text;
          try { parsed = JSON.parse(text); } catch { /* plain text (e.g. /readyz) */ }
          const warnings: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() !== 'warning') continue;
            const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(res.rawHeaders[i + 1]);
            warnings.push(m ? m[1].replace(/\\(.)/g, '$1') : res.rawHeaders[i + 1]);
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
        });
      });
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${urlPath}: no answer in 60 s`)));
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** The resource (plural, scope) of an apiVersion and kind, from discovery; undefined when unknown. */
  public async resourceOf(apiVersion: string, kind: string): Promise<Resource | undefined> {
    const key = `${apiVersion}/${kind}`;
    if (!this.resources.has(key)) {
      const url = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const r = await this.request('GET', url);
      if (r.status === 200) {
        for (const res of r.body.resources as any[]) {
          if (!res.name.includes('/')) this.resources.set(`${apiVersion}/${res.kind}`, { plural: res.name, namespaced: res.namespaced });
        }
      }
      if (!this.resources.has(key)) return undefined; // not cached: a CRD may be installed later
    }
    return this.resources.get(key) ?? undefined;
  }

  /** The URL path of an object (or of its collection when `name` is omitted). */
  public async pathOf(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string | undefined> {
    const res = await this.resourceOf(apiVersion, kind);
    if (!res) return undefined;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = res.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    return `${base}${ns}/${res.plural}${name ? `/${name}` : ''}`;
  }

  /**
   * Server-side apply of one object, as Flux does (`dryRun` runs every admission step, webhooks
   * included, without storing it).
   */
  public async apply(o: any, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
    const ref = refOf(o);
    const p = await this.pathOf(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata?.name);
    if (!p) return { ref, accepted: false, message: `no API serves ${o.apiVersion} ${o.kind} (its CRD is not installed)`, warnings: [] };
    const q = `?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict${options.dryRun ? '&dryRun=All' : ''}`;
    const r = await this.request('PATCH', p + q, o, 'application/apply-patch+yaml');
    if (r.status >= 200 && r.status < 300) return { ref, accepted: true, warnings: r.warnings, stored: r.body };
    const message = typeof r.body === 'object' ? r.body.message : String(r.body);
    return { ref, accepted: false, message: `${r.status}: ${message}`, warnings: r.warnings };
  }

  /**
   * A dry-run create (POST) that drops unknown fields instead of refusing them: what the next
   * admission steps (the operator's webhooks) say about an object that server-side apply refused
   * for a field its CRD does not declare.
   */
  public async createIgnoringUnknownFields(o: any): Promise<ApplyResult> {
    const ref = refOf(o);
    const p = await this.pathOf(o.apiVersion, o.kind, o.metadata?.namespace);
    if (!p) return { ref, accepted: false, message: `no API serves ${o.apiVersion} ${o.kind} (its CRD is not installed)`, warnings: [] };
    const r = await this.request('POST', `${p}?fieldManager=${FIELD_MANAGER}&fieldValidation=Ignore&dryRun=All`, o);
    if (r.status >= 200 && r.status < 300) return { ref, accepted: true, warnings: r.warnings, stored: r.body };
    const message = typeof r.body === 'object' ? r.body.message : String(r.body);
    return { ref, accepted: false, message: `${r.status}: ${message}`, warnings: r.warnings };
  }

  /** Applies objects in order (namespaces and CRDs first); one result per object. */
  public async applyAll(objects: any[], options: { dryRun?: boolean } = {}): Promise<ApplyResult[]> {
    const results: ApplyResult[] = [];
    for (const o of orderForApply(objects)) results.push(await this.apply(o, options));
    return results;
  }

  /** GET one object; undefined when it does not exist. */
  public async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<any | undefined> {
    const p = await this.pathOf(apiVersion, kind, namespace, name);
    if (!p) throw new Error(`no API serves ${apiVersion} ${kind}`);
    const r = await this.request('GET', p);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** LIST objects of a kind in a namespace. */
  public async list(apiVersion: string, kind: string, namespace?: string): Promise<any[]> {
    const p = await this.pathOf(apiVersion, kind, namespace);
    if (!p) throw new Error(`no API serves ${apiVersion} ${kind}`);
    const r = await this.request('GET', p);
    if (r.status !== 200) throw new Error(`LIST ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.items;
  }

  /** Installs CRD files and waits until every one is Established and served. */
  public async installCrds(files: string[]): Promise<void> {
    const crds = files.flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf-8')).map((d) => d.toJSON()).filter((d) => d?.kind === 'CustomResourceDefinition'));
    for (const crd of crds) {
      const r = await this.apply(crd);
      if (!r.accepted) throw new Error(`CRD ${crd.metadata.name} refused: ${r.message}`);
    }
    await Promise.all(crds.map(async (crd) => {
      await waitFor(`CRD ${crd.metadata.name} established`, 30_000, async () => {
        const c = await this.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, crd.metadata.name);
        return c?.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True') ? true : undefined;
      }, 100);
      // Served once Established: the resource is known from the CRD itself (discovery lags behind).
      for (const v of crd.spec.versions.filter((x: any) => x.served)) {
        const resource = { plural: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced' };
        this.resources.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, resource);
      }
    }));
  }

  /** Creates namespaces (a no-op for those that exist). */
  public async ensureNamespaces(names: Iterable<string>): Promise<void> {
    for (const name of new Set(names)) {
      const r = await this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      if (!r.accepted) throw new Error(`namespace ${name}: ${r.message}`);
    }
  }

  /** The Events about one object. */
  public async eventsOf(namespace: string, kind: string, name: string): Promise<any[]> {
    const r = await this.request('GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`)}`);
    return r.status === 200 ? r.body.items : [];
  }
}

/** Namespaces, then CRDs, then everything else, each group in its original order. */
export function orderForApply(objects: any[]): any[] {
  const rank = (o: any): number => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
  return objects.map((o, i) => [o, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([o]) => o);
}
