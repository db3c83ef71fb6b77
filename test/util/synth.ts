import { Chart, Testing } from 'cdk8s';
import { defaultValidator } from './conformance';

/**
 * Synthesizes a chart the way every unit test must: cdk8s validation (construct errors with their
 * path), then every object checked against its CRD or Kubernetes schema. A test that synthesizes
 * invalid YAML fails here, whatever it asserts afterwards.
 */
export function synth(c: Chart): any[] {
  const manifests = Testing.synth(c);
  const errors = defaultValidator().validateAll(manifests);
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
