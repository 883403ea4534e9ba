// The event stream (GET /api/v1/events): what changed, as it happens, in
// this tab or another, on this instance or another. Views subscribe to the
// kinds they show; on every (re)connection they are told to reload, since
// the stream may have missed something while it was down.

export interface LiveEvent { type: string; subject?: string; id?: string; meeting_id?: string; version?: number }
type Listener = (e: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

export function startLive() {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/api/v1/events");
  for (const type of ["note.saved", "items.changed", "sync.finished", "notification"]) {
    source.addEventListener(type, (m) => {
      const e = { ...JSON.parse((m as MessageEvent).data), type } as LiveEvent;
      for (const l of listeners) l(e);
    });
  }
  // "ready" comes first on every connection: after the first, whatever
  // changed while the stream was down is reloaded.
  let connected = false;
  source.addEventListener("ready", () => {
    if (connected) for (const l of listeners) l({ type: "reconnected" });
    connected = true;
  });
}

export function stopLive() {
  source?.close();
  source = null;
}

/** onLive calls fn for every event; it returns the unsubscribe. */
export function onLive(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
