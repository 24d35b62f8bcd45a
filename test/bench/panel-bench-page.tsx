/**
 * The panel's real UI, fed synthetic frames in the page: what `panel-bench.ts` measures.
 * Exposes `runPanelBench(frameCount)` on window.
 */

import { render } from 'preact';
import { App } from '../../src/panel/App';
import { PanelState } from '../../src/panel/panel-state';
import type { SequencedEvent } from '../../src/protocol/relay-events';
import { compileFilter, EMPTY_FILTER } from '../../src/session/frame-filter';
import { SearchAhead } from '../../src/session/search-ahead';
import { applyEvents } from '../unit/record-helpers';
import { measureMerge } from './merge-bench';
import '../../src/panel/panel.css';

export interface PanelBenchResult {
  frames: number;
  loadMs: number;
  firstRenderMs: number;
  textFilterMs: number;
  /** The same text query's predicate over every frame, synchronously (no slicing, no render). */
  textScanMs: number;
  textFilterMatches: number;
  /** Building 100,000 binary frames' searched hex in the panel's idle time. */
  searchAheadMs: number;
  regexFilterMs: number;
  /** A second regex, once binary frames' searchable hex exists. */
  regexFilterWarmMs: number;
  regexFilterMatches: number;
  scrollFrameMsMedian: number;
  scrollFrameMsP95: number;
  bytesPer100k: number | null;
  /** `event:chat` over as many Socket.IO frames, the first time (decoding every frame). */
  /** Decoding every frame ahead, as the panel does in idle time once they arrive. */
  decodeAheadMs: number;
  decodedFilterMs: number;
  /** `event:news` after it: the frames' decoded forms are cached. */
  decodedFilterWarmMs: number;
  decodedFilterMatches: number;
  /** The session store alone taking in as many frames in time order, and merged from two documents. */
  inOrderLoadMs: number;
  mergeLoadMs: number;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const scope = window as unknown as {
  runPanelBench(frameCount: number): Promise<PanelBenchResult>;
  gc?: () => void;
  performance: Performance & { memory?: { usedJSHeapSize: number } };
};

const state = new PanelState();
render(<App state={state} tabId={0} />, document.getElementById('root')!);

function heap(): number | null {
  scope.gc?.();
  return scope.performance.memory?.usedJSHeapSize ?? null;
}

scope.runPanelBench = async (frameCount) => {
  const { session } = state;
  session.addDocument({ documentId: 'bench', url: 'http://bench.test/', startedAt: 1, frameId: 0 });
  const heapBefore = heap();
  const start = performance.now();
  let seq = 0;
  const chunk = 50_000;
  const base = Date.now();
  for (let id = 1; id <= 4; id++) {
    applyEvents(
      session,
      'bench',
      [
        {
          seq: seq++,
          event: {
            type: 'created',
            id,
            time: base,
            requestedUrl: `ws://bench.test/${id}`,
            url: `ws://bench.test/${id}`,
            protocols: [],
          },
        },
      ],
      0,
      0,
    );
  }
  for (let done = 0; done < frameCount; done += chunk) {
    const events: SequencedEvent[] = [];
    for (let i = done; i < Math.min(frameCount, done + chunk); i++) {
      const id = (i % 4) + 1;
      const text =
        i % 1000 === 1
          ? `{"seq":${i},"note":"needle-${i}"}`
          : `{"seq":${i},"symbol":"ACME","price":${(i % 997) / 10}}`;
      const payload =
        i % 10 === 0
          ? { kind: 'binary' as const, base64: 'AAECAwQFBgcICQ==', size: 10, originalSize: 10 }
          : { kind: 'text' as const, text, size: text.length, originalSize: text.length };
      events.push({
        seq: seq++,
        event:
          i % 2 === 0
            ? {
                type: 'sent',
                id,
                time: base + i,
                payload,
                readyState: 1,
                bufferedAmount: 0,
                origin: 'page',
              }
            : { type: 'received', id, time: base + i, payload, origin: 'page' },
      });
    }
    applyEvents(session, 'bench', events, 0, 0);
    state.changed();
  }
  const loadMs = performance.now() - start;
  const renderStart = performance.now();
  state.revision.value++;
  await nextFrame();
  await nextFrame();
  const firstRenderMs = performance.now() - renderStart;
  const heapAfter = heap();

  // The predicate alone over every frame, without slicing or rendering: the floor for filtering.
  let t = performance.now();
  const predicate = compileFilter({ ...EMPTY_FILTER, query: 'needle' }).predicate!;
  let scanned = 0;
  for (const frame of session.frames) if (predicate(frame)) scanned++;
  const textScanMs = performance.now() - t;
  void scanned;

  state.filter.value = { ...EMPTY_FILTER, query: 'needle' };
  t = performance.now();
  await state.refilterNow();
  const textFilterMs = performance.now() - t;
  const textFilterMatches = state.filtered.matches.length;

  // What the panel does in idle time after frames arrive: binary frames' searched hex built.
  t = performance.now();
  const ahead = new SearchAhead();
  while (ahead.run(session.frames, () => 50))
    await new Promise((resolve) => setTimeout(resolve, 0));
  const searchAheadMs = performance.now() - t;

  state.filter.value = { ...EMPTY_FILTER, query: '"price":9\\d\\.\\d', regex: true };
  t = performance.now();
  await state.refilterNow();
  const regexFilterMs = performance.now() - t;
  const regexFilterMatches = state.filtered.matches.length;
  state.filter.value = { ...EMPTY_FILTER, query: '"price":8\\d\\.\\d', regex: true };
  t = performance.now();
  await state.refilterNow();
  const regexFilterWarmMs = performance.now() - t;

  state.filter.value = EMPTY_FILTER;
  await state.refilterNow();
  await nextFrame();
  const viewport = document.querySelector('[data-testid="frame-viewport"]') as HTMLElement;
  viewport.scrollTop = viewport.scrollHeight / 2;
  await nextFrame();
  const frameTimes: number[] = [];
  let last = await nextFrame();
  for (let i = 0; i < 120; i++) {
    viewport.scrollTop += 400;
    const now = await nextFrame();
    frameTimes.push(now - last);
    last = now;
  }
  frameTimes.sort((a, b) => a - b);
  const decoded = await measureDecodedFilter(frameCount);
  const merge = measureMerge(frameCount);
  return {
    ...decoded,
    ...merge,
    frames: frameCount,
    loadMs,
    firstRenderMs,
    textFilterMs,
    textScanMs,
    textFilterMatches,
    searchAheadMs,
    regexFilterMs,
    regexFilterWarmMs,
    regexFilterMatches,
    scrollFrameMsMedian: frameTimes[Math.floor(frameTimes.length / 2)]!,
    scrollFrameMsP95: frameTimes[Math.floor(frameTimes.length * 0.95)]!,
    bytesPer100k:
      heapBefore !== null && heapAfter !== null
        ? ((heapAfter - heapBefore) / frameCount) * 100_000
        : null,
  };
};

/** Replaces the session with Socket.IO frames and times a decoded-field filter over them. */
async function measureDecodedFilter(frameCount: number) {
  state.clear();
  const { session } = state;
  const url = 'ws://bench.test/socket.io/?EIO=4&transport=websocket';
  let seq = session.cursorOf('bench');
  const base = Date.now();
  applyEvents(session, 'bench', [
    {
      seq: seq++,
      event: { type: 'created', id: 9, time: base, requestedUrl: url, url, protocols: [] },
    },
  ]);
  const chunk = 50_000;
  for (let done = 0; done < frameCount; done += chunk) {
    const events: SequencedEvent[] = [];
    for (let i = done; i < Math.min(frameCount, done + chunk); i++) {
      const name = i % 1000 === 1 ? 'chat' : i % 1000 === 2 ? 'news' : 'price';
      const text = `42["${name}",{"seq":${i},"symbol":"ACME","price":${(i % 997) / 10}}]`;
      const payload = { kind: 'text' as const, text, size: text.length, originalSize: text.length };
      events.push({
        seq: seq++,
        event: { type: 'received', id: 9, time: base + i, payload, origin: 'page' },
      });
    }
    applyEvents(session, 'bench', events, 0, 0);
    state.changed();
  }
  await state.refilterNow();
  // What the panel does in idle time after frames arrive: every frame decoded, ahead of views.
  let t = performance.now();
  const connectionOf = (key: string) => session.connections.get(key);
  while (state.decoding.decodeAhead(session.frames, connectionOf, () => 50)) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const decodeAheadMs = performance.now() - t;
  state.filter.value = { ...EMPTY_FILTER, query: 'event:chat' };
  t = performance.now();
  await state.refilterNow();
  const decodedFilterMs = performance.now() - t;
  const decodedFilterMatches = state.filtered.matches.length;
  state.filter.value = { ...EMPTY_FILTER, query: 'event:news' };
  t = performance.now();
  await state.refilterNow();
  const decodedFilterWarmMs = performance.now() - t;
  state.filter.value = EMPTY_FILTER;
  await state.refilterNow();
  return { decodeAheadMs, decodedFilterMs, decodedFilterWarmMs, decodedFilterMatches };
}
