/**
 * `.proto` source (proto2, proto3, and editions' syntax where it matches) to the unresolved
 * schema form. Only what decoding needs is kept: options, services and extensions are skipped
 * token by token, with brackets balanced, so their contents never need to be understood.
 */

import { ProtoLexer, type Token } from './proto-lexer';
import {
  LIMITS,
  MAP_KEY_TYPES,
  MAX_FIELD_NUMBER,
  type RawEnum,
  type RawField,
  type RawFile,
  type RawMessage,
  type ScalarType,
} from './proto-types';

/** Counts shared by all files parsed together, for the overall limits. */
export interface ParseBudget {
  types: number;
  members: number;
}

const LABELS = new Set(['optional', 'required', 'repeated']);
const OPENERS = new Set(['{', '[', '(', '<']);
const CLOSERS = new Set(['}', ']', ')', '>']);
const join = (scope: string, name: string) => (scope ? `${scope}.${name}` : name);

function integerValue(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return undefined;
}

export function parseProtoText(name: string, text: string, budget: ParseBudget): RawFile {
  return new Parser(name, text, budget).file();
}

class Parser {
  private readonly lex: ProtoLexer;
  private readonly messages: RawMessage[] = [];
  private readonly enums: RawEnum[] = [];

  constructor(
    private readonly name: string,
    text: string,
    private readonly budget: ParseBudget,
  ) {
    this.lex = new ProtoLexer(text, name);
  }

  file(): RawFile {
    const lex = this.lex;
    let syntax = 'proto2';
    let pkg: string | undefined;
    const imports: string[] = [];
    while (lex.peek().kind !== 'eof') {
      if (this.accept(';')) continue;
      const keyword = this.ident('a declaration');
      if (keyword === 'syntax' || keyword === 'edition') {
        this.expect('=');
        syntax = keyword === 'syntax' ? this.string() : `edition ${this.string()}`;
        if (keyword === 'syntax' && syntax !== 'proto2' && syntax !== 'proto3') {
          lex.error(`unknown syntax "${syntax}"`);
        }
        this.expect(';');
      } else if (keyword === 'package') {
        if (pkg !== undefined) lex.error('a second package statement');
        pkg = this.typeName(false);
        this.expect(';');
      } else if (keyword === 'import') {
        if (lex.peek().text === 'public' || lex.peek().text === 'weak') lex.next();
        imports.push(this.string());
        this.expect(';');
      } else if (keyword === 'option') this.skipStatement();
      else if (keyword === 'message') this.message('', 0);
      else if (keyword === 'enum') this.enumType('');
      else if (keyword === 'service' || keyword === 'extend') this.skipBlock();
      else lex.error(`unexpected '${keyword}'`);
    }
    // Names are built relative to the package, which may be declared after its first types.
    const prefix = (fullName: string) => join(pkg ?? '', fullName);
    for (const message of this.messages) message.fullName = prefix(message.fullName);
    for (const enumType of this.enums) enumType.fullName = prefix(enumType.fullName);
    return {
      info: { name: this.name, package: pkg ?? '', syntax, imports },
      messages: this.messages,
      enums: this.enums,
    };
  }

  private countType(): void {
    if (++this.budget.types > LIMITS.types) this.lex.error(`more than ${LIMITS.types} types`);
  }

  private countMember(): void {
    if (++this.budget.members > LIMITS.members) {
      this.lex.error(`more than ${LIMITS.members} fields and enum values`);
    }
  }

  private message(scope: string, depth: number): void {
    const name = this.ident('a message name');
    this.messageBody(this.newMessage(join(scope, name)), depth);
  }

  private newMessage(fullName: string): RawMessage {
    if (this.messages.length + this.enums.length >= LIMITS.types) this.countType();
    this.countType();
    const message: RawMessage = {
      fullName,
      fields: [],
      reservedNumbers: [],
      reservedNames: [],
      where: this.lex.where(),
    };
    this.messages.push(message);
    return message;
  }

  private messageBody(message: RawMessage, depth: number): void {
    if (depth >= LIMITS.nesting) this.lex.error(`messages nested deeper than ${LIMITS.nesting}`);
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const token = this.lex.peek();
      const next = this.lex.peek(1).text;
      if (token.kind !== 'ident') this.lex.error(`unexpected '${token.text}' in a message`);
      if (token.text === 'message') {
        this.lex.next();
        this.message(message.fullName, depth + 1);
      } else if (token.text === 'enum') {
        this.lex.next();
        this.enumType(message.fullName);
      } else if (token.text === 'oneof') {
        this.lex.next();
        this.oneof(message, depth);
      } else if (token.text === 'reserved') {
        this.lex.next();
        this.reserved(message.reservedNumbers, message.reservedNames, MAX_FIELD_NUMBER);
      } else if (token.text === 'option' || token.text === 'extensions') this.skipStatement();
      else if (token.text === 'extend') this.skipBlock();
      else if (LABELS.has(token.text) && next !== '=') {
        this.lex.next();
        this.field(message, token.text as RawField['label'], undefined, depth);
      } else this.field(message, 'optional', undefined, depth);
    }
  }

  private oneof(message: RawMessage, depth: number): void {
    const name = this.ident('a oneof name');
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const text = this.lex.peek().text;
      if (text === 'option') this.skipStatement();
      else if (LABELS.has(text) && this.lex.peek(1).text !== '=') {
        this.lex.error('fields in a oneof take no label');
      } else this.field(message, 'optional', name, depth);
    }
  }

  private field(message: RawMessage, label: RawField['label'], oneof: string | undefined, depth: number) {
    this.countMember();
    const start = this.lex.peek();
    const field: RawField = { name: '', number: 0, label, type: '', where: this.lex.where(start) };
    if (oneof !== undefined) field.oneof = oneof;
    if (start.text === 'map' && this.lex.peek(1).text === '<') {
      if (label !== 'optional' || this.lex.peek(-1 + 1) !== start) this.lex.error('a map field takes no label');
      this.lex.next();
      this.expect('<');
      const key = this.typeName(false);
      if (!MAP_KEY_TYPES.has(key)) this.lex.error(`'${key}' cannot be a map key`, start);
      field.mapKey = key as ScalarType;
      this.expect(',');
      field.type = this.typeName(true);
      this.expect('>');
      field.label = 'repeated';
    } else if (start.text === 'group' && this.lex.peek(1).kind === 'ident') {
      this.lex.next();
      const groupName = this.ident('a group name');
      field.type = groupName;
      field.name = groupName.toLowerCase();
      field.group = true;
    } else {
      field.type = this.typeName(true);
    }
    if (!field.group) field.name = this.ident('a field name');
    this.expect('=');
    field.number = this.integer('a field number');
    if (field.number < 1 || field.number > MAX_FIELD_NUMBER) {
      this.lex.error(`field number ${field.number} is outside 1 to ${MAX_FIELD_NUMBER}`);
    }
    this.skipOptions();
    message.fields.push(field);
    if (field.group) this.messageBody(this.newMessage(join(message.fullName, field.type)), depth + 1);
    else this.expect(';');
  }

  private enumType(scope: string): void {
    const name = this.ident('an enum name');
    this.countType();
    const enumType: RawEnum = { fullName: join(scope, name), values: [], where: this.lex.where() };
    this.enums.push(enumType);
    this.expect('{');
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      const text = this.lex.peek().text;
      if (text === 'option') this.skipStatement();
      else if (text === 'reserved' && this.lex.peek(1).text !== '=') {
        this.lex.next();
        this.reserved([], [], 2 ** 31 - 1);
      } else {
        this.countMember();
        const valueName = this.ident('an enum value name');
        this.expect('=');
        const negative = this.accept('-');
        const number = this.integer('an enum value') * (negative ? -1 : 1);
        if (number < -(2 ** 31) || number >= 2 ** 31) this.lex.error(`enum value ${number} is not an int32`);
        enumType.values.push({ name: valueName, number });
        this.skipOptions();
        this.expect(';');
      }
    }
  }

  /** `reserved 2, 9 to 11, 40 to max;` or `reserved "a", "b";` (editions: bare names). */
  private reserved(numbers: Array<[number, number]>, names: string[], max: number): void {
    do {
      const token = this.lex.peek();
      if (token.kind === 'string' || token.kind === 'ident') {
        names.push(this.lex.next().text);
        continue;
      }
      const negative = this.accept('-');
      const low = this.integer('a reserved number') * (negative ? -1 : 1);
      let high = low;
      if (this.lex.peek().text === 'to') {
        this.lex.next();
        if (this.lex.peek().text === 'max') {
          this.lex.next();
          high = max;
        } else {
          const negativeHigh = this.accept('-');
          high = this.integer('a reserved number') * (negativeHigh ? -1 : 1);
        }
      }
      if (high < low) this.lex.error(`reserved range ${low} to ${high} is empty`, token);
      numbers.push([low, high]);
    } while (this.accept(','));
    this.expect(';');
  }

  /** A dotted name; with `leadingDot`, an absolute reference `.pkg.Type` too. */
  private typeName(leadingDot: boolean): string {
    const parts: string[] = [];
    if (leadingDot && this.accept('.')) parts.push('');
    parts.push(this.ident('a name'));
    while (this.accept('.')) parts.push(this.ident('a name'));
    return parts.join('.');
  }

  private ident(what: string): string {
    const token = this.lex.peek();
    if (token.kind !== 'ident') this.lex.error(`expected ${what}, found ${describe(token)}`);
    return this.lex.next().text;
  }

  private integer(what: string): number {
    const token = this.lex.peek();
    const value = token.kind === 'number' ? integerValue(token.text) : undefined;
    if (value === undefined || !Number.isSafeInteger(value)) {
      this.lex.error(`expected ${what}, found ${describe(token)}`);
    }
    this.lex.next();
    return value;
  }

  /** One string, or several written next to each other, which protobuf joins. */
  private string(): string {
    const token = this.lex.peek();
    if (token.kind !== 'string') this.lex.error(`expected a string, found ${describe(token)}`);
    let text = '';
    while (this.lex.peek().kind === 'string') text += this.lex.next().text;
    return text;
  }

  private accept(symbol: string): boolean {
    const token = this.lex.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.lex.next();
    return true;
  }

  private expect(symbol: string): void {
    if (!this.accept(symbol)) {
      this.lex.error(`expected '${symbol}', found ${describe(this.lex.peek())}`);
    }
  }

  /** Field or value options, `[packed = true, (my.opt) = { a: 1 }]`: not needed to decode. */
  private skipOptions(): void {
    if (this.lex.peek().text === '[') this.skipBalanced(undefined);
  }

  /** An `option …;` or `extensions …;` statement, whatever its value holds. */
  private skipStatement(): void {
    this.skipBalanced(';');
  }

  /** A `service` or `extend` declaration: its name, then a block in braces. */
  private skipBlock(): void {
    while (this.lex.peek().text !== '{') {
      const token = this.lex.next();
      if (token.kind === 'eof' || token.text === ';' || token.text === '}') {
        this.lex.error(`expected '{', found ${describe(token)}`, token);
      }
    }
    this.skipBalanced(undefined);
  }

  /**
   * Skips tokens up to `end` outside any brackets, or (with no `end`) up to the close of the
   * bracket that comes first. A counter rather than recursion: nesting depth is the input's.
   */
  private skipBalanced(end: string | undefined): void {
    const open: string[] = [];
    while (true) {
      const token = this.lex.next();
      if (token.kind === 'eof') this.lex.error(end ? `expected '${end}'` : 'unclosed bracket', token);
      if (token.kind !== 'symbol') continue;
      if (token.text === end && open.length === 0) return;
      if (OPENERS.has(token.text)) open.push(token.text);
      else if (CLOSERS.has(token.text) && open.length > 0) {
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
