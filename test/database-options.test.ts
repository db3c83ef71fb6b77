// renderDatabaseOptions on its own (issue #17): every check with its whole message, every field
// written through, each boundary on both sides. Nothing is synthesized: the function is pure.
import { Construct } from 'constructs';
import { DatabaseOptions, DatabaseReclaimPolicy, LocaleProvider } from '../src';
import { chart } from './util/synth';
import { renderDatabaseOptions } from '../src/application/database-options';

const AT = 'Construct at \'test/app\'';
const render = (options: DatabaseOptions | undefined, major: number | undefined = 16) => renderDatabaseOptions(new Construct(chart(), 'app'), options, major);
const refused = (options: Record<string, unknown>, major: number | undefined = 16) => () => render(options as DatabaseOptions, major);

describe('renderDatabaseOptions: what is written', () => {
  test('no options: every field unset', () => {
    const all = {
      encoding: undefined,
      locale: undefined,
      localeCollate: undefined,
      localeCType: undefined,
      localeProvider: undefined,
      icuLocale: undefined,
      icuRules: undefined,
      builtinLocale: undefined,
      collationVersion: undefined,
      template: undefined,
      tablespace: undefined,
      connectionLimit: undefined,
    };
    expect(render(undefined)).toEqual(all);
    expect(render({})).toEqual(all);
    expect(Object.keys(render({})).sort()).toEqual(Object.keys(all).sort());
  });

  test('every field written through as given (the owner is the role\'s business, not the spec\'s)', () => {
    expect(render({
      encoding: 'LATIN1',
      locale: 'de_DE',
      localeCollate: 'de_DE',
      localeCType: 'de_DE',
      collationVersion: '2.36',
      template: 'template0',
      tablespace: 'fast',
      connectionLimit: 5,
      owner: 'app_owner',
    })).toEqual({
      encoding: 'LATIN1',
      locale: 'de_DE',
      localeCollate: 'de_DE',
      localeCType: 'de_DE',
      localeProvider: undefined,
      icuLocale: undefined,
      icuRules: undefined,
      builtinLocale: undefined,
      collationVersion: '2.36',
      template: 'template0',
      tablespace: 'fast',
      connectionLimit: 5,
    });
    expect(render({ localeProvider: LocaleProvider.ICU, icuLocale: 'de-DE', icuRules: '&a < b', template: 'template0' })).toMatchObject(
      { localeProvider: 'icu', icuLocale: 'de-DE', icuRules: '&a < b' });
    expect(render({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C', template: 'template0' }, 17)).toMatchObject({ localeProvider: 'builtin', builtinLocale: 'C' });
  });

  test('the enums\' values', () => {
    expect(Object.entries(LocaleProvider)).toEqual([['LIBC', 'libc'], ['ICU', 'icu'], ['BUILTIN', 'builtin']]);
    expect(Object.entries(DatabaseReclaimPolicy)).toEqual([['RETAIN', 'retain'], ['DELETE', 'delete']]);
  });
});

describe('renderDatabaseOptions: the locale strings', () => {
  test.each(['encoding', 'locale', 'localeCollate', 'localeCType', 'builtinLocale', 'collationVersion'])('%s: empty, blank, with a space or not a string', (f) => {
    const fix = f === 'encoding' ? 'give an encoding such as "UTF8"' : 'give a locale name such as "en_US.UTF-8"';
    expect(refused({ [f]: '' })).toThrow(`${AT}: database.${f} = "" is not a valid value. Fix: ${fix}`);
    expect(refused({ [f]: '  ' })).toThrow(`${AT}: database.${f} = "  " is not a valid value. Fix: ${fix}`);
    expect(refused({ [f]: 'en US' })).toThrow(`${AT}: database.${f} = "en US" is not a valid value. Fix: ${fix}`);
    expect(refused({ [f]: 'en\tUS' })).toThrow(`database.${f} = "en\\tUS" is not a valid value`);
    expect(refused({ [f]: 5 })).toThrow(`${AT}: database.${f} = 5 is not a valid value. Fix: ${fix}`);
  });

  test('the ICU locale and rules: the same checks, except that rules may hold spaces', () => {
    expect(refused({ icuLocale: 'de DE', localeProvider: LocaleProvider.ICU })).toThrow(`${AT}: database.icuLocale = "de DE" is not a valid value. Fix: give a locale name`);
    expect(refused({ icuRules: ' ', localeProvider: LocaleProvider.ICU, icuLocale: 'de' })).toThrow(`${AT}: database.icuRules = " " is not a valid value`);
    expect(render({ localeProvider: LocaleProvider.ICU, icuLocale: 'de', icuRules: '& a < b', template: 'template0' }).icuRules).toBe('& a < b');
  });
});

describe('renderDatabaseOptions: the providers', () => {
  test('an unknown provider', () => {
    expect(refused({ localeProvider: 'glibc' })).toThrow(`${AT}: database.localeProvider = "glibc" is not a locale provider. Fix: use LocaleProvider.LIBC, ICU or BUILTIN`);
  });

  test('ICU options need the ICU provider, each by its name', () => {
    const fix = 'needs localeProvider: LocaleProvider.ICU. Fix: set the provider, or drop the ICU options';
    expect(refused({ icuLocale: 'de-DE' })).toThrow(`${AT}: database.icuLocale = "de-DE" ${fix}`);
    expect(refused({ icuRules: '&a<b' })).toThrow(`${AT}: database.icuRules = "&a<b" ${fix}`);
    expect(refused({ icuLocale: 'de-DE', localeProvider: LocaleProvider.LIBC })).toThrow(`${AT}: database.icuLocale = "de-DE" ${fix}`);
  });

  test('ICU needs a locale: its own or the database\'s', () => {
    expect(refused({ localeProvider: LocaleProvider.ICU, template: 'template0' })).toThrow(
      `${AT}: database.icuLocale = (unset) is required with the ICU provider (PostgreSQL needs an ICU locale). Fix: give e.g. icuLocale: "en-US"`);
    expect(render({ localeProvider: LocaleProvider.ICU, locale: 'en_US', template: 'template0' }).icuLocale).toBeUndefined();
  });

  test('builtinLocale needs the built-in provider', () => {
    expect(refused({ builtinLocale: 'C' })).toThrow(
      `${AT}: database.builtinLocale = "C" needs localeProvider: LocaleProvider.BUILTIN. Fix: set the provider, or drop builtinLocale`);
  });

  test('the built-in provider: PostgreSQL 17 accepted, 16 refused, an unknown major let through', () => {
    const builtin = { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C.UTF-8', template: 'template0' };
    expect(render(builtin, 17).builtinLocale).toBe('C.UTF-8');
    expect(renderDatabaseOptions(new Construct(chart(), 'app'), builtin, undefined).builtinLocale).toBe('C.UTF-8');
    expect(refused(builtin, 16)).toThrow(
      `${AT}: database.localeProvider = "builtin" needs PostgreSQL 17 or newer, but the cluster runs 16. Fix: use LocaleProvider.LIBC or ICU`);
  });

  test('the built-in provider\'s locales: the four it has, nothing else, not unset', () => {
    for (const l of ['C', 'C.UTF-8', 'C.utf8', 'PG_UNICODE_FAST']) {
      expect(render({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: l, template: 'template0' }, 18).builtinLocale).toBe(l);
    }
    const message = 'is required with the built-in provider and must be one it has. Fix: give "C" or "C.UTF-8"';
    expect(refused({ localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'en_US', template: 'template0' }, 17)).toThrow(`${AT}: database.builtinLocale = "en_US" ${message}`);
    expect(refused({ localeProvider: LocaleProvider.BUILTIN, template: 'template0' }, 17)).toThrow(`${AT}: database.builtinLocale = (unset) ${message}`);
  });
});

describe('renderDatabaseOptions: the template', () => {
  const message = (v: string) => `${AT}: database.template = ${v} must be template0 for an encoding or locale other than the cluster's `
    + '(PostgreSQL refuses to copy template1 into another collation). Fix: set template: "template0"';

  test.each<[string, DatabaseOptions]>([
    ['locale', { locale: 'de_DE' }],
    ['localeCollate', { localeCollate: 'de_DE' }],
    ['localeCType', { localeCType: 'de_DE' }],
    ['localeProvider', { localeProvider: LocaleProvider.LIBC }],
    ['icuLocale', { localeProvider: LocaleProvider.ICU, icuLocale: 'de' }],
    ['builtinLocale', { localeProvider: LocaleProvider.BUILTIN, builtinLocale: 'C' }],
    ['encoding LATIN1', { encoding: 'LATIN1' }],
  ])('%s needs template0 (unset and template1 refused)', (_n, options) => {
    expect(refused({ ...options }, 17)).toThrow(message('(unset)'));
    expect(refused({ ...options, template: 'template1' }, 17)).toThrow(message('"template1"'));
    expect(render({ ...options, template: 'template0' }, 17).template).toBe('template0');
  });

  test('icuRules alone (with ICU and a locale from locale) needs template0 too', () => {
    expect(refused({ localeProvider: LocaleProvider.ICU, locale: 'de', icuRules: '&a<b', template: 'template1' })).toThrow(message('"template1"'));
  });

  test('UTF-8 in any spelling keeps the cluster\'s encoding: template1 is fine', () => {
    for (const e of ['UTF8', 'utf8', 'UTF-8', 'utf-8']) expect(render({ encoding: e }).encoding).toBe(e);
    expect(render({ encoding: 'UTF8', template: 'template1' }).template).toBe('template1');
    expect(refused({ encoding: 'UTF-16' })).toThrow(message('(unset)'));
    expect(refused({ encoding: 'XUTF8' })).toThrow(message('(unset)'));
    expect(refused({ encoding: 'UTF8X' })).toThrow(message('(unset)'));
    expect(refused({ encoding: 'UTF--8' })).toThrow(message('(unset)'));
  });
});

describe('renderDatabaseOptions: identifiers, the owner, the connection limit', () => {
  test.each<['template' | 'tablespace', string]>([['template', 'use e.g. "template0"'], ['tablespace', 'name a tablespace, e.g. "fast"']])('%s', (f, fix) => {
    const longest = `a${'b'.repeat(62)}`;
    expect(render({ [f]: longest })[f]).toBe(longest);
    expect(render({ [f]: '_x9' })[f]).toBe('_x9');
    expect(render({ [f]: '${TEMPLATE}' })[f]).toBe('${TEMPLATE}');
    for (const bad of [`${longest}c`, 'Fast', '9fast', 'fa-st', 'fast ', '']) {
      expect(refused({ [f]: bad })).toThrow(`${AT}: database.${f} = ${JSON.stringify(bad)} is not a PostgreSQL identifier. Fix: ${fix}`);
    }
    expect(refused({ [f]: 7 })).toThrow(`${AT}: database.${f} = 7 is not a PostgreSQL identifier. Fix: ${fix}`);
    // Not a string, though its text would be an identifier.
    expect(refused({ [f]: true })).toThrow(`${AT}: database.${f} = true is not a PostgreSQL identifier. Fix: ${fix}`);
  });

  test('the owner: a role name, a Flux variable, nothing else', () => {
    expect(() => render({ owner: `a${'b'.repeat(62)}` })).not.toThrow();
    expect(() => render({ owner: '${APP_OWNER}' })).not.toThrow();
    for (const bad of [`a${'b'.repeat(63)}`, 'App', '1app', 'a-b', '']) {
      expect(refused({ owner: bad })).toThrow(`${AT}: database.owner = ${JSON.stringify(bad)} is not a role name. Fix: name the owning role`);
    }
    expect(refused({ owner: 3 })).toThrow(`${AT}: database.owner = 3 is not a role name. Fix: name the owning role`);
    expect(refused({ owner: true })).toThrow(`${AT}: database.owner = true is not a role name. Fix: name the owning role`);
  });

  test('the connection limit: -1 and 1 accepted; 0, -2 and fractions refused', () => {
    expect(render({ connectionLimit: -1 }).connectionLimit).toBe(-1);
    expect(render({ connectionLimit: 1 }).connectionLimit).toBe(1);
    for (const bad of [0, -2, 1.5]) {
      expect(refused({ connectionLimit: bad })).toThrow(
        `${AT}: database.connectionLimit = ${bad} is not -1 (no limit) or a positive number. Fix: give -1 or a positive number`);
    }
  });
});
