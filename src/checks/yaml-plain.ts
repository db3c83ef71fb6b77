import type { SchemaProblem } from './schema';

/**
 * Strings that cdk8s writes unquoted but that a YAML 1.2 reader takes for a number.
 *
 * cdk8s writes YAML 1.1 (`Yaml.stringify`, the `yaml` package with `version: '1.1'`): it quotes
 * what YAML 1.1 would read as something else (`"n"`, `"017"`, `"1e5"`, `"0x1f"`), but not
 * YAML 1.2's octal form `0o17`, which 1.1 reads as text. The readers of the manifests do not:
 * Flux's kustomize-controller (kyaml, YAML 1.2) and kubectl (sigs.k8s.io/yaml, whose integer
 * resolution is Go's `strconv.ParseInt(s, 0, 64)`, which takes `0o17`) read the number 15. A
 * Secret named `0o17` would reach the API server as `15` (a schema error) or, in a map of
 * strings, as another value. Measured: `Yaml.stringify({ a: '0o1' })` is `a: 0o1` with cdk8s
 * 2.70.106, and the `yaml` package reads it back as 1 (test/yaml-plain.test.ts).
 */
const YAML_12_ONLY_NUMBER = /^[-+]?0o[0-7]+$/;

/**
 * Every string (key or value) of the object that would not reach the API server as itself.
 * @internal
 */
export function ambiguousPlainStrings(json: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (YAML_12_ONLY_NUMBER.test(node)) problems.push(problem(path, node));
    } else if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        const p = path ? `${path}.${k}` : k;
        if (YAML_12_ONLY_NUMBER.test(k)) problems.push(problem(p, k, 'key'));
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
    problem: `is a ${what} that cdk8s writes unquoted (YAML 1.1) and that Flux (YAML 1.2) and kubectl read as the number ${parseInt(value.replace(/0o/, ''), 8)}`,
    fix: `use a name or text that is not an octal number in YAML 1.2 (e.g. "x${value.replace(/^[-+]/, '')}")`,
  };
}
