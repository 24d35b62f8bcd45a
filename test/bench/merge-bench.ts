/**
 * The time-ordered merge's cost: 1,000,000 frames taken into a session as they come from one
 * document (every batch later than the last), then as they come from two documents whose relays
 * deliver overlapping stretches (each batch of the second starts before the first's last frame,
 * so its frames are merged in, as a frame's late arrival from another frame of the page is).
 * The difference is what the merge costs. No rendering: the session store alone.
 */
import type { SequencedEvent } from '../../src/protocol/relay-events';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from '../unit/record-helpers';

const BATCH = 1_000;

export interface MergeBenchResult {
  inOrderLoadMs: number;
  mergeLoadMs: number;
}

function load(frameCount: number, documents: 1 | 2): number {
  const store = new SessionStore();
  const base = Date.now();
  const seqs = [0, 0];
  for (let d = 0; d < documents; d++) {
    store.addDocument({
      documentId: `d${d}`,
      url: `http://bench.test/${d}`,
      startedAt: 1,
      frameId: d,
    });
    applyEvents(store, `d${d}`, [
      {
        seq: seqs[d]!++,
        event: {
          type: 'created',
          id: 1,
          time: base,
          requestedUrl: 'ws://b/',
          url: 'ws://b/',
          protocols: [],
        },
      },
    ]);
  }
  const start = performance.now();
  for (let done = 0; done < frameCount; done += BATCH * documents) {
    for (let d = 0; d < documents; d++) {
      const events: SequencedEvent[] = [];
      for (let i = 0; i < BATCH; i++) {
        // Two documents interleave their frames' times within the same stretch.
        const time = base + done + i * documents + d;
        const text = `{"seq":${done + i},"price":${i % 97}}`;
        const payload = {
          kind: 'text' as const,
          text,
          size: text.length,
          originalSize: text.length,
        };
        events.push({
          seq: seqs[d]!++,
          event: { type: 'received', id: 1, time, payload, origin: 'page' },
        });
      }
      applyEvents(store, `d${d}`, events, 0, 0);
    }
  }
  return performance.now() - start;
}

export function measureMerge(frameCount: number): MergeBenchResult {
  return { inOrderLoadMs: load(frameCount, 1), mergeLoadMs: load(frameCount, 2) };
}
