/**
 * PostgresExtension and the cluster's extension rendering (src/cluster/extensions.ts) called
 * directly, nothing synthesized (issue #17: per-test coverage runs only the tests a mutant
 * reaches): each factory's parameters and documented defaults, each limit at the limit and one
 * past, extension images, the libraries, `missingPreload`, every refusal with its whole message.
 */
import { Duration } from 'cdk8s';
import { PostgresExtension, StatementTracking } from '../../src';
import { missingPreload, OPERATOR_MANAGED_LIBRARIES, PRELOAD_LIBRARY_OF, renderExtensions } from '../../src/cluster/extensions';
import { thrown } from '../util/errors';
import { BOX_PATH, boxScope } from '../util/synth';

const params = (e: PostgresExtension) => e._parameters(boxScope(), 'e');
const paramsError = (e: PostgresExtension) => thrown(() => params(e));
type RenderOptions = { libs?: string[]; major?: number; catalog?: boolean };
const render = (extensions: PostgresExtension[], parameters: Record<string, string> = {}, o: RenderOptions = {}) =>
  renderExtensions(boxScope(), { extensions, sharedPreloadLibraries: o.libs }, parameters, 'major' in o ? o.major : 18, o.catalog ?? false);
const renderError = (...a: Parameters<typeof render>) => thrown(() => render(...a));
const image = (e: PostgresExtension, major: number | undefined = 18, catalog = false) => e._image(boxScope(), 'e', major, catalog);
const imageError = (e: PostgresExtension, major: number | undefined = 18, catalog = false) => thrown(() => image(e, major, catalog));
const IMG = 'ghcr.io/cloudnative-pg/pgvector:0.8.1-18-trixie';

describe('the tables', () => {
  test('extensions that need a preloaded library, and those the operator preloads by their parameters', () => {
    expect(PRELOAD_LIBRARY_OF).toEqual({
      pg_stat_statements: 'pg_stat_statements',
      pgaudit: 'pgaudit',
      pg_cron: 'pg_cron',
      timescaledb: 'timescaledb',
      pg_squeeze: 'pg_squeeze',
      pg_wait_sampling: 'pg_wait_sampling',
      pg_stat_kcache: 'pg_stat_kcache',
      pg_qualstats: 'pg_qualstats',
      citus: 'citus',
    });
    expect(OPERATOR_MANAGED_LIBRARIES).toEqual({ pg_stat_statements: 'pg_stat_statements.', pgaudit: 'pgaudit.', auto_explain: 'auto_explain.', pg_failover_slots: 'pg_failover_slots.' });
  });
});

describe('pg_stat_statements', () => {
  test('no options: the extension\'s defaults (no parameter); the library', () => {
    const e = PostgresExtension.pgStatStatements();
    expect([e.name, e.sharedPreloadLibraries]).toEqual(['pg_stat_statements', ['pg_stat_statements']]);
    expect(params(e)).toStrictEqual({});
    expect(params(PostgresExtension.pgStatStatements({ maxStatements: 5000 }))).toStrictEqual({ 'pg_stat_statements.max': '5000' });
  });
  test('every option; max from 100', () => {
    expect(params(PostgresExtension.pgStatStatements({ maxStatements: 100, track: StatementTracking.ALL, trackUtility: false })))
      .toEqual({ 'pg_stat_statements.max': '100', 'pg_stat_statements.track': 'all', 'pg_stat_statements.track_utility': 'off' });
    expect(params(PostgresExtension.pgStatStatements({ trackUtility: true, track: StatementTracking.NONE })))
      .toEqual({ 'pg_stat_statements.track': 'none', 'pg_stat_statements.track_utility': 'on' });
    for (const n of [99, 0, 100.5]) {
      expect([n, paramsError(PostgresExtension.pgStatStatements({ maxStatements: n }))]).toEqual([n, `${BOX_PATH}: e.maxStatements = ${n} is not a whole number of at least 100. `
        + 'Fix: give e.g. 5000 (the field is e.max_statements in Python, E.MaxStatements in Go)']);
    }
    expect(thrown(() => PostgresExtension.pgStatStatements({ track: 'x' } as any))).toMatch(/^PostgresExtension\.pgStatStatements: track = "x" is not one of StatementTracking's values\. /);
  });
});

describe('pgaudit', () => {
  test('defaults: ddl and role, catalog off', () => {
    const e = PostgresExtension.pgAudit();
    expect([e.name, e.sharedPreloadLibraries]).toEqual(['pgaudit', ['pgaudit']]);
    expect(params(e)).toEqual({ 'pgaudit.log': 'ddl,role', 'pgaudit.log_catalog': 'off' });
  });
  test('every option; every class, excluded with "-"', () => {
    expect(params(PostgresExtension.pgAudit({ log: ['all', '-misc_set', 'read', 'write', 'function', 'role', 'ddl', 'misc'], logCatalog: true, logParameter: true, logRelation: false })))
      .toEqual({ 'pgaudit.log': 'all,-misc_set,read,write,function,role,ddl,misc', 'pgaudit.log_catalog': 'on', 'pgaudit.log_parameter': 'on', 'pgaudit.log_relation': 'off' });
    expect(params(PostgresExtension.pgAudit({ log: ['none'], logParameter: false, logRelation: true })))
      .toEqual({ 'pgaudit.log': 'none', 'pgaudit.log_catalog': 'off', 'pgaudit.log_parameter': 'off', 'pgaudit.log_relation': 'on' });
  });
  test('an empty list and unknown classes: refused', () => {
    expect(paramsError(PostgresExtension.pgAudit({ log: [] }))).toBe(`${BOX_PATH}: e.log = [] lists no statement class. Fix: give e.g. ["ddl", "role"], or ["none"]`);
    for (const c of ['writes', 'DDL', '--ddl', '+ddl', ' ddl', 'ddl-', '']) {
      expect([c, paramsError(PostgresExtension.pgAudit({ log: ['ddl', c] }))]).toEqual([c, `${BOX_PATH}: e.log = ${JSON.stringify(c)} is not a pgaudit statement class. `
        + 'Fix: use read, write, function, role, ddl, misc, misc_set, all, none (a leading "-" excludes)']);
    }
  });
});

describe('auto_explain', () => {
  test('default: plans of statements over one second', () => {
    const e = PostgresExtension.autoExplain();
    expect([e.name, e.sharedPreloadLibraries]).toEqual(['auto_explain', ['auto_explain']]);
    expect(params(e)).toEqual({ 'auto_explain.log_min_duration': '1000ms' });
  });
  test('whole milliseconds from 0; analyze', () => {
    expect(params(PostgresExtension.autoExplain({ logMinDuration: Duration.millis(0), logAnalyze: true })))
      .toEqual({ 'auto_explain.log_min_duration': '0ms', 'auto_explain.log_analyze': 'on' });
    expect(params(PostgresExtension.autoExplain({ logMinDuration: Duration.minutes(2), logAnalyze: false })))
      .toEqual({ 'auto_explain.log_min_duration': '120000ms', 'auto_explain.log_analyze': 'off' });
    // cdk8s throws its own error for a fraction of a millisecond: the library's names the field.
    expect(paramsError(PostgresExtension.autoExplain({ logMinDuration: Duration.millis(0.5) }))).toBe(`${BOX_PATH}: e.logMinDuration = "0.5 millis" is not a whole number of milliseconds. `
      + 'Fix: give e.g. Duration.seconds(1) (the field is e.log_min_duration in Python, E.LogMinDuration in Go)');
  });
});

describe('pg_cron', () => {
  test('the database, the time zone; the cron database recorded', () => {
    const e = PostgresExtension.pgCron({ databaseName: 'app', timezone: 'Europe/Berlin' });
    expect([e.name, e.sharedPreloadLibraries, e._cronDatabase]).toEqual(['pg_cron', ['pg_cron'], 'app']);
    expect(params(e)).toEqual({ 'cron.database_name': 'app', 'cron.timezone': 'Europe/Berlin' });
    expect(params(PostgresExtension.pgCron({ databaseName: 'postgres' }))).toStrictEqual({ 'cron.database_name': 'postgres' });
    for (const tz of ['UTC', 'Etc/GMT+5', 'America/Port-au-Prince', 'EST5EDT', 'America/Argentina/Buenos_Aires']) {
      expect([tz, params(PostgresExtension.pgCron({ databaseName: 'app', timezone: tz }))['cron.timezone']]).toEqual([tz, tz]);
    }
  });
  test('database names: up to 63 characters, starting with a letter or "_"; Flux variables unchecked', () => {
    for (const db of ['a', '_x', `a${'b'.repeat(62)}`, 'a1_2', '${APP_DB}', 'db_${ENV}']) {
      expect([db, params(PostgresExtension.pgCron({ databaseName: db }))['cron.database_name']]).toEqual([db, db]);
    }
    for (const db of [`a${'b'.repeat(63)}`, '', '1db', 'App', 'my-db', 'a b', ' a', 'a ']) {
      expect([db, paramsError(PostgresExtension.pgCron({ databaseName: db }))]).toEqual([db, `${BOX_PATH}: e.databaseName = ${JSON.stringify(db)} is not a database name. `
        + 'Fix: name the database that holds the jobs, e.g. an application\'s database (the field is e.database_name in Python, E.DatabaseName in Go)']);
    }
  });
  test('time zones: refused with characters no zone name has', () => {
    for (const tz of ['', 'Europe Berlin', 'UTC;', 'x\n']) {
      expect([tz, paramsError(PostgresExtension.pgCron({ databaseName: 'app', timezone: tz }))]).toEqual([tz, `${BOX_PATH}: e.timezone = ${JSON.stringify(tz)} is not a time zone name. `
        + 'Fix: use e.g. "UTC" or "Europe/Berlin"']);
    }
  });
});

describe('the factories\' argument checks', () => {
  test('options of the wrong kind are refused by the factory', () => {
    expect(thrown(() => PostgresExtension.pgAudit({ log: 'ddl' } as any)))
      .toBe('PostgresExtension.pgAudit: log = "ddl" is a string, where a list goes. Fix: give a list of strings, e.g. ["..."]');
    expect(thrown(() => PostgresExtension.autoExplain({ logMinDuration: 5 } as any)))
      .toMatch(/^PostgresExtension\.autoExplain: logMinDuration = 5 is a number, where a Duration goes\. /);
    expect(thrown(() => PostgresExtension.timescaleDb({ telemetry: 'yes' } as any)))
      .toMatch(/^PostgresExtension\.timescaleDb: telemetry = "yes" is a string, where a boolean goes /);
  });
});

describe('TimescaleDB, preload', () => {
  test('telemetry off by default, basic when on', () => {
    const e = PostgresExtension.timescaleDb();
    expect([e.name, e.sharedPreloadLibraries]).toEqual(['timescaledb', ['timescaledb']]);
    expect(params(e)).toEqual({ 'timescaledb.telemetry_level': 'off' });
    expect(params(PostgresExtension.timescaleDb({ telemetry: false }))).toEqual({ 'timescaledb.telemetry_level': 'off' });
    expect(params(PostgresExtension.timescaleDb({ telemetry: true }))).toEqual({ 'timescaledb.telemetry_level': 'basic' });
  });
  test('preload: the library alone, no parameter, no image', () => {
    const e = PostgresExtension.preload('pg_squeeze');
    expect([e.name, e.sharedPreloadLibraries, params(e), e._cronDatabase, image(e)]).toEqual(['pg_squeeze', ['pg_squeeze'], {}, undefined, undefined]);
  });
});

describe('extension images', () => {
  test('the image and its paths; the library when given', () => {
    const e = PostgresExtension.fromImage('pgvector', IMG, { sharedPreloadLibrary: 'vector', extensionControlPath: ['share'], dynamicLibraryPath: ['lib', 'lib/x'], ldLibraryPath: ['system'] });
    expect([e.name, e.sharedPreloadLibraries, params(e)]).toEqual(['pgvector', ['vector'], {}]);
    expect(image(e)).toEqual({ name: 'pgvector', image: { reference: IMG }, extensionControlPath: ['share'], dynamicLibraryPath: ['lib', 'lib/x'], ldLibraryPath: ['system'] });
    const bare = PostgresExtension.fromImage('postgis', 'registry:5000/postgis@sha256:abc');
    expect([bare.sharedPreloadLibraries, image(bare)]).toEqual([[], {
      name: 'postgis', image: { reference: 'registry:5000/postgis@sha256:abc' }, extensionControlPath: undefined, dynamicLibraryPath: undefined, ldLibraryPath: undefined,
    }]);
    expect(image(PostgresExtension.fromImage('x', IMG, { extensionControlPath: [] }))!.extensionControlPath).toBeUndefined();
  });

  test('the paths are copied', () => {
    const paths = ['share'];
    const out = image(PostgresExtension.fromImage('x', IMG, { extensionControlPath: paths }))!;
    paths.push('more');
    expect(out.extensionControlPath).toEqual(['share']);
  });

  test('names: up to 63 characters, lower case, starting with a letter or "_"', () => {
    for (const n of ['a', '_a', `a${'b'.repeat(62)}`, 'pg-vector_2']) expect([n, image(PostgresExtension.fromImage(n, IMG))!.name]).toEqual([n, n]);
    for (const n of [`a${'b'.repeat(63)}`, '', 'PgVector', '1x', '-x', 'a.b']) {
      expect([n, imageError(PostgresExtension.fromImage(n, IMG))]).toEqual([n, `${BOX_PATH}: e.name = ${JSON.stringify(n)} is not an extension name. Fix: use the extension's name, e.g. "pgvector"`]);
    }
  });

  test('PostgreSQL 18 needed; an unknown major unchecked', () => {
    expect(image(PostgresExtension.fromImage('x', IMG), undefined)!.name).toBe('x');
    expect(imageError(PostgresExtension.fromImage('x', IMG), 17)).toBe(`${BOX_PATH}: e = "${IMG}" needs PostgreSQL 18 or newer (extension_control_path), but the cluster runs PostgreSQL 17. `
      + 'Fix: use PostgreSQL 18 (e.g. PostgresImage.version("18.0")), or an image that contains the extension');
  });

  test('the reference: required without an image catalog, pinned to a tag or digest; Flux variables unchecked', () => {
    expect(imageError(PostgresExtension.fromImage('x', ''))).toBe(`${BOX_PATH}: e.image = "" is required when the cluster uses no image catalog. Fix: give the extension image's reference`);
    expect(image(PostgresExtension.fromImage('x', ''), 18, true)).toEqual({ name: 'x', image: undefined, extensionControlPath: undefined, dynamicLibraryPath: undefined, ldLibraryPath: undefined });
    for (const ref of ['r/x:1', 'x@sha256:1', 'host:5000/x:1', '${EXT_IMAGE}', 'r/x:${TAG}', 'r/x:latest-0.8.1']) expect([ref, image(PostgresExtension.fromImage('x', ref))!.image]).toEqual([ref, { reference: ref }]);
    for (const ref of ['r/x', 'host:5000/x', 'x:latest', 'r/x:latest', 'x']) {
      expect([ref, imageError(PostgresExtension.fromImage('x', ref), 18, true)]).toEqual([ref, `${BOX_PATH}: e.image = ${JSON.stringify(ref)} is not pinned to a tag or digest. `
        + 'Fix: give an explicit tag, e.g. ":0.8.1-18-trixie"']);
    }
  });

  test('paths: relative, inside the image, each once', () => {
    const hints: Record<string, string> = {
      extensionControlPath: ' (the field is e.extension_control_path', dynamicLibraryPath: ' (the field is e.dynamic_library_path', ldLibraryPath: ' (the field is e.ld_library_path',
    };
    const go: Record<string, string> = { extensionControlPath: 'E.ExtensionControlPath', dynamicLibraryPath: 'E.DynamicLibraryPath', ldLibraryPath: 'E.LdLibraryPath' };
    for (const prop of Object.keys(hints)) {
      expect(image(PostgresExtension.fromImage('x', IMG, { [prop]: ['a/..b', 'a/b..', '.', 'a/./b'] }))).toEqual(expect.objectContaining({ [prop]: ['a/..b', 'a/b..', '.', 'a/./b'] }));
      for (const p of ['/abs', '', '..', 'a/../b', 'a/..']) {
        expect([prop, p, imageError(PostgresExtension.fromImage('x', IMG, { [prop]: ['ok', p] }))]).toEqual([prop, p,
          `${BOX_PATH}: e.${prop}[1] = ${JSON.stringify(p)} is not a relative path inside the extension image. Fix: give e.g. "share" or "lib"${hints[prop]}[1] in Python, ${go[prop]}[1] in Go)`]);
      }
      expect([prop, imageError(PostgresExtension.fromImage('x', IMG, { [prop]: ['a', 'b', 'a'] }))]).toEqual([prop,
        `${BOX_PATH}: e.${prop} = ["a","b","a"] lists a path twice. Fix: give each path once${hints[prop]} in Python, ${go[prop]} in Go)`]);
    }
  });
});

describe('renderExtensions', () => {
  test('nothing: no library, parameter, image or cron database', () => {
    expect(renderExtensions(boxScope(), {}, {}, 18, false))
      .toEqual({ sharedPreloadLibraries: [], parameters: {}, images: [], cronDatabase: undefined });
  });

  test('the libraries in order, each once; the extensions\' parameters; the images; the cron database', () => {
    const out = render([
      PostgresExtension.pgStatStatements({ maxStatements: 1000 }), PostgresExtension.pgCron({ databaseName: 'jobs' }),
      PostgresExtension.fromImage('pgvector', IMG, { sharedPreloadLibrary: 'pg_stat_statements' }), PostgresExtension.fromImage('pg_ivm', IMG),
    ], { work_mem: '8MB' }, { libs: ['pg_squeeze', 'pg_cron', 'auth_delay'] });
    expect(out).toEqual({
      sharedPreloadLibraries: ['pg_stat_statements', 'pg_cron', 'pg_squeeze', 'auth_delay'],
      parameters: { 'pg_stat_statements.max': '1000', 'cron.database_name': 'jobs' },
      images: [
        { name: 'pgvector', image: { reference: IMG }, extensionControlPath: undefined, dynamicLibraryPath: undefined, ldLibraryPath: undefined },
        { name: 'pg_ivm', image: { reference: IMG }, extensionControlPath: undefined, dynamicLibraryPath: undefined, ldLibraryPath: undefined },
      ],
      cronDatabase: 'jobs',
    });
  });

  test('the cron database from parameters when pg_cron is not an extension; the extension\'s wins', () => {
    expect(render([], { 'cron.database_name': 'ops' }, { libs: ['pg_cron'] }).cronDatabase).toBe('ops');
    expect(render([], {}, { libs: ['pg_cron'] }).cronDatabase).toBeUndefined();
    expect(render([PostgresExtension.pgStatStatements()], { work_mem: '4MB' }).cronDatabase).toBeUndefined();
  });

  test('a parameter set by an extension and in parameters: refused', () => {
    expect(renderError([PostgresExtension.pgAudit()], { 'pgaudit.log_catalog': 'on' })).toBe(`${BOX_PATH}: parameters.additional["pgaudit.log_catalog"] = "on" is also set by the extension pgaudit. `
      + 'Fix: set it once: in the extension\'s options, or in parameters.additional without the option');
    expect(render([PostgresExtension.pgAudit()], { 'pgaudit.log_parameter': 'on' }).parameters).toEqual({ 'pgaudit.log': 'ddl,role', 'pgaudit.log_catalog': 'off' });
  });

  test('an extension twice, something that is no extension: refused', () => {
    const twice = [PostgresExtension.pgStatStatements(), PostgresExtension.pgAudit(), PostgresExtension.pgStatStatements({ maxStatements: 200 })];
    expect(renderError(twice))
      .toBe(`${BOX_PATH}: extensions[2] = "pg_stat_statements" is given twice. Fix: give each extension once, with all its options`);
    expect(renderError([PostgresExtension.pgAudit(), 'pgaudit' as any])).toBe(`${BOX_PATH}: extensions[1] = "pgaudit" is not a PostgresExtension. Fix: use a factory such as PostgresExtension.pgStatStatements()`);
  });

  test('library names: letters, digits, "_", "$", ".", "-"; from an extension or the list', () => {
    expect(render([PostgresExtension.preload('$libdir.x-1_A')]).sharedPreloadLibraries).toEqual(['$libdir.x-1_A']);
    const fix = 'Fix: give the library\'s file name without extension, e.g. "pg_squeeze"';
    for (const lib of ['', 'a b', 'a/b', 'a,b', 'é']) {
      expect([lib, renderError([], {}, { libs: ['ok', lib] })]).toEqual([lib, `${BOX_PATH}: sharedPreloadLibraries[1] = ${JSON.stringify(lib)} is not a library name. ${fix}`
        + ' (the field is shared_preload_libraries[1] in Python, SharedPreloadLibraries[1] in Go)']);
      expect([lib, renderError([PostgresExtension.pgAudit(), PostgresExtension.fromImage('x', IMG, { sharedPreloadLibrary: lib })])])
        .toEqual([lib, `${BOX_PATH}: extensions[1].sharedPreloadLibrary = ${JSON.stringify(lib)} is not a library name. ${fix}`
          + ' (the field is extensions[1].shared_preload_library in Python, Extensions[1].SharedPreloadLibrary in Go)']);
    }
  });

  test('the images at the cluster\'s major and with its catalog; two images on one volume name refused', () => {
    expect(renderError([PostgresExtension.fromImage('x', IMG)], {}, { major: 17 })).toMatch(/^Construct at 'test\/box': extensions\[0\] = "ghcr\.io\/[^"]+" needs PostgreSQL 18 or newer /);
    expect(render([PostgresExtension.fromImage('x', IMG)], {}, { major: undefined }).images).toHaveLength(1);
    expect(render([PostgresExtension.fromImage('x', '')], {}, { catalog: true }).images).toEqual([
      { name: 'x', image: undefined, extensionControlPath: undefined, dynamicLibraryPath: undefined, ldLibraryPath: undefined },
    ]);
    expect(renderError([PostgresExtension.fromImage('pg_ivm', IMG), PostgresExtension.fromImage('pg-ivm', IMG)])).toBe(`${BOX_PATH}: extensions = "pg-ivm" gives the same volume name `
      + 'as another extension image ("_" becomes "-"). Fix: rename one of them');
    expect(renderError([PostgresExtension.fromImage('a_b_c', IMG), PostgresExtension.fromImage('a-b-c', IMG)])).toMatch(/: extensions = "a-b-c" gives the same volume name /);
  });
});

describe('missingPreload', () => {
  test('an extension without a library to preload, or with its library preloaded: nothing missing', () => {
    expect(missingPreload('pgcrypto', [], {})).toBeUndefined();
    // Names of Object.prototype's members are extensions like any other (no library needed).
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) expect([name, missingPreload(name, [], {})]).toEqual([name, undefined]);
    expect(missingPreload('pg_cron', ['pg_cron'], {})).toBeUndefined();
    expect(missingPreload('citus', ['pg_stat_statements', 'citus'], {})).toBeUndefined();
  });
  test('the library the operator preloads when one of its parameters is set', () => {
    expect(missingPreload('pg_stat_statements', [], { 'pg_stat_statements.max': '100' })).toBeUndefined();
    expect(missingPreload('pgaudit', [], { 'pgaudit.log': 'ddl' })).toBeUndefined();
    expect(missingPreload('pg_stat_statements', [], { 'pg_stat_statements': 'x', 'pgaudit.log': 'ddl' })).toBe('pg_stat_statements');
    expect(missingPreload('pg_stat_statements', [], { 'x.pg_stat_statements.max': '1' })).toBe('pg_stat_statements');
  });
  test('otherwise the library to preload', () => {
    expect(missingPreload('pg_cron', [], { 'cron.database_name': 'app' })).toBe('pg_cron');
    expect(missingPreload('timescaledb', ['pg_cron'], {})).toBe('timescaledb');
    expect(missingPreload('pgaudit', [], {})).toBe('pgaudit');
  });
});
