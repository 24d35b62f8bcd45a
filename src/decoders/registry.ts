import { binaryDecoders } from './binary-decoders';
import type { DecoderDefinition } from './decoder';
import { textDecoders } from './text-decoders';

/** Every protocol the panel reads, ordered by label as "Decode as" lists them. */
export const ALL_DECODERS: DecoderDefinition[] = [...textDecoders, ...binaryDecoders].sort((a, b) =>
  a.label.localeCompare(b.label),
);
