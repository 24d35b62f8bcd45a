/**
 * Tokens of `.proto` source. The lexer is lazy (the parser peeks at most two tokens ahead), so
 * a 5 MB file never becomes a million token objects at once. Dots are tokens of their own and
 * the parser joins dotted names, which also accepts `foo . Bar` as protoc does.
 */

import { fail } from './byte-cursor';
import { LIMITS } from './proto-types';

export interface Token {
  kind: 'ident' | 'number' | 'string' | 'symbol' | 'eof';
  /** The source text, or for a string its value with escapes applied. */
  text: string;
  line: number;
  /** 1-based, in UTF-16 units as editors count them. */
  column: number;
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

export class ProtoLexer {
  private at = 0;
  private line = 1;
  /** Where the current line starts, for columns. */
  private lineStart = 0;
  private readonly ahead: Token[] = [];

  constructor(
    private readonly source: string,
    readonly file: string,
  ) {
    // A byte order mark some editors write first: not part of the grammar.
    if (source.charCodeAt(0) === 0xfeff) {
      this.at = 1;
      this.lineStart = 1;
    }
  }

  peek(n = 0): Token {
    while (this.ahead.length <= n) this.ahead.push(this.scan());
    return this.ahead[n]!;
  }

  next(): Token {
    const token = this.peek();
    this.ahead.shift();
    return token;
  }

  /** `file:line:column` of `token` (by default the next one), for errors. */
  where(token: Token = this.peek()): string {
    return `${this.file}:${token.line}:${token.column}`;
  }

  private here(): string {
    return `${this.file}:${this.line}:${this.at - this.lineStart + 1}`;
  }

  /** Fails with the position of `token` (by default the next one). */
  error(message: string, token: Token = this.peek()): never {
    return fail(`${this.where(token)}: ${message}`);
  }

  private scan(): Token {
    this.skipSpaceAndComments();
    const src = this.source;
    const start = this.at;
    const line = this.line;
    const column = start - this.lineStart + 1;
    if (start >= src.length) return { kind: 'eof', text: 'end of file', line, column };
    const c = src.charCodeAt(start);
    if (isIdentStart(c)) {
      let end = start + 1;
      while (end < src.length && isIdentPart(src.charCodeAt(end))) end++;
      if (end - start > LIMITS.nameLength) {
        fail(`${this.here()}: a name longer than ${LIMITS.nameLength} characters`);
      }
      this.at = end;
      return { kind: 'ident', text: src.slice(start, end), line, column };
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) {
      return { kind: 'number', text: this.numeral(), line, column };
    }
    if (c === 34 || c === 39) return { kind: 'string', text: this.quoted(c), line, column };
    this.at = start + 1;
    return { kind: 'symbol', text: src[start]!, line, column };
  }

  private skipSpaceAndComments(): void {
    const src = this.source;
    while (this.at < src.length) {
      const c = src.charCodeAt(this.at);
      if (c === 10) {
        this.line++;
        this.at++;
        this.lineStart = this.at;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
        this.at++;
      } else if (c === 47 && src[this.at + 1] === '/') {
        const end = src.indexOf('\n', this.at);
        this.at = end < 0 ? src.length : end;
      } else if (c === 47 && src[this.at + 1] === '*') {
        const end = src.indexOf('*/', this.at + 2);
        if (end < 0) fail(`${this.here()}: comment is not closed`);
        for (let i = this.at; i < end; i++) {
          if (src.charCodeAt(i) !== 10) continue;
          this.line++;
          this.lineStart = i + 1;
        }
        this.at = end + 2;
      } else {
        return;
      }
    }
  }

  /** Integers and floats alike, as written: the parser decides which it accepts where. */
  private numeral(): string {
    const src = this.source;
    const start = this.at;
    const hex = src[start] === '0' && (src[start + 1] === 'x' || src[start + 1] === 'X');
    let end = start;
    while (end < src.length) {
      const c = src.charCodeAt(end);
      const exponentSign =
        (c === 43 || c === 45) && !hex && (src[end - 1] === 'e' || src[end - 1] === 'E');
      if (!isIdentPart(c) && c !== 46 && !exponentSign) break;
      end++;
    }
    this.at = end;
    return src.slice(start, end);
  }

  private quoted(quote: number): string {
    const src = this.source;
    const parts: string[] = [];
    let i = this.at + 1;
    while (true) {
      if (i >= src.length || src.charCodeAt(i) === 10) {
        fail(`${this.here()}: string is not closed on its line`);
      }
      const c = src.charCodeAt(i);
      if (c === quote) break;
      if (c !== 92) {
        parts.push(src[i]!);
        i++;
        continue;
      }
      i = this.escape(i + 1, parts);
    }
    this.at = i + 1;
    return parts.join('');
  }

  /** Reads the escape after a backslash at `i` into `parts`; returns where the string goes on. */
  private escape(i: number, parts: string[]): number {
    const src = this.source;
    const kind = src[i] ?? '';
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      parts.push(simple);
      return i + 1;
    }
    const hexDigits = kind === 'x' || kind === 'X' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
    const pattern = hexDigits ? /^[0-9a-fA-F]+/ : /^[0-7]{1,3}/;
    const digits = pattern.exec(src.slice(hexDigits ? i + 1 : i, i + 1 + Math.max(hexDigits, 3)));
    if (!digits) fail(`${this.here()}: unknown escape \\${kind}`);
    const text = hexDigits ? digits[0].slice(0, hexDigits) : digits[0];
    const code = Number.parseInt(text, hexDigits ? 16 : 8);
    // Strings name files and packages here, so a byte escape may stand for the character itself.
    parts.push(code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd');
    return (hexDigits ? i + 1 : i) + text.length;
  }
}
