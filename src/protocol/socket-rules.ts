/**
 * Rules: what the user asks the page hook to do to matching frames and sockets without a hand on
 * each (reply, rewrite, drop, delay, close, fail, throttle). Kept in extension storage under
 * RULES_STORAGE_KEY, sent by every document's relay to its hook as soon as they are read and
 * whenever they change, and applied in the page (capture/rule-engine.ts), so that they hold with
 * DevTools closed and from a page's first socket.
 */

export const RULES_STORAGE_KEY = 'socketRules';

/** Most rules kept; more are refused when saved or imported. */
export const MAX_RULES = 200;

export type RuleDirection = 'outgoing' | 'incoming' | 'any';

/** What a frame's payload must be for the rule to match it (binary frames match only `any`). */
export type PayloadMatch =
  | { kind: 'any' }
  /** Contains this text (case-sensitive). */
  | { kind: 'text'; text: string }
  /** A JavaScript regular expression source and flags (`g` and `y` are refused). */
  | { kind: 'regex'; pattern: string; flags: string }
  /** The frame is JSON and the value at `path` (`a.b[0].c`) equals `equals` as JSON text. */
  | { kind: 'json'; path: string; equals: string }
  /** A protocol's field, as the panel's decoder names it, equals `equals` (rules/decoded-match.ts). */
  | { kind: 'decoded'; field: DecodedField; equals: string };

/** The decoded fields a rule can match on, each read in the page without a decoder. */
export const DECODED_FIELDS = [
  'socket.io event',
  'stomp command',
  'stomp destination',
  'json-rpc method',
  'graphql-ws type',
  'phoenix event',
] as const;

export type DecodedField = (typeof DECODED_FIELDS)[number];

export type RuleAction =
  /**
   * Deliver a frame to the page as if the server sent it, after `delayMs`. The template may use
   * `$0`…`$9` (the regex match's groups, `$0` the whole payload otherwise) and `{{path}}` (the
   * matched JSON frame's value at a path, as JSON text for non-strings).
   */
  | {
      type: 'reply';
      template: string;
      delayMs: number;
      /** At the socket's open (a server's greeting), once, instead of in answer to frames. */
      atOpen?: boolean;
    }
  /** Replace every `find` (a RegExp source when `regex`, else text) by `replace` (`$n` groups). */
  | { type: 'rewrite'; find: string; regex: boolean; replace: string }
  /** Set the JSON frame's value at `path` to `value` (JSON text). */
  | { type: 'rewrite-json'; path: string; value: string }
  | { type: 'drop' }
  /** Hold the frame `delayMs` (order on the socket kept). */
  | { type: 'delay'; delayMs: number }
  /** Close the socket as the server would, with this code and reason, on the Nth matching frame. */
  | { type: 'close'; code: number; reason: string; afterMatches: number }
  /**
   * Fail the socket as the browser would (error, then close 1006): at open when `afterMatches`
   * is 0, else on the Nth matching frame.
   */
  | { type: 'fail'; afterMatches: number }
  /**
   * At most `framesPerSecond` frames and `bytesPerSecond` payload bytes a second (0: no limit of
   * that kind; one of them is set), in the matched direction(s); order kept.
   */
  | { type: 'throttle'; framesPerSecond: number; bytesPerSecond?: number }
  /**
   * Mock the endpoint: sockets to a URL the rule covers never reach the network; they open with
   * `protocol` (when the page asked for it) and the page's sends are answered by the reply rules
   * that match them. Direction and payload match do not apply.
   */
  | { type: 'mock'; protocol: string };

export type RuleActionType = RuleAction['type'];

/*
 * How rules combine on a frame: every enabled rule whose URL, direction and payload match is
 * taken in list order. Each matching `reply` delivers its frame; of the others, the first
 * matching one decides the frame's fate (rewrite, drop, delay, close, fail or throttle) and the
 * later ones are not applied to it.
 */

export interface SocketRule {
  /** Stable id (the panel makes it; random). */
  id: string;
  /** Shown with every frame the rule touched. */
  name: string;
  enabled: boolean;
  /** URL glob (`*` any run of characters), matched against the socket's whole URL; '' = any. */
  urlPattern: string;
  direction: RuleDirection;
  payload: PayloadMatch;
  action: RuleAction;
}

/**
 * How a rule touched a frame or a socket, as the log marks it. The hook records it (a
 * RuleMarkEvent) just before the frame or close it applies to.
 */
export type RuleEffect =
  | 'mocked'
  | 'rewritten'
  | 'delayed'
  | 'dropped by rule'
  | 'closed by rule'
  | 'failed by rule'
  | 'throttled'
  /** A socket a mock rule answers: it never reached the network. */
  | 'mocked endpoint';

export const RULE_EFFECTS: readonly RuleEffect[] = [
  'mocked',
  'rewritten',
  'delayed',
  'dropped by rule',
  'closed by rule',
  'failed by rule',
  'throttled',
  'mocked endpoint',
];

/** Longest rule name the relay passes on (a rule mark carries it). */
export const MAX_RULE_NAME = 200;

/** A JSON value's place: property names and array indexes, from the root. */
export type JsonPath = Array<string | number>;

/** A reply template, parsed: literal text, a regex group (`$n`), or a JSON value (`{{path}}`). */
export type TemplatePart = string | { group: number } | { path: JsonPath };

/**
 * A rule as the hook applies it: checked and parsed by the extension (rules/compile-rule.ts), so
 * the page's world parses nothing but the frames themselves.
 */
export interface HookRule {
  name: string;
  /** RegExp source matching whole URLs (anchored), or null for every socket. */
  urlRegex: string | null;
  direction: RuleDirection;
  match:
    | { kind: 'any' }
    | { kind: 'text'; text: string }
    | { kind: 'regex'; pattern: string; flags: string }
    /** `equals` is a JSON primitive: string, finite number, boolean or null. */
    | { kind: 'json'; path: JsonPath; equals: string | number | boolean | null };
  action:
    | { type: 'reply'; template: TemplatePart[]; delayMs: number; atOpen?: boolean }
    /** `find` is a RegExp source (a text find escaped), replaced everywhere; `$n` in replace. */
    | { type: 'rewrite'; find: string; flags: string; replace: string }
    /** `value` is JSON text (checked). */
    | { type: 'rewrite-json'; path: JsonPath; value: string }
    | { type: 'drop' }
    | { type: 'delay'; delayMs: number }
    | { type: 'close'; code: number; reason: string; afterMatches: number }
    | { type: 'fail'; afterMatches: number }
    | { type: 'throttle'; framesPerSecond: number; bytesPerSecond?: number }
    | { type: 'mock'; protocol: string };
}
