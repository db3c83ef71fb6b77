import { IConstruct } from 'constructs';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';

/** The repository of CloudNativePG's PostgreSQL operand images. */
const CNPG_IMAGE_REPOSITORY = 'ghcr.io/cloudnative-pg/postgresql';
const VERSION = /^(\d+)(?:\.(\d+))?$/;
/** Oldest PostgreSQL major version the supported CNPG releases (1.27–1.30) run. */
const MIN_MAJOR = 13;

/**
 * The PostgreSQL container image of the cluster's instances.
 *
 * Prefer {@link PostgresImage.version} with a `major.minor` version: the tag is pinned, so an
 * upgrade is always a visible change in the manifests.
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
    const v = String(version);
    const m = VERSION.exec(v);
    return new PostgresImage(`${CNPG_IMAGE_REPOSITORY}:${v}`, m ? Number(m[1]) : undefined, v);
  }

  /**
   * Any image, by full reference with a tag or digest (e.g. a mirror:
   * `registry.example.com/cnpg/postgresql:16.8`). The tag `latest` and untagged references are
   * rejected: the image must be pinned.
   *
   * @param imageName the full image reference
   * @param majorVersion the PostgreSQL major version the image runs, when the tag does not say it
   */
  public static fromImageName(imageName: string, majorVersion?: number): PostgresImage {
    const tag = /:([^/:@]+)$/.exec(imageName)?.[1];
    const fromTag = tag ? /^(\d+)(?:\.\d+)?(?:-|$)/.exec(tag) : null;
    return new PostgresImage(imageName, majorVersion ?? (fromTag ? Number(fromTag[1]) : undefined));
  }

  /** The full image reference written into `spec.imageName`. */
  public readonly imageName: string;

  /** The PostgreSQL major version, when known at synth time. */
  public readonly majorVersion?: number;

  private readonly requestedVersion?: string;

  private constructor(imageName: string, majorVersion?: number, requestedVersion?: string) {
    this.imageName = imageName;
    this.majorVersion = majorVersion;
    this.requestedVersion = requestedVersion;
  }

  /** @internal */
  public _validate(scope: IConstruct, field: string): void {
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
    if (!/[:@][^/]+$/.test(this.imageName) || /:latest$/.test(this.imageName)) {
      throw invalidInput(scope, field, this.imageName, 'is not pinned to a tag or digest',
        'give an explicit version tag, e.g. ":16.8", or a digest; "latest" would change the major version under a running cluster');
    }
    if (this.majorVersion !== undefined && this.majorVersion < MIN_MAJOR) {
      throw invalidInput(scope, field, this.imageName, `runs PostgreSQL ${this.majorVersion}, older than the ${MIN_MAJOR} that CloudNativePG supports`,
        'use PostgreSQL 13 or newer');
    }
  }
}
