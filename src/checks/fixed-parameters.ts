import type { SchemaProblem } from './schema';
import { fixedParameterProblem } from '../cluster/postgres-parameters';

/**
 * The PostgreSQL parameters CloudNativePG sets itself (`ssl`, `archive_command`,
 * `shared_preload_libraries`, ...), checked on a Cluster as written: its webhook refuses the
 * Cluster ("Can't set fixed configuration parameter"). The same sentence as the typed
 * `parameters.additional` check (`fixedParameterProblem`), for escape hatches and for
 * hand-written manifests (`ManifestAudit`).
 *
 * @param parameters `spec.postgresql.parameters` of a Cluster
 * @internal
 */
export function fixedParameterProblems(parameters: unknown): SchemaProblem[] {
  if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) return [];
  const problems: SchemaProblem[] = [];
  for (const [name, value] of Object.entries(parameters as Record<string, unknown>)) {
    const p = fixedParameterProblem(name);
    if (p) problems.push({ path: `spec.postgresql.parameters.${name}`, value, problem: p.problem, fix: p.fix });
  }
  return problems;
}
