// The client speaks only the documented JSON API (api/openapi.yaml): the
// session cookie authenticates, and every write carries the session's CSRF
// token. Problems (RFC 9457) become ApiError with what the server said.

export interface FieldError { field: string; message: string }

export class ApiError extends Error {
  status: number;
  type: string;
  fields: FieldError[];
  constructor(status: number, detail: string, type = "", fields: FieldError[] = []) {
    super(detail);
    this.status = status;
    this.type = type;
    this.fields = fields;
  }
}

/** Offline: the request never got an answer (the network, or the server, is down). */
export class OfflineError extends Error {}

let csrf = "";

export function setCSRF(token: string) { csrf = token; }

export interface Reply<T> { data: T; status: number; headers: Headers }

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const h: Record<string, string> = { Accept: "application/json", ...headers };
  let payload: BodyInit | undefined;
  if (body instanceof Blob || typeof body === "string") {
    payload = body;
  } else if (body !== undefined) {
    h["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (method !== "GET" && csrf) h["X-CSRF-Token"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers: h, body: payload, credentials: "same-origin" });
  } catch {
    throw new OfflineError("the server cannot be reached");
  }
  if (res.status === 204) return { data: undefined as T, status: 204, headers: res.headers };
  const ct = res.headers.get("Content-Type") || "";
  const data = ct.includes("json") ? await res.json().catch(() => ({})) : await res.text();
  if (!res.ok) {
    const p = (typeof data === "object" && data) ? data as { detail?: string; title?: string; type?: string; errors?: FieldError[] } : {};
    if (res.status === 502 || res.status === 503 || res.status === 504) throw new OfflineError(p.detail || "the server is unavailable");
    throw new ApiError(res.status, p.detail || p.title || res.statusText, p.type || "", p.errors || []);
  }
  return { data: data as T, status: res.status, headers: res.headers };
}

export const get = <T>(path: string) => request<T>("GET", path).then((r) => r.data);
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body).then((r) => r.data);
export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body).then((r) => r.data);
export const del = (path: string) => request<void>("DELETE", path).then(() => undefined);

// The shapes the client reads (see api/openapi.yaml).
export interface User { id: string; email: string; name: string; time_zone: string }
export interface Me extends User { csrf_token?: string }
export interface PersonRef { person_id: string; name: string; email: string }
export interface Attendee extends PersonRef { response_status: string; organizer: boolean; optional: boolean }
export interface Meeting {
  id: string; title: string; starts_at: string; ends_at: string; time_zone: string; all_day: boolean;
  status: "confirmed" | "tentative" | "cancelled"; description: string; location: string; video_url: string;
  series_id: string | null; attendees: Attendee[];
}
export interface Note { id: string; body: string; version: number; updated_at: string }
export interface ActionItem {
  id: string; title: string; status: "open" | "done" | "dropped"; owner: PersonRef | null; due_at: string | null;
  meeting_id: string | null; created_at: string; completed_at: string | null; remind_at: string | null; next_meeting: boolean; in_note: boolean;
}
export interface Decision { id: string; text: string; decided_at: string; meeting_id: string | null; superseded_by_id: string | null; people: PersonRef[]; in_note: boolean }
export interface Question { id: string; text: string; status: "open" | "answered" | "dropped"; meeting_id: string | null; created_at: string; remind_at: string | null; in_note: boolean }
export interface MeetingDetail extends Meeting { hidden: boolean; calendar_says: Record<string, string> | null; agenda_template: string; note: Note | null; action_items: ActionItem[]; decisions: Decision[]; questions: Question[] }
export interface Today { date: string; meetings: Meeting[]; open_action_items: ActionItem[]; overdue: ActionItem[]; open_questions: Question[] }
export interface Brief {
  meeting: Meeting; previous: { meeting: Meeting; note_excerpt: string }[];
  i_owe: ActionItem[]; owed_to_me: ActionItem[]; open_questions: Question[]; decisions: Decision[];
}
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface Occurrence { meeting: Meeting; note: Note | null; action_items: ActionItem[]; decisions: Decision[]; questions: Question[] }
export interface Series {
  id: string; title: string; agenda_template: string; occurrences: Occurrence[]; next_cursor: string | null; upcoming: Occurrence[];
  open_action_items: ActionItem[]; open_questions: Question[];
}
export interface Person { id: string; name: string; email: string; emails: string[]; organization: { id: string; name: string; domain: string } | null }
export interface PersonDetail extends Person {
  recent_meetings: Meeting[]; upcoming_meetings: Meeting[]; open_action_items: ActionItem[]; decisions: Decision[];
  timeline: { type: string; id: string; at: string; title: string }[];
}
export interface SearchHit { type: string; id: string; title: string; snippet: string; meeting_id?: string; starts_at?: string; score: number; partial: boolean }
export interface SearchAnswer { items: SearchHit[]; total: number; next_cursor: string | null; any_word: boolean; corrected: boolean }
export interface Connection {
  id: string; provider: "google" | "ics"; name: string; url: string | null; status: string; last_error: string | null;
  last_synced_at: string | null; next_sync_at: string | null; calendars: { id: string; name: string; selected: boolean }[];
}
export interface Token { id: string; name: string; created_at: string; last_used_at: string | null; token?: string }
export interface SaveWarning { line: number; text: string; message: string }
export interface SavedNote extends Note { unresolved_mentions: string[]; warnings: SaveWarning[] }
export interface ImportResult { created: number; updated: number; cancelled: number; unchanged: number; skipped: number; errors: { line?: number; uid?: string; reason: string; skipped: boolean }[] }
export interface AppNotification { id: string; kind: string; subject: string; text: string; url: string; data: Record<string, unknown>; sent_at: string; read_at: string | null }
export interface Notifications { items: AppNotification[]; unread: number }
export interface ReminderSettings {
  morning_hour: number; quiet_hours: { start: string; end: string } | null; recap_delay_minutes: number; prep_minutes: number;
  channels: Record<string, string[]>; recap_attendees_series: string[]; email_enabled: boolean; kinds: string[];
}
export interface Webhook { id: string; url: string; events: string[]; last_error: string; created_at: string; secret?: string }
export interface Recap { subject: string; text: string; html: string; to: string[]; email_enabled: boolean }
