import type { SchemaProblem } from './schema';
import { containsFluxVariable } from '../common/flux';
import { Quantity } from '../common/quantity';

/**
 * Rules of CloudNativePG's Cluster admission webhook (internal/webhook/v1/cluster_webhook.go,
 * the same in 1.27.0 to 1.30.1) that the library checks on a Cluster as written, escape hatches
 * included, and that `ManifestAudit` checks on hand-written Clusters. The integration tests apply
 * a probe of each rule to the real webhook of every release (test/integ/real-systems/gates.ts).
 *
 * @internal
 */
export function clusterWebhookProblems(cluster: any): SchemaProblem[] {
  const spec = cluster?.spec;
  if (!spec || typeof spec !== 'object') return [];
  return [...imageTagProblems(spec), ...walSizeProblems(spec), ...certificateProblems(spec)];
}

/** validateImageName: `latest` or a digest without a tag cannot be upgraded safely. */
function imageTagProblems(spec: any): SchemaProblem[] {
  const image = spec.imageName;
  if (typeof image !== 'string' || !image || containsFluxVariable(image)) return [];
  const tag = imageTag(image);
  if (tag === 'latest' || tag === undefined) {
    const problem = tag === undefined ? 'has no tag, which CloudNativePG reads as "latest" and refuses ("can\'t detect upgrades")'
      : 'uses the "latest" tag, which CloudNativePG refuses ("can\'t detect upgrades")';
    return [{ path: 'spec.imageName', value: image, problem, fix: 'pin a PostgreSQL version tag, e.g. "ghcr.io/cloudnative-pg/postgresql:17.6"' }];
  }
  if (tag === '') {
    return [{
      path: 'spec.imageName',
      value: image,
      problem: 'has a digest but no tag, which CloudNativePG refuses ("Can\'t use just the image sha as we can\'t detect upgrades")',
      fix: `give the tag with the digest, e.g. "${image.replace('@', ':17.6@')}"`,
    }];
  }
  return [];
}

/**
 * The tag of an image reference as github.com/cloudnative-pg/machinery reads it (`reference.New`):
 * '' for a digest without a tag, undefined for neither (which machinery reads as "latest").
 */
function imageTag(image: string): string | undefined {
  const [withoutDigest, digest] = image.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  return digest === undefined ? undefined : '';
}

/** validateWalSizeConfiguration: min_wal_size < max_wal_size < the WAL volume. */
function walSizeProblems(spec: any): SchemaProblem[] {
  const params: Record<string, unknown> = spec.postgresql?.parameters ?? {};
  const problems: SchemaProblem[] = [];
  const read = (key: string, dflt: string) => {
    const raw = params[key];
    const given = typeof raw === 'string' && raw !== '';
    const text = given ? raw as string : dflt;
    if (containsFluxVariable(text)) return { given, bytes: undefined, text };
    const bytes = webhookPgBytes(text);
    if (bytes === undefined) {
      problems.push({ path: `spec.postgresql.parameters.${key}`, value: raw, problem: 'is not a size CloudNativePG reads (a number of MB, or a number with kB, MB, GB or TB)', fix: `write e.g. "${dflt}"` });
    }
    return { given, bytes, text };
  };
  const min = read('min_wal_size', '80MB');
  const max = read('max_wal_size', '1GB');
  // The webhook skips a zero size; a zero min_wal_size is below any max_wal_size anyway.
  if (min.bytes !== undefined && max.bytes !== undefined && max.bytes > 0 && min.bytes >= max.bytes) {
    problems.push({
      path: 'spec.postgresql.parameters.min_wal_size',
      value: min.text,
      problem: `is not smaller than max_wal_size (${max.text}${max.given ? '' : ', the default'}), which CloudNativePG's webhook refuses`,
      fix: `lower min_wal_size below ${max.text} or raise max_wal_size`,
    });
  }
  const walSize = spec.walStorage?.size;
  const volume = typeof walSize === 'string' && !containsFluxVariable(walSize) ? Quantity.of(walSize).toNumber() : undefined;
  if (volume !== undefined) {
    for (const [key, v] of [['min_wal_size', min], ['max_wal_size', max]] as const) {
      if (v.given && v.bytes !== undefined && v.bytes > 0 && v.bytes >= volume) {
        problems.push({
          path: `spec.postgresql.parameters.${key}`,
          value: v.text,
          problem: `is not smaller than the WAL volume (walStorage.size ${walSize}), which CloudNativePG's webhook refuses: PostgreSQL would fill the volume before recycling WAL`,
          fix: `keep ${key} below the WAL volume (about half of it is usual), or give a larger walStorage.size`,
        });
      }
    }
  }
  return problems;
}

/**
 * Bytes of a PostgreSQL size as CloudNativePG's webhook reads it (`parsePostgresQuantityValue`)
 * and PostgreSQL takes it: a whole number (MB), or a number, a fraction too, with kB, MB, GB or TB
 * (binary), with spaces before it and before the unit; undefined otherwise. The webhook refuses a
 * space after the unit and a fraction without one (`strconv.Atoi`, then "must end with B"); it
 * would let through what PostgreSQL refuses (`3KB`, `3PB`, a space inside the number), which is
 * refused here too.
 *
 * @internal
 */
export function webhookPgBytes(value: string): number | undefined {
  const m = /^(\d+)$/.exec(value) ?? /^ *(\d+(?:\.\d+)?|\.\d+) *(kB|MB|GB|TB)$/.exec(value);
  if (!m) return undefined;
  const unit = { kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 }[(m[2] ?? 'MB') as 'kB' | 'MB' | 'GB' | 'TB'];
  return Number(m[1]) * unit;
}

/** The operator issues no certificate when a server certificate is given: no alt names then. */
function certificateProblems(spec: any): SchemaProblem[] {
  const c = spec.certificates;
  if (c?.serverTLSSecret && Array.isArray(c.serverAltDNSNames) && c.serverAltDNSNames.length) {
    return [{
      path: 'spec.certificates.serverAltDNSNames',
      value: c.serverAltDNSNames,
      problem: 'is given with serverTLSSecret, which CloudNativePG\'s webhook refuses: the operator issues no server certificate then',
      fix: 'put the names into your own server certificate (serverTLSSecret) and drop serverAltDNSNames',
    }];
  }
  return [];
}
