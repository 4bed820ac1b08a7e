/**
 * The argument schemas (dap/validate.ts): every attribute of a request's argument type has a
 * check, optional ones too (leaving one out does not compile), and a checked object holds only
 * the attributes its schema names, so nothing reaches a handler unchecked. Extra attributes
 * are dropped, not refused: clients send their own.
 */
import * as assert from 'assert';
import { ROUTES } from '../../debug-adapter/dap/session';
import { checkArguments, ID } from '../../debug-adapter/dap/requestSchemas';
import { obj, opt } from '../../debug-adapter/dap/validate';
import { PAGE_TABLES } from '../../debug-adapter/protocol';

interface Tagged {
  id: number;
  tag?: number;
}

describe('DAP: argument schemas', () => {
  it('a schema must check every attribute of its type, optional ones included (a compile error otherwise)', () => {
    // @ts-expect-error `tag` has no check: the schema does not compile.
    obj<Tagged>({ id: ID });
    // @ts-expect-error a schema without its type checks nothing in particular: it does not compile.
    obj({ id: ID });
    const check = obj<Tagged>({ id: ID, tag: opt(ID) });
    assert.deepStrictEqual(check({ id: 1, tag: 2 }, ''), { id: 1, tag: 2 });
    assert.throws(() => check({ id: 1, tag: 'x' }, ''), /'tag' must be a whole number/);
  });

  it('a checked object keeps only the attributes its schema names: the others are dropped, not refused', () => {
    const check = obj<Tagged>({ id: ID, tag: opt(ID) });
    assert.deepStrictEqual(check({ id: 1, extra: 'x', tag: null }, ''), { id: 1 });
    assert.deepStrictEqual(ROUTES.get(PAGE_TABLES.name)!.check({ space: 0, tag: 'x' }, ''), { space: 0 });
    assert.deepStrictEqual(checkArguments('threads', { clientExtra: true }), {});
    assert.deepStrictEqual(checkArguments('next', { threadId: 1, granularity: 'instruction', x: 1 }), { threadId: 1, granularity: 'instruction' });
    // Nested objects too: a breakpoint's and a source's own attributes.
    const sb = checkArguments('setBreakpoints', { source: { path: '/a.rasm', x: 1 }, breakpoints: [{ line: 3, y: 2 }] });
    assert.deepStrictEqual(sb, { source: { path: '/a.rasm' }, breakpoints: [{ line: 3 }] });
    // What the adapter does not use is named in the schema and dropped (`format`: no value formatting).
    assert.deepStrictEqual(checkArguments('variables', { variablesReference: 1, format: { hex: true } }), { variablesReference: 1 });
  });

  it('launch keeps its configuration: parseLaunchConfig checks each attribute by name', () => {
    assert.deepStrictEqual(checkArguments('launch', { program: 'a.rasm', stopOnEntry: true, noDebug: false }), { program: 'a.rasm', stopOnEntry: true, noDebug: false });
    assert.throws(() => checkArguments('launch', { program: 'a.rasm', noDebug: 'yes' }), /'noDebug' must be true or false/);
  });

});
