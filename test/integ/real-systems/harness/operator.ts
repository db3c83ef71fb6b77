/**
 * The CloudNativePG operator of one release, running out of cluster against a LocalKube: its own
 * `manager controller` (built by .ci/install/real-systems-cnpg.sh), with its own webhook
 * configuration (config/webhook/manifests.yaml of the release) registered by URL on 127.0.0.1,
 * so that every postgresql.cnpg.io object the API server admits has passed that release's
 * defaulter and validator, and the operator reconciles what is stored.
 *
 * The Barman Cloud plugin (plugin-barman-cloud `manager operator`) runs beside it on a unix
 * socket in the operator's plugin folder (PLUGIN_SOCKET_DIR), as a sidecar plugin is found: a
 * Cluster that names `barman-cloud.cloudnative-pg.io` reconciles only when the plugin answers.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { freePort, LocalKube, Proc, waitFor } from './kube';

/** The namespace the operator runs for (OPERATOR_NAMESPACE). */
export const OPERATOR_NAMESPACE = 'cnpg-system';
/** The plugin's name, as Clusters reference it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

export interface OperatorOptions {
  readonly version: string;
  readonly manager: string;
  readonly webhooks: string;
  /** The Barman Cloud plugin's binary; not run when undefined. */
  readonly barmanCloudPlugin?: string;
}

export class Operator {
  private readonly procs: Proc[] = [];
  public webhookPort = 0;
  private readonly dir: string;

  constructor(private readonly kube: LocalKube, private readonly opts: OperatorOptions) {
    this.dir = path.join(kube.dir, `operator-${opts.version}`);
  }

  /** The operator's log. */
  public get log(): string {
    return path.join(this.dir, 'operator.log');
  }

  public async start(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    await this.kube.ensureNamespaces([OPERATOR_NAMESPACE]);
    const env = { KUBECONFIG: this.kube.kubeconfig, OPERATOR_NAMESPACE, WATCH_NAMESPACE: '' };

    // The plugin first: the operator reads the plugin folder once, when it starts.
    const sockets = path.join(this.dir, 'plugins');
    fs.mkdirSync(sockets, { recursive: true });
    if (this.opts.barmanCloudPlugin) {
      const plugin = new Proc('plugin-barman-cloud', this.opts.barmanCloudPlugin, [
        'operator', `--plugin-path=${sockets}`, '--metrics-bind-address=0', '--health-probe-bind-address=0', '--leader-elect=false',
      ], path.join(this.dir, 'plugin.log'), { ...env, SIDECAR_IMAGE: 'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0' });
      this.procs.push(plugin);
      await waitFor('the Barman Cloud plugin socket', 60_000, async () => {
        if (!plugin.running) throw new Error(`the plugin exited:\n${plugin.tail()}`);
        return fs.existsSync(path.join(sockets, BARMAN_CLOUD_PLUGIN)) ? true : undefined;
      });
    }

    // The webhook server's certificate, where WEBHOOK_CERT_DIR makes the operator look for it
    // (apiserver.crt/.key; the operator then leaves its own PKI and webhook configurations alone).
    const certs = path.join(this.dir, 'webhook-certs');
    fs.mkdirSync(certs, { recursive: true });
    const [crt, key] = this.kube.pki.serving(`webhook-${this.opts.version}`);
    fs.copyFileSync(crt, path.join(certs, 'apiserver.crt'));
    fs.copyFileSync(key, path.join(certs, 'apiserver.key'));
    this.webhookPort = await freePort();
    // The operator image holds its own binary as operator/manager_<arch> (relative to its working
    // folder), which the operator lists at start as the architectures it can run instances on
    // (DetectAvailableArchitectures); without it, every Cluster status update fails with
    // "invalid architecture".
    const work = path.join(this.dir, 'work');
    fs.mkdirSync(path.join(work, 'operator'), { recursive: true });
    const arch = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' }[process.arch as string] ?? process.arch;
    fs.symlinkSync(this.opts.manager, path.join(work, 'operator', `manager_${arch}`));
    const op = new Proc(`operator ${this.opts.version}`, this.opts.manager, [
      'controller', '--leader-elect=false', '--metrics-bind-address=0', `--webhook-port=${this.webhookPort}`,
    ], this.log, { ...env, WEBHOOK_CERT_DIR: certs, PLUGIN_SOCKET_DIR: sockets }, work);
    this.procs.push(op);

    const ca = fs.readFileSync(this.kube.pki.caCert);
    await waitFor(`the operator ${this.opts.version}'s webhook server`, 90_000, async () => {
      if (!op.running) throw new Error(`the operator exited:\n${op.tail()}`);
      return (await httpsGet(`https://127.0.0.1:${this.webhookPort}/readyz`, ca)) === 200 ? true : undefined;
    }, 200);
    await this.registerWebhooks(ca);
  }

  /** The release's own Mutating/ValidatingWebhookConfiguration, its Service replaced by our URL. */
  private async registerWebhooks(ca: Buffer): Promise<void> {
    const docs = parseAllDocuments(fs.readFileSync(this.opts.webhooks, 'utf-8')).map((d) => d.toJSON()).filter((d) => d?.kind);
    for (const doc of docs) {
      doc.metadata = { name: `cnpg-${doc.kind === 'MutatingWebhookConfiguration' ? 'mutating' : 'validating'}-webhook-configuration` };
      for (const w of doc.webhooks) {
        const p = w.clientConfig.service.path;
        w.clientConfig = { url: `https://127.0.0.1:${this.webhookPort}${p}`, caBundle: ca.toString('base64') };
      }
      const r = await this.kube.apply(doc);
      if (!r.accepted) throw new Error(`${doc.kind}: ${r.message}`);
    }
    // The API server loads webhook configurations asynchronously: wait until a Pooler named like
    // its cluster, which only the operator's validator refuses, is refused.
    await waitFor('the webhooks to be called', 30_000, async () => {
      const r = await this.kube.apply({
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Pooler',
        metadata: { name: 'webhook-probe', namespace: OPERATOR_NAMESPACE },
        spec: { cluster: { name: 'webhook-probe' }, pgbouncer: { poolMode: 'session' } },
      }, { dryRun: true });
      return r.accepted ? undefined : true;
    });
  }

  public assertRunning(): void {
    for (const p of this.procs) if (!p.running) throw new Error(`${p.name} exited:\n${p.tail()}`);
  }

  /** The last lines of the operator's log. */
  public tail(lines = 40): string {
    return this.procs.find((p) => p.name.startsWith('operator'))?.tail(lines) ?? '';
  }

  public async stop(): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop();
  }
}

function httpsGet(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', () => resolve(0));
    req.setTimeout(5_000, () => { req.destroy(); resolve(0); });
  });
}
