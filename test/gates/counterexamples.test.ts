/**
 * Counterexamples the generators of test/gates found, shrunk, kept as regular tests (each names
 * the generator and seed that found it, and what was fixed).
 */
import { Chart, Testing } from 'cdk8s';
import { ClusterSettings, CnpgSharedCluster, ExternalSecretSync, PostgresImage, SettingsMode, SuperuserAccess } from '../../src';
import { errorOf, messagesOf, parseLibraryError, unacceptableError } from '../util/errors';
import { one, synth } from '../util/synth';

const gate = () => new Chart(Testing.app(), 'gate');

describe('counterexamples found by the generators', () => {
  test('an image registry with "--" is a valid reference (generated configurations, seed 1712450601)', () => {
    // Found: {"instances":4,"image":{"kind":"image","imageName":"0--0/cnpg/postgresql:13.0"}} was
    // rejected as "not a valid image reference". The distribution/reference grammar separates
    // components with any number of "-". Fixed in PostgresImage._validate.
    const c = gate();
    new CnpgSharedCluster(c, 'a', { instances: 4, postgres: PostgresImage.fromImageName('0--0/cnpg/postgresql:13.0') });
    expect(one(synth(c), 'Cluster').spec.imageName).toBe('0--0/cnpg/postgresql:13.0');
    // Still rejected: a separator at the end of a component.
    expect(() => new CnpgSharedCluster(gate(), 'b', { postgres: PostgresImage.fromImageName('registry-/pg:16.8') })).toThrow(/is not a valid image reference/);
  });

  test('a secret store name the ExternalSecret CRD rejects fails at synth (fuzz)', () => {
    // Found: {"superuserAccess":SuperuserAccess.fromSecretStore("q"),"secretStore":{"name":"]t9"}}
    // synthesized an ExternalSecret whose secretStoreRef.name the CRD rejects. Fixed in
    // ExternalSecretSync: the store name must be a DNS-1123 subdomain (or a Flux variable).
    const e = errorOf(() => synth((() => {
      const c = gate();
      new CnpgSharedCluster(c, 'db', { secretStore: { name: ']t9' }, superuserAccess: SuperuserAccess.fromSecretStore('q') });
      return c;
    })()));
    expect(unacceptableError(e)).toBeUndefined();
    expect(parseLibraryError(messagesOf(e)[0])).toMatchObject({ where: "ExternalSecretSync at 'gate/db/SuperuserSecret'", field: 'store.name' });
    const c = gate();
    new ExternalSecretSync(c, 'es', { store: { name: '${EXTERNAL_SECRET_STORE}' }, secretName: 's', namespace: 'n', entries: [{ secretKey: 'k', remoteKey: 'r' }] });
    expect(c.node.findAll().length).toBeGreaterThan(1);
  });

  test('a Flux-mode setting that YAML reads as a number fails at synth (generated configurations, seed 1712450601)', () => {
    // Found: {"instances":1,"storage":{"storageClass":"${CNPG_STORAGE_CLASS}"},"settings":{"data":{"CNPG_STORAGE_CLASS":"0"}}}
    // (and EXTERNAL_SECRET_STORE "0"): Flux substitutes the variable as unquoted text, so the
    // Cluster reached the API server with `storageClass: 0`, a number the CRD rejects. Fixed in
    // ClusterSettings: in Flux mode a value must read back as itself.
    const settings = ClusterSettings.fromData({ CNPG_STORAGE_CLASS: '0' }, { mode: SettingsMode.FLUX_VARIABLES });
    const e = errorOf(() => new CnpgSharedCluster(gate(), 'db', { settings }));
    expect(unacceptableError(e)).toBeUndefined();
    expect(parseLibraryError(e.message)).toMatchObject({ where: 'ClusterSettings(data)', field: 'CNPG_STORAGE_CLASS' });
    // Flux reads the substituted text as YAML 1.1 (go-yaml v2): yes/on/n/off are booleans there,
    // 1_000 and 0b101 numbers (measured with Flux's own substitution, test/integ/flux-values.test.ts).
    for (const bad of ['true', 'null', '1e3', '0x1F', "'quoted'", '@daily', '[a]', 'yes', 'on', 'n', 'Off', '1_000', '0b101', '0o17']) {
      expect(() => ClusterSettings.fromData({ CNPG_MINIO_SECRET_PATH: bad }, { mode: SettingsMode.FLUX_VARIABLES }).backupCredentialsPath).toThrow(/unquoted/);
    }
    // Values mode quotes what it writes, and text that reads as itself is fine in Flux mode.
    expect(ClusterSettings.fromData({ CNPG_STORAGE_CLASS: '0' }).storageClass).toBe('0');
    for (const good of ['fast-0', 'nvme', 'yes-please', 'on-demand', '12e', '0.1.2']) {
      expect(ClusterSettings.fromData({ CNPG_STORAGE_CLASS: good }, { mode: SettingsMode.FLUX_VARIABLES }).storageClass).toBe('${CNPG_STORAGE_CLASS}');
    }
  });

  test('a null name is a library error, not a TypeError (fuzz)', () => {
    // Found: {"tls":{"serverCaSecret":null}} threw "TypeError: Cannot read properties of null
    // (reading 'length')" from validateName. Fixed: validateName rejects a non-string.
    const e = errorOf(() => new CnpgSharedCluster(gate(), 'db', { tls: { serverCaSecret: null as unknown as string } }));
    expect(unacceptableError(e)).toBeUndefined();
    expect(parseLibraryError(e.message)).toMatchObject({ where: "CnpgSharedCluster at 'gate/db'", field: 'tls.serverCaSecret' });
  });
});
