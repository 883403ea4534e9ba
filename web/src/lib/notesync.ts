// NoteSync keeps one note's editor and the server in step: it saves within
// a second after typing stops and at least every five seconds while typing
// goes on, always with If-Match; it folds the server's rewrite of the note
// (block ids, a line ticked elsewhere) into what is being typed; on 412 it
// merges with the newer version and saves again; offline it keeps the text
// on the device and saves when the server answers again. Only edits of the
// same lines on both sides stop it, for the person to choose.
import { ApiError, OfflineError } from "./api";
import type { DraftStore } from "./drafts";
import { merge3, text as mergedText, type Merged } from "./merge";

export type Status =
  | { kind: "saved" }
  | { kind: "saving" }
  | { kind: "unsaved"; changes: number }
  | { kind: "offline"; changes: number }
  | { kind: "conflict"; merged: Merged }
  | { kind: "error"; message: string };

export interface NoteServer {
  load(): Promise<{ body: string; version: number }>;
  /** save with If-Match: version (0: only create); a 412 is an ApiError. */
  save(body: string, version: number): Promise<{ body: string; version: number }>;
}

export interface Editor {
  text(): string;
  /** replace the editor's text, keeping the cursor where it was in the text */
  apply(text: string): void;
}

export interface Options {
  idleMs?: number;
  maxWaitMs?: number;
  retryMs?: number;
  onStatus?: (s: Status) => void;
  /** the server saved: its text and version */
  onSaved?: (body: string, version: number) => void;
}

export class NoteSync {
  private base = "";
  private version = 0;
  private changes = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private firstUnsaved = 0;
  private saving: Promise<void> | null = null;
  private again = false;
  private offline = false;
  private conflict: Merged | null = null;
  private stopped = false;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleMs: number;
  private readonly maxWaitMs: number;
  private readonly retryMs: number;

  constructor(private key: string, private server: NoteServer, private editor: Editor, private drafts: DraftStore, private opts: Options = {}) {
    this.idleMs = opts.idleMs ?? 1000;
    this.maxWaitMs = opts.maxWaitMs ?? 5000;
    this.retryMs = opts.retryMs ?? 2000;
  }

  /** open loads the note and any draft this device kept, merged, into
   * the editor, and returns that text. */
  async open(): Promise<string> {
    let text = await this.load();
    // What was typed while the note loaded (into the empty editor) goes
    // after the note, and is saved.
    const typed = this.editor.text();
    if (typed && typed !== text) {
      text = text ? text + "\n" + typed : typed;
      this.editor.apply(text);
      this.changed();
      return text;
    }
    this.editor.apply(text);
    this.status();
    return text;
  }

  private async load(): Promise<string> {
    let loaded = { body: "", version: 0 };
    let offline = false;
    try {
      loaded = await this.server.load();
    } catch (e) {
      if (!(e instanceof OfflineError)) throw e;
      offline = true;
    }
    const draft = await this.drafts.get(this.key).catch(() => undefined);
    if (offline) {
      if (!draft) throw new OfflineError("the server cannot be reached and this device has no copy of the note");
      this.base = draft.base;
      this.version = draft.baseVersion;
      this.changes = draft.changes;
      this.offline = true;
      this.retryLater();
      return draft.text;
    }
    this.base = loaded.body;
    this.version = loaded.version;
    if (!draft || draft.text === loaded.body) {
      if (draft) await this.drafts.drop(this.key);
      return loaded.body;
    }
    // Typed here and not saved: over the version it was typed on.
    const m = merge3(draft.base, draft.text, loaded.body);
    this.changes = Math.max(draft.changes, 1);
    if (!m.clean) {
      this.conflict = m;
      return mergedText(m, (c) => c.mine);
    }
    this.schedule(0);
    return mergedText(m);
  }

  /** changed: the person typed. */
  changed() {
    if (this.stopped) return;
    this.changes++;
    if (!this.firstUnsaved) this.firstUnsaved = Date.now();
    this.keepDraft();
    if (this.conflict) return;
    const sinceFirst = Date.now() - this.firstUnsaved;
    this.schedule(sinceFirst >= this.maxWaitMs ? 0 : Math.min(this.idleMs, this.maxWaitMs - sinceFirst));
    // Not status(): comparing the whole text on every key costs a long
    // note's length each time.
    if (!this.saving) this.opts.onStatus?.(this.offline ? { kind: "offline", changes: this.changes } : { kind: "unsaved", changes: this.changes });
  }

  /** resolve ends a conflict with the text the person chose. */
  async resolve(text: string) {
    this.conflict = null;
    this.editor.apply(text);
    this.changed();
  }

  /** flush saves now (leaving the page, a test waiting for it). */
  async flush(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.saveNow();
  }

  /** serverChanged: another tab or device saved (the event stream said
   * so): merge its version in if nothing is being typed over it. */
  async serverChanged(version: number) {
    if (this.stopped || version <= this.version || this.saving) return;
    if (this.editor.text() !== this.base) {
      this.schedule(0); // the save's 412 brings it in, merged
      return;
    }
    try {
      const latest = await this.server.load();
      if (latest.version > this.version && this.editor.text() === this.base) {
        this.base = latest.body;
        this.version = latest.version;
        this.editor.apply(latest.body);
        this.opts.onSaved?.(latest.body, latest.version);
      }
    } catch { /* the next save or event tries again */ }
  }

  /** stop ends syncing (the page closes): a draft waiting to be written
   * is written now. */
  stop() {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    if (this.draftTimer) {
      clearTimeout(this.draftTimer);
      this.draftTimer = undefined;
      this.writeDraft();
    }
  }

  get currentVersion() { return this.version; }

  private schedule(ms: number) {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.saveNow(), ms);
  }

  // keepDraft writes the editor's text to the device soon (at most every
  // 150 ms while typing goes on).
  private keepDraft() {
    if (this.draftTimer) return;
    this.draftTimer = setTimeout(() => {
      this.draftTimer = undefined;
      this.writeDraft();
    }, 150);
  }

  private writeDraft() {
    void this.drafts.put(this.key, { base: this.base, baseVersion: this.version, text: this.editor.text(), changes: this.changes, updatedAt: Date.now() });
  }

  private async saveNow(): Promise<void> {
    if (this.saving) {
      this.again = true;
      return this.saving;
    }
    if (this.conflict || this.stopped) return;
    const sent = this.editor.text();
    if (sent === this.base) {
      this.changes = 0;
      this.firstUnsaved = 0;
      this.status();
      return;
    }
    this.saving = this.save(sent).finally(() => { this.saving = null; });
    await this.saving;
    if (this.again) {
      this.again = false;
      if (this.editor.text() !== this.base) this.schedule(0);
    }
  }

  private async save(sent: string) {
    this.opts.onStatus?.({ kind: "saving" });
    const changesAtSend = this.changes;
    try {
      const saved = await this.server.save(sent, this.version);
      this.offline = false;
      this.accept(sent, saved.body, saved.version, changesAtSend);
    } catch (e) {
      if (e instanceof OfflineError) {
        this.offline = true;
        this.keepDraft();
        this.status();
        this.retryLater();
        return;
      }
      if (e instanceof ApiError && e.status === 412) {
        // Saved elsewhere meanwhile: merge with that, and save again.
        let latest;
        try {
          latest = await this.server.load();
        } catch (e2) {
          if (e2 instanceof OfflineError) { this.offline = true; this.status(); this.retryLater(); return; }
          throw e2;
        }
        const m = merge3(this.base, this.editor.text(), latest.body);
        this.base = latest.body;
        this.version = latest.version;
        if (!m.clean) {
          this.conflict = m;
          this.keepDraft();
          this.status();
          return;
        }
        this.editor.apply(mergedText(m));
        this.keepDraft();
        this.schedule(0);
        return;
      }
      this.opts.onStatus?.({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    }
  }

  // accept takes the server's answer to a save of sent: its text (with
  // block ids, and lines ticked elsewhere) folded into what was typed since.
  private accept(sent: string, body: string, version: number, changesAtSend: number) {
    this.base = body;
    this.version = version;
    const now = this.editor.text();
    if (now === sent) {
      if (body !== sent) this.editor.apply(body);
    } else {
      const m = merge3(sent, now, body);
      this.editor.apply(mergedText(m, (c) => c.mine));
    }
    this.changes = Math.max(0, this.changes - changesAtSend);
    this.firstUnsaved = this.changes > 0 ? Date.now() : 0;
    if (this.editor.text() === this.base) {
      this.changes = 0;
      void this.drafts.drop(this.key);
    } else {
      this.keepDraft();
      this.schedule(this.idleMs);
    }
    this.opts.onSaved?.(body, version);
    this.status();
  }

  private retryLater() {
    this.schedule(this.retryMs);
  }

  private status() {
    const s: Status = this.conflict ? { kind: "conflict", merged: this.conflict }
      : this.offline ? { kind: "offline", changes: Math.max(this.changes, 1) }
        : this.editor.text() !== this.base ? { kind: "unsaved", changes: this.changes }
          : { kind: "saved" };
    this.opts.onStatus?.(s);
  }
}
