// The note API (GET/PUT …/note with If-Match) as NoteSync's server.
import { ApiError, get, request, type SavedNote, type SaveWarning, type Note } from "./api";
import type { NoteServer } from "./notesync";

export function noteServer(path: string, onUnresolved?: (m: string[]) => void, onWarnings?: (w: SaveWarning[]) => void): NoteServer {
  return {
    async load() {
      try {
        const n = await get<Note>(path);
        return { body: n.body, version: n.version };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && e.message.includes("has none yet")) return { body: "", version: 0 };
        throw e;
      }
    },
    async save(body, version) {
      const headers: Record<string, string> = version > 0 ? { "If-Match": `"${version}"` } : { "If-None-Match": "*" };
      const r = await request<SavedNote>("PUT", path, { body }, headers);
      onUnresolved?.(r.data.unresolved_mentions);
      onWarnings?.(r.data.warnings ?? []);
      return { body: r.data.body, version: r.data.version };
    },
  };
}
