import { App, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CnpgApplication, CnpgSharedCluster, CnpgVersion, ConnectionBudget } from '../src';
import { CNPG_1_27, CNPG_1_30, defaultValidator, validatorFor } from './util/conformance';
import { fluxSubstitute, readSettingsData } from './util/flux';
import { one } from './util/synth';
import { buildPlatform, REFERENCE_SETTINGS_FILE } from '../examples/platform/platform';
import { ALERT_NAMES } from '../src/monitoring/alert-presets';

function platformYaml(): string {
  const app = Testing.app();
  buildPlatform(app);
  return (app as App).synthYaml();
}

describe('the reference platform (examples/platform)', () => {
  const yamlText = platformYaml();
  const raw = parseAllDocuments(yamlText).map((d) => d.toJSON());
  const settings = readSettingsData(REFERENCE_SETTINGS_FILE);
  const substituted = parseAllDocuments(fluxSubstitute(yamlText, settings)).map((d) => d.toJSON());

  test('every object passes the schemas as synthesized (with Flux variables)', () => {
    expect(defaultValidator().validateAll(raw)).toEqual([]);
  });

  test('every object passes the schemas after Flux substitutes the reference cluster-settings', () => {
    expect(defaultValidator().validateAll(substituted)).toEqual([]);
  });

  test('it declares the operator the platform runs: 1.27.1, from CNPG_OPERATOR_VERSION "0.26.1" (the Helm chart)', () => {
    const app = Testing.app();
    const chart = buildPlatform(app);
    const clusters = chart.node.findAll().filter((n): n is CnpgSharedCluster => n instanceof CnpgSharedCluster);
    expect(clusters.map((c) => c.operatorVersion)).toEqual([CnpgVersion.V1_27_1]);
    expect(settings.CNPG_OPERATOR_VERSION).toBe('0.26.1');
  });

  test.each([CNPG_1_27, CNPG_1_30])('its output is valid against the $cnpg CRDs, raw and after Flux substitution', (release) => {
    expect(validatorFor(release).validateAll(raw)).toEqual([]);
    expect(validatorFor(release).validateAll(substituted)).toEqual([]);
  });

  test('every Flux variable it uses is defined in the cluster-settings', () => {
    const used = new Set([...yamlText.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]));
    expect([...used].filter((v) => !(v in settings))).toEqual([]);
    expect(used.size).toBeGreaterThan(0);
  });

  test('after substitution it is the reference cluster, with its defects fixed', () => {
    const cluster = one(substituted, 'Cluster', 'shared-postgres');
    expect(cluster.metadata.namespace).toBe('databases'); // not cnpg-system
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.8',
      storage: { size: '80Gi', storageClass: 'openebs-local-nvme' },
      walStorage: { size: '20Gi', storageClass: 'openebs-local-nvme' },
      enableSuperuserAccess: false, // the reference had true
      enablePDB: true,
      replicationSlots: { highAvailability: { enabled: true } },
    });
    expect(cluster.spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, maxStandbyNamesFromCluster: 2, dataDurability: 'preferred' });
    // The reference's `ssl` and `ssl_prefer_server_ciphers` are fixed parameters the operator rejects.
    expect(cluster.spec.postgresql.parameters.ssl).toBeUndefined();
    expect(cluster.spec.postgresql.parameters.ssl_prefer_server_ciphers).toBeUndefined();
    // The reference's single hostssl rule left the operator's plain-text catch-all open.
    expect(cluster.spec.postgresql.pg_hba[0]).toBe('hostnossl all all all reject');
    expect(cluster.spec.postgresql.parameters.max_connections).toBe('200');
  });
});

describe('the reference platform: the four applications (Harbor, Keycloak, GitLab, SynergyFlow)', () => {
  const app = Testing.app();
  const chart = buildPlatform(app);
  const settings = readSettingsData(REFERENCE_SETTINGS_FILE);
  const manifests = parseAllDocuments(fluxSubstitute((app as App).synthYaml(), settings)).map((d) => d.toJSON());
  const cluster = chart.node.findAll().find((n): n is CnpgSharedCluster => n instanceof CnpgSharedCluster)!;
  const apps = chart.node.findAll().filter((n): n is CnpgApplication => n instanceof CnpgApplication);
  const names = ['keycloak', 'harbor', 'gitlab', 'synergyflow'];

  test('each application is one CnpgApplication', () => {
    expect(apps.map((a) => a.name).sort()).toEqual([...names].sort());
  });

  test.each(names)('%s: a 3-replica pooler (CNPG_POOLER_REPLICAS) with anti-affinity, a PDB, a PodMonitor and a NetworkPolicy', (name) => {
    const pooler = one(manifests, 'Pooler', `${name}-pooler`);
    expect(pooler.metadata.namespace).toBe('databases');
    expect(pooler.spec).toMatchObject({ cluster: { name: 'shared-postgres' }, instances: 3, type: 'rw' });
    expect(pooler.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'pgbouncer' })]);
    expect(pooler.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm)
      .toEqual({ labelSelector: { matchLabels: { 'cnpg.io/poolerName': `${name}-pooler` } }, topologyKey: 'kubernetes.io/hostname' });
    expect(pooler.spec.monitoring).toBeUndefined(); // the deprecated enablePodMonitor
    expect(pooler.spec.deploymentStrategy.rollingUpdate).toEqual({ maxUnavailable: 1, maxSurge: 0 });
    expect(one(manifests, 'PodDisruptionBudget', `${name}-pooler`).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/poolerName': `${name}-pooler` } } });
    const pm = one(manifests, 'PodMonitor', `${name}-pooler`);
    expect(pm.spec.selector).toEqual({ matchLabels: { 'cnpg.io/poolerName': `${name}-pooler` } });
    expect(pm.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'metrics', relabelings: [expect.objectContaining({ targetLabel: 'pooler' })] });
    const np = one(manifests, 'NetworkPolicy', `${name}-pooler`);
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: {} }]);
    expect(np.spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'observability' });
  });

  test.each(names)('%s: plain text refused by the pooler\'s pg_hba before the operator\'s md5 catch-alls; only its database and role', (name) => {
    const hba: string[] = one(manifests, 'Pooler', `${name}-pooler`).spec.pgbouncer.pg_hba;
    expect(hba.slice(0, 2)).toEqual(['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject']);
    expect(hba).toContain(`hostssl ${name} ${name} 0.0.0.0/0 scram-sha-256`);
    expect(hba.slice(-2)).toEqual(['host all all 0.0.0.0/0 reject', 'host all all ::/0 reject']);
    // CNPG 1.27.1 (the platform's operator) has client_tls_sslmode/server_tls_sslmode backported from 1.28.
    expect(one(manifests, 'Pooler', `${name}-pooler`).spec.pgbouncer.parameters).toMatchObject({ client_tls_sslmode: 'require', server_tls_sslmode: 'verify-full' });
  });

  test.each([
    ['keycloak', 'session', undefined, []],
    ['harbor', 'transaction', '200', [{ name: 'uuid-ossp' }]],
    ['gitlab', 'transaction', '200', [{ name: 'pg_trgm' }, { name: 'btree_gist' }, { name: 'amcheck' }]],
    ['synergyflow', 'transaction', '200', undefined],
  ])('%s: %s mode, max_prepared_statements %s, its Database with extensions as objects', (name, mode, maxPrepared, extensions) => {
    const pgb = one(manifests, 'Pooler', `${name}-pooler`).spec.pgbouncer;
    expect(pgb.poolMode).toBe(mode);
    expect(pgb.parameters.max_prepared_statements).toBe(maxPrepared);
    const db = one(manifests, 'Database', name);
    expect(db.spec).toMatchObject({ cluster: { name: 'shared-postgres' }, name, owner: name, databaseReclaimPolicy: 'retain' });
    expect(db.spec.extensions).toEqual(extensions && extensions.length ? extensions : undefined);
  });

  test.each(names)('%s: a managed role whose password Secret comes from CNPG_<APP>_SECRET_PATH through EXTERNAL_SECRET_STORE', (name) => {
    const role = one(manifests, 'Cluster', 'shared-postgres').spec.managed.roles.find((r: any) => r.name === name);
    expect(role).toMatchObject({ login: true, superuser: false, createdb: false, createrole: false, replication: false, passwordSecret: { name: `${name}-db-credentials` } });
    expect(role.passwordSecret.key).toBeUndefined(); // the reference's `key` is rejected by the CRD
    const es = one(manifests, 'ExternalSecret', `${name}-db-credentials`);
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: settings.EXTERNAL_SECRET_STORE });
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['username', settings[`CNPG_${name.toUpperCase()}_SECRET_PATH`], 'username'],
      ['password', settings[`CNPG_${name.toUpperCase()}_SECRET_PATH`], 'password'],
    ]);
    expect(es.spec.target.template).toMatchObject({ type: 'kubernetes.io/basic-auth', metadata: { labels: { 'cnpg.io/reload': 'true' } } });
  });

  test('typed outputs name the Services the operator creates (the reference\'s KEYCLOAK_DB_HOST names one that never exists)', () => {
    const keycloak = apps.find((a) => a.name === 'keycloak')!;
    expect(keycloak.endpoint.fqdn).toBe('keycloak-pooler.databases.svc.cluster.local');
    expect(settings.KEYCLOAK_DB_HOST).toBe('keycloak-pooler-rw.cnpg-system.svc.cluster.local');
    expect(manifests.filter((m) => m.metadata?.name === 'keycloak-pooler-rw')).toEqual([]);
    expect(keycloak.jdbcUrl()).toBe('jdbc:postgresql://keycloak-pooler.databases.svc.cluster.local:5432/keycloak?sslmode=verify-full');
    // verify-full works: the pooler's names are in the server certificate the operator issues.
    expect(one(manifests, 'Cluster', 'shared-postgres').spec.certificates.serverAltDNSNames).toEqual(expect.arrayContaining([
      'keycloak-pooler', 'keycloak-pooler.databases.svc', 'keycloak-pooler.databases.svc.cluster.local',
    ]));
  });

  test('the connection budget fits: 4 apps × 3 replicas against max_connections 200', () => {
    const budget = ConnectionBudget.of(cluster);
    expect(budget.available).toBe(200 - 3 - 10);
    expect(budget.shares.map((s) => [s.application, s.perInstance, s.total])).toEqual([
      ['keycloak', 16, 48], ['harbor', 13, 39], ['gitlab', 21, 63], ['synergyflow', 9, 27],
    ]);
    expect(budget.primaryDemand).toBe(177);
    expect(budget.fits).toBe(true);
    expect(cluster.poolers.map((p) => [p.poolerName, p.poolMode, p.instances])).toEqual([
      ['keycloak-pooler', 'session', 3], ['harbor-pooler', 'transaction', 3], ['gitlab-pooler', 'transaction', 3], ['synergyflow-pooler', 'transaction', 3],
    ]);
  });
});

describe('the reference platform\'s monitoring (replaces the hand-written VMRule)', () => {
  const settings = readSettingsData(REFERENCE_SETTINGS_FILE);
  const objects = parseAllDocuments(fluxSubstitute(platformYaml(), settings)).map((d) => d.toJSON());
  const clusterName = settings.CNPG_SHARED_CLUSTER_NAME;
  const podMonitors = objects.filter((o) => o.kind === 'PodMonitor');

  test('a PodMonitor for the cluster\'s instances, adding the cluster label the rules select on', () => {
    const pm = one(objects, 'PodMonitor', clusterName);
    expect(pm.spec.selector.matchLabels).toEqual({ 'cnpg.io/cluster': clusterName, 'cnpg.io/podRole': 'instance' });
    expect(pm.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'metrics', relabelings: [{ targetLabel: 'cluster' }] });
  });

  test('a PodMonitor per pooler, adding the pooler label the pooler alerts and dashboard select on', () => {
    const poolers = objects.filter((o) => o.kind === 'Pooler').map((p) => p.metadata.name).sort();
    expect(poolers).toHaveLength(4);
    for (const name of poolers) {
      const pm = one(objects, 'PodMonitor', name);
      expect(pm.spec.selector.matchLabels['cnpg.io/poolerName']).toBe(name);
      expect(pm.spec.podMetricsEndpoints[0].relabelings).toContainEqual(expect.objectContaining({
        sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_poolerName'], targetLabel: 'pooler',
      }));
    }
    expect(podMonitors).toHaveLength(5);
  });

  test('the alert presets, every alert with severity, summary, description and runbook_url; the pooler alerts name the four poolers', () => {
    const rule = one(objects, 'PrometheusRule', `${clusterName}-alerts`);
    const rules = rule.spec.groups.flatMap((g: any) => g.rules);
    // Every alert but the replica cluster's (the reference cluster is a primary).
    expect(rules.map((r: any) => r.alert)).toEqual(ALERT_NAMES.filter((a) => a !== 'CNPGReplicaClusterLagging'));
    // Derived from the backup it has: daily at 02:00 (+3h grace), 30 days of retention (+1 interval, +1d grace).
    const byName = Object.fromEntries(rules.map((r: any) => [r.alert, r]));
    expect(byName.CNPGBackupTooOld.expr).toMatch(/barman_cloud_cloudnative_pg_io_last_available_backup_timestamp.*> 97200$/);
    expect(byName.CNPGRecoverabilityPointTooOld.expr).toMatch(/> 2764800$/);
    expect(byName.CNPGBackupValidationFailed.expr).toContain(`owner_name="${clusterName}-backup-validation"`);
    for (const r of rules) {
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(r.labels.severity).toMatch(/^(critical|warning|info)$/);
    }
    const poolerDown = rules.find((r: any) => r.alert === 'CNPGPoolerExporterDown');
    for (const p of ['keycloak-pooler', 'harbor-pooler', 'gitlab-pooler', 'synergyflow-pooler']) expect(poolerDown.expr).toContain(`pooler="${p}"`);
  });

  test('two dashboards for Grafana\'s sidecar in observability', () => {
    const dashboards = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(dashboards.map((d) => d.metadata.name)).toEqual([`${clusterName}-dashboard`, `${clusterName}-poolers-dashboard`]);
    for (const d of dashboards) {
      expect(d.metadata).toMatchObject({ namespace: 'observability', annotations: { grafana_folder: 'Databases' } });
      const json = JSON.parse(Object.values(d.data as Record<string, string>)[0]);
      expect(json.templating.list[0]).toMatchObject({ type: 'datasource', name: 'datasource' });
    }
  });
});

describe('the reference platform\'s backups (replace cluster.yaml\'s barmanObjectStore, scheduledbackup.yaml, backup-validation.yaml)', () => {
  const yamlText = platformYaml();
  const settings = readSettingsData(REFERENCE_SETTINGS_FILE);
  const raw = parseAllDocuments(yamlText).map((d) => d.toJSON());
  const objects = parseAllDocuments(fluxSubstitute(yamlText, settings)).map((d) => d.toJSON());

  test('an ObjectStore at s3://CNPG_BACKUP_BUCKET/<cluster> on CNPG_MINIO_ENDPOINT_URL, encrypted, with CNPG_BACKUP_RETENTION', () => {
    expect(one(raw, 'ObjectStore').spec.configuration.destinationPath).toBe('s3://${CNPG_BACKUP_BUCKET}/${CNPG_SHARED_CLUSTER_NAME}');
    const store = one(objects, 'ObjectStore', 'shared-postgres-object-store');
    expect(store.metadata.namespace).toBe('databases');
    expect(store.spec).toEqual({
      configuration: {
        destinationPath: 's3://monosense-cnpg/shared-postgres',
        endpointURL: 'http://10.25.11.3:9000',
        s3Credentials: {
          accessKeyId: { name: 'cnpg-minio-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'cnpg-minio-credentials', key: 'SECRET_ACCESS_KEY' },
        },
        wal: { compression: 'gzip', encryption: 'AES256' },
        data: { compression: 'gzip', encryption: 'AES256', jobs: 2, immediateCheckpoint: true },
      },
      retentionPolicy: settings.CNPG_BACKUP_RETENTION,
    });
  });

  test('the Cluster archives WAL through the Barman Cloud plugin, no longer through the deprecated barmanObjectStore', () => {
    const cluster = one(objects, 'Cluster', 'shared-postgres');
    expect(cluster.spec.plugins).toEqual([{
      name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'shared-postgres-object-store' },
    }]);
    expect(cluster.spec.backup).toBeUndefined();
  });

  test('a ScheduledBackup at 0 0 2 * * * (CNPG_BACKUP_SCHEDULE, six fields, seconds first), method plugin', () => {
    expect(settings.CNPG_BACKUP_SCHEDULE).toBe('0 0 2 * * *');
    const sb = one(objects, 'ScheduledBackup', 'shared-postgres-backup');
    expect(sb.spec).toEqual({
      cluster: { name: 'shared-postgres' },
      schedule: '0 0 2 * * *',
      backupOwnerReference: 'self',
      target: 'prefer-standby',
      immediate: false,
      suspend: false,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  test('the S3 keys: CNPG_MINIO_SECRET_PATH into cnpg-minio-credentials through an ExternalSecret', () => {
    const es = one(objects, 'ExternalSecret', 'cnpg-minio-credentials');
    expect(es.metadata.namespace).toBe('databases');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: settings.EXTERNAL_SECRET_STORE });
    expect(es.spec.target).toEqual({ name: 'cnpg-minio-credentials', creationPolicy: 'Owner' });
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['ACCESS_KEY_ID', settings.CNPG_MINIO_SECRET_PATH, 'ACCESS_KEY_ID'],
      ['SECRET_ACCESS_KEY', settings.CNPG_MINIO_SECRET_PATH, 'SECRET_ACCESS_KEY'],
    ]);
  });

  test('the hardened validation CronJob at 03:00 UTC, in the cluster\'s namespace, with the script\'s environment', () => {
    const cj = one(objects, 'CronJob', 'shared-postgres-backup-validation');
    expect(cj.metadata.namespace).toBe('databases');
    expect(cj.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    const pod = cj.spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const [ctr] = pod.containers;
    expect(ctr.image).toBe('ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0');
    expect(ctr.securityContext).toMatchObject({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(ctr.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(pod.volumes.find((v: any) => v.name === 'tmp')).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
    const env = Object.fromEntries(ctr.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.name]));
    expect(env).toMatchObject({
      BACKUP_DESTINATION_PATH: 's3://monosense-cnpg/shared-postgres',
      BACKUP_SERVER_NAME: 'shared-postgres',
      S3_ENDPOINT_URL: 'http://10.25.11.3:9000',
      MAX_BASE_BACKUP_AGE_SECONDS: '86400',
      AWS_ACCESS_KEY_ID: 'cnpg-minio-credentials',
      AWS_SECRET_ACCESS_KEY: 'cnpg-minio-credentials',
    });
    expect(one(objects, 'ConfigMap', 'shared-postgres-backup-validation').data['check_backup.py']).toContain('MAX_BASE_BACKUP_AGE_SECONDS');
    // No ingress; egress to DNS and MinIO's port (CNPG_MINIO_ENDPOINT_URL's 9000) only.
    const np = one(objects, 'NetworkPolicy', 'shared-postgres-backup-validation');
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress.map((e: any) => e.ports)).toEqual([[{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }], [{ protocol: 'TCP', port: 9000 }]]);
  });
});
