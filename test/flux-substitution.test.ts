import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { substituteObject, substituteText } from '../src/flux/substitution';

const VENDOR_DIR = path.resolve(__dirname, '..', 'vendor');

describe('Flux\'s post-build substitution (the library\'s; test/integ/flux-delivery.test.ts compares it with Flux\'s own code)', () => {
  const vars = { A: '3', ON: 'on', S: 'text', EMPTY: '' };

  test.each([
    ['${A}', '3'], ['x-${S}-y', 'x-text-y'], ['$${A}', '${A}'], ['$$', '$'], ['${UNDEFINED}', ''], ['${UNDEFINED:=d}', 'd'],
    ['${EMPTY:=d}', 'd'], ['${EMPTY:-d}', 'd'], ['${EMPTY=d}', 'd'], ['${UNDEFINED:=${S}}', 'text'], ['$(shell)', '$(shell)'], ['$A', '$A'],
  ])('%s → %s', (text, want) => {
    expect(substituteText(text, vars, false)).toBe(want);
  });

  test('strict mode: an undefined variable without default fails', () => {
    expect(() => substituteText('${UNDEFINED}', vars, true)).toThrow(/variable not set \(strict mode\): "UNDEFINED"/);
    expect(substituteText('${UNDEFINED:=ok}', vars, true)).toBe('ok');
  });

  test('values are read back as YAML 1.1 plain scalars, whatever the source\'s quotes (sigs.k8s.io/yaml)', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A}', b: '${ON}', s: 'x ${A}', script: 'echo ${A}\necho' } }, vars);
    expect(r.object.data).toEqual({ n: 3, b: true, s: 'x 3', script: 'echo 3\necho' });
    expect(r.references.map((x) => `${x.path} ${x.name}`)).toEqual(['data.n A', 'data.b ON', 'data.s A', 'data.script A']);
  });

  test('kustomize.toolkit.fluxcd.io/substitute: disabled leaves the object alone', () => {
    const obj = { kind: 'ConfigMap', metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, data: { n: '${A}' } };
    expect(substituteObject(obj, vars)).toMatchObject({ disabled: true, object: obj });
  });

  test('the forms it does not evaluate are reported and left as written', () => {
    const r = substituteObject({ kind: 'ConfigMap', data: { n: '${A^^}', l: '${#S}' } }, vars);
    expect(r.object.data).toEqual({ n: '${A^^}', l: '${#S}' });
    expect(r.unsupported.map((u) => u.expression)).toEqual(['${A^^}', '${#S}']);
  });

  test('the reference settings substituted into the reference ScheduledBackup give its six-field schedule', () => {
    const data = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'clusters', 'infra', 'cluster-settings.yaml'), 'utf-8')).data;
    const sb = parse(fs.readFileSync(path.join(VENDOR_DIR, 'reference', 'k8s-gitops', 'kubernetes', 'workloads', 'platform', 'databases', 'cloudnative-pg', 'shared-cluster', 'scheduledbackup.yaml'), 'utf-8'));
    const r = substituteObject(sb, data);
    expect(r.object.spec.schedule).toBe('0 0 2 * * *');
    expect(r.object.metadata.name).toBe('shared-postgres-backup');
  });
});
