#!/usr/bin/env node
/**
 * Generates the structural schemas the library checks every object it writes against (and that
 * `ManifestAudit` checks hand-written manifests against), from the vendored upstream data:
 *
 *   vendor/crds/cnpg-X.Y.Z/            every CloudNativePG release (one merged schema per kind, each
 *                                      node marked with the releases that have it)
 *   vendor/crds/barman-cloud-*, prometheus-operator-*, external-secrets-*, flux-kustomize-controller-*
 *   vendor/metrics/cnpg-*.txt           the metric names CloudNativePG exports (assets/metrics/, read
 *                                      by ManifestAudit's alert-metric rule)
 *   vendor/k8s-schemas/v1.30.0/        Kubernetes' own JSON schemas (core kinds, ObjectMeta)
 *
 * into assets/schemas/*.json (shipped in the package, loaded lazily per group) and
 * src/imports/cnpg-releases.ts (the list of CloudNativePG releases the library supports: the one
 * place that list lives). Run by `npx projen import`; never edit the outputs by hand.
 *
 * The compact schema format (read by src/checks/schema.ts):
 *   t   type: o object, a array, s string, i integer, n number, b boolean, is int-or-string,
 *       q quantity (string or number), x anything
 *   p   properties {name: node}         ap  additionalProperties node (1: any value)
 *   it  items node                      pu  1 when x-kubernetes-preserve-unknown-fields
 *   e   enum values                     ev  {value: mask} for enum values not in every release
 *   r   required names                  rv  {name: mask} for requirements not in every release
 *   pt  pattern (Go RE2)  mnl/mxl min/max length  mn/mx minimum/maximum  mni/mxi min/max items
 *   v   mask of the releases that have the node (bit i = release i of the group); absent: all
 *   dp  mask of the releases whose CRD describes the field as deprecated
 */
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.join(ROOT, 'vendor', 'crds');
const K8S_DEFS = path.join(ROOT, 'vendor', 'k8s-schemas', 'v1.30.0', '_definitions.json');
const OUT = path.join(ROOT, 'assets', 'schemas');
const RELEASES_TS = path.join(ROOT, 'src', 'imports', 'cnpg-releases.ts');

/** The CNPG kinds the library writes or audits. */
const CNPG_KINDS = ['clusters', 'poolers', 'databases', 'scheduledbackups', 'backups', 'imagecatalogs', 'clusterimagecatalogs'];

function semverKey(v) {
  return v.split('.').map(Number);
}
function compareVersions(a, b) {
  const [x, y] = [semverKey(a), semverKey(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Structural node of one openAPIV3Schema (one release). */
function fromOpenApi(s) {
  const n = {};
  if (s['x-kubernetes-int-or-string']) n.t = 'is';
  else if (s['x-kubernetes-preserve-unknown-fields'] && !s.type && !s.properties) n.t = 'x';
  else if (s.type === 'object' || s.properties || s.additionalProperties) n.t = 'o';
  else if (s.type === 'array') n.t = 'a';
  else if (s.type === 'string') n.t = 's';
  else if (s.type === 'integer') n.t = 'i';
  else if (s.type === 'number') n.t = 'n';
  else if (s.type === 'boolean') n.t = 'b';
  else if (s.anyOf && s.anyOf.some((x) => x.type === 'integer') && s.anyOf.some((x) => x.type === 'string')) n.t = 'is';
  else n.t = 'x';
  if (s.properties) {
    n.p = {};
    for (const k of Object.keys(s.properties).sort()) n.p[k] = fromOpenApi(s.properties[k]);
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    n.ap = s.additionalProperties === true || Object.keys(s.additionalProperties).length === 0 ? 1 : fromOpenApi(s.additionalProperties);
  }
  if (s.items) n.it = fromOpenApi(s.items);
  if (s['x-kubernetes-preserve-unknown-fields']) n.pu = 1;
  if (s.enum) n.e = s.enum.filter((x) => x !== null);
  if (s.required && s.required.length) n.r = [...s.required].sort();
  if (s.pattern !== undefined) n.pt = s.pattern;
  if (s.minLength !== undefined) n.mnl = s.minLength;
  if (s.maxLength !== undefined) n.mxl = s.maxLength;
  if (s.minimum !== undefined) n.mn = s.minimum;
  if (s.maximum !== undefined) n.mx = s.maximum;
  if (s.minItems !== undefined) n.mni = s.minItems;
  if (s.maxItems !== undefined) n.mxi = s.maxItems;
  // The CRD's own word that a field is on its way out ("Deprecated: ..." in its description).
  if (/deprecat/i.test(s.description || '')) n.dp = 1;
  return n;
}

/**
 * Merges the nodes of one kind across releases (`nodes[i]` is release i's node or undefined):
 * the union of properties and enum values, each marked with the releases that have it.
 */
function merge(nodes, all) {
  const present = nodes.map((x, i) => (x ? 1 << i : 0)).reduce((a, b) => a | b, 0);
  const newest = [...nodes].reverse().find((x) => x);
  const n = {};
  if (present !== all) n.v = present;
  n.t = newest.t;
  for (const k of ['pt', 'mnl', 'mxl', 'mn', 'mx', 'mni', 'mxi', 'pu']) if (newest[k] !== undefined) n[k] = newest[k];
  const deprecated = nodes.map((x, i) => (x && x.dp ? 1 << i : 0)).reduce((a, b) => a | b, 0);
  if (deprecated) n.dp = deprecated;
  const propNames = [...new Set(nodes.flatMap((x) => (x && x.p ? Object.keys(x.p) : [])))].sort();
  if (propNames.length) {
    n.p = {};
    for (const k of propNames) n.p[k] = merge(nodes.map((x) => (x && x.p ? x.p[k] : undefined)), present);
  }
  const aps = nodes.map((x) => (x ? x.ap : undefined));
  if (aps.some((x) => x === 1)) n.ap = 1;
  else if (aps.some((x) => x)) n.ap = merge(aps, present);
  if (nodes.some((x) => x && x.it)) n.it = merge(nodes.map((x) => (x ? x.it : undefined)), present);
  const enums = nodes.map((x) => (x ? x.e : undefined));
  if (enums.some((x) => x)) {
    const values = [...new Set(enums.flatMap((x) => x || []))];
    n.e = values;
    const ev = {};
    for (const val of values) {
      const mask = enums.map((x, i) => (x && x.includes(val) ? 1 << i : 0)).reduce((a, b) => a | b, 0);
      if (mask !== present) ev[JSON.stringify(val)] = mask;
    }
    if (Object.keys(ev).length) n.ev = ev;
  }
  const reqs = nodes.map((x) => (x ? x.r : undefined));
  if (reqs.some((x) => x)) {
    const names = [...new Set(reqs.flatMap((x) => x || []))].sort();
    n.r = names;
    const rv = {};
    for (const name of names) {
      const mask = reqs.map((x, i) => (x && x.includes(name) ? 1 << i : 0)).reduce((a, b) => a | b, 0);
      if (mask !== present) rv[name] = mask;
    }
    if (Object.keys(rv).length) n.rv = rv;
  }
  return n;
}

function readCrds(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON()).filter((d) => d && d.kind === 'CustomResourceDefinition');
}

/** { Kind: { apiVersion, schema } } of a CRD file (the storage version). */
function kindsOf(file) {
  const out = {};
  for (const crd of readCrds(file)) {
    const v = crd.spec.versions.find((x) => x.storage) || crd.spec.versions[0];
    out[crd.spec.names.kind] = {
      apiVersion: `${crd.spec.group}/${v.name}`,
      namespaced: crd.spec.scope === 'Namespaced',
      schema: fromOpenApi(v.schema.openAPIV3Schema),
    };
  }
  return out;
}

/** A group of CRDs with one or several releases, merged per kind. */
function crdGroup(name, folders, filter) {
  const releases = folders.map((f) => f.replace(/^[a-z-]+-(?=\d)/, ''));
  const perRelease = folders.map((folder) => {
    const kinds = {};
    for (const f of fs.readdirSync(path.join(CRDS, folder)).filter((x) => x.endsWith('.yaml')).sort()) {
      if (filter && !filter(f)) continue;
      Object.assign(kinds, kindsOf(path.join(CRDS, folder, f)));
    }
    return kinds;
  });
  const all = (1 << releases.length) - 1;
  const kinds = {};
  for (const kind of [...new Set(perRelease.flatMap((k) => Object.keys(k)))].sort()) {
    const nodes = perRelease.map((k) => (k[kind] ? k[kind].schema : undefined));
    const newest = [...perRelease].reverse().find((k) => k[kind])[kind];
    kinds[kind] = { apiVersion: newest.apiVersion, namespaced: newest.namespaced, schema: merge(nodes, all) };
  }
  return { group: name, releases, kinds };
}

// --- Kubernetes core kinds from the JSON schemas of kubernetes-validate -------------------------
const K8S_KINDS = {
  Namespace: ['v1', 'io.k8s.api.core.v1.Namespace', false],
  ConfigMap: ['v1', 'io.k8s.api.core.v1.ConfigMap', true],
  Secret: ['v1', 'io.k8s.api.core.v1.Secret', true],
  Service: ['v1', 'io.k8s.api.core.v1.Service', true],
  ServiceAccount: ['v1', 'io.k8s.api.core.v1.ServiceAccount', true],
  NetworkPolicy: ['networking.k8s.io/v1', 'io.k8s.api.networking.v1.NetworkPolicy', true],
  PodDisruptionBudget: ['policy/v1', 'io.k8s.api.policy.v1.PodDisruptionBudget', true],
  CronJob: ['batch/v1', 'io.k8s.api.batch.v1.CronJob', true],
  Job: ['batch/v1', 'io.k8s.api.batch.v1.Job', true],
  Deployment: ['apps/v1', 'io.k8s.api.apps.v1.Deployment', true],
  Role: ['rbac.authorization.k8s.io/v1', 'io.k8s.api.rbac.v1.Role', true],
  RoleBinding: ['rbac.authorization.k8s.io/v1', 'io.k8s.api.rbac.v1.RoleBinding', true],
};

function k8sGroup() {
  const defs = JSON.parse(fs.readFileSync(K8S_DEFS, 'utf-8')).$defs;
  const types = (s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []).filter((t) => t !== 'null');
  // Definitions are recursive (JSONSchemaProps is not used here, but be safe): depth-limited.
  const convert = (s, depth) => {
    if (depth > 40) return { t: 'x' };
    if (s.$ref) {
      const name = s.$ref.replace('#/$defs/', '');
      if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return { t: 'is' };
      if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return { t: 'q' };
      if (name === 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' || name === 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime') return { t: 's' };
      return convert(defs[name], depth + 1);
    }
    if (s.allOf && s.allOf.length === 1) return convert({ ...s.allOf[0], description: s.description }, depth);
    const ts = types(s);
    const n = {};
    if (s.properties || ts.includes('object')) n.t = 'o';
    else if (ts.includes('array')) n.t = 'a';
    else if (ts.includes('string')) n.t = 's';
    else if (ts.includes('integer')) n.t = 'i';
    else if (ts.includes('number')) n.t = 'n';
    else if (ts.includes('boolean')) n.t = 'b';
    else n.t = 'x';
    if (s.properties) {
      n.p = {};
      for (const k of Object.keys(s.properties).sort()) {
        // apiVersion/kind are checked by the object's own kind; status is never written.
        n.p[k] = convert(s.properties[k], depth + 1);
      }
    }
    if (s.additionalProperties && s.additionalProperties !== false) {
      n.ap = s.additionalProperties === true ? 1 : convert(s.additionalProperties, depth + 1);
    }
    if (s.items) n.it = convert(s.items, depth + 1);
    if (s.enum) n.e = s.enum.filter((x) => x !== null);
    if (s.required && s.required.length) n.r = [...s.required].sort();
    return n;
  };
  const kinds = {};
  for (const [kind, [apiVersion, def, namespaced]] of Object.entries(K8S_KINDS)) {
    const schema = convert(defs[def], 0);
    delete schema.p.status;
    // apiVersion and kind are fixed per kind (the schema's enum already says so).
    kinds[kind] = { apiVersion, namespaced, schema };
  }
  const objectMeta = convert(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 0);
  return { group: 'kubernetes', releases: ['1.30.0'], kinds, objectMeta };
}

/** The metric names of vendor/metrics/cnpg-X.Y.Z.txt, as assets/metrics/cnpg-metrics.json. */
function writeMetrics() {
  const dir = path.join(ROOT, 'vendor', 'metrics');
  const files = fs.readdirSync(dir).filter((f) => /^cnpg-\d+\.\d+\.\d+\.txt$/.test(f)).sort((a, b) => compareVersions(a.slice(5, -4), b.slice(5, -4)));
  if (!files.length) throw new Error('no cnpg-X.Y.Z.txt in vendor/metrics');
  const file = files[files.length - 1];
  const names = fs.readFileSync(path.join(dir, file), 'utf-8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out = path.join(ROOT, 'assets', 'metrics');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'cnpg-metrics.json'), JSON.stringify({ release: file.slice(5, -4), source: `vendor/metrics/${file}`, names: [...new Set(names)].sort() }, null, 1) + '\n');
}

function main() {
  const folders = fs.readdirSync(CRDS);
  const cnpgFolders = folders.filter((f) => /^cnpg-\d+\.\d+\.\d+$/.test(f)).sort((a, b) => compareVersions(a.slice(5), b.slice(5)));
  const single = (prefix) => {
    const found = folders.filter((f) => f.startsWith(prefix)).sort((a, b) => compareVersions(a.slice(prefix.length), b.slice(prefix.length)));
    if (!found.length) throw new Error(`no ${prefix}X.Y.Z folder in vendor/crds`);
    return [found[found.length - 1]];
  };
  const kindFile = (f) => CNPG_KINDS.some((k) => f === `postgresql.cnpg.io_${k}.yaml`);
  const groups = {
    cnpg: crdGroup('cnpg', cnpgFolders, kindFile),
    'barman-cloud': crdGroup('barman-cloud', single('barman-cloud-')),
    'prometheus-operator': crdGroup('prometheus-operator', single('prometheus-operator-')),
    'external-secrets': crdGroup('external-secrets', single('external-secrets-'), (f) => f === 'external-secrets.io_externalsecrets.yaml'),
    flux: crdGroup('flux', single('flux-kustomize-controller-')),
    kubernetes: k8sGroup(),
  };
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const index = {};
  for (const [name, g] of Object.entries(groups)) {
    fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify(g));
    for (const [kind, k] of Object.entries(g.kinds)) index[`${k.apiVersion}/${kind}`] = name;
  }
  fs.writeFileSync(path.join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  const releases = groups.cnpg.releases;
  fs.mkdirSync(path.dirname(RELEASES_TS), { recursive: true });
  fs.writeFileSync(RELEASES_TS, [
    '// generated by scripts/gen-schemas.js from the vendor/crds/cnpg-X.Y.Z folders: do not edit by hand',
    '',
    '/**',
    ' * The CloudNativePG releases whose CRDs are vendored (vendor/crds/GO-PROXY.md), oldest first: the',
    ' * releases the library supports, checks its output against, and verifies against the real operator.',
    ' */',
    `export const CNPG_RELEASES: readonly string[] = ${JSON.stringify(releases)};`,
    '',
    '/** The Barman Cloud plugin, prometheus-operator and external-secrets releases of the vendored CRDs. */',
    `export const OTHER_RELEASES: { readonly [group: string]: string } = ${JSON.stringify({
      'barman-cloud': groups['barman-cloud'].releases[0],
      'prometheus-operator': groups['prometheus-operator'].releases[0],
      'external-secrets': groups['external-secrets'].releases[0],
      'flux': groups.flux.releases[0],
      'kubernetes': groups.kubernetes.releases[0],
    })};`,
    '',
  ].join('\n'));
  writeMetrics();
  const sizes = fs.readdirSync(OUT).map((f) => `${f} ${(fs.statSync(path.join(OUT, f)).size / 1024).toFixed(0)} KiB`);
  console.error(`gen-schemas: ${releases.length} CNPG releases (${releases.join(', ')}); ${sizes.join(', ')}`);
}

main();
