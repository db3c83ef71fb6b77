import { CNPG_1_30, ManifestValidator } from './util/conformance';

// The conformance gate must be able to fail: these objects break the real schemas in the ways
// the hand-written manifests did (and a few more), and each must be reported.
const validator = new ManifestValidator(CNPG_1_30);

const cluster = (spec: any) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'databases' }, spec });

describe('ManifestValidator', () => {
  test('accepts a minimal valid Cluster', () => {
    expect(validator.validate(cluster({ instances: 3 }))).toEqual([]);
  });

  test('rejects unknown fields, like kubectl --validate=strict', () => {
    const errors = validator.validate(cluster({ instances: 3, bogus: true }));
    expect(errors.join('\n')).toMatch(/unknown field "bogus"/);
  });

  test('rejects a value outside an enum', () => {
    const errors = validator.validate(cluster({ instances: 3, postgresql: { synchronous: { method: 'all', number: 1 } } }));
    expect(errors.join('\n')).toMatch(/allowed: any, first/);
  });

  test('rejects a managed role password secret with a key (the reference cluster.yaml)', () => {
    const errors = validator.validate(cluster({
      instances: 3,
      managed: { roles: [{ name: 'harbor', login: true, passwordSecret: { name: 'harbor-db-credentials', key: 'password' } }] },
    }));
    expect(errors.join('\n')).toMatch(/unknown field "key"/);
  });

  test('rejects database extensions given as strings (the reference databases.yaml)', () => {
    const errors = validator.validate({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Database',
      metadata: { name: 'gitlab', namespace: 'databases' },
      spec: { cluster: { name: 'db' }, name: 'gitlab', owner: 'gitlab', extensions: ['pg_trgm'] },
    });
    expect(errors.join('\n')).toMatch(/extensions\.0: must be object/);
  });

  test('rejects a Pooler template without containers (the reference poolers)', () => {
    const errors = validator.validate({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: { name: 'harbor-pooler', namespace: 'databases' },
      spec: { cluster: { name: 'db' }, instances: 3, type: 'rw', pgbouncer: { poolMode: 'transaction' }, template: { spec: { affinity: {} } } },
    });
    expect(errors.join('\n')).toMatch(/must have required property 'containers'/);
  });

  test('evaluates x-kubernetes-validations (CEL) rules', () => {
    const errors = validator.validate(cluster({
      instances: 3,
      postgresql: { synchronous: { method: 'any', number: 1, dataDurability: 'preferred', standbyNamesPre: ['x'] } },
    }));
    expect(errors.join('\n')).toMatch(/dataDurability set to 'preferred' requires empty 'standbyNamesPre'/);
    const zero = validator.validate(cluster({ instances: 3, postgresql: { synchronous: { method: 'any', number: 0 } } }));
    expect(zero.join('\n')).toMatch(/should be greater than zero/);
  });

  test('evaluates CEL rules at the spec root', () => {
    // imageName and imageCatalogRef are mutually exclusive (a CEL rule at the spec root).
    const errors = validator.validate(cluster({
      instances: 1, imageName: 'x:1', imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'c', major: 16 },
    }));
    expect(errors.join('\n')).toMatch(/imageName and imageCatalogRef are mutually exclusive/);
  });

  test('rejects duplicate keys of a list-map', () => {
    const errors = validator.validate(cluster({ instances: 1, postgresql: { extensions: [{ name: 'a' }, { name: 'a' }] } }));
    expect(errors.join('\n')).toMatch(/duplicate entries for list-map key name/);
  });

  test('checks core kinds strictly against the Kubernetes schemas', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'n' }, spec: { maxUnavailable: 1, selector: {} } };
    expect(validator.validate(pdb)).toEqual([]);
    expect(validator.validate({ ...pdb, spec: { ...pdb.spec, bogus: 1 } }).join('\n')).toMatch(/unknown field "bogus"/);
    expect(validator.validate({ ...pdb, spec: { maxUnavailable: true } }).join('\n')).toMatch(/maxUnavailable/);
  });

  test('checks metadata and names of every object', () => {
    expect(validator.validate({ ...cluster({ instances: 1 }), metadata: { name: 'Bad_Name', namespace: 'n' } }).join('\n')).toMatch(/not a DNS-1123 subdomain/);
    expect(validator.validate({ ...cluster({ instances: 1 }), metadata: { name: 'db' } }).join('\n')).toMatch(/needs a namespace/);
    expect(validator.validate({ ...cluster({ instances: 1 }), metadata: { name: 'db', namespace: 'n', labelz: {} } }).join('\n')).toMatch(/unknown field "labelz"/);
  });

  test('refuses kinds it has no schema for', () => {
    expect(validator.validate({ apiVersion: 'operator.victoriametrics.com/v1beta1', kind: 'VMRule', metadata: { name: 'r', namespace: 'n' } }).join('\n'))
      .toMatch(/no schema/);
  });
});
