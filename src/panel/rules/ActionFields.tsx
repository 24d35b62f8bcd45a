import type { RuleActionType } from '../../protocol/socket-rules';
import { CheckField, SelectField, TextField } from './FormControls';
import type { RuleDraft } from './rule-draft';

interface Props {
  draft: RuleDraft;
  set(change: Partial<RuleDraft>): void;
}

const TYPES: ReadonlyArray<readonly [RuleActionType, string]> = [
  ['reply', 'Reply (as if the server sent a frame)'],
  ['rewrite', 'Rewrite text'],
  ['rewrite-json', 'Set a JSON value'],
  ['drop', 'Drop the frame'],
  ['delay', 'Delay the frame'],
  ['close', 'Close the socket'],
  ['fail', 'Fail the socket'],
  ['throttle', 'Throttle'],
  ['mock', 'Mock the endpoint'],
];

const WHAT: Record<RuleActionType, string> = {
  reply: 'Delivers a frame to the page; the matching frame itself goes on.',
  rewrite: 'Replaces every occurrence in the frame.',
  'rewrite-json': 'Sets the value at a path of the JSON frame.',
  drop: 'Neither the page nor the server gets the frame.',
  delay: 'Holds the frame; later frames on the socket wait behind it.',
  close: 'Closes the socket as the server would.',
  fail: 'Fails the socket as the browser would: an error, then close 1006.',
  throttle: 'Lets at most this many frames or bytes a second through; the others wait, in order.',
  mock: 'Sockets to the URL never reach the network: they open, and reply rules answer the page.',
};

/** What a rule does to what it matched: the action's type and its fields. */
export function ActionFields({ draft, set }: Props) {
  const type = draft.actionType;
  const delay = (
    <TextField
      id="rule-delay"
      label="Delay (ms)"
      testId="rule-delay"
      numeric
      value={draft.delay}
      onValue={(value) => set({ delay: value })}
    />
  );
  const afterMatches = (hint: string) => (
    <TextField
      id="rule-after-matches"
      label="On matching frame"
      testId="rule-after-matches"
      numeric
      value={draft.afterMatches}
      onValue={(value) => set({ afterMatches: value })}
      hint={hint}
    />
  );
  return (
    <>
      <SelectField
        id="rule-action-type"
        label="Action"
        testId="rule-action-type"
        value={type}
        options={TYPES}
        onValue={(actionType) =>
          // A delay of 0 ms, a reply's default, would hold nothing: a delay starts at 1 ms.
          set(
            actionType === 'delay' && draft.delay.trim() === '0'
              ? { actionType, delay: '500' }
              : { actionType },
          )
        }
        hint={WHAT[type]}
      />
      {type === 'reply' && (
        <>
          <TextField
            id="rule-template"
            label="Reply"
            testId="rule-template"
            multiline
            value={draft.template}
            onValue={(template) => set({ template })}
            hint="$0 is the whole payload, $1…$9 the regular expression's groups; {{path}} a value of the matched JSON frame."
          />
          <CheckField
            id="rule-reply-at-open"
            label="When the socket opens (a greeting), not in answer to frames"
            testId="rule-reply-at-open"
            checked={draft.replyAtOpen}
            onValue={(replyAtOpen) => set({ replyAtOpen })}
          />
          {delay}
        </>
      )}
      {type === 'rewrite' && (
        <>
          <TextField
            id="rule-find"
            label="Find"
            testId="rule-find"
            value={draft.find}
            onValue={(find) => set({ find })}
          />
          <CheckField
            id="rule-find-regex"
            label="Find is a regular expression"
            testId="rule-find-regex"
            checked={draft.findRegex}
            onValue={(findRegex) => set({ findRegex })}
          />
          <TextField
            id="rule-replace"
            label="Replace with"
            testId="rule-replace"
            value={draft.replace}
            onValue={(replace) => set({ replace })}
            hint={draft.findRegex ? '$1…$9 are the groups of what was found.' : undefined}
          />
        </>
      )}
      {type === 'rewrite-json' && (
        <>
          <TextField
            id="rule-json-path"
            label="JSON path"
            testId="rule-json-path"
            value={draft.jsonPath}
            onValue={(jsonPath) => set({ jsonPath })}
            placeholder="data.price"
          />
          <TextField
            id="rule-json-value"
            label="New value"
            testId="rule-json-value"
            value={draft.jsonValue}
            onValue={(jsonValue) => set({ jsonValue })}
            placeholder="42"
            hint={'As JSON: "text" (quoted), 42, true, null, [ ] or { }.'}
          />
        </>
      )}
      {type === 'delay' && delay}
      {type === 'mock' && (
        <TextField
          id="rule-mock-protocol"
          label="Subprotocol"
          testId="rule-mock-protocol"
          value={draft.mockProtocol}
          onValue={(mockProtocol) => set({ mockProtocol })}
          hint="Selected when the page asks for it; empty for none."
        />
      )}
      {type === 'close' && (
        <>
          <TextField
            id="rule-close-code"
            label="Close code"
            testId="rule-close-code"
            numeric
            value={draft.closeCode}
            onValue={(closeCode) => set({ closeCode })}
            hint="As a server sends one: 1000 normal, 1001 going away, 1011 server error; 3000–4999 the application's own."
          />
          <TextField
            id="rule-close-reason"
            label="Reason"
            testId="rule-close-reason"
            value={draft.closeReason}
            onValue={(closeReason) => set({ closeReason })}
          />
          {afterMatches('1 closes on the first matching frame, 3 on the third.')}
        </>
      )}
      {type === 'fail' &&
        afterMatches('0 fails the socket as it opens; 1 on the first matching frame.')}
      {type === 'throttle' && (
        <>
          <TextField
            id="rule-fps"
            label="Frames per second"
            testId="rule-fps"
            numeric
            value={draft.fps}
            onValue={(fps) => set({ fps })}
            hint="0 for no limit on the count."
          />
          <TextField
            id="rule-bps"
            label="Bytes per second"
            testId="rule-bps"
            numeric
            value={draft.bps}
            onValue={(bps) => set({ bps })}
            hint="0 for no limit on the size (a mobile network: 50000)."
          />
        </>
      )}
    </>
  );
}
