import { IConstruct } from 'constructs';
import { imageTag, tagVersion } from './cluster-rules';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { checkArgs } from '../core/prop-check';

/** The repository of CloudNativePG's PostgreSQL operand images. */
const CNPG_IMAGE_REPOSITORY = 'ghcr.io/cloudnative-pg/postgresql';
const VERSION = /^(\d+)(?:\.(\d+))?$/;
/** Oldest PostgreSQL major version the supported CNPG releases (1.27–1.30) run. */
const MIN_MAJOR = 13;
/** The default image's version, for the fix of a floating tag. */
const DEFAULT_MAJOR = 17;
const DEFAULT_MINOR = 6;

/** The kind of a CloudNativePG image catalog. */
export enum ImageCatalogKind {
  /** An `ImageCatalog` in the cluster's namespace. */
  NAMESPACED = 'ImageCatalog',
  /** A cluster-wide `ClusterImageCatalog`. */
  CLUSTER_WIDE = 'ClusterImageCatalog',
}

/** A PostgreSQL major version of a CloudNativePG image catalog (`spec.imageCatalogRef`). */
export interface ImageCatalogReference {
  /** The catalog's name. */
  readonly name: string;
  /** The catalog's kind. */
  readonly kind: ImageCatalogKind;
  /** The PostgreSQL major version whose image the catalog gives. */
  readonly major: number;
}

/**
 * The PostgreSQL container image of the cluster's instances.
 *
 * Prefer {@link PostgresImage.version} with a `major.minor` version: the tag is pinned, so an
 * upgrade is always a visible change in the manifests. Floating tags are refused like `latest`:
 * `postgresql:17`, `postgis:17-3.5` or `17-standard-bookworm` follow every minor release, so the
 * instances of one cluster can run different builds and a restart changes the binaries without a
 * change in Git. A digest (`...:17@sha256:...`) pins any tag.
 */
export class PostgresImage {
  /**
   * PostgreSQL 17.6 from CloudNativePG's image repository: the library's default, pinned so that
   * the major version never changes under a running cluster (CNPG refuses major changes in place).
   */
  public static readonly DEFAULT = PostgresImage.version('17.6');

  /**
   * CloudNativePG's official image for a PostgreSQL version, `ghcr.io/cloudnative-pg/postgresql:<version>`.
   *
   * @param version `major.minor` (e.g. `16.8`), or a Flux variable such as `${CNPG_POSTGRES_VERSION}`
   */
  public static version(version: string): PostgresImage {
    checkArgs('PostgresImage.version', [version]);
    const m = VERSION.exec(version);
    return new PostgresImage(`${CNPG_IMAGE_REPOSITORY}:${version}`, m ? Number(m[1]) : undefined, version);
  }

  /**
   * Any image, by full reference with a pinned tag (e.g. a mirror:
   * `registry.example.com/cnpg/postgresql:16.8`, or `ghcr.io/cloudnative-pg/postgis:17.6-3.5`),
   * optionally with a digest. Refused at synth, as CloudNativePG refuses them: the tag `latest`,
   * no tag (a digest alone: the operator reads the PostgreSQL version from the tag), a tag that
   * does not start with the PostgreSQL version (`pg17.4-ts2.19`). Refused by the library: a
   * floating major-only tag (`:17`, `:17-3.5`) without a digest; the escape hatch
   * `cluster.apiObject.addOverride('spec.imageName', ...)` still writes one.
   *
   * @param imageName the full image reference
   * @param majorVersion the PostgreSQL major version the image runs, when the tag does not say it
   */
  public static fromImageName(imageName: string, majorVersion?: number): PostgresImage {
    checkArgs('PostgresImage.fromImageName', [imageName, majorVersion]);
    const fromTag = /^(\d+)(?:\.\d+)?(?:-|$)/.exec(imageTag(imageName));
    return new PostgresImage(imageName, majorVersion ?? (fromTag ? Number(fromTag[1]) : undefined));
  }

  /**
   * The image of a PostgreSQL major version from a CloudNativePG image catalog
   * (`spec.imageCatalogRef`): the catalog, kept by the platform team, pins the image of each major
   * version, and the operator rolls the clusters that use it when the catalog changes.
   *
   * @param catalogName the `ImageCatalog` (cluster's namespace) or `ClusterImageCatalog`
   * @param majorVersion the PostgreSQL major version (one of the catalog's entries)
   * @param kind default `ImageCatalogKind.CLUSTER_WIDE`
   */
  public static fromImageCatalog(catalogName: string, majorVersion: number, kind?: ImageCatalogKind): PostgresImage {
    checkArgs('PostgresImage.fromImageCatalog', [catalogName, majorVersion, kind]);
    return new PostgresImage('', majorVersion, undefined, { name: catalogName, kind: kind ?? ImageCatalogKind.CLUSTER_WIDE, major: majorVersion });
  }

  /**
   * The full image reference written into `spec.imageName`; empty for an image catalog
   * (`imageCatalog` is written instead).
   */
  public readonly imageName: string;

  /** The PostgreSQL major version, when known at synth time. */
  public readonly majorVersion?: number;

  /** The image catalog entry, for `PostgresImage.fromImageCatalog`. */
  public readonly imageCatalog?: ImageCatalogReference;

  private readonly requestedVersion?: string;

  private constructor(imageName: string, majorVersion?: number, requestedVersion?: string, imageCatalog?: ImageCatalogReference) {
    this.imageName = imageName;
    this.majorVersion = majorVersion;
    this.requestedVersion = requestedVersion;
    this.imageCatalog = imageCatalog;
  }

  /**
   * The Cluster fields of the image: `imageName`, or `imageCatalogRef` for a catalog.
   * @internal
   */
  public _clusterSpecFields(): { imageName?: string; imageCatalogRef?: { apiGroup: string; kind: string; name: string; major: number } } {
    const c = this.imageCatalog;
    return c ? { imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: c.kind, name: c.name, major: c.major } } : { imageName: this.imageName };
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
    if (this.imageCatalog) {
      const c = this.imageCatalog;
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(c.name) || c.name.length > 253) {
        throw invalidInput(scope, `${field}.imageCatalog.name`, c.name, 'is not an image catalog name', 'name the ImageCatalog or ClusterImageCatalog, e.g. "postgresql"');
      }
      if (!Number.isInteger(c.major) || c.major < MIN_MAJOR || c.major > 99) {
        throw invalidInput(scope, `${field}.imageCatalog.major`, c.major, `is not a PostgreSQL major version CloudNativePG supports (${MIN_MAJOR} or newer)`, 'give the major version, e.g. 17');
      }
      return;
    }
    if (containsFluxVariable(this.imageName)) return;
    if (this.requestedVersion !== undefined) {
      const m = VERSION.exec(this.requestedVersion);
      if (!m || m[2] === undefined) {
        throw invalidInput(scope, field, this.requestedVersion, 'is not a PostgreSQL "major.minor" version',
          'pin a minor release such as PostgresImage.version("16.8"); CloudNativePG publishes one tag per minor release');
      }
    }
    // The reference grammar of github.com/distribution/reference: components are separated by
    // ".", "_", "__" or any number of "-" ("my--registry" is valid).
    if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/.test(this.imageName)) {
      throw invalidInput(scope, field, this.imageName, 'is not a valid image reference', 'give "registry/repository:tag" or "...@sha256:<digest>"');
    }
    const tag = imageTag(this.imageName);
    const digest = /@sha256:[a-f0-9]{64}$/.test(this.imageName);
    if (/(^|[-_.])latest($|[-_.])/.test(tag)) {
      throw invalidInput(scope, field, this.imageName, 'is not pinned to a tag or digest (it follows "latest")',
        'give an explicit version tag, e.g. ":16.8", or a digest; "latest" would change the major version under a running cluster (CloudNativePG refuses it)');
    }
    if (!tag) {
      throw invalidInput(scope, field, this.imageName, digest ? 'has a digest but no tag: CloudNativePG reads the PostgreSQL version from the tag and refuses an image without one' : 'is not pinned to a tag or digest',
        digest ? 'write the tag before the digest, e.g. "ghcr.io/cloudnative-pg/postgresql:17.6@sha256:<digest>"' : 'give an explicit version tag, e.g. ":16.8", or a digest');
    }
    const version = tagVersion(tag);
    if (!version) {
      throw invalidInput(scope, field, this.imageName, `has the tag "${tag}", which does not start with a PostgreSQL version: CloudNativePG refuses it ("invalid version tag")`,
        'use a tag that starts with the PostgreSQL version, e.g. "17.6" or "17.6-standard-bookworm", or an image catalog (PostgresImage.fromImageCatalog)');
    }
    if (version.minor === undefined && !digest) {
      const pinned = tag.replace(/^\d+/, `${version.major}.${version.major === DEFAULT_MAJOR ? DEFAULT_MINOR : '<minor>'}`);
      throw invalidInput(scope, field, this.imageName,
        `has the floating tag "${tag}", which follows every PostgreSQL ${version.major} minor release: like "latest", the instances can run different builds and a restart changes the binaries without a change in Git`,
        `pin the minor release in the tag ("${this.imageName.slice(0, this.imageName.length - tag.length)}${pinned}"), or add a digest (":${tag}@sha256:<digest>"); to run a floating tag anyway, write it with cluster.apiObject.addOverride('spec.imageName', '${this.imageName}')`);
    }
    if (this.majorVersion !== undefined && this.majorVersion < MIN_MAJOR) {
      throw invalidInput(scope, field, this.imageName, `runs PostgreSQL ${this.majorVersion}, older than the ${MIN_MAJOR} that CloudNativePG supports`,
        'use PostgreSQL 13 or newer');
    }
  }
}
