import { yaml } from '../common/yaml';

/**
 * Flux's post-build variable substitution, as kustomize-controller runs it
 * (github.com/fluxcd/pkg/kustomize `SubstituteVariables`, with github.com/fluxcd/pkg/envsubst):
 *
 * 1. the object is marshalled to YAML from its JSON (comments and the source's quoting are gone:
 *    a string that YAML can write plain is written plain);
 * 2. `${VAR}` expressions are replaced in that text (`$$` escapes a `$`); a variable the settings do
 *    not define becomes the empty string, or fails the object in strict mode
 *    (`StrictPostBuildSubstitutions`); the default operators (`${VAR:=d}`, `${VAR:-d}`, `${VAR=d}`,
 *    and `${VAR:+d}`, `${VAR:?d}`, which envsubst reads as defaults too) give `d` when the value is
 *    empty or undefined;
 * 3. the text is read back with YAML 1.1 (sigs.k8s.io/yaml): `instances: ${CNPG_INSTANCES}` with
 *    "3" becomes the number 3, `${X}` with "on" becomes `true`, even when the source quoted it;
 *    text that is not one YAML value there (`${X}` with "a: b") fails the object: reported as
 *    `unreadable`, the field keeping the text.
 *
 * Objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
 * The forms of envsubst this module does not evaluate (`${#VAR}`, `${VAR:1:2}`, `${VAR/a/b}`,
 * `${VAR^^}`, ...) are reported and left as written, and so are those envsubst's parser refuses,
 * failing the object (`${VAR-d}`, `${VAR+d}`, `${VAR?d}`, `${VAR.x}`, `${}`, an unterminated `${`).
 * test/integ/flux-delivery.test.ts compares the result with Flux's own code on the reference
 * manifests and the library's output.
 *
 * @internal
 */

/** The annotation (or label) that turns substitution off for one object. @internal */
export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

/** What substituting one object did. @internal */
export interface SubstitutionResult {
  /** The object after substitution (the input itself when substitution is disabled). */
  readonly object: any;
  /** Whether the object opted out (`kustomize.toolkit.fluxcd.io/substitute: disabled`). */
  readonly disabled: boolean;
  /** Each variable referenced, with whether the settings define it, and where (field path). */
  readonly references: readonly FluxVariableReference[];
  /** Expressions left as written because this module does not evaluate them. */
  readonly unsupported: readonly FluxVariableReference[];
  /** Fields whose substituted text YAML cannot read back: Flux fails the whole object (`YAMLToJSON`). */
  readonly unreadable: readonly FluxUnreadableValue[];
}

/**
 * A field whose text, after substitution, is not one YAML value (`key: ${X}` with `X` = `a: b`):
 * kustomize-controller reads the substituted YAML back and fails the object
 * ("envsubst error: YAMLToJSON: yaml: ... mapping values are not allowed in this context"). The
 * field keeps the substituted string here.
 *
 * @internal
 */
export interface FluxUnreadableValue {
  /** The field path, e.g. `data.key`. */
  readonly path: string;
  /** The field's text after substitution. */
  readonly text: string;
  /** Why YAML cannot read it (the reader's message, without its position). */
  readonly reason: string;
}

/** One `${...}` expression in an object. @internal */
export interface FluxVariableReference {
  /** The variable's name. */
  readonly name: string;
  /** The whole expression, e.g. `${CNPG_BACKUP_SCHEDULE}`. */
  readonly expression: string;
  /** The field path, e.g. `spec.schedule`. */
  readonly path: string;
  /** Whether the variables define it. */
  readonly defined: boolean;
  /** Whether it has a default (`${VAR:=default}`). */
  readonly hasDefault: boolean;
  /** Why Flux's envsubst cannot parse the expression, which fails the whole object; unset otherwise. */
  readonly refused?: string;
}

/** Variables of a cluster-settings ConfigMap as Flux loads them: newlines removed (LoadVariables). @internal */
export function fluxVariables(data: { [key: string]: unknown }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = String(v).replace(/\n/g, '');
  }
  return out;
}

/** An error of strict substitution: a variable without value nor default. @internal */
export class FluxSubstitutionError extends Error {}

const IDENT = /[\p{L}\p{N}_]/u;

interface Expression {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  /** The default's raw text (may hold nested expressions); set when the expression has a default operator. */
  readonly arg?: string;
  readonly supported: boolean;
  /** Why envsubst's parser refuses it (unsupported expressions only). */
  readonly refused?: string;
}

/** An expression met by `substituteText`. @internal */
export interface FoundExpression {
  readonly name: string;
  readonly expression: string;
  readonly defined: boolean;
  readonly hasDefault: boolean;
  readonly supported: boolean;
  readonly refused?: string;
}

/**
 * Substitutes `${...}` in one string as envsubst does. `found` collects the expressions met.
 * `escapes` is false in a default's argument, where envsubst keeps `$$` as written
 * (`${U:=$${A}}` with A=3 gives `$3`, `${U:=a$$b}` gives `a$$b`).
 *
 * @internal
 */
export function substituteText(text: string, vars: Record<string, string>, strict: boolean,
  found?: (e: FoundExpression) => void, escapes: boolean = true): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (escapes && c === '$' && text[i + 1] === '$') {
      // `$$` escapes the dollar (envsubst's scanEscaped).
      out += '$';
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const e = readExpression(text, i);
      const expression = text.slice(e.start, e.end);
      const defined = Object.prototype.hasOwnProperty.call(vars, e.name);
      const hasDefault = e.arg !== undefined;
      found?.({ name: e.name, expression, defined, hasDefault, supported: e.supported, refused: e.refused });
      // Strict mode fails on an undefined variable in a form this module does not evaluate too
      // (`${U^^}`, `${#U}`, `${U:1}`), but not on one envsubst's parser refuses, which fails anyway.
      if (strict && !defined && !hasDefault && e.refused === undefined) {
        throw new FluxSubstitutionError(`variable not set (strict mode): "${e.name}"`);
      }
      if (!e.supported) {
        out += expression;
      } else {
        const value = defined ? vars[e.name] : '';
        if (e.arg !== undefined && value.length === 0) out += substituteText(e.arg, vars, strict, found, false);
        else out += value;
      }
      i = e.end;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Reads `${NAME[op[arg]]}` at `start` (an unterminated one runs to the end of the text). */
function readExpression(text: string, start: number): Expression {
  let i = start + 2;
  let name = '';
  while (i < text.length && IDENT.test(text[i])) name += text[i++];
  if (text[i] === '}' && name) return { start, end: i + 1, name, supported: true };
  // The default operators, as envsubst parses them (after the name, `:` then one of `=-?+`, or `=`;
  // `${VAR-d}` fails with "missing closing brace"); their argument may contain nested `${...}`.
  const two = text.slice(i, i + 2);
  const op = [':=', ':-', ':+', ':?'].includes(two) ? two : text[i] === '=' ? '=' : undefined;
  if (op && name) {
    let j = i + op.length;
    let depth = 0;
    for (; j < text.length; j++) {
      if (text[j] === '$' && text[j + 1] === '{') {
        depth++;
        j++;
      } else if (text[j] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j < text.length) return { start, end: j + 1, name, arg: text.slice(i + op.length, j), supported: true };
  }
  // Any other form, up to the closing brace or the end: those envsubst evaluates (`${#X}`, `${X:1}`,
  // `${X/a/b}`, `${X^^}`...) and those it refuses.
  const close = text.indexOf('}', i);
  const end = close < 0 ? text.length : close + 1;
  const inner = text.slice(start + 2, close < 0 ? end : close);
  const m = /^#?([\p{L}\p{N}_]+)/u.exec(inner);
  return { start, end, name: m ? m[1] : inner, supported: false, refused: refusal(text, start, name, i, close) };
}

/**
 * Why envsubst's parser (github.com/fluxcd/pkg/envsubst parse.go, `parseFunc`) refuses an
 * expression this module does not evaluate, as far as the parser's first choice goes: no closing
 * brace at all, no variable name after `${` (and no `#` of `${#VAR}`), or a name followed by a
 * character that starts none of its functions (`:`, `=`, `,`, `^`, `/`, `#`, `%`): `${VAR-d}`,
 * `${VAR.x}`. A form it reads past that choice may still fail deeper (`${VAR:}`, `${VAR/x}`): that
 * one stays "not evaluated". test/integ/flux-delivery.test.ts holds both to Flux's own code.
 */
function refusal(text: string, start: number, name: string, after: number, close: number): string | undefined {
  if (close < 0) return 'no closing brace';
  if (text[start + 2] === '#') return undefined;
  if (!name) return 'no variable name after "${"';
  return ':=,^/#%'.includes(text[after]) ? undefined : `"${text[after]}" after the name starts none of its functions`;
}

/**
 * Substitutes the variables in one Kubernetes object as kustomize-controller does.
 *
 * @param object the object (parsed JSON)
 * @param vars the variables (`fluxVariables(configMap.data)`)
 * @param strict fail on a variable without value nor default (StrictPostBuildSubstitutions)
 * @internal
 */
export function substituteObject(object: any, vars: Record<string, string>, strict: boolean = false): SubstitutionResult {
  const meta = object?.metadata ?? {};
  const disabled = meta.annotations?.[SUBSTITUTE_ANNOTATION] === 'disabled' || meta.labels?.[SUBSTITUTE_ANNOTATION] === 'disabled';
  const references: FluxVariableReference[] = [];
  const unsupported: FluxVariableReference[] = [];
  const unreadable: FluxUnreadableValue[] = [];
  if (disabled) return { object, disabled, references, unsupported, unreadable };
  // Each expression met, in a value or in a key (whose path is its value's).
  const collect = (path: string) => (e: FoundExpression) => {
    const ref: FluxVariableReference = {
      name: e.name, expression: e.expression, path, defined: e.defined, hasDefault: e.hasDefault, ...(e.refused ? { refused: e.refused } : {}),
    };
    (e.supported ? references : unsupported).push(ref);
  };
  const walk = (value: any, path: string): any => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      const replaced = substituteText(value, vars, strict, collect(path));
      if (replaced === value) return value;
      const read = readBack(value, replaced);
      if (read.reason !== undefined) unreadable.push({ path, text: replaced, reason: read.reason });
      return read.value;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const at = path ? `${path}.${k}` : k;
        const key = k.includes('$') ? substituteText(k, vars, strict, collect(at)) : k;
        out[key] = walk(v, at);
      }
      return out;
    }
    return value;
  };
  return { object: walk(object, ''), disabled, references, unsupported, unreadable };
}

/**
 * The value YAML 1.1 reads back for a substituted string: when the original string is written
 * plain (sigs.k8s.io/yaml marshals it unquoted), the substituted text is read as a plain scalar
 * and may become a number, a boolean or null; otherwise it stays a string. Text that is not one
 * YAML value there (`a: b`, `{a`) fails the object in Flux: its reason is returned, and the value
 * stays the string.
 */
function readBack(original: string, substituted: string): { value: unknown; reason?: string } {
  if (!writtenPlain(original)) return { value: substituted };
  try {
    // A one-key map, or a YAML error: `v: ` starts the document. Warnings (an unknown tag such as
    // `!x`, read as an empty string, as go-yaml does) are not the user's process's business.
    return { value: yaml().parse(`v: ${substituted}\n`, { version: '1.1', logLevel: 'error' }).v };
  } catch (e) {
    return { value: substituted, reason: (e as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
  }
}

/**
 * Whether a YAML emitter writes the string as a plain scalar (no quotes, no block; a string with a
 * line break is always written as a block or quoted).
 */
function writtenPlain(s: string): boolean {
  return !/^v: ["'|>]/.test(yaml().stringify({ v: s }, { version: '1.1', lineWidth: 0 }));
}
