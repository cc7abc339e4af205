import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationFailed } from './errors.ts';
import { buildFileTree, classifyScriptFile, contentHash, decodeStrictBase64, normalizeScriptPath, toStoredFile } from './script-files.ts';

describe('normalizeScriptPath', () => {
  it('keeps relative forward-slash paths and decodes percent-escapes as Skyvern does', () => {
    assert.equal(normalizeScriptPath('main.ts'), 'main.ts');
    assert.equal(normalizeScriptPath('blocks/sign_up.ts'), 'blocks/sign_up.ts');
    assert.equal(normalizeScriptPath('a%20b.ts'), 'a b.ts');
  });

  it('refuses escapes from the root, absolute and odd paths, with the given loc', () => {
    for (const bad of ['', '../x.ts', 'a/../x.ts', '/x.ts', 'C:/x.ts', 'c:x.ts', 'a\\b.ts', 'a//b.ts', './a.ts', 'a/', '%2e%2e/x.ts', '%252e%252e/x.ts', 'a\u0000b.ts', 'a\nb.ts', `${'x'.repeat(253)}.ts`]) {
      assert.throws(() => normalizeScriptPath(bad, ['body', 'files', 3, 'path']), (err: unknown) => {
        assert.ok(err instanceof ValidationFailed, bad);
        assert.deepEqual(err.issues[0].loc, ['body', 'files', 3, 'path']);
        return true;
      }, JSON.stringify(bad));
    }
  });
});

describe('decodeStrictBase64', () => {
  it('accepts canonical base64 only', () => {
    assert.equal(decodeStrictBase64('aGk=')?.toString(), 'hi');
    assert.equal(decodeStrictBase64('')?.length, 0);
    for (const bad of ['aGk', 'aGk=\n', 'a Gk=', 'aG=k', 'aGl=', 'aGk==', '-_8=', 'aGk$']) assert.equal(decodeStrictBase64(bad), undefined, bad);
  });
});

describe('classifyScriptFile', () => {
  it('knows code, data and the languages it refuses', () => {
    assert.deepEqual(classifyScriptFile('a/b.mjs'), { kind: 'code' });
    assert.deepEqual(classifyScriptFile('notes.MD'), { kind: 'data' });
    assert.deepEqual(classifyScriptFile('main.py'), { refused: 'Skyport runs TypeScript/JavaScript scripts; main.py is Python' });
    assert.match((classifyScriptFile('Makefile') as { refused: string }).refused, /only \.ts/);
  });
});

describe('buildFileTree', () => {
  it('nests directories and keeps file facts; a name used as both becomes a directory', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const files = [toStoredFile('a/b.ts', Buffer.from('x'), null, at), toStoredFile('a/c/d.json', Buffer.from('{}'), 'application/json', at), toStoredFile('e.txt', Buffer.from(''), undefined, at)];
    const tree = buildFileTree(files);
    assert.deepEqual(Object.keys(tree), ['a', 'e.txt']);
    assert.deepEqual(tree['e.txt'], { type: 'file', size: 0, mime_type: 'text/plain', content_hash: contentHash(Buffer.from('')), created_at: '2026-01-02T03:04:05.678000', children: null });
    assert.equal(tree.a.type, 'directory');
    assert.equal(tree.a.children!['b.ts'].mime_type, 'text/typescript');
    assert.equal(tree.a.children!.c.children!['d.json'].size, 2);
    assert.match(files[0].content_hash, /^sha256:[0-9a-f]{64}$/);
    const clash = buildFileTree([toStoredFile('x', Buffer.from('1'), null, at), toStoredFile('x/y.ts', Buffer.from('2'), null, at)]);
    assert.equal(clash.x.type, 'directory');
    assert.ok(clash.x.children!['y.ts']);
  });
});
