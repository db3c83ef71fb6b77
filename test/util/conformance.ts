/**
 * Schema conformance of synthesized manifests, as strict as the API server:
 *
 * - custom resources against the `openAPIV3Schema` of their CRD in vendor/crds (unknown fields
 *   are errors, like kubectl's strict field validation; schema defaults are applied first, as the
 *   API server does), including `x-kubernetes-validations` CEL rules (evaluated with cel-js;
 *   transition rules that need `oldSelf` do not apply to a create) and list-map key uniqueness;
 * - core kinds against Kubernetes' own v1.30 JSON schemas in strict mode (kubernetes-validate,
 *   unpacked by .ci/install/k8s-schemas.sh);
 * - metadata of every object against ObjectMeta, with a DNS-1123 name.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * cel-js is published as an ES module only, which jest's CommonJS loader cannot require. It is
 * bundled once into a CommonJS file under .cache/ with esbuild and loaded from there.
 */
function loadCel(): { evaluate: (expr: string, ctx: Record<string, unknown>) => unknown } {
  const pkg = path.join(REPO_ROOT, 'node_modules', '@marcbachmann', 'cel-js', 'package.json');
  const version = JSON.parse(fs.readFileSync(pkg, 'utf-8')).version;
  const out = path.join(REPO_ROOT, '.cache', `cel-js-${version}.cjs`);
  if (!fs.existsSync(out)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const tmp = `${out}.${process.pid}.tmp`;
    esbuild.buildSync({
      entryPoints: [path.join(path.dirname(pkg), 'lib', 'index.js')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outfile: tmp,
      logLevel: 'error',
    });
    fs.renameSync(tmp, out);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(out);
}
const cel = loadCel();

/** The upstream data the build and tests use, vendored in the repository (vendor/README.md; refresh: scripts/refresh-vendor.sh). */
export const VENDOR_DIR = path.join(REPO_ROOT, 'vendor');
export const CRDS_DIR = path.join(VENDOR_DIR, 'crds');
const K8S_SCHEMAS = path.join(REPO_ROOT, '.cache', 'k8s-schemas', 'v1.30.0-local-strict');

/** The CRD folders of vendor/crds that make up one platform release. */
export interface CrdRelease {
  readonly cnpg: string;
  readonly others: string[];
}
const OTHER_CRDS = ['barman-cloud-0.14.0', 'prometheus-operator-0.93.0', 'external-secrets-2.9.0'];
export const CNPG_1_30: CrdRelease = { cnpg: 'cnpg-1.30.0', others: OTHER_CRDS };
/** The release the platform runs today (Helm chart 0.26.1). */
export const CNPG_1_27: CrdRelease = { cnpg: 'cnpg-1.27.1', others: OTHER_CRDS };
/** The first 1.27 release (before the backports of 1.27.1). */
export const CNPG_1_27_0: CrdRelease = { cnpg: 'cnpg-1.27.0', others: OTHER_CRDS };

/**
 * Every CNPG release whose CRDs are in vendor/crds (`cnpg-X.Y.Z` folders), oldest first, each
 * with the plugin, prometheus-operator and external-secrets CRDs the library writes for.
 */
export function crdReleases(): CrdRelease[] {
  const folders = fs.existsSync(CRDS_DIR) ? fs.readdirSync(CRDS_DIR).filter((f) => /^cnpg-\d+\.\d+\.\d+$/.test(f)) : [];
  const key = (f: string) => f.slice('cnpg-'.length).split('.').map(Number);
  folders.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  if (!folders.length) throw new Error(`no cnpg-X.Y.Z CRD folder in ${CRDS_DIR}: run scripts/refresh-vendor.sh (vendor/README.md)`);
  return folders.map((cnpg) => ({ cnpg, others: OTHER_CRDS }));
}

/** The CNPG release of a CRD release (`cnpg-1.27.1` → `1.27.1`). */
export function releaseVersion(release: CrdRelease): string {
  return release.cnpg.slice('cnpg-'.length);
}

/** The CRD release of a CNPG release (`1.27.1` → `cnpg-1.27.1` with the other CRDs). */
export function crdRelease(version: string): CrdRelease {
  const r = crdReleases().find((x) => releaseVersion(x) === version);
  if (!r) throw new Error(`no vendor/crds/cnpg-${version}`);
  return r;
}

interface CrdVersion {
  readonly schema: any;
  /** Compiled on first use: most charts use a few kinds, and compiling every CRD of a release takes seconds. */
  readonly validate: () => ValidateFunction;
  readonly namespaced: boolean;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const FLUX_VAR = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/**
 * CRD patterns are Go (RE2) regular expressions. JavaScript understands nearly all of them but
 * not inline flags such as `(?i)`: those become RegExp flags.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  let f = flags;
  const p = pattern.replace(/\(\?([ims]+)\)/g, (_m, inline: string) => {
    for (const c of inline) if (!f.includes(c)) f += c;
    return '';
  });
  return new RegExp(p, f);
}
goRegExp.code = 'goRegExp';

function int(min: number, max: number) {
  return { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max };
}

/** Turns a structural OpenAPI v3 schema into a strict JSON schema for ajv. */
function strictify(node: any): any {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k === 'x-kubernetes-validations') continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strictify(s)]));
    } else if (k === 'nullable') {
      continue;
    } else {
      out[k] = strictify(v);
    }
  }
  if (node.nullable && typeof node.type === 'string') out.type = [node.type, 'null'];
  if (node.type === 'object' && node.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

export class ManifestValidator {
  private readonly crds = new Map<string, CrdVersion>();
  private readonly core = new Map<string, ValidateFunction>();
  private readonly objectMeta: ValidateFunction;
  private readonly ajv: Ajv;
  private readonly coreAjv: Ajv2020;

  /** The CRD release this validator checks against. */
  public readonly release: CrdRelease;

  constructor(release: CrdRelease = CNPG_1_30) {
    this.release = release;
    this.ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, code: { regExp: goRegExp as any } });
    addFormats(this.ajv, ['date-time', 'byte']);
    this.ajv.addFormat('int32', int(-(2 ** 31), 2 ** 31 - 1));
    this.ajv.addFormat('int64', int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));

    for (const folder of [release.cnpg, ...release.others]) {
      const dir = path.join(CRDS_DIR, folder);
      if (!fs.existsSync(dir)) throw new Error(`CRD folder ${dir} is missing: run scripts/refresh-vendor.sh (vendor/README.md)`);
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf-8'))) {
          const crd = doc.toJSON();
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          for (const version of crd.spec.versions) {
            if (!version.served) continue;
            const schema = version.schema.openAPIV3Schema;
            const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
            let compiled: ValidateFunction | undefined;
            this.crds.set(key, {
              schema,
              validate: () => {
                compiled ??= this.ajv.compile(strictify({ ...schema, properties: { ...schema.properties, metadata: { type: 'object', additionalProperties: true } } }));
                return compiled;
              },
              namespaced: crd.spec.scope === 'Namespaced',
            });
          }
        }
      }
    }

    if (!fs.existsSync(path.join(K8S_SCHEMAS, '_definitions.json'))) {
      throw new Error(`Kubernetes JSON schemas are missing at ${K8S_SCHEMAS}: run \`bash .ci/deps.sh\` (or .ci/install/k8s-schemas.sh)`);
    }
    this.coreAjv = new Ajv2020({ strict: false, allErrors: true, code: { regExp: goRegExp as any } });
    addFormats(this.coreAjv);
    this.coreAjv.addFormat('int32', int(-(2 ** 31), 2 ** 31 - 1));
    this.coreAjv.addFormat('int64', int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    this.coreAjv.addFormat('double', true);
    this.coreAjv.addSchema(JSON.parse(fs.readFileSync(path.join(K8S_SCHEMAS, '_definitions.json'), 'utf-8')));
    this.objectMeta = this.coreAjv.compile({ $ref: 'https://kubernetes.io/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  }

  /** Whether the release (or Kubernetes) has a schema for the kind. */
  public hasKind(apiVersion: string, kind: string): boolean {
    return this.crds.has(`${apiVersion}/${kind}`) || this.coreValidator(apiVersion, kind) !== undefined;
  }

  /** Every problem of one object, as `Kind/name path: message` lines. */
  public validate(obj: any): string[] {
    const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;
    const errors: string[] = [];
    if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) return [`${id}: not a Kubernetes object (apiVersion/kind missing)`];
    const meta = obj.metadata;
    if (!meta?.name) {errors.push(`${id} metadata.name: missing`);} else if (!FLUX_VAR.test(meta.name) && (!DNS1123_SUBDOMAIN.test(meta.name) || meta.name.length > 253)) {
      errors.push(`${id} metadata.name: "${meta.name}" is not a DNS-1123 subdomain`);
    }
    if (!this.objectMeta(meta ?? {})) errors.push(...ajvErrors(id, 'metadata', this.objectMeta));

    const crd = this.crds.get(`${obj.apiVersion}/${obj.kind}`);
    if (crd) {
      if (crd.namespaced && !meta?.namespace) errors.push(`${id} metadata.namespace: a namespaced ${obj.kind} needs a namespace`);
      const copy = JSON.parse(JSON.stringify(obj));
      const validate = crd.validate();
      if (!validate(copy)) {
        errors.push(...ajvErrors(id, '', validate));
      } else {
        // CEL rules run on the defaulted object, as in the API server.
        celWalk(crd.schema, copy, '', id, errors);
      }
      return errors;
    }
    const core = this.coreValidator(obj.apiVersion, obj.kind);
    if (!core) return [...errors, `${id}: no schema for ${obj.apiVersion} ${obj.kind} (neither a CRD in vendor/crds nor a core kind)`];
    if (!core(obj)) errors.push(...ajvErrors(id, '', core));
    return errors;
  }

  /** Validates many objects; returns every problem. */
  public validateAll(objs: any[]): string[] {
    return objs.flatMap((o) => this.validate(o));
  }

  private coreValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const file = `${kind.toLowerCase()}${group ? '-' + group.split('.')[0] : ''}-${version}.json`;
    const key = `${apiVersion}/${kind}`;
    if (this.core.has(key)) return this.core.get(key);
    const p = path.join(K8S_SCHEMAS, file);
    if (!fs.existsSync(p)) return undefined;
    const schema = JSON.parse(fs.readFileSync(p, 'utf-8'));
    const fn = this.coreAjv.compile(schema);
    this.core.set(key, fn);
    return fn;
  }
}

function ajvErrors(id: string, prefix: string, fn: ValidateFunction): string[] {
  return (fn.errors ?? []).map((e) => {
    const where = (prefix + e.instancePath.replace(/\//g, '.')).replace(/^\./, '');
    const extra = e.keyword === 'additionalProperties' ? ` (unknown field "${(e.params as any).additionalProperty}")`
      : e.keyword === 'enum' ? ` (allowed: ${(e.params as any).allowedValues?.join(', ')})` : '';
    return `${id} ${where || '(root)'}: ${e.message}${extra}`;
  });
}

/** Evaluates the CRD's `x-kubernetes-validations` and list-map uniqueness along the object. */
function celWalk(schema: any, data: any, where: string, id: string, errors: string[]): void {
  if (!schema || data === undefined || data === null) return;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    if (/\boldSelf\b/.test(v.rule)) continue; // transition rule: only applies to updates
    let ok: unknown;
    try {
      ok = cel.evaluate(v.rule, { self: data });
    } catch (e) {
      errors.push(`${id} ${where || '(root)'}: CEL rule "${v.rule}" failed to evaluate: ${(e as Error).message}`);
      continue;
    }
    if (ok !== true) errors.push(`${id} ${where || '(root)'}: ${v.message ?? `failed rule ${v.rule}`} (CEL: ${v.rule})`);
  }
  if (Array.isArray(data)) {
    const keys: string[] | undefined = schema['x-kubernetes-list-map-keys'];
    if (schema['x-kubernetes-list-type'] === 'map' && keys) {
      const seen = new Set<string>();
      for (const item of data) {
        const k = JSON.stringify(keys.map((key) => item?.[key]));
        if (seen.has(k)) errors.push(`${id} ${where}: duplicate entries for list-map key ${keys.join(',')}=${k}`);
        seen.add(k);
      }
    } else if (schema['x-kubernetes-list-type'] === 'set') {
      const seen = new Set(data.map((d) => JSON.stringify(d)));
      if (seen.size !== data.length) errors.push(`${id} ${where}: duplicate items in a set`);
    }
    data.forEach((item, i) => celWalk(schema.items, item, `${where}[${i}]`, id, errors));
    return;
  }
  if (typeof data !== 'object') return;
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    if (k in data) celWalk(sub, data[k], where ? `${where}.${k}` : k, id, errors);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(data)) celWalk(schema.additionalProperties, v, `${where}[${k}]`, id, errors);
  }
}

/**
 * The worker's cache (test/util/jest-environment.js keeps it across test files), or a cache of
 * this module alone outside that environment.
 */
const workerCache: Map<string, unknown> = (globalThis as any).__cnpgTestCache ?? new Map();
const validators = (workerCache.get('conformance.validators') ?? new Map()) as Map<string, ManifestValidator>;
workerCache.set('conformance.validators', validators);
/**
 * One validator per release and jest worker (compiling the schemas takes about 2 s a release). It
 * reads only vendor/ and .cache/, never src/, so test files can share it.
 */
export function validatorFor(release: CrdRelease): ManifestValidator {
  let v = validators.get(release.cnpg);
  if (!v) {
    v = new ManifestValidator(release);
    validators.set(release.cnpg, v);
  }
  return v;
}

/** The validator of CNPG 1.30 (the release of the typed imports). */
export function defaultValidator(): ManifestValidator {
  return validatorFor(CNPG_1_30);
}
