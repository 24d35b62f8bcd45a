/**
 * Extensions onto the messages they extend. An extension is named and resolved in the scope of
 * its `extend` block, and is shown by its full name in brackets (`[pkg.note]`), as protobuf's
 * text format shows it, so it cannot be mistaken for a field of the message itself.
 */

import { fail } from './byte-cursor';
import { resolveFeatures } from './proto-features';
import { type Linker, rangeTest } from './proto-link';
import type { MessageType, ProtoSchema, RawExtension, RawMessage } from './proto-types';

/**
 * Custom options extend descriptor.proto's option messages, which are seldom loaded with the
 * files that use them; options never travel in frames, so such extensions are left out.
 */
const OPTION_MESSAGES = /^\.?google\.protobuf\.[A-Za-z]+Options$/;

export function linkExtensions(
  linker: Linker,
  extensions: RawExtension[],
  schema: ProtoSchema,
): void {
  const ranges = new Map<RawMessage, (number: number) => boolean>();
  // Names by number per extended message, so that many extensions are not checked pairwise.
  const taken = new Map<MessageType, Map<number, string>>();
  for (const extension of extensions) {
    const { field: raw, scope } = extension;
    const fullName = scope ? `${scope}.${raw.name}` : raw.name;
    const where = `${raw.where}: extension ${fullName}`;
    const extendee = linker.resolve(extension.extendee, scope);
    const entry = extendee === undefined ? undefined : linker.symbols.get(extendee);
    if (entry?.kind !== 'message') {
      if (OPTION_MESSAGES.test(extension.extendee)) continue;
      fail(`${where}: unknown message '${extension.extendee}' to extend`);
    }
    const message = schema.messages.get(entry.raw.fullName);
    if (!message) fail(`${where}: a map entry cannot be extended`);
    if (raw.label === 'required') fail(`${where}: an extension cannot be required`);
    let inRange = ranges.get(entry.raw);
    if (!inRange) {
      inRange = rangeTest(entry.raw.extensionRanges);
      ranges.set(entry.raw, inRange);
    }
    if (!inRange(raw.number)) {
      fail(`${where}: ${message.fullName} declares no extension range holding ${raw.number}`);
    }
    const field = linker.field(raw, scope, where, resolveFeatures(extension.features));
    field.name = `[${fullName}]`;
    let numbers = taken.get(message);
    if (!numbers) {
      numbers = new Map(message.fields.map((other) => [other.number, other.name]));
      taken.set(message, numbers);
    }
    const holder = numbers.get(raw.number);
    if (holder !== undefined) {
      fail(`${where}: number ${raw.number} is already ${holder} of ${message.fullName}`);
    }
    numbers.set(raw.number, field.name);
    message.extensions ??= [];
    message.extensions.push(field);
  }
}
