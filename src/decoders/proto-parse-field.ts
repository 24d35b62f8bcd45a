/**
 * The parser's state and its field declarations: plain fields, map fields and groups, in a
 * message, a oneof or an `extend` block. Which labels a syntax allows is checked here, since
 * editions replaced `optional`, `required` and groups with features.
 */

import { editionDefaults, type FeatureChain, type FeatureOverrides } from './proto-features';
import type { Token } from './proto-lexer';
import { type ParseBudget, readFieldOptions } from './proto-parse-parts';
import { TokenReader } from './proto-tokens';
import {
  LIMITS,
  MAP_KEY_TYPES,
  MAX_FIELD_NUMBER,
  type RawEnum,
  type RawExtension,
  type RawField,
  type RawMessage,
  type ScalarType,
  scopedName,
} from './proto-types';

/** Where fields being read go, and the scope their names and types belong to. */
export interface FieldTarget {
  /** The enclosing message's name (relative to the package until the file ends), or ''. */
  scope: string;
  fields: RawField[];
  features: FeatureChain;
}

export interface MessageTarget extends FieldTarget {
  message: RawMessage;
  /** The message's own `option features…`. */
  own: FeatureOverrides;
}

export abstract class FieldParser {
  protected readonly lex: TokenReader;
  protected syntax = 'proto2';
  protected readonly messages: RawMessage[] = [];
  protected readonly enums: RawEnum[] = [];
  protected readonly extensions: RawExtension[] = [];
  /** Filled in when the syntax or edition is read; until then proto2's, as protoc assumes. */
  protected readonly editionFeatures: FeatureOverrides = editionDefaults('proto2');
  protected readonly fileFeatures: FeatureOverrides = {};
  protected readonly fileChain: FeatureChain = [this.editionFeatures, this.fileFeatures];

  constructor(
    protected readonly name: string,
    text: string,
    private readonly budget: ParseBudget,
  ) {
    this.lex = new TokenReader(text, name);
  }

  protected abstract messageBody(target: MessageTarget, depth: number): void;

  protected scoped(scope: string, name: string, at?: Token): string {
    const full = scopedName(scope, name);
    if (full === undefined) this.lex.error(`a full name longer than ${LIMITS.fullNameLength}`, at);
    return full;
  }

  protected countType(): void {
    if (++this.budget.types > LIMITS.types) this.lex.error(`more than ${LIMITS.types} types`);
  }

  protected countMember(): void {
    if (++this.budget.members > LIMITS.members) {
      this.lex.error(`more than ${LIMITS.members} fields and enum values`);
    }
  }

  /** `at`: the name's token, where errors about the message point. */
  protected newMessage(fullName: string, outer: FeatureChain, at: Token): MessageTarget {
    this.countType();
    const own: FeatureOverrides = {};
    const message: RawMessage = {
      fullName,
      fields: [],
      features: [...outer, own],
      extensionRanges: [],
      reservedNumbers: [],
      reservedNames: [],
      where: this.lex.where(at),
    };
    this.messages.push(message);
    return { scope: fullName, fields: message.fields, features: message.features, message, own };
  }

  /** A field, a map field or a group, after its label if one is written. */
  protected field(
    target: FieldTarget,
    labelToken: Token | undefined,
    oneof: { name: string; features: FeatureOverrides } | undefined,
    depth: number,
    extension = false,
  ): void {
    this.countMember();
    const lex = this.lex;
    const start = lex.peek();
    const label = labelToken?.text as RawField['label'] | undefined;
    if (labelToken) this.checkLabel(labelToken);
    const own: FeatureOverrides = {};
    const field: RawField = {
      name: '',
      number: 0,
      label: label ?? 'optional',
      type: '',
      features: oneof ? [oneof.features, own] : [own],
      where: lex.where(labelToken ?? start),
    };
    if (oneof) field.oneof = oneof.name;
    if (start.text === 'map' && lex.peek(1).text === '<') {
      if (label !== undefined) lex.error('a map field takes no label');
      if (extension) lex.error('an extension cannot be a map');
      lex.next();
      lex.expect('<');
      const keyAt = lex.peek();
      const key = lex.typeName(false);
      if (!MAP_KEY_TYPES.has(key)) lex.error(`'${key}' cannot be a map key`, keyAt);
      field.mapKey = key as ScalarType;
      lex.expect(',');
      field.type = lex.typeName(true);
      lex.expect('>');
      field.label = 'repeated';
    } else if (start.text === 'group' && lex.peek(1).kind === 'ident') {
      if (this.syntax !== 'proto2') {
        lex.error(`groups are proto2 only: use features.message_encoding = DELIMITED`);
      }
      lex.next();
      const groupName = lex.ident('a group name');
      if (!/^[A-Z]/.test(groupName)) lex.error('a group name starts with a capital', start);
      field.type = groupName;
      field.name = groupName.toLowerCase();
      field.group = true;
    } else {
      field.type = lex.typeName(true);
    }
    if (!field.group) field.name = lex.ident('a field name');
    lex.expect('=');
    const numberAt = lex.peek();
    field.number = lex.integer('a field number');
    if (field.number < 1 || field.number > MAX_FIELD_NUMBER) {
      lex.error(`field number ${field.number} is outside 1 to ${MAX_FIELD_NUMBER}`, numberAt);
    }
    readFieldOptions(lex, field, own, this.syntax);
    target.fields.push(field);
    if (!field.group) {
      lex.expect(';');
      return;
    }
    const group = this.newMessage(this.scoped(target.scope, field.type), target.features, start);
    this.messageBody(group, depth + 1);
  }

  /** Editions spell presence with features; proto3 has no required fields. */
  private checkLabel(label: Token): void {
    if (label.text === 'repeated') return;
    if (this.syntax.startsWith('edition')) {
      this.lex.error(
        `'${label.text}' is not allowed in editions: use features.field_presence`,
        label,
      );
    }
    if (label.text === 'required' && this.syntax === 'proto3') {
      this.lex.error('proto3 has no required fields', label);
    }
  }
}
