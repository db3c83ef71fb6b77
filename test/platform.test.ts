import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CnpgSharedCluster, CnpgVersion } from '../src';
import { CNPG_1_27, CNPG_1_30, defaultValidator, validatorFor } from './util/conformance';
import { fluxSubstitute, readSettingsData } from './util/flux';
import { one } from './util/synth';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';

function platformYaml(): string {
  const app = Testing.app();
  buildPlatform(app);
  return (app as App).synthYaml();
}

describe('the reference platform (examples/platform)', () => {
  const yamlText = platformYaml();
  const raw = parseAllDocuments(yamlText).map((d) => d.toJSON());
  const settings = readSettingsData(REFERENCE_SETTINGS_FILE);
  const substituted = parseAllDocuments(fluxSubstitute(yamlText, settings)).map((d) => d.toJSON());

  test('every object passes the schemas as synthesized (with Flux variables)', () => {
    expect(defaultValidator().validateAll(raw)).toEqual([]);
  });

  test('every object passes the schemas after Flux substitutes the reference cluster-settings', () => {
    expect(defaultValidator().validateAll(substituted)).toEqual([]);
  });

  test('it declares the operator the platform runs: 1.27, from CNPG_OPERATOR_VERSION "0.26.1" (the Helm chart)', () => {
    const app = Testing.app();
    const chart = buildPlatform(app);
    const clusters = chart.node.findAll().filter((n): n is CnpgSharedCluster => n instanceof CnpgSharedCluster);
    expect(clusters.map((c) => c.operatorVersion)).toEqual([CnpgVersion.V1_27]);
    expect(settings.CNPG_OPERATOR_VERSION).toBe('0.26.1');
  });

  test.each([CNPG_1_27, CNPG_1_30])('its output is valid against the $cnpg CRDs, raw and after Flux substitution', (release) => {
    expect(validatorFor(release).validateAll(raw)).toEqual([]);
    expect(validatorFor(release).validateAll(substituted)).toEqual([]);
  });

  test('every Flux variable it uses is defined in the cluster-settings', () => {
    const used = new Set([...yamlText.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]));
    expect([...used].filter((v) => !(v in settings))).toEqual([]);
    expect(used.size).toBeGreaterThan(0);
  });

  test('after substitution it is the reference cluster, with its defects fixed', () => {
    const cluster = one(substituted, 'Cluster', 'shared-postgres');
    expect(cluster.metadata.namespace).toBe('databases'); // not cnpg-system
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.8',
      storage: { size: '80Gi', storageClass: 'openebs-local-nvme' },
      walStorage: { size: '20Gi', storageClass: 'openebs-local-nvme' },
      enableSuperuserAccess: false, // the reference had true
      enablePDB: true,
      replicationSlots: { highAvailability: { enabled: true } },
    });
    expect(cluster.spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, maxStandbyNamesFromCluster: 2, dataDurability: 'preferred' });
    // The reference's `ssl` and `ssl_prefer_server_ciphers` are fixed parameters the operator rejects.
    expect(cluster.spec.postgresql.parameters.ssl).toBeUndefined();
    expect(cluster.spec.postgresql.parameters.ssl_prefer_server_ciphers).toBeUndefined();
    // The reference's single hostssl rule left the operator's plain-text catch-all open.
    expect(cluster.spec.postgresql.pg_hba[0]).toBe('hostnossl all all all reject');
    expect(cluster.spec.postgresql.parameters.max_connections).toBe('200');
  });
});
