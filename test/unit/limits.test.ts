import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFromStorage } from '../../src/protocol/limits';

describe('limitsFromStorage', () => {
  it('takes positive integers for sizes and counts, and ignores anything else', () => {
    expect(limitsFromStorage({ payloadCap: 4096, backlogEvents: 0, backlogBytes: '9' })).toEqual({
      ...DEFAULT_LIMITS,
      payloadCap: 4096,
    });
    expect(limitsFromStorage(null)).toEqual(DEFAULT_LIMITS);
  });

  it('takes 0 or 1 for the send-stack switch, nothing else', () => {
    expect(limitsFromStorage({ sendStacks: 1 }).sendStacks).toBe(1);
    expect(limitsFromStorage({ sendStacks: 0 }).sendStacks).toBe(0);
    for (const sendStacks of [2, true, '1', -1]) {
      expect(limitsFromStorage({ sendStacks }).sendStacks).toBe(DEFAULT_LIMITS.sendStacks);
    }
  });
});
