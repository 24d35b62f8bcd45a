/**
 * The parser's vocabulary over the lexer: expected symbols, names, integers, strings, and the
 * skipping of what decoding does not need (services, aggregate option values).
 */

import { ProtoLexer, type Token } from './proto-lexer';

const OPENERS = new Set(['{', '[', '(', '<']);
const CLOSERS = new Set(['}', ']', ')', '>']);

function integerValue(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return undefined;
}

export class TokenReader extends ProtoLexer {
  /** A dotted name; with `leadingDot`, an absolute reference `.pkg.Type` too. */
  typeName(leadingDot: boolean): string {
    const parts: string[] = [];
    if (leadingDot && this.accept('.')) parts.push('');
    parts.push(this.ident('a name'));
    while (this.accept('.')) parts.push(this.ident('a name'));
    return parts.join('.');
  }

  ident(what: string): string {
    const token = this.peek();
    if (token.kind !== 'ident') this.error(`expected ${what}, found ${describe(token)}`);
    return this.next().text;
  }

  integer(what: string): number {
    const token = this.peek();
    const value = token.kind === 'number' ? integerValue(token.text) : undefined;
    if (value === undefined || !Number.isSafeInteger(value)) {
      this.error(`expected ${what}, found ${describe(token)}`);
    }
    this.next();
    return value;
  }

  /** One string, or several written next to each other, which protobuf joins. */
  string(): string {
    const token = this.peek();
    if (token.kind !== 'string') this.error(`expected a string, found ${describe(token)}`);
    let text = '';
    while (this.peek().kind === 'string') text += this.next().text;
    return text;
  }

  /** Whether the next token is `symbol` (it stays next). */
  isNext(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }

  accept(symbol: string): boolean {
    if (!this.isNext(symbol)) return false;
    this.next();
    return true;
  }

  expect(symbol: string): void {
    if (!this.accept(symbol)) {
      this.error(`expected '${symbol}', found ${describe(this.peek())}`);
    }
  }

  /** A `service` declaration: its name, then a block in braces. */
  skipBlock(): void {
    while (this.peek().text !== '{') {
      const token = this.next();
      if (token.kind === 'eof' || token.text === ';' || token.text === '}') {
        this.error(`expected '{', found ${describe(token)}`, token);
      }
    }
    this.skipBalanced(undefined);
  }

  /**
   * Skips tokens up to `end` outside any brackets, or (with no `end`) up to the close of the
   * bracket that comes first. A counter rather than recursion: nesting depth is the input's.
   */
  skipBalanced(end: string | undefined): void {
    const open: string[] = [];
    while (true) {
      const token = this.next();
      if (token.kind === 'eof') this.error(end ? `expected '${end}'` : 'unclosed bracket', token);
      if (token.kind !== 'symbol') continue;
      if (token.text === end && open.length === 0) return;
      if (OPENERS.has(token.text)) open.push(token.text);
      else if (CLOSERS.has(token.text)) {
        // A closer with nothing open ends the enclosing block: the statement lacks its end.
        if (open.length === 0) this.error(`expected '${end}', found ${describe(token)}`, token);
        open.pop();
        if (open.length === 0 && end === undefined) return;
      }
    }
  }
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the file';
  if (token.kind === 'string') return 'a string';
  return `'${token.text.slice(0, 40)}'`;
}
