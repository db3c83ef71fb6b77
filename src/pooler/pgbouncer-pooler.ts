import { Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { attachConnectionBudget } from './connection-budget';
import { PGBOUNCER_PARAMETERS_SINCE, pgbouncerParameterProblems, PgBouncerParameters, PoolMode, PreparedStatementUse, RenderedPgBouncerParameters, renderPgBouncerParameters } from './pgbouncer-parameters';
import { serverConnectionsPerInstance } from '../checks/connection-budget';
import { MIN_HA_POOLER_INSTANCES, poolerInstancesProblem } from '../checks/pooler-availability';
import { poolerTlsRule } from '../checks/pooler-tls';
import { clusterHooks } from '../cluster/cluster-hooks';
import { ICnpgCluster } from '../cluster/cluster-ref';
import { REFUSED_POOLER_FIELDS, refusedFieldProblems } from '../cluster/cluster-rules';
import { isCidr } from '../common/cidr';
import { crdValue, crdValues, toCrdJson } from '../common/crd-json';
import { invalidInput } from '../common/errors';
import { containsFluxVariable } from '../common/flux';
import { validateName } from '../common/names';
import { validateInteger } from '../common/numbers';
import { Quantity } from '../common/quantity';
import { ComputeResources, renderComputeResources } from '../common/resources';
import { HOSTNAME_TOPOLOGY_KEY, PodAntiAffinity, ZONE_TOPOLOGY_KEY, ZoneSpread } from '../common/scheduling';
import { ServiceEndpoint, SslMode } from '../common/service-endpoint';
import { CheckedApiObject, checkedObject } from '../core/checked-api-object';
import { checkArgs } from '../core/prop-check';
import type * as cnpg from '../imports/cnpg-pooler-postgresql.cnpg.io';
import { POOLER_SPEC } from '../imports/json-names';
import { addPodMonitor } from '../monitoring/pod-monitor';
import { Credentials, CredentialsSource } from '../secrets/credentials';
import { ExternalSecretSync, goDuration } from '../secrets/external-secret';
import { CNPG_FIELDS } from '../versions/features';

/** PgBouncer's port (forced by the operator) and its exporter's port. */
const PGBOUNCER_PORT = 5432;
const METRICS_PORT = 9127;
/** The label CloudNativePG puts on every pod of a Pooler. */
const POOLER_NAME_LABEL = 'cnpg.io/poolerName';
/** The name of the PgBouncer container in the operator's pod template. */
const PGBOUNCER_CONTAINER = 'pgbouncer';
/** Written in transaction mode unless set: PgBouncer 1.24's default (older images default to 0). */
const DEFAULT_MAX_PREPARED_STATEMENTS = 200;

/** Which CloudNativePG Service a pooler forwards to. */
export enum PoolerType {
  /** The primary (`<cluster>-rw`): reads and writes. */
  READ_WRITE = 'rw',
  /** The standbys only (`<cluster>-ro`): read-only traffic. */
  READ_ONLY = 'ro',
  /** Any instance (`<cluster>-r`). */
  ANY_INSTANCE = 'r',
}

/** The type of a pooler's Service. */
export enum PoolerServiceType {
  /** Reachable inside the Kubernetes cluster only (the default). */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud or MetalLB/Cilium load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** Metadata and type of the Service the operator creates for a pooler (`spec.serviceTemplate`). */
export interface PoolerServiceTemplate {
  /**
   * Extra labels of the Service.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the Service (e.g. a load balancer's).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * The Service type.
   *
   * @default PoolerServiceType.CLUSTER_IP
   */
  readonly type?: PoolerServiceType;
}

/**
 * A NetworkPolicy for a pooler's pods: who may connect, who may scrape, and where the pods may go.
 */
export interface PoolerNetworkPolicyOptions {
  /** Namespaces whose pods may connect to PgBouncer (TCP 5432): the application's namespaces. */
  readonly clientNamespaces: string[];
  /**
   * Namespaces whose pods may scrape the exporter (TCP 9127), e.g. `['observability']`.
   *
   * @default - any namespace may scrape (the metrics carry no credentials); narrow it to your
   * Prometheus' or VictoriaMetrics' namespace
   */
  readonly scraperNamespaces?: string[];
  /**
   * Restrict the pods' egress to the cluster's instances (TCP 5432), DNS (53) and the Kubernetes
   * API (443, 6443: the pooler's instance manager watches its Pooler and Secrets). Turn off when
   * the platform manages egress elsewhere.
   *
   * @default true
   */
  readonly restrictEgress?: boolean;
  /**
   * The address ranges of the Kubernetes API server, for the egress rule. Narrow them to the
   * control plane's addresses when you know them. With Cilium, traffic to a host-network API
   * server matches `toEntities: kube-apiserver`, not an ipBlock: keep the platform's
   * allow-kube-api policy (NetworkPolicies add up).
   *
   * @default ['0.0.0.0/0', '::/0'] on TCP 443 and 6443 only
   */
  readonly apiServerCidrs?: string[];
}

/** What a pooler looks like, for a standalone pooler and for an application's poolers alike. */
export interface PoolerOptions {
  /**
   * PgBouncer replicas. Fewer than 3 is an error unless `acceptReducedAvailability` is set.
   *
   * @default - the settings' `CNPG_POOLER_REPLICAS`, otherwise 3
   */
  readonly instances?: number;
  /**
   * Allow fewer than three replicas. With two, a node drain (one replica evicted, the PDB allows
   * it) plus one crash leaves the application without a pooler; with one, every rollout and every
   * drain is an outage. Only for development clusters.
   *
   * @default false
   */
  readonly acceptReducedAvailability?: boolean;
  /**
   * CPU and memory of the PgBouncer container.
   *
   * @default - requests 100m CPU and 128Mi memory, limit 256Mi memory, no CPU limit (a CPU limit
   * throttles a proxy into latency spikes)
   */
  readonly resources?: ComputeResources;
  /**
   * Pod anti-affinity of the replicas across nodes (`cnpg.io/poolerName`, `kubernetes.io/hostname`).
   *
   * @default PodAntiAffinity.PREFERRED - replicas spread over nodes but still schedule on a small
   * cluster; use REQUIRED when there are more nodes than replicas
   */
  readonly antiAffinity?: PodAntiAffinity;
  /**
   * Spread of the replicas across zones.
   *
   * @default ZoneSpread.NONE
   */
  readonly zoneSpread?: ZoneSpread;
  /**
   * Typed PgBouncer settings.
   *
   * @default - PgBouncer's defaults (and `maxPreparedStatements` 200 in transaction mode)
   */
  readonly parameters?: PgBouncerParameters;
  /**
   * Any other PgBouncer parameter, `{ key: value }`. Each key must be in CloudNativePG 1.30's
   * allow-list and each value must be of its PgBouncer type; keys the operator forces and keys
   * the typed props own are refused with the reason.
   *
   * @default - none
   */
  readonly additionalParameters?: { [key: string]: string };
  /**
   * TLS required from applications (`client_tls_sslmode`). The operator's default, `prefer`,
   * lets plain-text clients in. VERIFY_CA / VERIFY_FULL also require client certificates signed
   * by the client CA. Settable since CloudNativePG 1.28; with an older `operatorVersion` the
   * operator forces `prefer`, and the pooler's pg_hba rules (`hostnossl ... reject` first) are
   * what refuses plain text.
   *
   * @default SslMode.REQUIRE (CloudNativePG 1.28+; not written for older operators)
   */
  readonly clientTlsMode?: SslMode;
  /**
   * How PgBouncer checks PostgreSQL's certificate (`server_tls_sslmode`). VERIFY_FULL checks the
   * CA and that the certificate names `<cluster>-<type>`, which the operator's certificates do
   * (a custom server certificate must name them too). Settable since CloudNativePG 1.28; older
   * operators force `verify-ca`.
   *
   * @default SslMode.VERIFY_FULL (CloudNativePG 1.28+; not written for older operators)
   */
  readonly serverTlsMode?: SslMode;
  /**
   * Pause the pooler (PgBouncer `PAUSE`: waits for running queries, then holds new ones) for
   * maintenance.
   *
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Labels, annotations and type of the pooler's Service.
   *
   * @default - a ClusterIP Service named like the pooler
   */
  readonly serviceTemplate?: PoolerServiceTemplate;
  /**
   * The PgBouncer image (CloudNativePG 1.28+ field `spec.pgbouncer.image`).
   *
   * @default - the operator's default image
   */
  readonly image?: string;
  /**
   * A `kubernetes.io/tls` Secret with PgBouncer's own certificate towards applications
   * (`clientTLSSecret`, CloudNativePG 1.28+). Its names must cover the pooler's Service.
   *
   * @default - the cluster's server certificate, to which the construct adds the pooler's
   * Service names (operator-managed certificates)
   */
  readonly clientTlsSecret?: string;
  /**
   * A Secret with the CA (`ca.crt`) client certificates are checked against (`clientCASecret`,
   * CloudNativePG 1.28+).
   *
   * @default - the cluster's client CA
   */
  readonly clientCaSecret?: string;
  /**
   * A `kubernetes.io/tls` Secret with the certificate PgBouncer presents to PostgreSQL
   * (`serverTLSSecret`, CloudNativePG 1.28+). Needs `authQuery`: the operator's automated
   * integration is then off.
   *
   * @default - the operator's `cnpg_pooler_pgbouncer` client certificate
   */
  readonly serverTlsSecret?: string;
  /**
   * A Secret with the CA (`ca.crt`) PgBouncer verifies PostgreSQL's certificate with
   * (`serverCASecret`, CloudNativePG 1.28+).
   *
   * @default - the cluster's server CA
   */
  readonly serverCaSecret?: string;
  /**
   * A custom auth query (manual integration: the operator then does not manage the
   * `cnpg_pooler_pgbouncer` role for this pooler). Goes with `authQuerySecret` or `serverTlsSecret`.
   *
   * @default - the operator's `SELECT usename, passwd FROM public.user_search($1)`
   */
  readonly authQuery?: string;
  /**
   * A basic-auth Secret with the auth query's user (deprecated by CloudNativePG in favour of
   * `serverTlsSecret`). Goes with `authQuery`.
   *
   * @default - none (automated integration)
   */
  readonly authQuerySecret?: string;
  /**
   * Where the auth query's user and password come from, for `authQuery`: the secret store (an
   * ExternalSecret `<pooler>-auth-query`), an existing `kubernetes.io/basic-auth` Secret (SOPS,
   * Sealed Secrets, a plain Secret, the operator's `<cluster>-superuser`), or
   * `Credentials.operatorGenerated()`: the operator's automated integration (no `authQuery`).
   * Written as `authQuerySecret`.
   *
   * @default - the automated integration, or `authQuerySecret`
   */
  readonly authQueryCredentials?: Credentials;
  /**
   * Write an explicit PodMonitor for the exporter (CloudNativePG's `enablePodMonitor` is
   * deprecated in 1.30).
   *
   * @default true
   */
  readonly podMonitor?: boolean;
  /**
   * The scrape interval of the PodMonitor.
   *
   * @default - the Prometheus' own
   */
  readonly scrapeInterval?: Duration;
}

/** Props of {@link PgBouncerPooler}. */
export interface PgBouncerPoolerProps extends PoolerOptions {
  /** The cluster the pooler serves (the Pooler lives in its namespace). */
  readonly cluster: ICnpgCluster;
  /**
   * The Pooler's name, which is also its Service's name: a DNS-1035 label, not the cluster's name.
   *
   * @default - the construct id
   */
  readonly poolerName?: string;
  /**
   * The Service the pooler forwards to.
   *
   * @default PoolerType.READ_WRITE
   */
  readonly type?: PoolerType;
  /**
   * PgBouncer's pool mode.
   *
   * @default PoolMode.SESSION - every PostgreSQL feature works; choose TRANSACTION for
   * applications that keep no session state
   */
  readonly poolMode?: PoolMode;
  /**
   * How the clients use prepared statements, checked against the pool mode: in transaction mode
   * PROTOCOL_LEVEL needs `maxPreparedStatements > 0`, SQL_LEVEL is an error.
   *
   * @default PreparedStatementUse.PROTOCOL_LEVEL - most drivers prepare by default
   */
  readonly clientPreparedStatements?: PreparedStatementUse;
  /**
   * The databases clients may reach through the pooler (pg_hba). With `allowedRoles`, this
   * bounds the pools, which the connection budget needs.
   *
   * @default - every database; the connection budget then cannot bound the pooler and fails
   */
  readonly allowedDatabases?: string[];
  /**
   * The roles that may log in through the pooler (pg_hba).
   *
   * @default - every role; the connection budget then cannot bound the pooler and fails
   */
  readonly allowedRoles?: string[];
  /**
   * The application the pooler serves (labels, alerts, the budget's shares).
   *
   * @default - the pooler's name
   */
  readonly application?: string;
  /**
   * A NetworkPolicy for the pooler's pods.
   *
   * @default - none
   */
  readonly networkPolicy?: PoolerNetworkPolicyOptions;
  /**
   * Extra labels on every object of the pooler.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A CloudNativePG `Pooler` (PgBouncer, postgresql.cnpg.io/v1) in front of a shared cluster, with
 * the guardrails a shared platform needs: three replicas spread over nodes, a
 * PodDisruptionBudget, rolling updates one replica at a time without surge, TLS required from
 * clients and verified towards PostgreSQL, `hostssl`-only pg_hba rules, parameters checked
 * against the operator's allow-list and PgBouncer's types, an explicit PodMonitor, and a place
 * in the cluster's connection budget.
 *
 * Applications connect to `endpoint` (the Service has the pooler's name): `endpoint.fqdn`,
 * `endpoint.libpqUri(db)`, `endpoint.jdbcUrl(db)`.
 */
export class PgBouncerPooler extends Construct {
  /** The Pooler's name: also its Service's name and its pods' `cnpg.io/poolerName` label. */
  public readonly poolerName: string;
  /** The namespace (the cluster's). */
  public readonly namespace: string;
  /** PgBouncer replicas. */
  public readonly instances: number;
  /** The Service the pooler forwards to. */
  public readonly type: PoolerType;
  /** The pool mode. */
  public readonly poolMode: PoolMode;
  /** The application served. */
  public readonly application: string;
  /** Where applications connect: the pooler's Service, port 5432. */
  public readonly endpoint: ServiceEndpoint;
  /** `spec.pgbouncer.parameters` as written. */
  public readonly parameters: { [key: string]: string };
  /**
   * The Pooler as written, for escape hatches in the CRD's field names
   * (`pooler.apiObject.addOverride('spec.pgbouncer.parameters.log_connections', '1')`); checked at
   * synth against the targeted release's CRD and the operator's parameter allow-list.
   */
  public readonly apiObject: CheckedApiObject;
  /** The PodDisruptionBudget as written. */
  public readonly podDisruptionBudget: CheckedApiObject;
  /** The exporter's PodMonitor as written, when `podMonitor` is on. */
  public readonly podMonitor?: CheckedApiObject;
  /** The NetworkPolicy as written, when there is one. */
  public readonly networkPolicy?: CheckedApiObject;
  /** The ExternalSecret of the auth query's user, when `authQueryCredentials` come from the secret store. */
  public readonly authQueryCredentials?: ExternalSecretSync;

  private readonly explicitDatabases: string[] | 'all';
  private readonly explicitRoles: string[] | 'all';
  /** Database/role pairs of the applications sharing the pooler (the `sharedPooler` option of {@link CnpgSharedCluster.addApplication}). */
  private readonly admitted: Array<{ application: string; database: string; role: string; clientNamespaces: string[] }> = [];
  private readonly shared: boolean;
  private readonly rendered: RenderedPgBouncerParameters;

  constructor(scope: Construct, id: string, props: PgBouncerPoolerProps) {
    checkArgs('new PgBouncerPooler', [scope, id, props]);
    super(scope, id);
    const cluster = props.cluster;
    const hooks = clusterHooks(this, 'cluster', cluster);
    this.shared = constructingShared;
    constructingShared = false;
    this.namespace = cluster.namespace;
    this.poolerName = props.poolerName ?? id;
    validateName(this, 'poolerName', this.poolerName, { startsWithLetter: true });
    checkPoolerName(this, 'poolerName', this.poolerName, cluster.clusterName);
    if (this.poolerName === cluster.clusterName) {
      throw invalidInput(this, 'poolerName', this.poolerName, 'is the name of its Cluster, which CloudNativePG\'s webhook rejects (the pooler\'s Service would clash with the cluster\'s)',
        `name it e.g. "${this.poolerName}-pooler"`);
    }
    this.application = props.application ?? this.poolerName;
    this.type = props.type ?? PoolerType.READ_WRITE;
    this.poolMode = props.poolMode ?? PoolMode.SESSION;
    // Only -ro and -r can be disabled (managedServices has no switch for -rw).
    if (hooks._defaultServiceDisabled(this.type)) {
      throw invalidInput(this, 'type', this.type,
        `forwards to the cluster's -${this.type} Service, which managedServices disables: PgBouncer would have no server to connect to`,
        `keep the -${this.type} Service (drop it from managedServices), or use another pooler type`);
    }

    // Replicas.
    this.instances = props.instances ?? cluster.settings?.poolerReplicas ?? MIN_HA_POOLER_INSTANCES;
    validateInteger(this, 'instances', this.instances, 1, 100, 'give 3 or more replicas');
    const fewer = poolerInstancesProblem(this.instances, this.application);
    if (fewer && !props.acceptReducedAvailability) throw invalidInput(this, 'instances', this.instances, fewer.problem, fewer.fix);

    // TLS secrets and the auth query (the webhook's rule: authQuery goes with a Secret).
    for (const field of ['clientTlsSecret', 'clientCaSecret', 'serverTlsSecret', 'serverCaSecret', 'authQuerySecret'] as const) {
      const v = props[field];
      if (v !== undefined) validateName(this, field, v, { maxLength: 253 });
    }
    if (props.authQueryCredentials !== undefined && props.authQuerySecret !== undefined) {
      throw invalidInput(this, 'authQueryCredentials', props.authQueryCredentials.source, 'is given with authQuerySecret', 'give one of them (Credentials.fromSecret(name) is authQuerySecret)');
    }
    const authQueryCredentials = props.authQueryCredentials?._materialize(this, 'AuthQueryCredentials', {
      field: 'authQueryCredentials',
      defaultSecretName: `${this.poolerName}-auth-query`,
      namespace: cluster.namespace,
      store: () => hooks._requireSecretStore(`the auth query of pooler "${this.poolerName}"`),
      labels: { ...cluster.commonLabels, 'app.kubernetes.io/component': 'credentials' },
      operatorGenerated: '',
    });
    this.authQueryCredentials = authQueryCredentials?.externalSecret;
    const authQuerySecret = props.authQuerySecret ?? (authQueryCredentials?.secretName || undefined);
    if (props.authQueryCredentials?.source === CredentialsSource.OPERATOR_GENERATED && props.authQuery !== undefined) {
      throw invalidInput(this, 'authQuery', props.authQuery, 'is a manual integration, but authQueryCredentials is the operator\'s (automated integration)',
        'drop authQuery, or give the auth query user\'s credentials (Credentials.fromSecret or fromSecretStore)');
    }
    const hasAuthSecret = !!(authQuerySecret || props.serverTlsSecret);
    if (props.authQuery !== undefined && !hasAuthSecret) {
      throw invalidInput(this, 'authQuery', props.authQuery, 'needs authQuerySecret or serverTlsSecret (CloudNativePG\'s webhook rejects it alone)',
        'give the Secret of the auth query\'s user, or drop authQuery to keep the operator\'s automated integration');
    }
    if (hasAuthSecret && !props.authQuery) {
      throw invalidInput(this, authQuerySecret ? (props.authQuerySecret ? 'authQuerySecret' : 'authQueryCredentials') : 'serverTlsSecret', authQuerySecret ?? props.serverTlsSecret,
        'needs authQuery (CloudNativePG\'s webhook rejects the Secret without it)',
        'give authQuery, e.g. "SELECT usename, passwd FROM public.user_search($1)", or drop the Secret');
    }

    // Fields of newer CRDs.
    const version = cluster.operatorVersion;
    for (const [field, crdField] of [
      ['clientTlsSecret', CNPG_FIELDS.poolerClientTls], ['clientCaSecret', CNPG_FIELDS.poolerClientTls],
      ['serverTlsSecret', CNPG_FIELDS.poolerServerTls], ['serverCaSecret', CNPG_FIELDS.poolerServerTls],
      ['image', CNPG_FIELDS.poolerImage],
    ] as const) {
      if (props[field] !== undefined) hooks._requireOperatorVersion(this, field, props[field], crdField);
    }

    // Parameters. The TLS modes are settable since CNPG 1.27.1 (PR #8674, backported from 1.28;
    // see PGBOUNCER_PARAMETERS_SINCE); on older operators the operator forces prefer/verify-ca and
    // the pg_hba rules below are what refuses plain text.
    const tlsModesSince = PGBOUNCER_PARAMETERS_SINCE.client_tls_sslmode;
    const tlsModesSettable = version.isAtLeast(tlsModesSince);
    for (const field of ['clientTlsMode', 'serverTlsMode'] as const) {
      if (props[field] !== undefined && !tlsModesSettable) {
        throw invalidInput(this, field, props[field],
          `needs CloudNativePG ${tlsModesSince.version} or newer (client_tls_sslmode/server_tls_sslmode are settable since ${tlsModesSince.version}), but the manifests target operatorVersion ${version.version}`,
          `upgrade the operator and set operatorVersion (e.g. CnpgVersion.V${tlsModesSince.version.replace(/\./g, '_')}), or leave it unset (the pg_hba rules still refuse plain-text clients)`);
      }
    }
    const fixed: Record<string, string> = tlsModesSettable ? {
      client_tls_sslmode: props.clientTlsMode ?? SslMode.REQUIRE,
      server_tls_sslmode: props.serverTlsMode ?? SslMode.VERIFY_FULL,
    } : {};
    const defaults: Record<string, string> = {};
    if (this.poolMode === PoolMode.TRANSACTION) defaults.max_prepared_statements = String(DEFAULT_MAX_PREPARED_STATEMENTS);
    const rendered = renderPgBouncerParameters(this, props.parameters ?? {}, props.additionalParameters ?? {}, fixed, defaults, version);
    this.rendered = rendered;
    this.parameters = rendered.parameters;
    this.checkPreparedStatements(props.clientPreparedStatements ?? PreparedStatementUse.PROTOCOL_LEVEL, rendered.maxPreparedStatements ?? 0);

    // pg_hba (see hbaRules) and the pools (see serverConnectionsPerInstance) are read at synth: a
    // shared pooler gains a database/role pair with each application that joins it.
    this.explicitDatabases = hbaList(this, 'allowedDatabases', props.allowedDatabases);
    this.explicitRoles = hbaList(this, 'allowedRoles', props.allowedRoles);

    const labels = {
      ...cluster.commonLabels,
      'app.kubernetes.io/component': 'pooler',
      'app.kubernetes.io/part-of': this.application,
      ...(props.labels ?? {}),
    };
    const podLabels = { [POOLER_NAME_LABEL]: this.poolerName };

    // The pooler presents the cluster's server certificate unless it has its own: add the
    // pooler's Service names to it so clients can verify-full.
    this.endpoint = new ServiceEndpoint(this.poolerName, this.namespace, PGBOUNCER_PORT, cluster.clusterDomain);
    if (!props.clientTlsSecret) {
      hooks._addServerAltDnsNames([
        this.poolerName,
        `${this.poolerName}.${this.namespace}`,
        `${this.poolerName}.${this.namespace}.svc`,
        this.endpoint.fqdn,
      ]);
    }

    const resources = renderComputeResources(this, 'resources', props.resources ?? {
      cpuRequest: Quantity.millicores(100),
      memoryRequest: Quantity.mebibytes(128),
      memoryLimit: Quantity.mebibytes(256),
    });
    const antiAffinity = props.antiAffinity ?? PodAntiAffinity.PREFERRED;
    const zoneSpread = props.zoneSpread ?? ZoneSpread.NONE;
    const podSelector = { matchLabels: podLabels };
    const affinityTerm = { labelSelector: podSelector, topologyKey: HOSTNAME_TOPOLOGY_KEY };
    const secretRef = (name: string | undefined) => (name ? { name } : undefined);
    const svc = props.serviceTemplate;

    this.apiObject = checkedObject(this, 'Resource', {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: { name: this.poolerName, namespace: this.namespace, labels },
      release: () => cluster.operatorVersion.release,
      rules: [
        (json) => pgbouncerParameterProblems(json?.spec?.pgbouncer?.parameters, cluster.operatorVersion),
        (json) => refusedFieldProblems(json, REFUSED_POOLER_FIELDS),
        poolerTlsRule,
      ],
      fields: {
        spec: Lazy.any({
          produce: () => toCrdJson({
            cluster: { name: cluster.clusterName },
            instances: this.instances,
            type: this.type as string as cnpg.PoolerSpecType,
            pgbouncer: {
              poolMode: this.poolMode as string as cnpg.PoolerSpecPgbouncerPoolMode,
              parameters: this.parameters,
              pgHba: this.hbaRules,
              paused: props.paused,
              image: props.image,
              authQuery: props.authQuery,
              authQuerySecret: secretRef(authQuerySecret),
              clientTlsSecret: secretRef(props.clientTlsSecret),
              clientCaSecret: secretRef(props.clientCaSecret),
              serverTlsSecret: secretRef(props.serverTlsSecret),
              serverCaSecret: secretRef(props.serverCaSecret),
            },
            deploymentStrategy: {
              type: 'RollingUpdate',
              // No surge: a rollout never runs more replicas than the connection budget counts.
              rollingUpdate: {
                maxUnavailable: crdValue<cnpg.PoolerSpecDeploymentStrategyRollingUpdateMaxUnavailable>(1),
                maxSurge: crdValue<cnpg.PoolerSpecDeploymentStrategyRollingUpdateMaxSurge>(0),
              },
            },
            serviceTemplate: svc ? {
              metadata: svc.labels || svc.annotations ? { labels: svc.labels, annotations: svc.annotations } : undefined,
              spec: svc.type ? { type: svc.type } : undefined,
            } : undefined,
            template: {
              // Not app.kubernetes.io/name and managed-by: from 1.28.0 the operator sets them on the
              // pods itself (postgresql, cloudnative-pg), so written here they would not stick.
              metadata: { labels: podTemplateLabels(labels) },
              spec: {
                containers: [{
                  name: PGBOUNCER_CONTAINER,
                  resources: {
                    requests: crdValues<cnpg.PoolerSpecTemplateSpecContainersResourcesRequests>(resources.requests),
                    limits: crdValues<cnpg.PoolerSpecTemplateSpecContainersResourcesLimits>(resources.limits),
                  },
                }],
                affinity: {
                  podAntiAffinity: antiAffinity === PodAntiAffinity.REQUIRED
                    ? { requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm] }
                    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: affinityTerm }] },
                },
                topologySpreadConstraints: zoneSpread === ZoneSpread.NONE ? undefined : [{
                  maxSkew: 1,
                  topologyKey: ZONE_TOPOLOGY_KEY,
                  whenUnsatisfiable: zoneSpread,
                  labelSelector: podSelector,
                }],
              },
            },
          }, POOLER_SPEC),
        }),
      },
    });

    this.podDisruptionBudget = checkedObject(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: this.poolerName, namespace: this.namespace, labels },
      fields: { spec: { maxUnavailable: 1, selector: podSelector } },
    });

    if (props.podMonitor ?? true) {
      this.podMonitor = addPodMonitor(this, 'PodMonitor', {
        name: this.poolerName,
        namespace: this.namespace,
        labels: { ...cluster.monitoringLabels, 'app.kubernetes.io/component': 'pooler', 'app.kubernetes.io/part-of': this.application },
        matchLabels: podLabels,
        // The PgBouncer container's named port 9127 (pkg/specs/pgbouncer/deployments.go).
        port: 'metrics',
        relabelings: [{ sourceLabel: POOLER_NAME_LABEL, targetLabel: 'pooler' }],
        interval: props.scrapeInterval ? goDuration(props.scrapeInterval) : undefined,
      });
    }

    if (props.networkPolicy) this.networkPolicy = this.addNetworkPolicy(props.networkPolicy, labels, podLabels, cluster);

    // Registered with a getter: the connection budget reads the pools at synth, after every
    // application has joined a shared pooler.
    const self = this;
    hooks._registerPooler({
      poolerName: this.poolerName,
      namespace: this.namespace,
      instances: this.instances,
      type: this.type,
      application: this.application,
      poolMode: this.poolMode,
      maxClientConnections: rendered.maxClientConnections ?? 100,
      defaultPoolSize: rendered.defaultPoolSize,
      get serverConnectionsPerInstance() {
        return self.serverConnectionsPerInstance;
      },
    });
    attachConnectionBudget(cluster);
    this.node.addValidation({
      validate: () => (this.shared && !this.pairs().length
        ? [invalidInput(this, 'applications', '[]', 'is empty: the shared pooler serves no database',
          'add applications with cluster.addApplication(name, { sharedPooler }) or give allowedDatabases and allowedRoles').message]
        : []),
    });
  }

  /**
   * The database/role pairs clients may use: the cross product of `allowedDatabases` and
   * `allowedRoles`, plus one pair per application sharing the pooler. Empty when a list is unset
   * (every database or role, unbounded).
   */
  private pairs(): Array<{ database: string; role: string }> {
    const out: Array<{ database: string; role: string }> = [];
    const seen = new Set<string>();
    const add = (database: string, role: string) => {
      const k = `${database}\u0000${role}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push({ database, role });
      }
    };
    if (this.explicitDatabases !== 'all' && this.explicitRoles !== 'all') {
      for (const d of this.explicitDatabases) for (const r of this.explicitRoles) add(d, r);
    }
    for (const a of this.admitted) add(a.database, a.role);
    return out;
  }

  /** Whether clients may reach every database or every role (no bound on the pools). */
  private get unbounded(): boolean {
    return !this.shared && (this.explicitDatabases === 'all' || this.explicitRoles === 'all');
  }

  /**
   * The most server connections one replica can open: its pools (database/role pairs × pool
   * size, capped by `max_db_connections` and `max_user_connections`) plus one for the auth query.
   * Undefined when `allowedDatabases`/`allowedRoles` leave the pools unbounded. A shared pooler
   * counts the pairs of the applications that joined it (read it at synth time).
   */
  public get serverConnectionsPerInstance(): number | undefined {
    return this.unbounded ? undefined : serverConnectionsPerInstance(this.pairs(), this.rendered);
  }

  /**
   * The pg_hba rules written into `spec.pgbouncer.pg_hba`: plain text rejected first (the
   * operator appends `host all all 0.0.0.0/0 md5`, which matches plain text too), then TLS for
   * the allowed databases and roles (one rule per application of a shared pooler: an
   * application's role reaches only its own database), then nothing else.
   */
  public get hbaRules(): string[] {
    if (!this.shared) return poolerHbaRules(this.explicitDatabases, this.explicitRoles);
    const entries: Array<[string, string]> = [];
    if (this.explicitDatabases !== 'all' && this.explicitRoles !== 'all') entries.push([this.explicitDatabases.join(','), this.explicitRoles.join(',')]);
    for (const a of this.admitted) entries.push([a.database, a.role]);
    return poolerHbaRulesOf(entries);
  }

  /** The applications sharing this pooler (the `sharedPooler` option of {@link CnpgSharedCluster.addApplication}). */
  public get applications(): string[] {
    return this.admitted.map((a) => a.application);
  }

  /**
   * Admits an application to a shared pooler: its database/role pair in pg_hba and the pools,
   * its namespaces in the NetworkPolicy. Returns the most server connections the role can open
   * on one instance through this pooler.
   * @internal
   */
  public _admit(scope: IConstruct, app: {
    application: string;
    database: string;
    role: string;
    clientNamespaces: string[];
    poolMode?: PoolMode;
    requiresSessionMode: boolean;
    overrideSessionRequirement: boolean;
    preparedStatements: PreparedStatementUse;
    profile: string;
  }): number {
    if (!this.shared) {
      throw invalidInput(scope, 'sharedPooler', this.poolerName, 'is not a shared pooler', 'create it with cluster.addSharedPooler(name, options)');
    }
    if (this.admitted.some((a) => a.application === app.application)) {
      throw invalidInput(scope, 'sharedPooler', this.poolerName, `already serves ${app.application}`, 'add each application once');
    }
    if (app.poolMode !== undefined && app.poolMode !== this.poolMode) {
      throw invalidInput(scope, 'poolMode', app.poolMode, `differs from the shared pooler's ${this.poolMode} (one pool mode per pooler)`,
        'drop poolMode, or give the application a pooler of its own');
    }
    if (this.poolMode === PoolMode.TRANSACTION && app.requiresSessionMode && !app.overrideSessionRequirement) {
      throw invalidInput(scope, 'sharedPooler', this.poolerName,
        `pools in transaction mode, which is not safe for the ${app.profile} profile (it relies on session state)`,
        'share a session-mode pooler, give the application a pooler of its own, or set overrideSessionRequirement: true');
    }
    if (this.poolMode === PoolMode.TRANSACTION && app.preparedStatements === PreparedStatementUse.SQL_LEVEL) {
      throw invalidInput(scope, 'preparedStatements', app.preparedStatements, 'needs session mode, but the shared pooler pools transactions', 'share a session-mode pooler');
    }
    if (this.poolMode === PoolMode.TRANSACTION && app.preparedStatements === PreparedStatementUse.PROTOCOL_LEVEL
      && (this.rendered.maxPreparedStatements ?? 0) <= 0) {
      throw invalidInput(scope, 'preparedStatements', app.preparedStatements,
        'prepares statements at the protocol level, but the shared pooler has max_prepared_statements 0 (transaction mode)', 'set maxPreparedStatements > 0 on the shared pooler, or turn the driver\'s preparing off');
    }
    this.admitted.push({ application: app.application, database: app.database, role: app.role, clientNamespaces: [...app.clientNamespaces] });
    const r = this.rendered;
    const pairsOfRole = this.pairs().filter((p) => p.role === app.role);
    const bounds = [pairsOfRole.length * (r.defaultPoolSize + r.reservePoolSize)];
    if (r.maxUserConnections > 0) bounds.push(r.maxUserConnections);
    if (r.maxDbConnections > 0) bounds.push(new Set(pairsOfRole.map((p) => p.database)).size * r.maxDbConnections);
    return this.instances * Math.min(...bounds);
  }

  private checkPreparedStatements(use: PreparedStatementUse, maxPrepared: number): void {
    if (this.poolMode !== PoolMode.TRANSACTION) return;
    if (use === PreparedStatementUse.SQL_LEVEL) {
      throw invalidInput(this, 'poolMode', this.poolMode,
        'cannot serve clients that use SQL-level PREPARE/EXECUTE: PgBouncer does not track them in transaction mode, so EXECUTE lands on a server connection without the statement',
        'use PoolMode.SESSION for this application');
    }
    if (use === PreparedStatementUse.PROTOCOL_LEVEL && maxPrepared <= 0) {
      throw invalidInput(this, 'parameters.maxPreparedStatements', maxPrepared,
        'turns off PgBouncer\'s prepared-statement tracking, but the clients prepare statements at the protocol level: in transaction mode they fail with "prepared statement ... does not exist" or "... already exists"',
        'set maxPreparedStatements > 0 (e.g. 200, PgBouncer >= 1.21), or turn the driver\'s preparing off and declare clientPreparedStatements: PreparedStatementUse.NONE');
    }
  }

  private addNetworkPolicy(
    options: PoolerNetworkPolicyOptions,
    labels: Record<string, string>,
    podLabels: Record<string, string>,
    cluster: ICnpgCluster,
  ): CheckedApiObject {
    if (!options.clientNamespaces.length && !this.shared) {
      throw invalidInput(this, 'networkPolicy.clientNamespaces', '[]', 'is empty: no application could connect',
        'list the namespaces of the application\'s pods');
    }
    if (options.scraperNamespaces !== undefined && options.scraperNamespaces.length === 0) throw emptyScrapers(this, 'networkPolicy.scraperNamespaces');
    for (const ns of [...options.clientNamespaces, ...(options.scraperNamespaces ?? [])]) {
      validateName(this, 'networkPolicy namespace', ns);
    }
    const namespaces = (names: string[]) => names.map((n) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } },
      podSelector: {},
    }));
    const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
    // A shared pooler's clients are the namespaces of every application that joins it (at synth).
    const own = [...options.clientNamespaces];
    const clients = () => [...new Set([...own, ...this.admitted.flatMap((a) => a.clientNamespaces)])];
    const ingress = [
      { from: Lazy.any({ produce: () => namespaces(clients()) }), ports: tcp(PGBOUNCER_PORT) },
      {
        from: options.scraperNamespaces ? namespaces(options.scraperNamespaces) : [{ namespaceSelector: {}, podSelector: {} }],
        ports: tcp(METRICS_PORT),
      },
    ];
    const egress: unknown[] = [];
    if (options.restrictEgress ?? true) {
      const instances = { 'cnpg.io/cluster': cluster.clusterName, 'cnpg.io/podRole': 'instance' };
      egress.push({ to: [{ podSelector: { matchLabels: instances } }], ports: tcp(PGBOUNCER_PORT) });
      const dns = [{ port: 53, protocol: 'UDP' }, ...tcp(53)];
      for (const cidr of ['0.0.0.0/0', '::/0']) egress.push({ to: [{ ipBlock: { cidr } }], ports: dns });
      const cidrs = options.apiServerCidrs ?? ['0.0.0.0/0', '::/0'];
      cidrs.forEach((cidr, i) => {
        if (!containsFluxVariable(String(cidr)) && !isCidr(cidr)) {
          throw invalidInput(this, `networkPolicy.apiServerCidrs[${i}]`, cidr, 'is not an IPv4 or IPv6 CIDR (the API server rejects the NetworkPolicy)',
            'give the API server\'s range, e.g. "10.96.0.1/32" or "fd00:10:96::1/128"');
        }
        egress.push({ to: [{ ipBlock: { cidr } }], ports: tcp(443, 6443) });
      });
    }
    this.node.addValidation({
      validate: () => (clients().length ? [] : [invalidInput(this, 'networkPolicy.clientNamespaces', '[]', 'is empty: no application could connect',
        'list the namespaces of the applications\' pods').message]),
    });
    return checkedObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.poolerName, namespace: this.namespace, labels },
      fields: {
        spec: {
          podSelector: { matchLabels: podLabels },
          // Egress is restricted only when there are egress rules: with none, it stays open.
          policyTypes: egress.length ? ['Ingress', 'Egress'] : ['Ingress'],
          ingress,
          egress: egress.length ? egress : undefined,
        },
      },
    });
  }
}

/** The labels of the pooler's pod template: the pooler's, less those the operator sets on its pods. */
function podTemplateLabels(labels: Record<string, string>): Record<string, string> {
  const { ['app.kubernetes.io/name']: _name, ['app.kubernetes.io/managed-by']: _managedBy, ...rest } = labels;
  return rest;
}

let constructingShared = false;

/**
 * Creates a pooler that several applications share (`cluster.addSharedPooler`): its pg_hba, pools
 * and NetworkPolicy gain each application that joins it (the `sharedPooler` option of {@link CnpgSharedCluster.addApplication}).
 * @internal
 */
export function newSharedPooler(scope: Construct, id: string, props: PgBouncerPoolerProps): PgBouncerPooler {
  constructingShared = true;
  try {
    return new PgBouncerPooler(scope, id, props);
  } finally {
    constructingShared = false;
  }
}

/**
 * The pg_hba rules of a shared pooler: one `hostssl` rule per database/role entry, between the
 * plain-text rejections and the final rejections (see poolerHbaRules).
 * @internal
 */
export function poolerHbaRulesOf(entries: Array<[string, string]>): string[] {
  return [
    'hostnossl all all 0.0.0.0/0 reject',
    'hostnossl all all ::/0 reject',
    ...entries.flatMap(([db, role]) => [`hostssl ${db} ${role} 0.0.0.0/0 scram-sha-256`, `hostssl ${db} ${role} ::/0 scram-sha-256`]),
    'host all all 0.0.0.0/0 reject',
    'host all all ::/0 reject',
  ];
}


/** `all`, or the validated names of a pg_hba database/role field. */
function hbaList(scope: Construct, field: string, names: string[] | undefined): string[] | 'all' {
  if (names === undefined) return 'all';
  if (!names.length) throw invalidInput(scope, field, '[]', 'is empty: nobody could connect', 'list at least one name, or leave it unset for all');
  for (const n of names) {
    if (!containsFluxVariable(n) && !/^[a-z_][a-z0-9_$-]{0,62}$/.test(n)) {
      throw invalidInput(scope, field, n, 'is not a PostgreSQL name this library writes into pg_hba (lower-case letters, digits, "_", "-", "$"; at most 63)',
        'use the database or role name as PostgreSQL knows it');
    }
  }
  return [...new Set(names)];
}

/**
 * The pooler's pg_hba rules. PgBouncer reads them top-down, first match wins, and the operator
 * appends `host all all 0.0.0.0/0 md5` and `host all all ::/0 md5`, which match plain text: so
 * plain text is rejected first, TLS is allowed only for the listed databases and roles, and the
 * last rules reject the rest before the operator's catch-alls.
 *
 * @internal
 */
export function poolerHbaRules(databases: string[] | 'all', roles: string[] | 'all'): string[] {
  const db = databases === 'all' ? 'all' : databases.join(',');
  const role = roles === 'all' ? 'all' : roles.join(',');
  const rules = [
    'hostnossl all all 0.0.0.0/0 reject',
    'hostnossl all all ::/0 reject',
    `hostssl ${db} ${role} 0.0.0.0/0 scram-sha-256`,
    `hostssl ${db} ${role} ::/0 scram-sha-256`,
  ];
  if (db !== 'all' || role !== 'all') rules.push('host all all 0.0.0.0/0 reject', 'host all all ::/0 reject');
  return rules;
}

/**
 * The error for an empty list of scraper namespaces: in a NetworkPolicy rule an empty peer list
 * admits every source, the opposite of what an empty list reads as.
 *
 * @internal
 */
export function emptyScrapers(scope: Construct, field: string): Error {
  return invalidInput(scope, field, [], 'is empty: in a NetworkPolicy rule an empty list of peers admits every source, not none',
    'list the namespaces of the metrics scrapers (e.g. ["monitoring"]), or leave it unset to admit any namespace on the metrics port');
}

/**
 * Refuses a pooler name that is one of the cluster's own Services (`<cluster>-rw`, `-ro`, `-r`):
 * the pooler's Service would replace it.
 *
 * @internal
 */
export function checkPoolerName(scope: Construct, field: string, name: string, clusterName: string): void {
  for (const suffix of ['rw', 'ro', 'r']) {
    if (name === `${clusterName}-${suffix}`) {
      throw invalidInput(scope, field, name, `is the name of the cluster's own ${suffix} Service: the pooler's Service of the same name would replace it`,
        `name it e.g. "${clusterName}-pooler-${suffix}"`);
    }
  }
}
