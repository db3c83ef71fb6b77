/**
 * src/cluster/postgres-image.ts called directly (nothing synthesized, so that mutation testing runs
 * only the tests that reach a mutant): each factory's image, major version and Cluster fields, and
 * `_validate`'s refusals with their whole messages (the reference grammar of
 * github.com/distribution/reference, `latest`, missing and floating tags, tags the operator cannot
 * read a version from, catalogs, PostgreSQL older than 13).
 */
import { ImageCatalogKind, PostgresImage } from '../../src';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const check = (image: PostgresImage) => thrown(() => image._validate(boxScope(), 'postgres'));
const OK = '(nothing thrown)';
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('PostgresImage.DEFAULT', () => {
  test('PostgreSQL 17.6 from CloudNativePG\'s repository, pinned', () => {
    expect(PostgresImage.DEFAULT.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.6');
    expect(PostgresImage.DEFAULT.majorVersion).toBe(17);
    expect(PostgresImage.DEFAULT.imageCatalog).toBeUndefined();
    expect(PostgresImage.DEFAULT._clusterSpecFields()).toStrictEqual({ imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6' });
    expect(check(PostgresImage.DEFAULT)).toBe(OK);
  });
});

describe('PostgresImage.version', () => {
  test.each([['16.8', 16], ['13.0', 13], ['18.1', 18], ['17.10', 17], ['100.2', 100]])('%p: the official image, major %p', (v, major) => {
    const image = PostgresImage.version(v);
    expect(image.imageName).toBe(`ghcr.io/cloudnative-pg/postgresql:${v}`);
    expect(image.majorVersion).toBe(major);
    expect(check(image)).toBe(OK);
  });

  test.each(['16', '16.8.1', '16.', '.8', 'v16.8', '16.8-bookworm', ' 16.8', '16.8 '])('%p is refused: not major.minor', (v) => {
    expect(check(PostgresImage.version(v))).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(v)} is not a PostgreSQL "major.minor" version. `
      + 'Fix: pin a minor release such as PostgresImage.version("16.8"); CloudNativePG publishes one tag per minor release');
  });

  test('a major version only still gives the major version', () => {
    expect(PostgresImage.version('16').majorVersion).toBe(16);
    expect(PostgresImage.version('16.8.1').majorVersion).toBeUndefined();
  });

  test('a Flux variable: no major version known, nothing checked', () => {
    const image = PostgresImage.version('${CNPG_POSTGRES_VERSION}');
    expect(image.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:${CNPG_POSTGRES_VERSION}');
    expect(image.majorVersion).toBeUndefined();
    expect(check(image)).toBe(OK);
  });

  test('PostgreSQL 12 is refused', () => {
    expect(check(PostgresImage.version('12.22'))).toBe(
      `${BOX_PATH}: postgres = "ghcr.io/cloudnative-pg/postgresql:12.22" runs PostgreSQL 12, older than the 13 that CloudNativePG supports. `
      + 'Fix: use PostgreSQL 13 or newer');
  });
});

describe('PostgresImage.fromImageName', () => {
  test.each([
    ['registry.example.com/cnpg/postgresql:16.8', 16],
    ['ghcr.io/cloudnative-pg/postgis:17.6-3.5', 17],
    ['postgresql:17.6-standard-bookworm', 17],
    ['r/postgresql:17.10', 17],
    ['r/postgresql:100.1-x', 100],
    ['localhost:5000/postgresql:15.4', 15],
    [`ghcr.io/cloudnative-pg/postgresql:17-3.5@${DIGEST}`, 17],
    [`ghcr.io/cloudnative-pg/postgresql:17@${DIGEST}`, 17],
    ['ghcr.io/cloudnative-pg/postgresql:17.6.1', undefined],
    ['ghcr.io/cloudnative-pg/postgresql:17_6', undefined],
    ['localhost:5000/postgresql', undefined],
  ])('%p: major version %p read from the tag', (name, major) => {
    const image = PostgresImage.fromImageName(name);
    expect(image.imageName).toBe(name);
    expect(image.majorVersion).toBe(major);
    expect(image._clusterSpecFields()).toStrictEqual({ imageName: name });
  });

  test('the major version given wins over the tag', () => {
    expect(PostgresImage.fromImageName('r/postgresql:17.6', 16).majorVersion).toBe(16);
    expect(PostgresImage.fromImageName('r/postgresql:pg17.4-ts2.19', 17).majorVersion).toBe(17);
  });

  test('pinned tags (one of 128 characters, the longest), a digest after a floating tag, separators of the grammar are accepted', () => {
    for (const name of ['registry.example.com/cnpg/postgresql:16.8', `ghcr.io/cloudnative-pg/postgresql:17@${DIGEST}`, 'ghcr.io/cloudnative-pg/postgis:17.6-3.5',
      'my--registry.example.com/a__b/c_d/e-f:17.6', 'postgresql:17.6', `r/p:17.6@${DIGEST}`, `r/p:17.6${'x'.repeat(124)}`, 'a.b_c/d:13.1', 'r/a--b/c---d:17.6']) {
      expect(check(PostgresImage.fromImageName(name))).toBe(OK);
    }
  });

  test.each([
    'Registry.example.com/p:17.6', 'r/P:17.6', 'r/p:-17.6', 'r/p:.17', 'r/p:17.6:1', 'r/p:17.6@sha256:abc', `r/p:17.6@sha256:${'0'.repeat(63)}`,
    `r/p:17.6@sha256:${'0'.repeat(65)}`, `r/p:17.6@${DIGEST.toUpperCase()}`, 'r//p:17.6', '/r/p:17.6', 'r/p/:17.6', 'r/p:', 'r.-p:17.6', 'r/p_:17.6',
    'r/p___q:17.6', 'r:abc/p:17.6', 'r/p:17.6 ', ' r/p:17.6', `r/p:17.6${'x'.repeat(125)}`, 'r/p:17.6@md5:abc', 'r/p@17.6', '',
  ])('%p is not a valid image reference', (name) => {
    expect(check(PostgresImage.fromImageName(name))).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(name)} is not a valid image reference. Fix: give "registry/repository:tag" or "...@sha256:<digest>"`);
  });

  test.each(['r/p:latest', 'r/p:17-latest', 'r/p:latest-bookworm', 'r/p:17.latest', 'r/p:17_latest_x', `r/p:latest@${DIGEST}`])('%p follows latest', (name) => {
    expect(check(PostgresImage.fromImageName(name))).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(name)} is not pinned to a tag or digest (it follows "latest"). `
      + 'Fix: give an explicit version tag, e.g. ":16.8", or a digest; "latest" would change the major version under a running cluster (CloudNativePG refuses it)');
  });

  test.each(['r/p:17.6-latestx', 'r/p:17.6-mylatest'])('%p does not follow latest', (name) => {
    expect(check(PostgresImage.fromImageName(name))).toBe(OK);
  });

  test('no tag', () => {
    expect(check(PostgresImage.fromImageName('ghcr.io/cloudnative-pg/postgresql'))).toBe(
      `${BOX_PATH}: postgres = "ghcr.io/cloudnative-pg/postgresql" is not pinned to a tag or digest. Fix: give an explicit version tag, e.g. ":16.8", or a digest`);
    expect(check(PostgresImage.fromImageName('localhost:5000/postgresql'))).toBe(
      `${BOX_PATH}: postgres = "localhost:5000/postgresql" is not pinned to a tag or digest. Fix: give an explicit version tag, e.g. ":16.8", or a digest`);
  });

  test('a digest without a tag', () => {
    expect(check(PostgresImage.fromImageName(`ghcr.io/cloudnative-pg/postgresql@${DIGEST}`, 17))).toBe(
      `${BOX_PATH}: postgres = "ghcr.io/cloudnative-pg/postgresql@${DIGEST}" has a digest but no tag: CloudNativePG reads the PostgreSQL version from the tag `
      + 'and refuses an image without one. Fix: write the tag before the digest, e.g. "ghcr.io/cloudnative-pg/postgresql:17.6@sha256:<digest>"');
  });

  test.each(['pg17.4-ts2.19', 'v17.6', 'bookworm', '_17'])('the tag %p does not start with a version', (tag) => {
    const name = `r/p:${tag}`;
    expect(check(PostgresImage.fromImageName(name, 17))).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(name)} has the tag "${tag}", which does not start with a PostgreSQL version: CloudNativePG refuses it ("invalid version tag"). `
      + 'Fix: use a tag that starts with the PostgreSQL version, e.g. "17.6" or "17.6-standard-bookworm", or an image catalog (PostgresImage.fromImageCatalog)');
  });

  test.each([
    ['ghcr.io/cloudnative-pg/postgresql:17', '17', 'ghcr.io/cloudnative-pg/postgresql:17.6'],
    ['ghcr.io/cloudnative-pg/postgis:17-3.5', '17-3.5', 'ghcr.io/cloudnative-pg/postgis:17.6-3.5'],
    ['r/postgresql:16-standard-bookworm', '16-standard-bookworm', 'r/postgresql:16.<minor>-standard-bookworm'],
    ['localhost:5000/p:15', '15', 'localhost:5000/p:15.<minor>'],
  ])('the floating tag of %p', (name, tag, pinned) => {
    const major = Number(tag.split('-')[0]);
    expect(check(PostgresImage.fromImageName(name))).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(name)} has the floating tag "${tag}", which follows every PostgreSQL ${major} minor release: `
      + 'like "latest", the instances can run different builds and a restart changes the binaries without a change in Git. '
      + `Fix: pin the minor release in the tag ("${pinned}"), or add a digest (":${tag}@sha256:<digest>"); `
      + `to run a floating tag anyway, write it with cluster.apiObject.addOverride('spec.imageName', '${name}')`);
  });

  test.each([[12, 'r/p:12.20'], [12, 'r/p:17.6'], [9, `r/p:9.6@${DIGEST}`]])('PostgreSQL %p is refused (%p)', (major, name) => {
    const image = major === 12 && name === 'r/p:17.6' ? PostgresImage.fromImageName(name, 12) : PostgresImage.fromImageName(name);
    expect(check(image)).toBe(
      `${BOX_PATH}: postgres = ${JSON.stringify(name)} runs PostgreSQL ${major}, older than the 13 that CloudNativePG supports. Fix: use PostgreSQL 13 or newer`);
  });

  test('PostgreSQL 13, the oldest supported, is accepted', () => {
    expect(check(PostgresImage.fromImageName('r/p:13.20'))).toBe(OK);
    expect(check(PostgresImage.fromImageName('r/p:17.6', 13))).toBe(OK);
  });

  test('a Flux variable anywhere: nothing checked', () => {
    expect(check(PostgresImage.fromImageName('${REGISTRY}/postgresql:latest'))).toBe(OK);
    expect(check(PostgresImage.fromImageName('r/p:${TAG}'))).toBe(OK);
  });

  test('what is not a string or number is refused by the argument checks first (nothing else checks its type)', () => {
    const notA = (what: string) => `is a ${what === 'string' ? 'number' : 'string'}, where a ${what} goes.`;
    expect(thrown(() => PostgresImage.fromImageName(17 as any))).toBe(
      `PostgresImage.fromImageName: imageName = 17 ${notA('string')} Fix: write the value as a string, in quotes (the field is image_name in Python, ImageName in Go)`);
    expect(thrown(() => PostgresImage.version(16.8 as any))).toBe(
      `PostgresImage.version: version = 16.8 ${notA('string')} Fix: write the value as a string, in quotes`);
    expect(thrown(() => PostgresImage.fromImageCatalog(5 as any, 17))).toBe(
      `PostgresImage.fromImageCatalog: catalogName = 5 ${notA('string')} Fix: write the value as a string, in quotes (the field is catalog_name in Python, CatalogName in Go)`);
    expect(thrown(() => PostgresImage.fromImageCatalog('c', '17' as any))).toMatch(/^PostgresImage\.fromImageCatalog: majorVersion = "17" is a string, where a number goes\. Fix: /);
  });
});

describe('PostgresImage.fromImageCatalog', () => {
  const CATALOG_HINT = ' (the field is postgres.image_catalog.name in Python, Postgres.ImageCatalog.Name in Go)';
  const MAJOR_HINT = ' (the field is postgres.image_catalog.major in Python, Postgres.ImageCatalog.Major in Go)';

  test('a ClusterImageCatalog by default, written as imageCatalogRef', () => {
    const image = PostgresImage.fromImageCatalog('postgresql', 17);
    expect(image.imageName).toBe('');
    expect(image.majorVersion).toBe(17);
    expect(image.imageCatalog).toStrictEqual({ name: 'postgresql', kind: 'ClusterImageCatalog', major: 17 });
    expect(image._clusterSpecFields()).toStrictEqual({ imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 } });
    expect(check(image)).toBe(OK);
  });

  test('a namespaced ImageCatalog', () => {
    const image = PostgresImage.fromImageCatalog('pg-images', 16, ImageCatalogKind.NAMESPACED);
    expect(image._clusterSpecFields()).toStrictEqual({ imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'pg-images', major: 16 } });
    expect(check(image)).toBe(OK);
  });

  test.each(['a', 'a.b', 'a-b.c9', '0', 'a'.repeat(253)])('the name %p is accepted', (name) => {
    expect(check(PostgresImage.fromImageCatalog(name, 17))).toBe(OK);
  });

  test.each(['a'.repeat(254), 'A', '-a', 'a-', '.a', 'a.', 'a_b', ''])('the name %p is refused', (name) => {
    expect(check(PostgresImage.fromImageCatalog(name, 17))).toBe(
      `${BOX_PATH}: postgres.imageCatalog.name = ${JSON.stringify(name)} is not an image catalog name. `
      + `Fix: name the ImageCatalog or ClusterImageCatalog, e.g. "postgresql"${CATALOG_HINT}`);
  });

  test.each([13, 18, 99])('the major version %p is accepted', (major) => {
    expect(check(PostgresImage.fromImageCatalog('c', major))).toBe(OK);
  });

  test.each([12, 100, 16.5])('the major version %p is refused', (major) => {
    expect(check(PostgresImage.fromImageCatalog('c', major))).toBe(
      `${BOX_PATH}: postgres.imageCatalog.major = ${major} is not a PostgreSQL major version CloudNativePG supports (13 or newer). Fix: give the major version, e.g. 17${MAJOR_HINT}`);
  });

  test('the kinds are CloudNativePG\'s', () => {
    expect(Object.values(ImageCatalogKind)).toEqual(['ImageCatalog', 'ClusterImageCatalog']);
  });
});
