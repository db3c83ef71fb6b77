/**
 * Security scanners (checkov, kube-score) know Kubernetes' workload kinds, not CloudNativePG's
 * CRDs. A Pooler's pods are a Deployment the operator builds from the Pooler's `spec.template`,
 * so each Pooler is projected into that Deployment for the scanners, as the operator would write
 * it (cloudnative-pg pkg/specs/pgbouncer/deployments.go): the library's template with the
 * operator's pod and pgbouncer security contexts (test/util/pod-security.ts), image, ports,
 * readiness probe, volumes and service account.
 *
 * Left out: the operator's `bootstrap-controller` init container (its resources and image are the
 * operator's own, not something the library writes). The Cluster's instance pods are not
 * projected: everything in them but resources and affinity is the operator's.
 */
import { CNPG_CONTAINER_SECURITY_CONTEXT, effectivePoolerPodSpec } from './pod-security';

/** The PgBouncer image CloudNativePG 1.30 runs when the Pooler names none (pkg/versions/versions.go). */
export const CNPG_DEFAULT_PGBOUNCER_IMAGE = 'ghcr.io/cloudnative-pg/pgbouncer:1.25.1';

/** The Deployment the operator creates for a Pooler. */
export function poolerDeployment(pooler: any): any {
  const name = pooler.metadata.name;
  const spec = effectivePoolerPodSpec(pooler.spec?.template?.spec ?? {});
  const labels = { ...(pooler.spec?.template?.metadata?.labels ?? {}), 'cnpg.io/poolerName': name };
  const containers = spec.containers.map((c: any) => (c.name !== 'pgbouncer' ? c : {
    ...c,
    image: c.image ?? pooler.spec?.pgbouncer?.image ?? CNPG_DEFAULT_PGBOUNCER_IMAGE,
    command: c.command ?? ['/controller/manager', 'pgbouncer', 'run'],
    ports: [{ name: 'pgbouncer', containerPort: 5432 }, { name: 'metrics', containerPort: 9127 }],
    readinessProbe: c.readinessProbe ?? { timeoutSeconds: 5, tcpSocket: { port: 5432 } },
    volumeMounts: [...(c.volumeMounts ?? []), { name: 'scratch-data', mountPath: '/controller' }],
    env: [...(c.env ?? []), { name: 'NAMESPACE', value: pooler.metadata.namespace }, { name: 'POOLER_NAME', value: name }],
    securityContext: CNPG_CONTAINER_SECURITY_CONTEXT,
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: pooler.metadata.namespace, labels: pooler.metadata.labels },
    spec: {
      replicas: pooler.spec?.instances ?? 1,
      selector: { matchLabels: { 'cnpg.io/poolerName': name } },
      strategy: pooler.spec?.deploymentStrategy,
      template: {
        metadata: { labels, annotations: pooler.spec?.template?.metadata?.annotations },
        spec: {
          ...spec,
          initContainers: spec.initContainers.filter((c: any) => c.name !== 'bootstrap-controller'),
          containers,
          serviceAccountName: spec.serviceAccountName ?? name,
          volumes: [
            ...(spec.volumes ?? []),
            { name: 'ca', secret: { secretName: 'ca' } },
            { name: 'server-tls', secret: { secretName: 'server-tls' } },
            { name: 'scratch-data', emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** The manifests with every Pooler's Deployment added after it. */
export function withOperatorWorkloads(manifests: any[]): any[] {
  return manifests.flatMap((m) => (m.kind === 'Pooler' ? [m, poolerDeployment(m)] : [m]));
}
