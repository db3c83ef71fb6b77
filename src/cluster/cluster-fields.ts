import { CnpgField } from '../versions/features';

/**
 * Cluster fields typed props write that not every supported release's CRD has, to gate the prop
 * with its own name (`requireCnpgVersion`). Which releases have them is read from the vendored
 * CRDs, never written here.
 * @internal
 */
export const CNPG_CLUSTER_FIELDS = {
  serviceAccountName: { kind: 'Cluster', field: 'spec.serviceAccountName' },
  metricsQueriesTtl: { kind: 'Cluster', field: 'spec.monitoring.metricsQueriesTTL' },
} satisfies Record<string, CnpgField>;
