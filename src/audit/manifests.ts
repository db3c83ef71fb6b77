import * as fs from 'fs';
import * as path from 'path';
import type { Document, LineCounter } from 'yaml';
import { yaml } from '../common/yaml';
import { FluxUnreadableValue, FluxVariableReference, substituteObject, SubstitutionResult } from '../flux/substitution';

/**
 * Reading manifests for `ManifestAudit`: files and directories of multi-document YAML, each
 * Kubernetes object with where it is (file, line, and the line of any field), with Flux's
 * post-build substitution applied when variables are given.
 */

/** One object read. @internal */
export interface ManifestObject {
  readonly file: string;
  readonly line: number;
  /** The object as Flux would apply it (substituted), or as written without variables. */
  readonly object: any;
  /** The object as written. */
  readonly written: any;
  /** The line of a field path (`spec.groups[0].rules[1].expr`), or of the object. */
  readonly lineOf: (fieldPath: string) => number;
  readonly references: readonly FluxVariableReference[];
  readonly unsupported: readonly FluxVariableReference[];
  readonly substitutionDisabled: boolean;
  /** A strict-substitution error, when any. */
  readonly substitutionError?: string;
  /** Fields whose substituted text YAML cannot read back (Flux fails the object). */
  readonly unreadable: readonly FluxUnreadableValue[];
}

/** A document that is not read as an object. @internal */
export interface SkippedManifest {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** A file that could not be read or parsed. @internal */
export interface ManifestError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** What the reader found. @internal */
export interface ManifestSet {
  readonly files: string[];
  readonly objects: ManifestObject[];
  readonly skipped: SkippedManifest[];
  readonly errors: ManifestError[];
}

const YAML_FILE = /\.ya?ml$/i;

/** The YAML files of the given paths (directories recursively, sorted; hidden folders and node_modules skipped). @internal */
export function yamlFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e.startsWith('.') || e === 'node_modules') continue;
        const child = path.join(p, e);
        if (fs.statSync(child).isDirectory() || YAML_FILE.test(e)) walk(child);
      }
    } else {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  return [...new Set(out)];
}

/** `spec.groups[0].rules[1].expr` → ['spec', 'groups', 0, 'rules', 1, 'expr']. */
function segments(fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(fieldPath))) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3]}"`));
  }
  return out;
}

/** Why a document is not an object the audit reads, or undefined when it is one. */
function notAnObject(json: any): string | undefined {
  if (json === null) return 'an empty document';
  if (typeof json !== 'object' || Array.isArray(json)) return 'not a Kubernetes object (not a mapping)';
  const apiVersion = json.apiVersion;
  const kind = json.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'not a Kubernetes object (no apiVersion and kind)';
  if (apiVersion.startsWith('kustomize.config.k8s.io/')) return `a kustomize ${kind} (${apiVersion}): build input, not an object of the cluster`;
  return undefined;
}

/**
 * Reads the files: every document that is a Kubernetes object (items of a `List` too), with
 * Flux's substitution when `vars` is given.
 *
 * @internal
 */
export function readManifests(files: string[], vars: Record<string, string> | undefined, strict: boolean): ManifestSet {
  const objects: ManifestObject[] = [];
  const skipped: SkippedManifest[] = [];
  const errors: ManifestError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch (e) {
      errors.push({ file, line: 1, message: `cannot be read: ${(e as Error).message}` });
      continue;
    }
    const lineCounter = new (yaml().LineCounter)();
    for (const doc of yaml().parseAllDocuments(text, { lineCounter, prettyErrors: false })) {
      // Where the object starts (past comments and markers): a parsed document's contents.
      const docLine = lineCounter.linePos((doc.contents ?? doc).range[0]).line;
      if (doc.errors.length) {
        const err = doc.errors[0];
        errors.push({ file, line: lineCounter.linePos(err.pos[0]).line, message: err.message.split('\n')[0] });
        continue;
      }
      let json: any;
      try {
        json = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        errors.push({ file, line: docLine, message: (e as Error).message });
        continue;
      }
      const reason = notAnObject(json);
      if (reason) {
        if (json !== null) skipped.push({ file, line: docLine, reason });
        continue;
      }
      const items: Array<{ obj: any; prefix: Array<string | number> }> = json.kind === 'List' && Array.isArray(json.items)
        ? json.items.map((obj: any, i: number) => ({ obj, prefix: ['items', i] }))
        : [{ obj: json, prefix: [] }];
      for (const { obj, prefix } of items) {
        const itemLine = prefix.length ? lineOfPath(doc, lineCounter, prefix, docLine) : docLine;
        // An item of a List that is no object (an empty `-`, a string): skipped and said so, as a document is.
        const itemReason = prefix.length ? notAnObject(obj) : undefined;
        if (itemReason) {
          skipped.push({ file, line: itemLine, reason: `items[${prefix[1]}] of a List: ${obj === null ? 'an empty item' : itemReason}` });
          continue;
        }
        const lineOf = (fieldPath: string) => lineOfPath(doc, lineCounter, [...prefix, ...segments(fieldPath)], itemLine);
        // Without variables the object stays as written; the references are still found.
        let r: SubstitutionResult;
        let substitutionError: string | undefined;
        if (vars) {
          try {
            r = substituteObject(obj, vars, strict);
          } catch (e) {
            substitutionError = (e as Error).message;
            r = substituteObject(obj, vars, false);
          }
        } else {
          r = substituteObject(obj, {}, false);
        }
        objects.push({
          file,
          line: itemLine,
          object: vars ? r.object : obj,
          written: obj,
          lineOf,
          references: r.references,
          unsupported: r.unsupported,
          substitutionDisabled: r.disabled,
          substitutionError,
          // Without variables nothing is substituted, so nothing is read back.
          unreadable: vars ? r.unreadable : [],
        });
      }
    }
  }
  return { files, objects, skipped, errors };
}

/** The line of the deepest existing node on the path. */
function lineOfPath(doc: Document, lc: LineCounter, segs: Array<string | number>, fallback: number): number {
  for (let n = segs.length; n > 0; n--) {
    const node = doc.getIn(segs.slice(0, n), true);
    if (yaml().isNode(node) && node.range) return lc.linePos(node.range[0]).line;
    // A key without a value (`? key`) has no value node: find the pair's key (getIn of [] is the contents).
    const parent = doc.getIn(segs.slice(0, n - 1), true);
    const items = (parent as any)?.items;
    if (Array.isArray(items)) {
      const key = segs[n - 1];
      const pair = items.find((p: any) => yaml().isScalar(p.key) && p.key.value === key);
      if (pair) return lc.linePos(pair.key.range[0]).line;
    }
  }
  return fallback;
}
