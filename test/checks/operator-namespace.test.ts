import { DEFAULT_OPERATOR_NAMESPACE, operatorNamespaceProblem } from '../../src/checks/operator-namespace';

const PROBLEM = {
  problem: 'is the operator\'s namespace',
  fix: 'run the data plane in a namespace of its own, e.g. "databases" (the default)',
};

describe('operatorNamespaceProblem', () => {
  test('the operator\'s namespace is cnpg-system by default (the CloudNativePG chart\'s and manifests\')', () => {
    expect(DEFAULT_OPERATOR_NAMESPACE).toBe('cnpg-system');
    expect(operatorNamespaceProblem('cnpg-system')).toEqual(PROBLEM);
  });

  test('any other namespace, or none, is no problem', () => {
    expect(operatorNamespaceProblem('databases')).toBeUndefined();
    expect(operatorNamespaceProblem('cnpg-system-2')).toBeUndefined();
    expect(operatorNamespaceProblem(undefined)).toBeUndefined();
  });

  test('an operator installed elsewhere: its namespace is refused, cnpg-system is not', () => {
    expect(operatorNamespaceProblem('postgres-operator', 'postgres-operator')).toEqual(PROBLEM);
    expect(operatorNamespaceProblem('cnpg-system', 'postgres-operator')).toBeUndefined();
  });
});
