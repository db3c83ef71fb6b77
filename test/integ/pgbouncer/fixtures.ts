/**
 * The four application Poolers of the reference platform, as the library synthesizes them
 * (examples/platform: `cluster.addApplication(...)` with ApplicationProfile.KEYCLOAK, HARBOR,
 * GITLAB, SYNERGYFLOW), after Flux substitutes the reference cluster-settings. This is the ONE
 * place the PgBouncer lab takes them from, so the lab proves what the library emits.
 *
 * `PROFILES` target CloudNativePG 1.30, where the library also writes `client_tls_sslmode=require`
 * and `server_tls_sslmode=verify-full`. `PLATFORM_1_27` are the same Poolers for the operator the
 * platform runs today (1.27, where those two keys are not settable: the operator forces
 * prefer/verify-ca), whose only lock against plain-text clients is the pooler's pg_hba.
 */
import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../../../examples/platform/platform';
import { CnpgVersion } from '../../../src';
import { fluxSubstitute, readSettingsData } from '../../util/flux';
import type { PoolerManifest } from '../support/pgbouncer-config';

export interface PoolerProfile {
  /** The application, also the PostgreSQL role and database the lab creates for it. */
  readonly app: string;
  readonly pooler: PoolerManifest;
}

const APPS = ['keycloak', 'harbor', 'gitlab', 'synergyflow'] as const;

/** The platform's Poolers for one operator release, keyed by application. */
function platformPoolers(operatorVersion: CnpgVersion): Record<(typeof APPS)[number], PoolerProfile> {
  const app = Testing.app();
  buildPlatform(app, { operatorVersion });
  const yamlText = fluxSubstitute((app as App).synthYaml(), readSettingsData(REFERENCE_SETTINGS_FILE));
  const poolers = parseAllDocuments(yamlText).map((d) => d.toJSON()).filter((o) => o?.kind === 'Pooler') as PoolerManifest[];
  const byApp = (name: string): PoolerProfile => {
    const pooler = poolers.find((p) => p.metadata.name === `${name}-pooler`);
    if (!pooler) throw new Error(`the reference platform has no Pooler ${name}-pooler`);
    return { app: name, pooler };
  };
  return { keycloak: byApp('keycloak'), harbor: byApp('harbor'), gitlab: byApp('gitlab'), synergyflow: byApp('synergyflow') };
}

const V1_30 = platformPoolers(CnpgVersion.V1_30);

export const KEYCLOAK = V1_30.keycloak;
export const HARBOR = V1_30.harbor;
export const GITLAB = V1_30.gitlab;
export const SYNERGYFLOW = V1_30.synergyflow;

export const PROFILES: readonly PoolerProfile[] = [KEYCLOAK, HARBOR, GITLAB, SYNERGYFLOW];

/** The same Poolers for CloudNativePG 1.27 (the platform's operator today). */
export const PLATFORM_1_27 = platformPoolers(CnpgVersion.V1_27);
