/**
 * The operator's namespace is not a place for the data plane: CloudNativePG's own namespace has
 * the operator's RBAC, network policies and upgrade cycle. One sentence for the shared cluster's
 * `namespace` prop and for hand-written manifests (`ManifestAudit`).
 */

/** The namespace the CloudNativePG Helm chart and manifests install the operator into. @internal */
export const DEFAULT_OPERATOR_NAMESPACE = 'cnpg-system';

/**
 * The problem of running data-plane objects in `namespace`, or undefined.
 *
 * @param namespace the data plane's namespace
 * @param operatorNamespace the operator's namespace
 * @internal
 */
export function operatorNamespaceProblem(namespace: string | undefined, operatorNamespace: string = DEFAULT_OPERATOR_NAMESPACE):
{ problem: string; fix: string } | undefined {
  if (namespace !== operatorNamespace) return undefined;
  return {
    problem: 'is the operator\'s namespace',
    fix: 'run the data plane in a namespace of its own, e.g. "databases" (the default)',
  };
}
