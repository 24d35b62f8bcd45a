/** The part of a runtime Port the hub uses, so it runs against fakes in unit tests. */
export interface HubPort<Incoming, Outgoing> {
  readonly name: string;
  readonly sender?: { tab?: { id?: number }; frameId?: number; url?: string };
  postMessage(message: Outgoing): void;
  onMessage: { addListener(listener: (message: Incoming) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}
