/**
 * Editions' features: the settings that decide how fields go on the wire. proto2 and proto3
 * are read as editions too, each with its fixed defaults, and the parsers turn their `packed`
 * options into features, so one resolution serves every syntax. Settings are inherited
 * file → message → oneof → field, the innermost one winning.
 */

import { eachField } from './proto-wire-read';

export interface Features {
  /** Decoding shows only what is on the wire, so of these only LEGACY_REQUIRED shows. */
  fieldPresence: 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED';
  enumType: 'OPEN' | 'CLOSED';
  repeatedFieldEncoding: 'PACKED' | 'EXPANDED';
  messageEncoding: 'LENGTH_PREFIXED' | 'DELIMITED';
}

export type FeatureOverrides = Partial<Features>;

/** Where a feature is set, as descriptor.proto's `targets` allow each one (protoc's check). */
export type FeatureTarget = 'file' | 'message' | 'field' | 'oneof' | 'enum';

/** Outermost first: the edition's defaults, the file's settings, then each enclosing element's. */
export type FeatureChain = FeatureOverrides[];

/**
 * FeatureSet's fields as descriptor.proto numbers them, with each enum's values by number
 * (index 0 is the enums' UNKNOWN); `key` is unset for features that do not change decoding,
 * which are still checked by name so that a misspelt value is reported.
 */
const FEATURES: Record<
  string,
  { number: number; values: string[]; targets: FeatureTarget[]; key?: keyof Features }
> = {
  field_presence: {
    number: 1,
    key: 'fieldPresence',
    values: ['', 'EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED'],
    targets: ['file', 'field'],
  },
  enum_type: {
    number: 2,
    key: 'enumType',
    values: ['', 'OPEN', 'CLOSED'],
    targets: ['file', 'enum'],
  },
  repeated_field_encoding: {
    number: 3,
    key: 'repeatedFieldEncoding',
    values: ['', 'PACKED', 'EXPANDED'],
    targets: ['file', 'field'],
  },
  utf8_validation: { number: 4, values: ['', '', 'VERIFY', 'NONE'], targets: ['file', 'field'] },
  message_encoding: {
    number: 5,
    key: 'messageEncoding',
    values: ['', 'LENGTH_PREFIXED', 'DELIMITED'],
    targets: ['file', 'field'],
  },
  json_format: {
    number: 6,
    values: ['', 'ALLOW', 'LEGACY_BEST_EFFORT'],
    targets: ['file', 'message', 'enum'],
  },
  enforce_naming_style: {
    number: 7,
    values: ['', 'STYLE2024', 'STYLE_LEGACY'],
    targets: ['file', 'message', 'field', 'oneof', 'enum'],
  },
  default_symbol_visibility: {
    number: 8,
    values: ['', 'EXPORT_ALL', 'EXPORT_TOP_LEVEL', 'LOCAL_ALL', 'STRICT'],
    targets: ['file'],
  },
};

const PROTO2: Features = {
  fieldPresence: 'EXPLICIT',
  enumType: 'CLOSED',
  repeatedFieldEncoding: 'EXPANDED',
  messageEncoding: 'LENGTH_PREFIXED',
};
const PROTO3: Features = {
  ...PROTO2,
  fieldPresence: 'IMPLICIT',
  enumType: 'OPEN',
  repeatedFieldEncoding: 'PACKED',
};
const EDITION_2023: Features = { ...PROTO3, fieldPresence: 'EXPLICIT' };

/** The editions `.proto` source may name; 2024 changed no feature that decoding uses. */
export const KNOWN_EDITIONS: ReadonlySet<string> = new Set(['2023', '2024']);

export const isEditions = (syntax: string) => syntax.startsWith('edition');

/** Defaults by the syntax as `ProtoFileInfo` records it: `proto2`, `proto3`, `edition 2023`. */
export function editionDefaults(syntax: string): Features {
  if (syntax === 'proto3') return { ...PROTO3 };
  return { ...(isEditions(syntax) ? EDITION_2023 : PROTO2) };
}

/**
 * Applies `features.<name> = <value>` from source; returns what is wrong with it, if anything.
 * Features of language extensions (`features.(pb.cpp).…`) are for code generators: skipped.
 */
export function setFeature(
  target: FeatureOverrides,
  name: string,
  value: string,
  on: FeatureTarget,
): string | undefined {
  if (name.startsWith('(')) return undefined;
  const feature = Object.hasOwn(FEATURES, name) ? FEATURES[name] : undefined;
  if (!feature) return `unknown feature '${name}'`;
  if (!feature.targets.includes(on)) {
    return `features.${name} cannot be set on ${/^[aeiou]/.test(on) ? 'an' : 'a'} ${on}`;
  }
  const index = feature.values.indexOf(value);
  if (index <= 0) return `'${value}' is not a value of features.${name}`;
  if (feature.key) Object.assign(target, { [feature.key]: value });
  return undefined;
}

/** A descriptor's FeatureSet message; values it does not know are left to the defaults. */
export function readFeatureSet(bytes: Uint8Array, target: FeatureOverrides): void {
  eachField(bytes, (number, read) => {
    const feature = Object.values(FEATURES).find((candidate) => candidate.number === number);
    if (!feature?.key || read.wireType !== 0) return;
    const value = feature.values[read.int()];
    if (value) Object.assign(target, { [feature.key]: value });
  });
}

// Chains are shared by every field of a message: each is resolved once.
const resolved = new WeakMap<FeatureChain, Features>();

export function resolveFeatures(chain: FeatureChain): Features {
  let features = resolved.get(chain);
  if (!features) {
    features = Object.assign({ ...PROTO2 }, ...chain) as Features;
    resolved.set(chain, features);
  }
  return features;
}

/** A scope's features with an element's own settings (a oneof's, then a field's) over them. */
export function refineFeatures(scope: Features, own: FeatureOverrides[]): Features {
  return Object.assign({ ...scope }, ...own) as Features;
}
