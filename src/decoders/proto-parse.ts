/**
 * `.proto` source (proto2, proto3, editions 2023 and 2024) to the unresolved schema form. Only
 * what decoding needs is kept: types, fields, extensions, and the options and features that
 * change the wire format; services and other options are read past without being understood.
 */

import { fail } from './byte-cursor';
import { editionDefaults, type FeatureChain, KNOWN_EDITIONS } from './proto-features';
import { FieldParser, type FieldTarget, type MessageTarget } from './proto-parse-field';
import {
  type ParseBudget,
  readEnumBody,
  readExtensionRanges,
  readReserved,
  readStatementOption,
} from './proto-parse-parts';
import { LIMITS, MAX_FIELD_NUMBER, type RawEnum, type RawFile } from './proto-types';

export type { ParseBudget } from './proto-parse-parts';

const LABELS = new Set(['optional', 'required', 'repeated']);
/** Edition 2024's visibility words, which change nothing in decoding. */
const VISIBILITY = new Set(['export', 'local']);

export function parseProtoText(name: string, text: string, budget: ParseBudget): RawFile {
  return new Parser(name, text, budget).file();
}

class Parser extends FieldParser {
  file(): RawFile {
    const lex = this.lex;
    let pkg: string | undefined;
    const imports: string[] = [];
    let first = true;
    while (lex.peek().kind !== 'eof') {
      if (lex.accept(';')) continue;
      const token = lex.peek();
      let keyword = lex.ident('a declaration');
      if (VISIBILITY.has(keyword) && lex.peek().kind === 'ident') keyword = lex.ident('a type');
      if (keyword === 'syntax' || keyword === 'edition') {
        if (!first) lex.error(`'${keyword}' must come first in the file`, token);
        this.syntaxStatement(keyword);
      } else if (keyword === 'package') {
        if (pkg !== undefined) lex.error('a second package statement', token);
        pkg = lex.typeName(false);
        if (pkg.length > LIMITS.fullNameLength || pkg.split('.').length > LIMITS.packageParts) {
          lex.error('the package name is too long');
        }
        lex.expect(';');
      } else if (keyword === 'import') {
        // `public` and `weak` before proto2/3's names; edition 2024's `option` imports too.
        if (['public', 'weak', 'option'].includes(lex.peek().text)) lex.next();
        imports.push(lex.string());
        lex.expect(';');
      } else if (keyword === 'option')
        readStatementOption(lex, this.fileFeatures, this.syntax, 'file');
      else if (keyword === 'message') this.message(this.fileTarget(), 0);
      else if (keyword === 'enum') this.enumType('', this.fileChain);
      else if (keyword === 'extend') this.extend(this.fileTarget(), 0);
      else if (keyword === 'service') lex.skipBlock();
      else lex.error(`unexpected '${keyword}'`, token);
      first = false;
    }
    this.qualify(pkg ?? '');
    return {
      info: { name: this.name, package: pkg ?? '', syntax: this.syntax, imports },
      messages: this.messages,
      enums: this.enums,
      extensions: this.extensions,
    };
  }

  private syntaxStatement(keyword: string): void {
    const lex = this.lex;
    lex.expect('=');
    const at = lex.peek();
    const value = lex.string();
    if (keyword === 'syntax' && value !== 'proto2' && value !== 'proto3') {
      lex.error(`unknown syntax "${value}"`, at);
    }
    if (keyword === 'edition' && !KNOWN_EDITIONS.has(value)) {
      lex.error(`unknown edition "${value}" (2023 and 2024 are known)`, at);
    }
    this.syntax = keyword === 'syntax' ? value : `edition ${value}`;
    Object.assign(this.editionFeatures, editionDefaults(this.syntax));
    lex.expect(';');
  }

  /** Names are built relative to the package, which may be declared after its first types. */
  private qualify(pkg: string): void {
    for (const type of [...this.messages, ...this.enums]) {
      const full = pkg ? `${pkg}.${type.fullName}` : type.fullName;
      if (full.length > LIMITS.fullNameLength) {
        fail(`${type.where}: a full name longer than ${LIMITS.fullNameLength}`);
      }
      type.fullName = full;
    }
    // An extend block at file level stands in the package itself.
    for (const extension of this.extensions) {
      extension.scope = [pkg, extension.scope].filter(Boolean).join('.');
    }
  }

  private fileTarget(): FieldTarget {
    return { scope: '', fields: [], features: this.fileChain };
  }

  private message(outer: FieldTarget, depth: number): void {
    const at = this.lex.peek();
    const name = this.lex.ident('a message name');
    const message = this.newMessage(this.scoped(outer.scope, name, at), outer.features, at);
    this.messageBody(message, depth);
  }

  protected messageBody(target: MessageTarget, depth: number): void {
    if (depth >= LIMITS.nesting) this.lex.error(`messages nested deeper than ${LIMITS.nesting}`);
    const lex = this.lex;
    const { message } = target;
    lex.expect('{');
    while (!lex.accept('}')) {
      if (lex.accept(';')) continue;
      const token = lex.peek();
      if (token.kind === 'eof') lex.error(`message ${target.scope} is not closed`);
      if (token.kind !== 'ident' && token.text !== '.') {
        lex.error(`unexpected '${token.text}' in a message`);
      }
      const keyword = VISIBILITY.has(token.text) && lex.peek(1).kind === 'ident' ? 1 : 0;
      const word = lex.peek(keyword).text;
      if (word === 'message' || word === 'enum') {
        for (let i = 0; i <= keyword; i++) lex.next();
        if (word === 'message') this.message(target, depth + 1);
        else this.enumType(target.scope, target.features);
      } else if (token.text === 'oneof') {
        lex.next();
        this.oneof(target, depth);
      } else if (token.text === 'reserved') {
        lex.next();
        readReserved(lex, message.reservedNumbers, message.reservedNames, MAX_FIELD_NUMBER);
      } else if (token.text === 'extensions') {
        lex.next();
        readExtensionRanges(lex, message.extensionRanges);
      } else if (token.text === 'option') {
        lex.next();
        readStatementOption(lex, target.own, this.syntax, 'message');
      } else if (token.text === 'extend') {
        lex.next();
        this.extend(target, depth);
      } else if (LABELS.has(token.text)) this.field(target, lex.next(), undefined, depth);
      else this.field(target, undefined, undefined, depth);
    }
  }

  private oneof(target: FieldTarget, depth: number): void {
    const name = this.lex.ident('a oneof name');
    const oneof = { name, features: {} };
    this.lex.expect('{');
    while (!this.lex.accept('}')) {
      if (this.lex.accept(';')) continue;
      const token = this.lex.peek();
      if (token.kind === 'eof') this.lex.error(`oneof ${name} is not closed`);
      if (token.text === 'option') {
        this.lex.next();
        readStatementOption(this.lex, oneof.features, this.syntax, 'oneof');
      } else if (LABELS.has(token.text)) this.lex.error('fields in a oneof take no label');
      else this.field(target, undefined, oneof, depth);
    }
  }

  /** `extend Foo { … }`: fields of Foo, named and resolved in the scope the block stands in. */
  private extend(outer: FieldTarget, depth: number): void {
    const lex = this.lex;
    const extendee = lex.typeName(true);
    const target: FieldTarget = { scope: outer.scope, fields: [], features: outer.features };
    lex.expect('{');
    while (!lex.accept('}')) {
      if (lex.accept(';')) continue;
      const token = lex.peek();
      if (token.kind === 'eof') lex.error(`extend ${extendee} is not closed`);
      if (token.text === 'option' || token.text === 'oneof') {
        lex.error(`'${token.text}' cannot stand in an extend block`);
      }
      this.field(target, LABELS.has(token.text) ? lex.next() : undefined, undefined, depth, true);
    }
    for (const field of target.fields) {
      this.extensions.push({ field, extendee, scope: outer.scope, features: outer.features });
    }
  }

  private enumType(scope: string, outer: FeatureChain): void {
    const at = this.lex.peek();
    const name = this.lex.ident('an enum name');
    this.countType();
    const own = {};
    const enumType: RawEnum = {
      fullName: this.scoped(scope, name, at),
      values: [],
      features: [...outer, own],
      where: this.lex.where(at),
    };
    this.enums.push(enumType);
    readEnumBody(this.lex, enumType, own, this.syntax, () => this.countMember());
  }
}
