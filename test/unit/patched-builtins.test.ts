import { afterEach, describe, expect, it } from 'vitest';
import { executeCommand } from '../../src/capture/command-executor';
import { EventStream } from '../../src/capture/event-stream';
import { installRecorder, type Recorder } from '../../src/capture/install-recorder';
import { createInterceptGate } from '../../src/capture/intercept-gate';
import type { PageGlobal } from '../../src/capture/native-intrinsics';
import { createDelayedScheduler, createTaskScheduler } from '../../src/capture/task-schedulers';
import type { CaptureEvent, HookBatch } from '../../src/protocol/capture-events';
import type { CommandResult, PageCommand } from '../../src/protocol/page-commands';
import {
  PARSE_LIMITS,
  parseConnectionSummaries,
  parseHookBatch,
} from '../../src/relay/parse-hook-messages';
import { readBlobs, toWireRecords } from '../../src/relay/wire-records';
import { decodeRecords } from '../../src/session/decode-records';
import { createFakeWebSocketClass, FakeCloseEvent, type FakeWebSocket } from './fake-websocket';

/**
 * A hostile page that read our source patches built-ins after the hook installed: accessors and
 * Proxies on prototypes that forge or drop what is stored and read, replaced globals and methods
 * that count, throw or forge. Through all of it the hook must record, post (as the relay reads
 * it) and carry out commands exactly as on a page that patches nothing, and never call what the
 * page patched (the page would notice it).
 *
 * What counts as the hook calling a patch: the nearest caller on the stack, past the patch and
 * built-ins, is in src/capture, src/protocol or the page hook, or is a stand-in for native code
 * (the fake WebSocket, this file's WebIDL readers for MessageEvent, CustomEvent, Blob and
 * addEventListener) that the hook called with its own objects. Node's own JavaScript beneath a
 * native is not counted: a browser's natives are C++ and call nothing a page can patch. The
 * stand-ins and this file use only built-ins they took before any patch.
 */

// Taken before any test patches anything.
const {
  apply,
  construct,
  defineProperty,
  deleteProperty,
  get: reflectGet,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  has: reflectHas,
  ownKeys,
  set: reflectSet,
  setPrototypeOf,
  isExtensible,
  preventExtensions,
} = Reflect;
const createObject = Object.create;
const hasOwn = Object.hasOwn;
const ErrorConstructor = Error;
const ProxyConstructor = Proxy;
const stringSplit = String.prototype.split;
const stringIncludes = String.prototype.includes;
const stringStartsWith = String.prototype.startsWith;
const iteratorSymbol: typeof Symbol.iterator = Symbol.iterator;
const promiseReject = Promise.reject.bind(Promise);
const globalObject = globalThis as unknown as Record<string, unknown>;
const messageData = getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
const toStringDescriptor = getOwnPropertyDescriptor(Function.prototype, 'toString')!;

const PAYLOAD_CAP = 1 << 20;
const LIMITS = { ...PARSE_LIMITS, maxPayload: PAYLOAD_CAP };
const HOOK_FILES = ['/src/capture/', '/src/protocol/', '/extension/page-hook'];

function nullProto<T extends object>(object: T): T {
  return setPrototypeOf(object, null) ? object : object;
}

/** An own property descriptor, copied without prototype (safe to define while others patch). */
function ownDescriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
  const descriptor = getOwnPropertyDescriptor(target, key);
  return descriptor === undefined ? undefined : nullProto(descriptor);
}

// --- Patching, and putting everything back ---------------------------------------------------

interface Saved {
  target: object;
  key: PropertyKey | null;
  descriptor: PropertyDescriptor | undefined;
  proto: object | null;
}
const saved: Record<number, Saved> = createObject(null);
let savedCount = 0;

function patchProperty(target: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  saved[savedCount++] = { target, key, descriptor: ownDescriptor(target, key), proto: null };
  defineProperty(target, key, nullProto({ ...descriptor, configurable: true }));
}

function patchPrototype(target: object, proto: object): void {
  saved[savedCount++] = { target, key: null, descriptor: undefined, proto: getPrototypeOf(target) };
  setPrototypeOf(target, proto);
}

function restoreAll(): void {
  armed = false;
  while (savedCount > 0) {
    const { target, key, descriptor, proto } = saved[--savedCount]!;
    if (key === null) setPrototypeOf(target, proto);
    else if (descriptor === undefined) deleteProperty(target, key);
    else defineProperty(target, key, descriptor);
  }
  defineProperty(Function.prototype, 'toString', toStringDescriptor);
}

// --- Telling the hook's calls from the rest --------------------------------------------------

let armed = false;
let busy = false;
let touches: Record<string, number> = createObject(null);

/** Notes a call of a patch; true when the hook made it (the patch then acts against the hook). */
function touch(label: string): boolean {
  if (!armed || busy) return false;
  busy = true;
  try {
    if (!calledByHook()) return false;
    touches[label] = (touches[label] ?? 0) + 1;
    return true;
  } finally {
    busy = false;
  }
}

function calledByHook(): boolean {
  const prepare = ownDescriptor(ErrorConstructor, 'prepareStackTrace');
  const limit = ownDescriptor(ErrorConstructor, 'stackTraceLimit');
  defineProperty(
    ErrorConstructor,
    'prepareStackTrace',
    nullProto({ value: undefined, configurable: true, writable: true }),
  );
  defineProperty(
    ErrorConstructor,
    'stackTraceLimit',
    nullProto({ value: 40, configurable: true, writable: true }),
  );
  let stack: string;
  try {
    stack = new ErrorConstructor().stack ?? '';
  } finally {
    if (prepare) defineProperty(ErrorConstructor, 'prepareStackTrace', prepare);
    else deleteProperty(ErrorConstructor, 'prepareStackTrace');
    if (limit) defineProperty(ErrorConstructor, 'stackTraceLimit', limit);
  }
  const lines = apply(stringSplit, stack, ['\n']) as string[];
  // 0: "Error", 1: calledByHook, 2: touch, 3: the patch; then its callers, nearest first.
  for (let i = 4; i < lines.length; i++) {
    const line = lines[i]!;
    if (apply(stringIncludes, line, ['(<anonymous>)']) || !apply(stringIncludes, line, ['/']))
      continue;
    if (someIncluded(line, HOOK_FILES)) return true;
    // A stand-in for native code acts for whoever called it: what it reads of an object the
    // hook gave it (a dictionary, a sequence) is the hook's doing. Page code (a listener), the
    // relay, and Node's own JavaScript underneath a native (which a browser does in C++) are not.
    if (someIncluded(line, NATIVE_STAND_INS)) continue;
    return false;
  }
  return false;
}

/** This test's stand-ins for the browser's native code, which convert arguments as WebIDL does. */
const NATIVE_STAND_INS = ['/fake-websocket.ts', 'nativeStandIn'];

function someIncluded(line: string, parts: string[]): boolean {
  for (let j = 0; j < parts.length; j++) {
    if (apply(stringIncludes, line, [parts[j]])) return true;
  }
  return false;
}

// --- Hostile patches -------------------------------------------------------------------------

type Behaviour = 'count' | 'throw' | 'forge';
const FORGED = 'FORGED';

function isReal(value: unknown): boolean {
  return typeof value === 'string' && apply(stringStartsWith, value, ['REAL']) === true;
}

function keyName(key: PropertyKey): string {
  return typeof key === 'symbol' ? 'symbol' : `${key}`;
}

/** A function that notes the hook's calls and then forwards, throws or forges. */
function hostileFunction(
  label: string,
  original: (...args: unknown[]) => unknown,
  behaviour: Behaviour,
) {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    if (touch(label)) {
      if (behaviour === 'throw') throw new ErrorConstructor(`the page patched ${label}`);
      if (behaviour === 'forge') return FORGED;
    }
    return new.target ? construct(original, args, new.target) : apply(original, this, args);
  };
  if (hasOwn(original, 'prototype'))
    defineProperty(wrapper, 'prototype', nullProto({ value: original.prototype }));
  return wrapper;
}

/** Replaces every method and getter of `host` (its own properties) with hostile ones. */
function patchMembers(host: object, name: string, behaviour: Behaviour, skip: string[] = []) {
  const keys = ownKeys(host);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (typeof key === 'string' && apply(stringIncludes, SKIPPED_MEMBERS, [`,${key},`])) continue;
    if (typeof key === 'string' && skip.indexOf(key) >= 0) continue;
    const descriptor = ownDescriptor(host, key);
    if (!descriptor?.configurable) continue;
    const label = `${name}.${keyName(key)}`;
    if (typeof descriptor.value === 'function') {
      patchProperty(host, key, {
        value: hostileFunction(label, descriptor.value, behaviour),
        writable: true,
        enumerable: descriptor.enumerable,
      });
    } else if (descriptor.get) {
      const getter = descriptor.get;
      patchProperty(host, key, {
        get: hostileFunction(`get ${label}`, getter, behaviour),
        set: descriptor.set,
        enumerable: descriptor.enumerable,
      });
    }
  }
}

/** Not replaced: the engine or the test machinery needs them as they are. */
const SKIPPED_MEMBERS = ',constructor,prototype,__proto__,caller,arguments,length,name,isTrusted,';

/** An accessor where the page has none: it forges what the hook reads and what it stores. */
function forgingAccessor(host: object, key: PropertyKey, label: string, forged: unknown) {
  patchProperty(host, key, {
    get() {
      return touch(`get ${label}`) ? forged : undefined;
    },
    set(this: object, value: unknown) {
      const byHook = touch(`set ${label}`);
      const stored = byHook && isReal(value) ? `FORGED:${value}` : value;
      defineProperty(
        this,
        key,
        nullProto({ value: stored, writable: true, enumerable: true, configurable: true }),
      );
    },
    enumerable: false,
  });
}

/** A Proxy to put under a prototype: notes every lookup, and drops the hook's stores of REAL text. */
function hostileProxy(label: string, base: object): object {
  return new ProxyConstructor(
    base,
    nullProto({
      get(target: object, key: PropertyKey, receiver: unknown) {
        touch(`${label} get ${keyName(key)}`);
        return reflectGet(target, key, receiver);
      },
      set(target: object, key: PropertyKey, value: unknown, receiver: unknown) {
        if (touch(`${label} set ${keyName(key)}`) && isReal(value)) return true;
        return reflectSet(target, key, value, receiver);
      },
      has(target: object, key: PropertyKey) {
        touch(`${label} has ${keyName(key)}`);
        return reflectHas(target, key);
      },
      getOwnPropertyDescriptor(target: object, key: PropertyKey) {
        touch(`${label} getOwnPropertyDescriptor ${keyName(key)}`);
        return getOwnPropertyDescriptor(target, key);
      },
      defineProperty(target: object, key: PropertyKey, descriptor: PropertyDescriptor) {
        touch(`${label} defineProperty ${keyName(key)}`);
        return defineProperty(target, key, descriptor);
      },
      deleteProperty(target: object, key: PropertyKey) {
        touch(`${label} deleteProperty ${keyName(key)}`);
        return deleteProperty(target, key);
      },
      ownKeys(target: object) {
        touch(`${label} ownKeys`);
        return ownKeys(target);
      },
      isExtensible(target: object) {
        touch(`${label} isExtensible`);
        return isExtensible(target);
      },
      preventExtensions(target: object) {
        touch(`${label} preventExtensions`);
        return preventExtensions(target);
      },
    }),
  );
}

const TypedArray = getPrototypeOf(Uint8Array) as object;
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const ArrayIteratorPrototype = getPrototypeOf([][Symbol.iterator]()) as object;
const StringIteratorPrototype = getPrototypeOf(''[Symbol.iterator]()) as object;

/** Hosts of the methods and getters a hook might call, with the names a page would give them. */
function methodHosts(Native: object): Array<[object, string]> {
  return [
    [Function.prototype, 'Function.prototype'],
    [Array, 'Array'],
    [Array.prototype, 'Array.prototype'],
    [ArrayIteratorPrototype, '%ArrayIteratorPrototype%'],
    [Object, 'Object'],
    [Object.prototype, 'Object.prototype'],
    [Reflect, 'Reflect'],
    [String, 'String'],
    [String.prototype, 'String.prototype'],
    [StringIteratorPrototype, '%StringIteratorPrototype%'],
    [RegExp, 'RegExp'],
    [RegExp.prototype, 'RegExp.prototype'],
    [Map.prototype, 'Map.prototype'],
    [Set.prototype, 'Set.prototype'],
    [WeakMap.prototype, 'WeakMap.prototype'],
    [WeakSet.prototype, 'WeakSet.prototype'],
    [WeakRef.prototype, 'WeakRef.prototype'],
    [Math, 'Math'],
    [JSON, 'JSON'],
    [Number, 'Number'],
    [Number.prototype, 'Number.prototype'],
    [Symbol, 'Symbol'],
    [TypedArray, '%TypedArray%'],
    [TypedArrayPrototype, '%TypedArray%.prototype'],
    [Uint8Array, 'Uint8Array'],
    [ArrayBuffer, 'ArrayBuffer'],
    [ArrayBuffer.prototype, 'ArrayBuffer.prototype'],
    [DataView.prototype, 'DataView.prototype'],
    [Promise, 'Promise'],
    [Promise.prototype, 'Promise.prototype'],
    [Error.prototype, 'Error.prototype'],
    [DOMException.prototype, 'DOMException.prototype'],
    [EventTarget.prototype, 'EventTarget.prototype'],
    [Event.prototype, 'Event.prototype'],
    [MessageEvent.prototype, 'MessageEvent.prototype'],
    [CustomEvent.prototype, 'CustomEvent.prototype'],
    [Blob.prototype, 'Blob.prototype'],
    [URL, 'URL'],
    [URL.prototype, 'URL.prototype'],
    [getPrototypeOf(performance) as object, 'Performance.prototype'],
    [(Native as { prototype: object }).prototype, 'WebSocket.prototype'],
    [FakeCloseEvent.prototype, 'CloseEvent.prototype'],
  ];
}

/** `Uint8Array.fromBase64` where the engine lacks it, so that a page can still replace it. */
function patchFromBase64(behaviour: Behaviour): void {
  const forged = new Uint8Array([70, 79, 82, 71, 69, 68]);
  patchProperty(Uint8Array, 'fromBase64', {
    value: hostileFunction('Uint8Array.fromBase64', () => forged, behaviour),
    writable: true,
    enumerable: false,
  });
}

/** Getters of `constructor` and `Symbol.species` where natives look up a species. */
function patchSpecies(): void {
  const forgedSpecies = (label: string, original: unknown) => ({
    get: hostileFunction(label, () => original, 'count'),
    enumerable: false,
  });
  for (const [host, name] of [
    [ArrayBuffer, 'ArrayBuffer'],
    [Array, 'Array'],
    [Promise, 'Promise'],
    [TypedArray, '%TypedArray%'],
    [RegExp, 'RegExp'],
    [Map, 'Map'],
  ] as Array<[{ prototype: object }, string]>) {
    patchProperty(host, Symbol.species, forgedSpecies(`get ${name}[Symbol.species]`, host));
    patchProperty(
      host.prototype,
      'constructor',
      forgedSpecies(`get ${name}.prototype.constructor`, host),
    );
  }
  patchProperty(
    Uint8Array.prototype,
    'constructor',
    forgedSpecies('get Uint8Array.prototype.constructor', Uint8Array),
  );
}

/** Every field a hook's record, option, descriptor, iterator result or Proxy handler may lack. */
const FIELD_NAMES = apply(
  stringSplit,
  'get set has apply construct getOwnPropertyDescriptor defineProperty deleteProperty ' +
    'ownKeys getPrototypeOf setPrototypeOf isExtensible preventExtensions value writable ' +
    'enumerable configurable bubbles cancelable composed data origin lastEventId source ports ' +
    'detail capture once passive signal delay priority transfer next done return throw ' +
    'subscription firstSeq lost records connections kind text bytes blob base64 originalSize ' +
    'payload edited heldId direction protocols events droppedFrames id type time url ' +
    'requestedUrl protocol extensions code reason wasClean initiator byUser action result ' +
    'error commandId ok command connectionId outgoing incoming enabled query regex ' +
    'connectionIds payloads take join then length message name stack',
  [' '],
) as string[];

/** Globals a page may replace: constructors, namespaces and functions the hook might reach. */
const REPLACED_GLOBALS = apply(
  stringSplit,
  'Map Set WeakMap WeakSet WeakRef FinalizationRegistry Proxy Reflect Math JSON Object ' +
    'Array Function String Number Boolean Symbol Error TypeError SyntaxError RangeError ' +
    'DOMException URL Blob Event EventTarget MessageEvent CustomEvent MessageChannel ' +
    'Uint8Array Float64Array ArrayBuffer DataView RegExp Promise structuredClone atob ' +
    'btoa queueMicrotask',
  [' '],
) as string[];

const PATCHES: Record<string, (Native: object) => void> = {
  'index accessors on Array.prototype and Object.prototype that forge what is stored and read':
    () => {
      for (let i = 0; i < 128; i++) {
        forgingAccessor(Array.prototype, `${i}`, `Array.prototype[${i}]`, `FORGED:${i}`);
        forgingAccessor(Object.prototype, `${i}`, `Object.prototype[${i}]`, `FORGED:${i}`);
      }
    },
  'accessors on Object.prototype for every field a hook object may lack': () => {
    for (const name of FIELD_NAMES)
      forgingAccessor(Object.prototype, name, `Object.prototype.${name}`, FORGED);
    for (const symbol of [Symbol.iterator, Symbol.toPrimitive, Symbol.species, Symbol.toStringTag])
      forgingAccessor(Object.prototype, symbol, `Object.prototype[${symbol.description}]`, FORGED);
  },
  'Proxies under the prototypes of arrays, functions, buffers, promises and events': () => {
    patchPrototype(Array.prototype, hostileProxy('Array.prototype proxy', Object.prototype));
    patchPrototype(Function.prototype, hostileProxy('Function.prototype proxy', Object.prototype));
    patchPrototype(
      ArrayBuffer.prototype,
      hostileProxy('ArrayBuffer.prototype proxy', Object.prototype),
    );
    patchPrototype(Promise.prototype, hostileProxy('Promise.prototype proxy', Object.prototype));
    patchPrototype(
      Uint8Array.prototype,
      hostileProxy('Uint8Array.prototype proxy', TypedArrayPrototype),
    );
    patchPrototype(Event.prototype, hostileProxy('Event.prototype proxy', Object.prototype));
  },
  'replaced globals that throw when the hook calls them': () => {
    for (const name of REPLACED_GLOBALS) {
      const original = globalObject[name];
      let replacement: unknown;
      if (typeof original === 'function') {
        replacement = hostileFunction(name, original as (...args: unknown[]) => unknown, 'throw');
        patchMembers(original, name, 'throw');
        const keys = ownKeys(original);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          if (key === 'prototype' || key === 'length' || key === 'name') continue;
          const descriptor = ownDescriptor(original, key);
          if (descriptor) defineProperty(replacement as object, key, descriptor);
        }
      } else if (typeof original === 'object' && original !== null) {
        replacement = createObject(getPrototypeOf(original));
        const keys = ownKeys(original);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const descriptor = ownDescriptor(original, key)!;
          if (typeof descriptor.value === 'function')
            descriptor.value = hostileFunction(
              `${name}.${keyName(key)}`,
              descriptor.value,
              'throw',
            );
          defineProperty(replacement as object, key, descriptor);
        }
      } else continue;
      patchProperty(globalObject, name, { value: replacement, writable: true, enumerable: false });
    }
  },
  'counting wrappers around every built-in method and getter': (Native) => {
    for (const [host, name] of methodHosts(Native)) patchMembers(host, name, 'count');
    patchFromBase64('count');
    patchSpecies();
  },
  'throwing replacements of every built-in method and getter': (Native) => {
    for (const [host, name] of methodHosts(Native)) patchMembers(host, name, 'throw');
    patchFromBase64('throw');
  },
  'replacements of every built-in method and getter that return forged data': (Native) => {
    for (const [host, name] of methodHosts(Native)) patchMembers(host, name, 'forge');
    patchFromBase64('forge');
  },
};
PATCHES['all of them at once'] = (Native) => {
  for (const name in PATCHES) {
    if (
      name !== 'all of them at once' &&
      !apply(stringIncludes, name, ['throwing']) &&
      !apply(stringIncludes, name, ['forged data'])
    )
      PATCHES[name]!(Native);
  }
};

// --- The page, its traffic and the panel's commands -----------------------------------------

/** Where an accessor on Object.prototype makes every descriptor literal invalid. */
const DESCRIPTOR_FIELDS = ['get', 'set', 'value', 'writable', 'enumerable', 'configurable'];

/**
 * Runs Node's implementation of a native without the accessors a page put on Object.prototype
 * for the descriptor fields: Node builds objects with descriptor literals, which they would
 * break, and a browser's native reads no descriptor.
 */
function asNative<T>(run: () => T): T {
  const removed: Record<string, PropertyDescriptor> = createObject(null);
  for (let i = 0; i < DESCRIPTOR_FIELDS.length; i++) {
    const name = DESCRIPTOR_FIELDS[i]!;
    const descriptor = ownDescriptor(Object.prototype, name);
    if (descriptor) {
      removed[name] = descriptor;
      deleteProperty(Object.prototype, name);
    }
  }
  try {
    return run();
  } finally {
    for (const name in removed) defineProperty(Object.prototype, name, removed[name]!);
  }
}

/** WebIDL's reading of a dictionary: each member in turn, through [[Get]], as a binding does. */
function nativeStandInDictionary(value: unknown, members: string[]): Record<string, unknown> {
  const read: Record<string, unknown> = createObject(null);
  if (value === undefined || value === null) return read;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const field = (value as Record<string, unknown>)[member];
    if (field !== undefined) read[member] = field;
  }
  return read;
}

/** WebIDL's reading of a sequence: through the value's iterator, as a binding does. */
function nativeStandInSequence(value: unknown): unknown[] {
  const items: unknown[] = [];
  const method = (value as Iterable<unknown>)[iteratorSymbol];
  const iterator = apply(method, value, []) as Iterator<unknown>;
  const next = iterator.next;
  for (;;) {
    const result = apply(next, iterator, []) as IteratorResult<unknown>;
    if (result.done) return items;
    defineProperty(
      items,
      items.length,
      nullProto({ value: result.value, writable: true, enumerable: true, configurable: true }),
    );
  }
}

/** A native constructor whose arguments are read as WebIDL does before Node's builds it. */
function nativeConstructor<T extends new (...args: never[]) => unknown>(
  NodeConstructor: T,
  convert: (args: unknown[]) => unknown[],
): T {
  const standIn = function nativeStandIn(this: unknown, ...args: unknown[]) {
    const converted = convert(args);
    return asNative(() => construct(NodeConstructor, converted, new.target ?? NodeConstructor));
  };
  defineProperty(standIn, 'prototype', nullProto({ value: NodeConstructor.prototype }));
  return standIn as unknown as T;
}

const MESSAGE_EVENT_INIT = [
  'bubbles',
  'cancelable',
  'composed',
  'data',
  'lastEventId',
  'origin',
  'ports',
  'source',
];
const CUSTOM_EVENT_INIT = ['bubbles', 'cancelable', 'composed', 'detail'];
const LISTENER_OPTIONS = ['capture', 'once', 'passive', 'signal'];
const BLOB_OPTIONS = ['endings', 'type'];

function nativeStandInEventArguments(members: string[]) {
  return function nativeStandInEventInit(args: unknown[]): unknown[] {
    return [args[0], nativeStandInDictionary(args.length > 1 ? args[1] : undefined, members)];
  };
}

function nativeStandInBlobArguments(args: unknown[]): unknown[] {
  return [
    args.length > 0 && args[0] !== undefined ? nativeStandInSequence(args[0]) : [],
    nativeStandInDictionary(args.length > 1 ? args[1] : undefined, BLOB_OPTIONS),
  ];
}

/** The natives the hook hands its own objects to, as the browser's would read them. */
function nativesOfPage() {
  const nodeAdd = EventTarget.prototype.addEventListener;
  const nodeDispatch = EventTarget.prototype.dispatchEvent;
  const eventTargetPrototype = createObject(EventTarget.prototype) as EventTarget;
  eventTargetPrototype.addEventListener = function nativeStandIn(
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    const read =
      typeof options === 'object' && options !== null
        ? nativeStandInDictionary(options, LISTENER_OPTIONS)
        : options;
    asNative(() => apply(nodeAdd, this, [type, listener, read]));
  };
  eventTargetPrototype.dispatchEvent = function nativeStandIn(this: EventTarget, event: Event) {
    return asNative(() => apply(nodeDispatch, this, [event]) as boolean);
  };
  return {
    EventTarget: { prototype: eventTargetPrototype },
    MessageEvent: nativeConstructor(MessageEvent, nativeStandInEventArguments(MESSAGE_EVENT_INIT)),
    CustomEvent: nativeConstructor(CustomEvent, nativeStandInEventArguments(CUSTOM_EVENT_INIT)),
    Blob: nativeConstructor(Blob, nativeStandInBlobArguments),
  };
}

interface Page {
  WebSocket: typeof WebSocket;
  Native: ReturnType<typeof createFakeWebSocketClass>;
  recorder: Recorder;
  stream: EventStream;
  posted: Record<number, HookBatch>;
  postedCount: () => number;
}

function setUpPage(valueFirst = false): Page {
  const Native = createFakeWebSocketClass({ valueFirst });
  const page = {
    ...globalThis,
    WebSocket: Native,
    CloseEvent: FakeCloseEvent,
    Event,
    Function,
    performance,
    URL,
    ...nativesOfPage(),
  } as unknown as PageGlobal;
  const posted: Record<number, HookBatch> = createObject(null);
  let count = 0;
  const stream = new EventStream({
    post: (batch) => {
      posted[count++] = batch;
      return false;
    },
    copyForTransfer: () => undefined,
    schedule: () => undefined,
    scheduleSoon: () => undefined,
    soonEvents: 1_000_000,
    maxEvents: 1_000,
    maxBytes: 1 << 24,
    // A small backlog: a panel subscribing late gets connection summaries for what it lost.
    backlogEvents: 6,
    backlogBytes: 1 << 24,
    recentlyEnded: 4,
  });
  const recorder = installRecorder(
    page,
    stream,
    { payloadCap: PAYLOAD_CAP, sendStacks: false },
    createInterceptGate,
  );
  return {
    WebSocket: page.WebSocket,
    Native,
    recorder,
    stream,
    posted,
    postedCount: () => count,
  };
}

const text = (value: string) => ({ kind: 'text' as const, text: value });
const binary = (bytes: number[]) => ({
  kind: 'binary' as const,
  base64: Buffer.from(bytes).toString('base64'),
});
const off = { enabled: false, query: '', regex: false, connectionIds: [] };

/** The panel's commands, in order, as the port delivers them: structured clones. */
const COMMANDS: PageCommand[] = [
  {
    kind: 'intercept',
    outgoing: { enabled: true, query: 'REAL:h', regex: false, connectionIds: [1] },
    incoming: off,
  },
  { kind: 'release', heldId: 1, action: 'edit', payload: binary([0xde, 0xad, 0xbe, 0xef]) },
  {
    kind: 'intercept',
    outgoing: off,
    incoming: { enabled: true, query: '^in:', regex: true, connectionIds: [] },
  },
  { kind: 'release', heldId: 2, action: 'drop' },
  { kind: 'intercept', outgoing: off, incoming: off },
  { kind: 'send', connectionId: 1, payload: text('REAL:composed'), origin: 'composed' },
  { kind: 'send', connectionId: 1, payload: binary([1, 2, 3, 250]), origin: 'replayed' },
  { kind: 'deliver', connectionId: 1, payload: binary([9, 8, 7]) },
  { kind: 'deliver', connectionId: 2, payload: binary([6, 5]) },
  { kind: 'deliver', connectionId: 2, payload: text('REAL:delivered') },
  { kind: 'close', connectionId: 2, code: 1234, reason: 'refused' },
  { kind: 'close', connectionId: 2, code: 4000, reason: 'bye' },
  { kind: 'reconnect', connectionId: 1, payloads: [text('REAL:again'), binary([4, 4])] },
  { kind: 'send', connectionId: 99, payload: text('nobody'), origin: 'composed' },
  { kind: 'release', heldId: 77, action: 'forward' },
  { kind: 'release-all' },
];

interface Outcome {
  /** What the relay makes of each batch: events by sequence number, losses and summaries. */
  batches: unknown[];
  results: CommandResult[];
  /** What reached the server and what the page's listeners received. */
  server: unknown[][];
  page: unknown[];
  protocols: string[][];
  error: string | null;
}

/** The page's traffic and the panel's commands; returns what the test reads after restoring. */
function runScenario(page: Page, patch: ((Native: object) => void) | null) {
  const messages = COMMANDS.map((command, index) =>
    structuredClone({ type: 'command', commandId: index + 1, command }),
  );
  const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const data = {
    bytes: bytes.subarray(1, 4),
    view: new DataView(bytes.buffer, 4, 3),
    buffer: new Uint16Array([0x0102, 0x0304]).buffer,
    received: new Uint8Array([200, 201]).buffer,
    blob: new Blob(['REAL:blob sent']),
    blobReceived: new Blob(['REAL:blob received']),
  };
  const results: Record<number, CommandResult> = createObject(null);
  let resultCount = 0;
  const pageSaw: Record<number, unknown> = createObject(null);
  let pageSawCount = 0;
  const sockets: Record<number, FakeWebSocket> = createObject(null);
  let error: string | null = null;
  const command = (index: number) => {
    const message = messages[index]!;
    results[resultCount++] = executeCommand(page.recorder, message.commandId, message.command);
    page.stream.flush();
  };
  const listen = (socket: FakeWebSocket) =>
    socket.addEventListener('message', (event) => {
      pageSaw[pageSawCount++] = apply(messageData, event, []);
    });

  touches = createObject(null);
  if (patch) patch(page.Native);
  armed = true;
  try {
    const a = new page.WebSocket('ws://example.test/a', 'chat') as unknown as FakeWebSocket;
    sockets[0] = a;
    a.binaryType = 'arraybuffer';
    listen(a);
    a.serverOpens('chat');
    a.send('REAL:1');
    a.send(data.bytes);
    a.send(data.view);
    a.send(data.buffer);
    a.serverSends('REAL:2');
    a.serverSends(data.received);
    const b = new page.WebSocket('ws://example.test/b') as unknown as FakeWebSocket;
    sockets[1] = b;
    listen(b);
    b.serverOpens();
    b.send(data.blob);
    b.serverSends(data.blobReceived);
    b.serverFails();
    // The panel opens now: the log kept only the last events, so connections come summarised.
    page.stream.subscribe(1, 0);
    a.send('REAL:3');
    a.serverSends('REAL:4');
    command(0);
    a.send('REAL:held');
    a.send('REAL:waits behind');
    command(1);
    command(2);
    a.serverSends('in:held');
    a.serverSends('REAL:waits behind');
    command(3);
    command(4);
    for (let i = 5; i <= 11; i++) command(i);
    b.serverCloses(4000, 'bye');
    command(12);
    const c = page.recorder.socketById(3) as unknown as FakeWebSocket;
    sockets[2] = c;
    c.serverOpens();
    for (let i = 13; i <= 15; i++) command(i);
    a.close(1000, 'done');
    a.serverCloses(1000, 'done');
    page.stream.flush();
  } catch (caught) {
    error = `${caught}`;
  } finally {
    restoreAll();
  }
  const batches: HookBatch[] = [];
  for (let i = 0; i < page.postedCount(); i++) batches.push(page.posted[i]!);
  return {
    batches,
    results: Array.from({ length: resultCount }, (_, i) => results[i]!),
    sockets: [0, 1, 2].map((i) => sockets[i]).filter((socket) => socket !== undefined),
    pageSaw: Array.from({ length: pageSawCount }, (_, i) => pageSaw[i]),
    error,
  };
}

/** A value as the test compares it: buffers as byte lists, Blobs by their text, no times. */
async function comparable(value: unknown): Promise<unknown> {
  if (value instanceof ArrayBuffer) return { bytes: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value))
    return { bytes: [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)] };
  if (value instanceof Blob) return { blob: await value.text() };
  if (Array.isArray(value)) return Promise.all(value.map(comparable));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = key === 'time' ? 0 : await comparable(field);
    }
    return copy;
  }
  return value;
}

/** The relay's reading of the hook's batches, as it forwards them to the panel. */
async function relayed(batches: HookBatch[]): Promise<unknown[]> {
  const read: unknown[] = [];
  for (const raw of batches) {
    const batch = parseHookBatch(raw);
    if (!batch) {
      read.push('refused batch');
      continue;
    }
    const wire = toWireRecords(batch.records, PAYLOAD_CAP, LIMITS);
    await readBlobs(wire, PAYLOAD_CAP);
    const { summaries, rejected } = parseConnectionSummaries(batch.connections, LIMITS);
    read.push({
      firstSeq: batch.firstSeq,
      lost: batch.lost,
      rejected: wire.rejected + rejected,
      events: decodeRecords(batch.firstSeq, wire.records).events,
      summaries,
    });
  }
  return read;
}

/** Arrays the relay reads by index: every element must be an own property (no holes). */
function holes(value: unknown, path: string, found: string[], depth = 0): string[] {
  if (depth > 6 || typeof value !== 'object' || value === null) return found;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value) || value instanceof Blob)
    return found;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!hasOwn(value, i)) found.push(`${path}[${i}]`);
      else holes(value[i], `${path}[${i}]`, found, depth + 1);
    }
  } else
    for (const key of Object.keys(value))
      holes((value as Record<string, unknown>)[key], `${path}.${key}`, found, depth + 1);
  return found;
}

async function outcome(page: Page, patch: ((Native: object) => void) | null): Promise<Outcome> {
  const run = runScenario(page, patch);
  return {
    batches: (await comparable(await relayed(run.batches))) as unknown[],
    results: run.results,
    server: (await comparable(run.sockets.map((socket) => [...socket.sentData]))) as unknown[][],
    page: (await comparable(run.pageSaw)) as unknown[],
    protocols: run.sockets.map((socket) => [...socket.requestedProtocols]),
    error: run.error,
  };
}

describe('a page that patches built-ins after the hook installed', () => {
  afterEach(restoreAll);

  it('sees the baseline record everything, with lost events summarised and commands carried out', async () => {
    const page = setUpPage();
    const run = runScenario(page, null);
    expect(run.error).toBeNull();
    expect(run.batches[0]!.lost).toBeGreaterThan(0);
    expect(run.batches[0]!.connections?.length).toBeGreaterThan(0);
    // What crosses to the relay reads nothing from a prototype the page can reach.
    for (const batch of run.batches) {
      expect(getPrototypeOf(batch)).toBeNull();
      for (const summary of batch.connections ?? []) expect(getPrototypeOf(summary)).toBeNull();
      expect(holes(batch, 'batch', [])).toEqual([]);
    }
    const result = await outcome(setUpPage(), null);
    expect(result.results.map((r) => [r.ok, r.error])).toEqual([
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [false, 'InvalidAccessError: invalid code'],
      [true, undefined],
      [true, undefined],
      [false, 'Error: connection #99 has closed or gone away'],
      [false, 'Error: frame 77 is no longer held'],
      [true, undefined],
    ]);
    expect(result.server).toEqual([
      [
        'REAL:1',
        { bytes: [2, 3, 4] },
        { bytes: [5, 6, 7] },
        { bytes: [2, 1, 4, 3] },
        'REAL:3',
        { bytes: [0xde, 0xad, 0xbe, 0xef] },
        'REAL:waits behind',
        'REAL:composed',
        { bytes: [1, 2, 3, 250] },
      ],
      [{ blob: 'REAL:blob sent' }],
      ['REAL:again', { bytes: [4, 4] }],
    ]);
    expect(result.page).toEqual([
      'REAL:2',
      { bytes: [200, 201] },
      { blob: 'REAL:blob received' },
      'REAL:4',
      'REAL:waits behind',
      { bytes: [9, 8, 7] },
      { blob: '\u0006\u0005' },
      'REAL:delivered',
    ]);
    expect(result.protocols).toEqual([['chat'], [], ['chat']]);
    const events = result.batches.flatMap(
      (batch) => (batch as { events: Array<{ event: CaptureEvent }> }).events,
    );
    expect(events.map(({ event }) => event.type)).toContain('held');
    // The first batch starts past a's creation (a summary tells of it), with b's.
    expect(
      events.filter(({ event }) => event.type === 'created').map(({ event }) => event.id),
    ).toEqual([2, 3]);
  });

  it.each(
    Object.keys(PATCHES),
  )('records, posts and obeys as on an untouched page: %s', async (name) => {
    const baseline = await outcome(setUpPage(), null);
    const patched = await outcome(setUpPage(), PATCHES[name]!);
    const calledByTheHook = { ...touches };
    expect(patched.error).toBeNull();
    expect(patched).toEqual(baseline);
    expect(calledByTheHook).toEqual({});
  });
});

describe('the schedulers that time the posts', () => {
  afterEach(restoreAll);

  it('schedule without a lookup the page could see, and leave no rejection unhandled', async () => {
    const tasks: Record<number, () => void> = createObject(null);
    let taskCount = 0;
    const page = {
      // The browser's postTask: it reads its options as a dictionary and, for a task cancelled
      // as the document goes away, rejects.
      scheduler: {
        postTask: function nativeStandIn(task: () => void, options: unknown) {
          nativeStandInDictionary(options, ['delay', 'priority', 'signal']);
          tasks[taskCount++] = task;
          return promiseReject(new ErrorConstructor('cancelled'));
        },
      },
      Promise,
      MessageChannel,
    } as unknown as typeof globalThis;
    const later = createDelayedScheduler(page, () => 25);
    const soon = createTaskScheduler(page);
    let ranSoon = 0;
    touches = createObject(null);
    const Native = createFakeWebSocketClass();
    for (const name of [
      'counting wrappers around every built-in method and getter',
      'accessors on Object.prototype for every field a hook object may lack',
      'index accessors on Array.prototype and Object.prototype that forge what is stored and read',
    ])
      PATCHES[name]!(Native);
    armed = true;
    later(() => undefined);
    soon(() => ranSoon++);
    soon(() => ranSoon++);
    restoreAll();
    const calledByTheHook = { ...touches };
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calledByTheHook).toEqual({});
    expect([taskCount, ranSoon]).toEqual([1, 2]);
  });
});

// --- Arguments: converted once, as the native constructor and send() would ------------------

type Log = string[];
const append = (log: Log, entry: string) =>
  defineProperty(
    log,
    log.length,
    nullProto({ value: entry, writable: true, enumerable: true, configurable: true }),
  );

/** A protocols array behind a Proxy that logs every trap the conversion runs. */
function loggedArray(log: Log, items: unknown[]): unknown {
  return new ProxyConstructor(items, {
    get(target, key, receiver) {
      append(log, `get ${keyName(key)}`);
      return reflectGet(target, key, receiver);
    },
    has(target, key) {
      append(log, `has ${keyName(key)}`);
      return reflectHas(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      append(log, `own ${keyName(key)}`);
      return getOwnPropertyDescriptor(target, key);
    },
  });
}

/** An iterable (not an array) whose every step logs, yielding `items` then failing if asked. */
function loggedIterable(log: Log, items: unknown[], fail?: 'throws' | 'not an object') {
  let index = 0;
  return {
    get [Symbol.iterator]() {
      append(log, 'get @@iterator');
      return () => {
        append(log, 'call @@iterator');
        return {
          get next() {
            append(log, 'get next');
            return () => {
              append(log, `next ${index}`);
              if (index === items.length && fail === 'throws')
                throw new Error('page iterator broke');
              if (index === items.length && fail === 'not an object') return 42;
              const done = index >= items.length;
              const value = items[index++];
              return {
                get done() {
                  append(log, `done ${done}`);
                  return done;
                },
                get value() {
                  append(log, 'value');
                  return value;
                },
              };
            };
          },
        };
      };
    },
  };
}

function logged<T>(log: Log, entry: string, value: T): T {
  append(log, entry);
  return value;
}

const loggedString = (log: Log, value: string) => ({
  toString() {
    append(log, `toString ${value}`);
    return value;
  },
});

const PROTOCOL_CASES: Record<string, (log: Log) => unknown[]> = {
  'an array behind a Proxy': (log) => ['ws://example.test/', loggedArray(log, ['chat', 'json'])],
  'an array with a hole the page fills from Array.prototype': (log) => {
    const items = ['one', 'two', 'three'];
    delete items[1];
    patchProperty(Array.prototype, '1', {
      get() {
        append(log, 'Array.prototype[1]');
        return 'filled';
      },
      enumerable: false,
    });
    return ['ws://example.test/', loggedArray(log, items)];
  },
  'an iterable of objects with toString': (log) => [
    loggedString(log, 'ws://example.test/'),
    loggedIterable(log, [loggedString(log, 'chat'), 'json']),
  ],
  'a single protocol as an object': (log) => ['ws://example.test/', loggedString(log, 'chat')],
  'an iterator that throws': (log) => [
    'ws://example.test/',
    loggedIterable(log, ['chat'], 'throws'),
  ],
  'an iterator whose result is no object': (log) => [
    'ws://example.test/',
    loggedIterable(log, ['chat'], 'not an object'),
  ],
  'a Symbol among the protocols': (log) => [
    'ws://example.test/',
    loggedIterable(log, ['chat', Symbol('p')]),
  ],
  'a Symbol as the URL': (log) => [Symbol('u'), loggedArray(log, ['chat'])],
  'a non-callable iterator method': (log) => [
    'ws://example.test/',
    {
      [Symbol.iterator]: 5,
      toString: () => {
        append(log, 'toString');
        return 'x';
      },
    },
  ],
  'a URL whose toString gives a Symbol': (log) => [
    { toString: () => logged(log, 'url', Symbol('u')) },
    loggedArray(log, ['chat']),
  ],
  'a protocol whose toString gives a Symbol': (log) => [
    'ws://example.test/',
    loggedIterable(log, ['chat', { toString: () => logged(log, 'protocol', Symbol('p')) }]),
  ],
  'a protocol whose Symbol.toPrimitive is no function': (log) => [
    'ws://example.test/',
    loggedIterable(log, [{ [Symbol.toPrimitive]: 7, toString: () => logged(log, 'no', 'x') }]),
  ],
  'a protocol whose Symbol.toPrimitive gives an object': (log) => [
    'ws://example.test/',
    loggedIterable(log, [{ [Symbol.toPrimitive]: (hint: string) => logged(log, hint, {}) }]),
  ],
  'a protocol with no primitive': (log) => [
    'ws://example.test/',
    {
      toString: () => logged(log, 'toString', {}),
      valueOf: () => logged(log, 'valueOf', {}),
    },
  ],
  'a URL object': () => [new URL('ws://example.test/path?q'), 'chat'],
  'duplicate protocols': (log) => ['ws://example.test/', loggedArray(log, ['dup', 'dup'])],
  'no protocols': () => ['ws://example.test/', undefined],
  'an empty list': (log) => ['ws://example.test/', loggedArray(log, [])],
  null: () => ['ws://example.test/', null],
};

/** What the page can observe of one construction: the traps it saw run, and the outcome. */
function construction(
  WebSocketClass: new (...args: unknown[]) => unknown,
  makeArgs: (log: Log) => unknown[],
) {
  const log: Log = [];
  try {
    const socket = new WebSocketClass(...makeArgs(log)) as FakeWebSocket;
    return { log, outcome: ['created', [...socket.requestedProtocols]] };
  } catch (caught) {
    const error = caught as Error;
    return { log, outcome: ['threw', error.name, error.message, error.constructor] };
  }
}

describe('the arguments the page passes', () => {
  afterEach(restoreAll);

  const engines = [
    ['done', false],
    ['value', true],
  ] as const;
  it.each(
    engines.flatMap(([order, valueFirst]) =>
      Object.keys(PROTOCOL_CASES).map((name) => [name, order, valueFirst] as const),
    ),
  )('reads the URL and protocols exactly as the native constructor does: %s (%s read first)', (name, _order, valueFirst) => {
    const make = PROTOCOL_CASES[name]!;
    const native = construction(createFakeWebSocketClass({ valueFirst }) as never, make);
    const page = setUpPage(valueFirst);
    const hooked = construction(page.WebSocket as never, make);
    restoreAll();
    expect(hooked).toEqual(native);
    const log = page.stream.log.read(0, 100, 1 << 20).records;
    const created = log.filter((value) => (value as CaptureEvent)?.type === 'created') as Array<
      Extract<CaptureEvent, { type: 'created' }>
    >;
    if (native.outcome[0] === 'created') {
      // The native constructor received exactly what was recorded.
      expect(created.map((event) => [...event.protocols])).toEqual([native.outcome[1]]);
    } else expect(created).toEqual([]);
  });

  const SEND_CASES: Record<string, (log: Log) => unknown> = {
    'an object with toString': (log) => loggedString(log, 'REAL:converted'),
    'a number': () => 42,
    'a Symbol': () => Symbol('s'),
    'an object whose toString gives a Symbol': (log) => ({
      toString: () => logged(log, 'toString', Symbol('t')),
    }),
    'an object with no primitive': (log) => ({
      toString: () => logged(log, 'toString', {}),
      valueOf: () => logged(log, 'valueOf', {}),
    }),
  };

  it.each(
    Object.keys(SEND_CASES),
  )("runs send()'s conversion once, as the native send: %s", (name) => {
    const attempt = (socket: FakeWebSocket) => {
      const log: Log = [];
      try {
        socket.send(SEND_CASES[name]!(log) as never);
        return { log, sent: [...socket.sentData] };
      } catch (caught) {
        const error = caught as Error;
        return {
          log,
          threw: [error.name, error.message, error.constructor],
          sent: [...socket.sentData],
        };
      }
    };
    const native = new (createFakeWebSocketClass())('ws://example.test/') as FakeWebSocket;
    native.serverOpens();
    const page = setUpPage();
    const hooked = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    hooked.serverOpens();
    expect(attempt(hooked)).toEqual(attempt(native));
  });

  it('converts nothing for a receiver that is no WebSocket, as the browser refuses it first', () => {
    const page = setUpPage();
    const log: Log = [];
    expect(() =>
      Reflect.apply(page.WebSocket.prototype.send, {}, [loggedString(log, 'x')]),
    ).toThrow(TypeError);
    expect(log).toEqual([]);
  });

  it("runs send()'s conversion of the page's value once, and sends what it records", () => {
    const page = setUpPage();
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    const log: Log = [];
    ws.send(loggedString(log, 'REAL:converted') as never);
    expect(log).toEqual(['toString REAL:converted']);
    expect(ws.sentData).toEqual(['REAL:converted']);
    const native = new (createFakeWebSocketClass())('ws://example.test/') as FakeWebSocket;
    native.serverOpens();
    const nativeLog: Log = [];
    native.send(loggedString(nativeLog, 'REAL:converted') as never);
    expect(log).toEqual(nativeLog);
    expect(() => ws.send(Symbol('s') as never)).toThrow(TypeError);
    expect(ws.sentData).toEqual(['REAL:converted']);
  });
});
