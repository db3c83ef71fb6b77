/**
 * The Cluster webhook and recovery configuration of a CloudNativePG release, as a command built
 * from the release's module (restore/webhook/build.sh, cached in .cache/restore-webhook/).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = process.env.CNPG_CACHE_DIR ?? path.join(ROOT, '.cache');

/** The releases the library's manifests target in the examples and tests (the platform runs 1.27.1). */
export const WEBHOOK_RELEASES = ['1.27.1', '1.30.0'];

/** What the release says about one Cluster. */
export interface WebhookAnswer {
  readonly ok: boolean;
  readonly error?: string;
  readonly warnings?: string[];
  /** The postgresql.conf lines the instance manager writes for the recovery target. */
  readonly recoveryOptions?: string;
}

/** Builds (once) and returns the release's command. */
export function webhook(version: string): string {
  const bin = path.join(CACHE, 'restore-webhook', `validate-${version}`);
  execFileSync('bash', [path.join(__dirname, 'webhook', 'build.sh'), version], { stdio: 'inherit', timeout: 1_700_000 });
  if (!fs.existsSync(bin)) throw new Error(`${bin} was not built`);
  return bin;
}

/** The release's answers, one per Cluster (its defaulter, then ValidateCreate). */
export function judge(bin: string, clusters: any[]): WebhookAnswer[] {
  const r = spawnSync(bin, [], { input: clusters.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf-8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}
