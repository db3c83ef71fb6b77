/**
 * Flux post-build substitution variables (`${NAME}`, `${NAME:=default}`), resolved by Flux at
 * apply time from the platform's `cluster-settings` ConfigMap. A string that contains one is
 * passed through verbatim and not validated at synth: its value is unknown until Flux runs.
 */
const FLUX_VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::=|:-|=|-)[^}]*)?\}/;
const WHOLE_FLUX_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(?::=|:-|=|-)[^}]*)?\}$/;

/** True when the string contains a Flux `${VAR}` reference. @internal */
export function containsFluxVariable(value: string): boolean {
  return FLUX_VARIABLE.test(value);
}

/** The variable name when the whole string is one `${VAR}` reference, otherwise undefined. @internal */
export function fluxVariableName(value: string): string | undefined {
  return WHOLE_FLUX_VARIABLE.exec(value)?.[1];
}

/** `${NAME}` for a variable name. @internal */
export function fluxReference(name: string): string {
  return '${' + name + '}';
}
