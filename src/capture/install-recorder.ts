import type { ConnectionId } from '../protocol/capture-events';
import { installNativeToString } from './disguise-as-native';
import type { GateActions, InterceptGate } from './intercept-gate';
import { installMockGetters } from './mock-getters';
import { captureIntrinsics, type Intrinsics, type PageGlobal } from './native-intrinsics';
import { createPageActions, type PageActions } from './page-actions';
import {
  getterOf,
  nullArray,
  nullRecord,
  reflectGetOwnPropertyDescriptor,
  weakMapHas,
} from './page-builtins';
import { adoptWindow, type HookWindow, watchChildWindows } from './realm-adoption';
import { createRecordedFrames } from './recorded-frames';
import type { RecorderSettings, RecorderSink } from './recorder-sink';
import { RuleEngine } from './rule-engine';
import { createRuleHost } from './rule-host';
import { createSocketRegistry, type SocketState } from './socket-registry';
import { readsValueFirst } from './webidl-conversions';
import { installWebSocketProxies } from './websocket-proxies';

export type { RecorderSettings, RecorderSink } from './recorder-sink';

/** Makes the intercept gate, given what it needs from the recorder to let frames through. */
export type CreateGate = (actions: GateActions) => InterceptGate;

export interface Recorder extends PageActions {
  readonly intrinsics: Intrinsics;
  readonly gate: InterceptGate;
  readonly rules: RuleEngine;
  settings: RecorderSettings;
  /** The socket with this id, while the page holds it (commands act on it). */
  socketById(id: ConnectionId): WebSocket | undefined;
  /** A connection's URL and requested protocols, as recorded (bounded: see ConnectionRegistry). */
  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined;
  /**
   * Listens on the page's window, and again each time `document.open()` erased its listeners
   * (realm-adoption.ts): for the hook's own listeners, which the page must not be able to remove.
   */
  keepWindowListener(type: string, listener: (event: Event) => void): void;
}

/**
 * Replaces the page's `WebSocket` with a Proxy of the native constructor that records every
 * connection, send, message, error and close, while the page sees the same constructor,
 * prototype, descriptors, exceptions, events and `Function.prototype.toString` as without it.
 * The rooms: websocket-proxies (the wrappers), socket-registry (ids, states, event listeners),
 * recorded-frames (payload snapshots), page-actions (what commands do), realm-adoption (windows
 * no hook reached yet), and the intercept gate made by `createGate`.
 *
 * Page-world code (see page-builtins.ts): once installed, it calls only built-ins captured before
 * any page script ran, and the page code it runs (an argument's toString, a protocols iterator)
 * runs exactly as often, and in the same order, as without it.
 */
export function installRecorder(
  global: PageGlobal,
  sink: RecorderSink,
  settings: RecorderSettings,
  createGate: CreateGate,
): Recorder {
  const intrinsics = captureIntrinsics(global);
  const { disguise, group, listenAgain } = installNativeToString(global, intrinsics);
  const kept = nullArray<{ type: string; listener: (event: Event) => void }>();
  const keep = (type: string, listener: (event: Event) => void) =>
    intrinsics.addEventListener(global, type, listener, false);
  const documentView = getterOf<unknown>(global.Document?.prototype, 'defaultView');
  /** After `document.open()` on this window's document: the hook's listeners again. */
  const reopened = (document: unknown) => {
    if (typeof document !== 'object' || document === null || documentView(document) !== global)
      return;
    listenAgain();
    for (let i = 0; i < kept.length; i++) keep(kept[i]!.type, kept[i]!.listener);
  };
  // Shared with the hooks of every same-origin window of the page (see HookGroup).
  const states = group.sockets as WeakMap<object, SocketState>;
  const frames = createRecordedFrames(intrinsics, sink, () => recorder.settings);
  /** Each hooked window's mock getters, waiting for a mock rule (null once installed). */
  let mockGetters: Array<() => void> | null = nullArray();

  const gate = createGate({
    pass(frame, data, origin) {
      if (frame.direction === 'outgoing') actions.sendAs(frame.socket, data, origin);
      else registry.dispatchMessage(frame.socket, data, origin);
    },
    drop(frame) {
      if (frame.direction === 'outgoing')
        frames.recordSend(frame.socket, frame.connectionId, frame.data, 'dropped');
      else frames.recordReceive(frame.connectionId, frame.data, 'dropped');
    },
    held(frame, payload) {
      sink.record(
        {
          type: 'held',
          id: frame.connectionId,
          time: intrinsics.epochNow(),
          heldId: frame.heldId!,
          direction: frame.direction,
          payload,
        },
        frames.bytesOf(payload),
      );
    },
    released(frame, heldId, action) {
      sink.record(
        { type: 'released', id: frame.connectionId, time: intrinsics.epochNow(), heldId, action },
        0,
      );
    },
    payloadOf(data) {
      const payload = frames.payloadOf(data);
      return typeof payload === 'string' ? { kind: 'text', text: payload } : payload;
    },
    dataFor: (frame, payload) => actions.dataFor(frame.socket, payload, frame.direction),
  });
  const rules = new RuleEngine(
    createRuleHost({
      intrinsics,
      sink,
      frames,
      registry: () => registry,
      actions: () => actions,
      enableMocks() {
        if (mockGetters === null) return;
        const installs = mockGetters;
        mockGetters = null;
        for (let i = 0; i < installs.length; i++) installs[i]!();
      },
    }),
    settings.awaitRules === true,
  );
  const registry = createSocketRegistry(states, intrinsics, sink, frames, gate, rules);
  const actions = createPageActions(intrinsics, registry, states);

  const valueFirst = readsValueFirst(intrinsics.NativeWebSocket);
  const mockOf = (receiver: unknown) => registry.stateOf(receiver)?.mock;
  const hookWindow: HookWindow = (realmGlobal, realm, realmDisguise) => {
    const installGetters = () => installMockGetters(realm, mockOf, realmDisguise);
    if (mockGetters === null) installGetters();
    else mockGetters[mockGetters.length] = installGetters;
    installWebSocketProxies(realmGlobal, realm, {
      intrinsics,
      registry,
      valueFirst,
      disguise: realmDisguise,
    });
    watchChildWindows(
      realmGlobal,
      realmDisguise,
      (candidate) => adoptWindow(candidate, group, hookWindow),
      reopened,
    );
  };

  const recorder: Recorder = {
    ...actions,
    intrinsics,
    gate,
    rules,
    settings,
    socketById: registry.socketById,
    describe: (id) => sink.describe(id),
    keepWindowListener(type, listener) {
      const entry = nullRecord<{ type: string; listener: (event: Event) => void }>();
      entry.type = type;
      entry.listener = listener;
      kept[kept.length] = entry;
      keep(type, listener);
    },
  };

  // A window another hook adopted first (see adoptWindow) records there already.
  const current = reflectGetOwnPropertyDescriptor(global, 'WebSocket');
  const adopted = current !== undefined && weakMapHas(group.disguises, current.value as object);
  if (!adopted) hookWindow(global, intrinsics, disguise);
  return recorder;
}
