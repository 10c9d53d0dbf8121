import { checkDocument, relationIsCleared, relationIsSet } from '../document-rules';

const attributes = {
  foundedYear: { type: 'integer', min: 1900 },
  closedYear: { type: 'integer', min: 1900 },
  share: { type: 'decimal', min: 0, max: 1 },
  title: { type: 'string' },
};
const now = new Date('2026-06-01T00:00:00Z');
const fields = (data: Record<string, unknown>, action: 'create' | 'update' = 'update', uid = 'api::x.x') =>
  checkDocument(uid, attributes, action, data, now).map((problem) => problem.path[0]);

describe('relationIsSet', () => {
  it.each([
    ['a documentId', 'abc', true],
    ['an id', 3, true],
    ['a list', ['abc'], true],
    ['connect', { connect: [{ documentId: 'abc' }] }, true],
    ['set', { set: ['abc'] }, true],
    ['an object with documentId', { documentId: 'abc' }, true],
    ['nothing', undefined, false],
    ['null', null, false],
    ['an empty string', '', false],
    ['an empty list', [], false],
    ['an empty connect', { connect: [] }, false],
    ['a disconnect only', { disconnect: ['abc'] }, false],
  ])('%s -> %s', (_, value, expected) => {
    expect(relationIsSet(value)).toBe(expected);
  });
});

describe('relationIsCleared (updates)', () => {
  it.each([
    ['null', null, true],
    ['an empty list', [], true],
    ['set to nothing', { set: [] }, true],
    ['a disconnect only', { disconnect: [{ documentId: 'abc' }] }, true],
    ['a disconnect of one target, not in a list', { disconnect: { documentId: 'abc' } }, true],
    ['set to null', { set: null }, true],
    ['an untouched relation, as the admin panel sends it', { connect: [], disconnect: [] }, false],
    ['a replacement', { connect: [{ documentId: 'b' }], disconnect: [{ documentId: 'a' }] }, false],
    ['a documentId', 'abc', false],
  ])('%s -> %s', (_, value, expected) => {
    expect(relationIsCleared(value)).toBe(expected);
  });
});

describe('checkDocument', () => {
  it('requires a project site on create, and refuses removing it on update', () => {
    expect(fields({ title: 'x' }, 'create', 'api::project.project')).toEqual(['site']);
    expect(fields({ title: 'x' }, 'update', 'api::project.project')).toEqual([]);
    expect(fields({ site: null }, 'update', 'api::project.project')).toEqual(['site']);
    expect(fields({ site: { connect: [], disconnect: [] } }, 'update', 'api::project.project')).toEqual([]);
    expect(fields({ site: 'abc' }, 'create', 'api::project.project')).toEqual([]);
  });

  it('bounds years from the schema minimum to next year, numbers or numeric strings', () => {
    expect(fields({ foundedYear: 1899 })).toEqual(['foundedYear']);
    expect(fields({ foundedYear: '1850' })).toEqual(['foundedYear']);
    expect(fields({ foundedYear: 1900 })).toEqual([]);
    expect(fields({ foundedYear: 2027 })).toEqual([]);
    expect(fields({ foundedYear: 2028 })).toEqual(['foundedYear']);
    expect(fields({ closedYear: 2100 })).toEqual(['closedYear']);
  });

  it('applies every numeric minimum and maximum of the schema', () => {
    expect(fields({ share: 1.5 })).toEqual(['share']);
    expect(fields({ share: -0.1 })).toEqual(['share']);
    expect(fields({ share: 0.5 })).toEqual([]);
  });

  it('refuses a closing year before the founding year', () => {
    expect(fields({ foundedYear: 2000, closedYear: 1999 })).toEqual(['closedYear']);
    expect(fields({ foundedYear: 2000, closedYear: 2000 })).toEqual([]);
  });
});

describe('the other side of a required relation (a site’s projects)', () => {
  const site = { projects: { type: 'relation', target: 'api::project.project', mappedBy: 'site' } };
  const problems = (projects: unknown) =>
    checkDocument('api::site.site', site, 'update', { projects }, now).map((problem) => problem.path[0]);

  it.each([
    ['a plain list (replaces)', ['abc']],
    ['set', { set: [] }],
    ['disconnect', { disconnect: [{ documentId: 'abc' }] }],
    ['null', null],
  ])('refuses %s', (_, value) => {
    expect(problems(value)).toEqual(['projects']);
  });

  it.each([
    ['connect', { connect: [{ documentId: 'abc' }] }],
    ['the panel’s untouched relation', { connect: [], disconnect: [] }],
    ['nothing', undefined],
  ])('accepts %s', (_, value) => {
    expect(problems(value)).toEqual([]);
  });
});
