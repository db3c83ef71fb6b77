import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CRDS_DIR } from './conformance';

/** One difference between two releases' CRD schemas. */
export interface SchemaChange {
  /** `added`, `removed`, `enum`, `required` or `kind-added` / `kind-removed`. */
  readonly change: string;
  /** `Kind.spec.path[].field` (`[]` an array item, `{}` a map value). */
  readonly path: string;
  readonly detail?: string;
}

function load(folder: string): Record<string, any> {
  const out: Record<string, any> = {};
  const dir = path.join(CRDS_DIR, folder);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf-8'))) {
      const crd = doc.toJSON();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions) if (v.served) out[crd.spec.names.kind] = v.schema.openAPIV3Schema;
    }
  }
  return out;
}

function flatten(schema: any, at: string, out: Map<string, any>): void {
  if (!schema) return;
  out.set(at, schema);
  for (const [k, v] of Object.entries(schema.properties ?? {})) flatten(v, `${at}.${k}`, out);
  if (schema.items) flatten(schema.items, `${at}[]`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') flatten(schema.additionalProperties, `${at}{}`, out);
}

/**
 * The differences of the `spec` schemas (what manifests write; `status` is the operator's) between
 * two CNPG CRD folders of vendor/crds, e.g. `cnpg-1.27.1` and `cnpg-1.30.0`. Added and removed
 * fields are reported at their top-most path only.
 */
export function specChanges(fromFolder: string, toFolder: string): SchemaChange[] {
  const a = load(fromFolder);
  const b = load(toFolder);
  const changes: SchemaChange[] = [];
  for (const kind of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!a[kind]) { changes.push({ change: 'kind-added', path: kind }); continue; }
    if (!b[kind]) { changes.push({ change: 'kind-removed', path: kind }); continue; }
    const fa = new Map<string, any>();
    const fb = new Map<string, any>();
    flatten(a[kind].properties?.spec, `${kind}.spec`, fa);
    flatten(b[kind].properties?.spec, `${kind}.spec`, fb);
    const topMost = (paths: string[]) => paths.filter((p) => !paths.some((q) => q !== p && (p.startsWith(`${q}.`) || p.startsWith(`${q}[`) || p.startsWith(`${q}{`))));
    for (const p of topMost([...fb.keys()].filter((k) => !fa.has(k)))) changes.push({ change: 'added', path: p });
    for (const p of topMost([...fa.keys()].filter((k) => !fb.has(k)))) changes.push({ change: 'removed', path: p });
    for (const [p, sa] of fa) {
      const sb = fb.get(p);
      if (!sb) continue;
      if (JSON.stringify(sa.enum) !== JSON.stringify(sb.enum)) changes.push({ change: 'enum', path: p, detail: `${JSON.stringify(sa.enum)} -> ${JSON.stringify(sb.enum)}` });
      if (JSON.stringify(sa.required) !== JSON.stringify(sb.required)) changes.push({ change: 'required', path: p, detail: `${JSON.stringify(sa.required)} -> ${JSON.stringify(sb.required)}` });
    }
  }
  return changes;
}
