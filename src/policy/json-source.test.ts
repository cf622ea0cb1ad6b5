import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countWithoutWhitespace, parseJsonWithPositions } from './json-source.js';

describe('JSON with positions', () => {
  it('parses like JSON.parse', () => {
    const samples = ['{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9\\"\\\\"]}', '[]', '{}', '"\\ud83d\\ude00"', '0', '[{"a":{"b":[[]]}}]'];
    const plain = (node: ReturnType<typeof parseJsonWithPositions>): unknown => {
      if (!node) return undefined;
      switch (node.type) {
        case 'object': return Object.fromEntries(node.keys.map((key) => [key, plain(node.map.get(key)!)]));
        case 'array': return node.items.map(plain);
        case 'number': return Number(node.value);
        case 'boolean': return node.value === 'true';
        case 'null': return null;
        default: return node.value;
      }
    };
    for (const sample of samples) assert.deepEqual(plain(parseJsonWithPositions(sample)), JSON.parse(sample), sample);
  });

  it('refuses what JSON.parse refuses', () => {
    for (const sample of ['', '{', '{"a":1,}', '[1,]', "{'a':1}", '{"a":01}', 'nul', '{"a":"\u0001"}', '{"a":1} x', '{"a" 1}', '"\\x"', '+1', '.5', '\ufeff{}']) {
      assert.equal(parseJsonWithPositions(sample), null, JSON.stringify(sample));
      assert.throws(() => JSON.parse(sample));
    }
    assert.equal(parseJsonWithPositions('['.repeat(100) + ']'.repeat(100)), null, 'nesting is bounded');
  });

  it('keeps the last of duplicate keys, like JSON.parse', () => {
    const node = parseJsonWithPositions('{"Effect":"Allow","Effect":"Deny"}');
    assert.ok(node?.type === 'object');
    const effect = node.map.get('Effect');
    assert.ok(effect?.type === 'string');
    assert.equal(effect.value, 'Deny');
    assert.deepEqual(node.keys, ['Effect']);
  });

  it('records 1-based lines and columns across LF and CRLF', () => {
    const node = parseJsonWithPositions('{\r\n  "a": [\n\t{"b": 1}\n  ]\n}');
    assert.ok(node?.type === 'object');
    const list = node.map.get('a');
    assert.ok(list?.type === 'array');
    assert.deepEqual(list.start, { line: 2, column: 8 });
    assert.deepEqual(list.items[0].start, { line: 3, column: 2 });
    assert.deepEqual(list.items[0].end, { line: 3, column: 10 });
    assert.deepEqual(node.end, { line: 5, column: 2 });
  });

  it('counts characters without whitespace', () => {
    assert.equal(countWithoutWhitespace(' { "a" : "b c" }\n'), 10);
  });
});
