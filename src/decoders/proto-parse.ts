/**
 * `.proto` source (proto2, proto3, and editions' syntax where it matches) to the unresolved
 * schema form. Only what decoding needs is kept: options, services and extensions are skipped
 * token by token, with brackets balanced, so their contents never need to be understood.
 */

import { fail } from './byte-cursor';
import { TokenReader } from './proto-tokens';
import {
  LIMITS,
  MAP_KEY_TYPES,
  MAX_FIELD_NUMBER,
  type RawEnum,
  type RawField,
  type RawFile,
  type RawMessage,
  type ScalarType,
  scopedName,
} from './proto-types';

/** Counts shared by all files parsed together, for the overall limits. */
export interface ParseBudget {
  types: number;
  members: number;
}

const LABELS = new Set(['optional', 'required', 'repeated']);

export function parseProtoText(name: string, text: string, budget: ParseBudget): RawFile {
  return new Parser(name, text, budget).file();
}

class Parser {
  private readonly lex: TokenReader;
  private readonly messages: RawMessage[] = [];
  private readonly enums: RawEnum[] = [];

  constructor(
    private readonly name: string,
    text: string,
    private readonly budget: ParseBudget,
  ) {
    this.lex = new TokenReader(text, name);
  }

  file(): RawFile {
    const lex = this.lex;
    let syntax = 'proto2';
    let pkg: string | undefined;
    const imports: string[] = [];
    while (lex.peek().kind !== 'eof') {
      if (lex.accept(';')) continue;
      const keyword = lex.ident('a declaration');
      if (keyword === 'syntax' || keyword === 'edition') {
        lex.expect('=');
        syntax = keyword === 'syntax' ? lex.string() : `edition ${lex.string()}`;
        if (keyword === 'syntax' && syntax !== 'proto2' && syntax !== 'proto3') {
          lex.error(`unknown syntax "${syntax}"`);
        }
        lex.expect(';');
      } else if (keyword === 'package') {
        if (pkg !== undefined) lex.error('a second package statement');
        pkg = lex.typeName(false);
        if (pkg.length > LIMITS.fullNameLength || pkg.split('.').length > LIMITS.packageParts) {
          lex.error('the package name is too long');
        }
        lex.expect(';');
      } else if (keyword === 'import') {
        if (lex.peek().text === 'public' || lex.peek().text === 'weak') lex.next();
        imports.push(lex.string());
        lex.expect(';');
      } else if (keyword === 'option') lex.skipStatement();
      else if (keyword === 'message') this.message('', 0);
      else if (keyword === 'enum') this.enumType('');
      else if (keyword === 'service' || keyword === 'extend') lex.skipBlock();
      else lex.error(`unexpected '${keyword}'`);
    }
    // Names are built relative to the package, which may be declared after its first types.
    for (const type of [...this.messages, ...this.enums]) {
      const full = scopedName(pkg ?? '', type.fullName);
      if (full === undefined)
        fail(`${type.where}: a full name longer than ${LIMITS.fullNameLength}`);
      type.fullName = full;
    }
    return {
      info: { name: this.name, package: pkg ?? '', syntax, imports },
      messages: this.messages,
      enums: this.enums,
    };
  }

  private scoped(scope: string, name: string): string {
    const full = scopedName(scope, name);
    if (full === undefined) this.lex.error(`a full name longer than ${LIMITS.fullNameLength}`);
    return full;
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
    const name = this.lex.ident('a message name');
    this.messageBody(this.newMessage(this.scoped(scope, name)), depth);
  }

  private newMessage(fullName: string): RawMessage {
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
    this.lex.expect('{');
    while (!this.lex.accept('}')) {
      if (this.lex.accept(';')) continue;
      const token = this.lex.peek();
      if (token.kind === 'eof') this.lex.error(`message ${message.fullName} is not closed`);
      if (token.kind !== 'ident' && token.text !== '.') {
        this.lex.error(`unexpected '${token.text}' in a message`);
      }
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
      } else if (token.text === 'option' || token.text === 'extensions') this.lex.skipStatement();
      else if (token.text === 'extend') this.lex.skipBlock();
      else if (LABELS.has(token.text)) {
        this.lex.next();
        this.field(message, token.text as RawField['label'], undefined, depth);
      } else this.field(message, undefined, undefined, depth);
    }
  }

  private oneof(message: RawMessage, depth: number): void {
    const name = this.lex.ident('a oneof name');
    this.lex.expect('{');
    while (!this.lex.accept('}')) {
      if (this.lex.accept(';')) continue;
      const text = this.lex.peek().text;
      if (text === 'option') this.lex.skipStatement();
      else if (LABELS.has(text)) this.lex.error('fields in a oneof take no label');
      else this.field(message, undefined, name, depth);
    }
  }

  /** A field, a map field or a group; `label` is undefined when none is written. */
  private field(
    message: RawMessage,
    label: RawField['label'] | undefined,
    oneof: string | undefined,
    depth: number,
  ): void {
    this.countMember();
    const start = this.lex.peek();
    const where = this.lex.where(start);
    const field: RawField = { name: '', number: 0, label: label ?? 'optional', type: '', where };
    if (oneof !== undefined) field.oneof = oneof;
    if (start.text === 'map' && this.lex.peek(1).text === '<') {
      if (label !== undefined) this.lex.error('a map field takes no label');
      this.lex.next();
      this.lex.expect('<');
      const key = this.lex.typeName(false);
      if (!MAP_KEY_TYPES.has(key)) this.lex.error(`'${key}' cannot be a map key`, start);
      field.mapKey = key as ScalarType;
      this.lex.expect(',');
      field.type = this.lex.typeName(true);
      this.lex.expect('>');
      field.label = 'repeated';
    } else if (start.text === 'group' && this.lex.peek(1).kind === 'ident') {
      this.lex.next();
      const groupName = this.lex.ident('a group name');
      if (!/^[A-Z]/.test(groupName)) this.lex.error('a group name starts with a capital', start);
      field.type = groupName;
      field.name = groupName.toLowerCase();
      field.group = true;
    } else {
      field.type = this.lex.typeName(true);
    }
    if (!field.group) field.name = this.lex.ident('a field name');
    this.lex.expect('=');
    field.number = this.lex.integer('a field number');
    if (field.number < 1 || field.number > MAX_FIELD_NUMBER) {
      this.lex.error(`field number ${field.number} is outside 1 to ${MAX_FIELD_NUMBER}`);
    }
    this.lex.skipOptions();
    message.fields.push(field);
    if (field.group)
      this.messageBody(this.newMessage(this.scoped(message.fullName, field.type)), depth + 1);
    else this.lex.expect(';');
  }

  private enumType(scope: string): void {
    const name = this.lex.ident('an enum name');
    this.countType();
    const fullName = this.scoped(scope, name);
    const enumType: RawEnum = { fullName, values: [], where: this.lex.where() };
    this.enums.push(enumType);
    this.lex.expect('{');
    while (!this.lex.accept('}')) {
      if (this.lex.accept(';')) continue;
      const text = this.lex.peek().text;
      if (text === 'option') this.lex.skipStatement();
      else if (text === 'reserved' && this.lex.peek(1).text !== '=') {
        this.lex.next();
        this.reserved([], [], 2 ** 31 - 1);
      } else {
        this.countMember();
        const valueName = this.lex.ident('an enum value name');
        this.lex.expect('=');
        const negative = this.lex.accept('-');
        const number = this.lex.integer('an enum value') * (negative ? -1 : 1);
        if (number < -(2 ** 31) || number >= 2 ** 31)
          this.lex.error(`enum value ${number} is not an int32`);
        enumType.values.push({ name: valueName, number });
        this.lex.skipOptions();
        this.lex.expect(';');
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
      const negative = this.lex.accept('-');
      const low = this.lex.integer('a reserved number') * (negative ? -1 : 1);
      let high = low;
      if (this.lex.peek().text === 'to') {
        this.lex.next();
        if (this.lex.peek().text === 'max') {
          this.lex.next();
          high = max;
        } else {
          const negativeHigh = this.lex.accept('-');
          high = this.lex.integer('a reserved number') * (negativeHigh ? -1 : 1);
        }
      }
      if (high < low) this.lex.error(`reserved range ${low} to ${high} is empty`, token);
      numbers.push([low, high]);
    } while (this.lex.accept(','));
    this.lex.expect(';');
  }
}
