import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { CrdRelease, crdReleases, releaseVersion, validatorFor } from './conformance';
import { CnpgSharedCluster } from '../../src/cluster/shared-cluster';
import { CnpgVersion } from '../../src/versions/cnpg-version';

/**
 * The CRD releases of vendor/crds a chart's output is validated against in the unit tests: the
 * release its newest `operatorVersion` targets (the manifests are written for it) and the newest
 * vendored release (an upgraded operator must still accept them). The integration suite checks
 * every release in between (test/integ/example-output.test.ts). A chart without a cluster is
 * checked against the oldest and the newest.
 */
export function targetReleases(c: Chart): CrdRelease[] {
  const targets = c.node.findAll().filter((n): n is CnpgSharedCluster => n instanceof CnpgSharedCluster).map((n) => n.operatorVersion);
  const newest = targets.reduce<CnpgVersion | undefined>((a, v) => (a && a.isAtLeast(v) ? a : v), undefined);
  const all = crdReleases();
  const first = newest ? all.find((r) => releaseVersion(r) === newest.release) : all[0];
  if (!first) return [];
  return [...new Set([first, all[all.length - 1]])];
}

/**
 * Synthesizes a chart the way every unit test must: cdk8s validation (construct errors with their
 * path), then every object checked against its CRD or Kubernetes schema, for every CNPG release
 * the chart targets (`targetReleases`: 1.27.1 and 1.30.0 today). A test that synthesizes invalid
 * YAML fails here, whatever it asserts afterwards.
 */
export function synth(c: Chart): any[] {
  const manifests = Testing.synth(c);
  const releases = targetReleases(c);
  if (!releases.length) throw new Error('no CNPG CRD release in vendor/crds covers the chart\'s operatorVersion');
  const errors = releases.flatMap((r) => validatorFor(r).validateAll(manifests).map((e) => `[${r.cnpg}] ${e}`));
  if (errors.length) {
    throw new Error(`synthesized objects fail schema validation:\n  ${errors.join('\n  ')}`);
  }
  return manifests;
}

/** A fresh chart in a fresh app. */
export function chart(): Chart {
  return Testing.chart();
}

/** The objects of a kind (and name), in synthesis order. */
export function ofKind(manifests: any[], kind: string, name?: string): any[] {
  return manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
}

/** The one object of a kind (and name); throws when there is not exactly one. */
export function one(manifests: any[], kind: string, name?: string): any {
  const found = ofKind(manifests, kind, name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}

/** A bare construct in a fresh chart, for the functions that take a scope; its errors start with {@link BOX_PATH}. */
export function boxScope(): Construct {
  return new Construct(chart(), 'box');
}

/** How the library's errors name {@link boxScope}'s construct. */
export const BOX_PATH = 'Construct at \'test/box\'';
