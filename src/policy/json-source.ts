/**
 * A small JSON parser (RFC 8259) that keeps where every value starts and ends, so that a matched
 * statement can point into the original text as the IAM policy simulator does. Duplicate object
 * keys keep the last value, like JSON.parse. Any error is reported as null: the caller turns it
 * into IAM's "Syntax errors in policy."
 */
import type { SourcePosition } from './types.js';

export type JsonNode = JsonObject | JsonArray | JsonScalar;

interface Span {
  start: SourcePosition;
  end: SourcePosition;
}

export interface JsonObject extends Span {
  type: 'object';
  /** keys in document order; the map holds the last value of each key */
  keys: string[];
  map: Map<string, JsonNode>;
}

export interface JsonArray extends Span {
  type: 'array';
  items: JsonNode[];
}

export interface JsonScalar extends Span {
  type: 'string' | 'number' | 'boolean' | 'null';
  /** the string's value, the number's source text, "true"/"false", or "null" */
  value: string;
}

const MAX_DEPTH = 64;

class Parser {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    this.skipWhitespace();
    const node = this.parseValue(0);
    this.skipWhitespace();
    if (this.offset !== this.text.length) throw new SyntaxError('trailing characters');
    return node;
  }

  private position(): SourcePosition {
    return { line: this.line, column: this.column };
  }

  private advance(count = 1): void {
    for (let i = 0; i < count; i++) {
      const code = this.text.charCodeAt(this.offset++);
      if (code === 10) {
        this.line++;
        this.column = 1;
      } else if (code === 13) {
        if (this.text.charCodeAt(this.offset) !== 10) {
          this.line++;
          this.column = 1;
        }
      } else {
        this.column++;
      }
    }
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length) {
      const code = this.text.charCodeAt(this.offset);
      if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return;
      this.advance();
    }
  }

  private expect(char: string): void {
    if (this.text[this.offset] !== char) throw new SyntaxError(`expected ${char}`);
    this.advance();
  }

  private parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw new SyntaxError('too deep');
    const char = this.text[this.offset];
    if (char === '{') return this.parseObject(depth);
    if (char === '[') return this.parseArray(depth);
    if (char === '"') {
      const start = this.position();
      const value = this.parseString();
      return { type: 'string', value, start, end: this.position() };
    }
    if (char === 't' || char === 'f' || char === 'n') return this.parseLiteral();
    return this.parseNumber();
  }

  private parseObject(depth: number): JsonObject {
    const start = this.position();
    this.expect('{');
    const keys: string[] = [];
    const map = new Map<string, JsonNode>();
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.advance();
      return { type: 'object', keys, map, start, end: this.position() };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"') throw new SyntaxError('expected key');
      const key = this.parseString();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      const value = this.parseValue(depth + 1);
      if (!map.has(key)) keys.push(key);
      map.set(key, value);
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.advance();
      if (next === '}') return { type: 'object', keys, map, start, end: this.position() };
      if (next !== ',') throw new SyntaxError('expected , or }');
    }
  }

  private parseArray(depth: number): JsonArray {
    const start = this.position();
    this.expect('[');
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.advance();
      return { type: 'array', items, start, end: this.position() };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.offset];
      this.advance();
      if (next === ']') return { type: 'array', items, start, end: this.position() };
      if (next !== ',') throw new SyntaxError('expected , or ]');
    }
  }

  private parseString(): string {
    this.expect('"');
    let result = '';
    let chunkStart = this.offset;
    for (;;) {
      if (this.offset >= this.text.length) throw new SyntaxError('unterminated string');
      const code = this.text.charCodeAt(this.offset);
      if (code === 34) {
        result += this.text.slice(chunkStart, this.offset);
        this.advance();
        return result;
      }
      if (code < 0x20) throw new SyntaxError('control character in string');
      if (code !== 92) {
        this.advance();
        continue;
      }
      result += this.text.slice(chunkStart, this.offset);
      const escape = this.text[this.offset + 1];
      this.advance(2);
      switch (escape) {
        case '"': result += '"'; break;
        case '\\': result += '\\'; break;
        case '/': result += '/'; break;
        case 'b': result += '\b'; break;
        case 'f': result += '\f'; break;
        case 'n': result += '\n'; break;
        case 'r': result += '\r'; break;
        case 't': result += '\t'; break;
        case 'u': {
          const hex = this.text.slice(this.offset, this.offset + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new SyntaxError('bad \\u escape');
          result += String.fromCharCode(parseInt(hex, 16));
          this.advance(4);
          break;
        }
        default:
          throw new SyntaxError('bad escape');
      }
      chunkStart = this.offset;
    }
  }

  private parseLiteral(): JsonScalar {
    const start = this.position();
    for (const word of ['true', 'false', 'null'] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.advance(word.length);
        return { type: word === 'null' ? 'null' : 'boolean', value: word, start, end: this.position() };
      }
    }
    throw new SyntaxError('unexpected token');
  }

  private parseNumber(): JsonScalar {
    const start = this.position();
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.offset, this.offset + 400));
    if (!match || match[0] === '' || match[0] === '-') throw new SyntaxError('unexpected token');
    this.advance(match[0].length);
    return { type: 'number', value: match[0], start, end: this.position() };
  }
}

/** The parsed document, or null when the text is not JSON. */
export function parseJsonWithPositions(text: string): JsonNode | null {
  try {
    return new Parser(text).parseDocument();
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Characters other than JSON whitespace (space, tab, CR, LF). */
export function countWithoutWhitespace(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) count++;
  }
  return count;
}
