import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/**
 * JSON schemas for kubeconform from CustomResourceDefinitions (what kubeconform's
 * openapi2jsonschema.py does, in TypeScript): one file per kind and version, at
 * `<out>/<group>/<kind>_<version>.json` (kubeconform's `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}`),
 * strict: every object schema with properties and no `x-kubernetes-preserve-unknown-fields`
 * refuses other properties, as the API server's pruning and strict field validation do;
 * `x-kubernetes-int-or-string` becomes integer-or-string; `nullable` adds null.
 */
export function writeCrdJsonSchemas(crdFiles: string[], out: string): string[] {
  const written: string[] = [];
  for (const file of crdFiles) {
    for (const crd of parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJS()).filter((d) => d?.kind === 'CustomResourceDefinition')) {
      for (const v of crd.spec.versions) {
        const schema = convert(v.schema.openAPIV3Schema, true);
        const target = path.join(out, crd.spec.group, `${crd.spec.names.kind.toLowerCase()}_${v.name}.json`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, JSON.stringify(schema));
        written.push(target);
      }
    }
  }
  return written;
}

function convert(s: any, root: boolean): any {
  if (!s || typeof s !== 'object') return s;
  const out: any = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as object).map(([p, sub]) => [p, convert(sub, false)]));
    } else if (k === 'items') {
      out.items = convert(v, false);
    } else if (k === 'additionalProperties' && typeof v === 'object') {
      out.additionalProperties = convert(v, false);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(k)) {
      out[k] = (v as any[]).map((x) => convert(x, false));
    } else if (k === 'not') {
      out.not = convert(v, false);
    } else if (!k.startsWith('x-kubernetes-') && k !== 'nullable') {
      out[k] = v;
    }
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.oneOf = [{ type: 'integer' }, { type: 'string' }];
    delete out.anyOf;
  }
  if (s.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.properties && out.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (root && out.properties) {
    // apiVersion, kind and metadata are the API server's, not the CRD's.
    out.properties.metadata = { type: 'object' };
  }
  return out;
}
