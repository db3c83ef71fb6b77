import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';

/** The `data` of a Flux cluster-settings ConfigMap file. */
export function readSettingsData(file: string): Record<string, string> {
  const doc = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON()).find((d) => d?.kind === 'ConfigMap');
  return doc.data;
}

/**
 * Flux post-build substitution, as kustomize-controller does it: a plain-text replacement of
 * `${VAR}` (and `${VAR:=default}`) in the YAML before it is parsed. Throws on a variable the
 * settings do not define (Flux's strict substitution).
 */
export function fluxSubstitute(yamlText: string, vars: Record<string, string>): string {
  return yamlText.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}/g, (_m, name: string, dflt?: string) => {
    if (name in vars) return vars[name];
    if (dflt !== undefined) return dflt;
    throw new Error(`variable \${${name}} is not defined in the cluster-settings`);
  });
}
