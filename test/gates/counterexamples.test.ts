/**
 * Counterexamples the generators of test/gates found, shrunk, kept as regular tests (each names
 * the generator and seed that found it, and what was fixed).
 */
import { Chart, Testing } from 'cdk8s';
import { CnpgSharedCluster, ExternalSecretSync, PostgresImage, SuperuserAccess } from '../../src';
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

  test('a null name is a library error, not a TypeError (fuzz)', () => {
    // Found: {"tls":{"serverCaSecret":null}} threw "TypeError: Cannot read properties of null
    // (reading 'length')" from validateName. Fixed: validateName rejects a non-string.
    const e = errorOf(() => new CnpgSharedCluster(gate(), 'db', { tls: { serverCaSecret: null as unknown as string } }));
    expect(unacceptableError(e)).toBeUndefined();
    expect(parseLibraryError(e.message)).toMatchObject({ where: "CnpgSharedCluster at 'gate/db'", field: 'tls.serverCaSecret' });
  });
});
