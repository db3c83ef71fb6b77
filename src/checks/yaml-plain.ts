import type { SchemaProblem } from './schema';

/**
 * Strings that cdk8s writes unquoted but that the readers of the manifests take for a number.
 *
 * cdk8s writes YAML 1.1 (`Yaml.stringify`, the `yaml` package with `version: '1.1'`): it quotes
 * what YAML 1.1 would read as something else (`"n"`, `"017"`, `"1e5"`, `"0x1f"`, `"0b101"`), but
 * not YAML 1.2's octal form `0o17`, nor the prefixes in capitals (`0O17`, `0X1F`, `0B101`), nor a
 * prefixed number with `_` where YAML 1.1 allows none (`0o1_7`, `0_x1f`), which 1.1 reads as text.
 * The readers of the manifests do not: Flux's kustomize-controller (kyaml, go.yaml.in/yaml/v3)
 * and kubectl (sigs.k8s.io/yaml, go.yaml.in/yaml/v2) resolve a plain scalar that starts with a
 * sign or a digit with Go's `strconv.ParseInt(s, 0, 64)` after removing every `_`, which takes
 * all of those (measured with both packages: `0O17` and `0o1_7` are 15, `0X1F` and `0_x1f` 31,
 * `0B101` 5). A Secret named `0o17` would reach the API server as `15` (a schema error) or, in a
 * map of strings, as another value. Measured: `Yaml.stringify({ a: '0o1' })` is `a: 0o1` with
 * cdk8s 2.70.106, and the `yaml` package reads it back as 1 (test/yaml-plain.test.ts).
 */
/** Go's prefixed integers (`strconv.ParseInt(s, 0, 64)`), once every `_` is removed. */
const GO_PREFIXED_INT = /^[-+]?0([oO][0-7]+|[bB][01]+|[xX][0-9a-fA-F]+)$/;
/** The prefixed integers of YAML 1.1, which cdk8s quotes. */
const YAML_11_PREFIXED_INT = /^[-+]?0(b[01_]+|x[0-9a-fA-F_]+)$/;
const BASES: Record<string, number> = { o: 8, b: 2, x: 16 };

/** Whether cdk8s writes the string plainly and Go's YAML packages read a number. */
function readAsNumber(s: string): boolean {
  return /^[-+0-9]/.test(s) && GO_PREFIXED_INT.test(s.replace(/_/g, '')) && !YAML_11_PREFIXED_INT.test(s);
}

/** The number Go's YAML packages read. */
function goNumber(s: string): number {
  const plain = s.replace(/_/g, '');
  const digits = plain.replace(/^[-+]/, '');
  const n = parseInt(digits.slice(2), BASES[digits[1].toLowerCase()]);
  return plain.startsWith('-') ? -n : n;
}

/**
 * Every string (key or value) of the object that would not reach the API server as itself.
 * @internal
 */
export function ambiguousPlainStrings(json: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (readAsNumber(node)) problems.push(problem(path, node));
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        const p = path ? `${path}.${k}` : k;
        if (readAsNumber(k)) problems.push(problem(p, k, 'key'));
        visit(v, p);
      }
    }
  };
  visit(json, '');
  return problems;
}

function problem(path: string, value: string, what = 'value'): SchemaProblem {
  return {
    path,
    value,
    problem: `is a ${what} that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number ${goNumber(value)}`,
    fix: `use a name or text that Go's YAML packages do not read as a number (e.g. "x${value.replace(/^[-+]/, '')}")`,
  };
}
