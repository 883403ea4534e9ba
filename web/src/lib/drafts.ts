// Drafts keep what was typed on this device until the server has it: in
// IndexedDB (localStorage where IndexedDB is missing), per note, with the
// server version the typing started from. They outlive a closed tab and a
// lost network; opening the note again merges the draft with what the
// server holds now.
import { createStore, del, get, keys, set, type UseStore } from "idb-keyval";

export interface Draft {
  /** the note's server text and version the draft was typed over */
  base: string;
  baseVersion: number;
  /** what the editor held */
  text: string;
  /** edits since the server last had the note (for the status line) */
  changes: number;
  updatedAt: number;
}

export interface DraftStore {
  get(key: string): Promise<Draft | undefined>;
  put(key: string, d: Draft): Promise<void>;
  drop(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** idbDrafts keeps drafts in IndexedDB. */
export function idbDrafts(dbName = "debrief", storeName = "drafts"): DraftStore {
  let store: UseStore | undefined;
  const s = () => (store ??= createStore(dbName, storeName));
  return {
    get: (k) => get<Draft>(k, s()),
    put: (k, d) => set(k, d, s()),
    drop: (k) => del(k, s()),
    keys: async () => (await keys(s())).map(String),
  };
}

/** localDrafts keeps drafts in localStorage (a browser without IndexedDB). */
export function localDrafts(prefix = "debrief.draft."): DraftStore {
  return {
    get: async (k) => {
      const v = localStorage.getItem(prefix + k);
      return v ? JSON.parse(v) as Draft : undefined;
    },
    put: async (k, d) => localStorage.setItem(prefix + k, JSON.stringify(d)),
    drop: async (k) => localStorage.removeItem(prefix + k),
    keys: async () => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
  };
}

/** drafts is the device's store: IndexedDB when the browser has it. */
export function deviceDrafts(): DraftStore {
  return typeof indexedDB !== "undefined" ? idbDrafts() : localDrafts();
}
