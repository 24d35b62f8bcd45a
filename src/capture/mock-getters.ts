import type { Intrinsics } from './native-intrinsics';
import {
  nullRecord,
  ProxyConstructor,
  reflectApply,
  reflectDefineProperty,
  reflectGetOwnPropertyDescriptor,
  withoutPrototype,
} from './page-builtins';
import type { MockState } from './socket-mocks';

/** What a mocked socket answers in place of the browser's aborted connection. */
const ANSWERS: Record<string, (mock: MockState) => unknown> = nullRecord();
ANSWERS.readyState = (mock) => mock.readyState;
ANSWERS.protocol = (mock) => mock.protocol;
ANSWERS.extensions = () => '';
ANSWERS.bufferedAmount = (mock) => mock.bufferedAmount;

/**
 * Puts Proxies of a window's WebSocket getters in place, answering for mocked sockets
 * (socket-mocks.ts) and calling the native getter for every other. Installed only once a mock
 * rule is enabled, so that a page without one reads the browser's own getters.
 */
export function installMockGetters(
  realm: Intrinsics,
  mockOf: (socket: unknown) => MockState | undefined,
  disguise: (wrapper: object, native: object) => void,
): void {
  for (const name in ANSWERS) {
    const descriptor = reflectGetOwnPropertyDescriptor(realm.wsProto, name);
    const nativeGetter = descriptor?.get;
    if (!descriptor || !nativeGetter) continue;
    const answer = ANSWERS[name]!;
    const getter = new ProxyConstructor(
      nativeGetter,
      withoutPrototype({
        apply(target: () => unknown, thisArg: unknown, args: unknown[]) {
          const mock = mockOf(thisArg);
          return mock === undefined ? reflectApply(target, thisArg, args) : answer(mock);
        },
      }),
    );
    disguise(getter, nativeGetter);
    const replaced = nullRecord<PropertyDescriptor>();
    replaced.get = getter;
    replaced.set = descriptor.set;
    replaced.enumerable = descriptor.enumerable;
    replaced.configurable = descriptor.configurable;
    reflectDefineProperty(realm.wsProto, name, replaced);
  }
}
