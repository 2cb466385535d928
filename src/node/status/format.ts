/** Text for people, shared by the server-rendered page (the client script has its twin, see page-script.ts). */

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** `1234567` → `1,234,567`; null → `—`. */
export function formatNumber(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

/** `3725` → `1h 2m`; `65` → `1m 5s`; null → `—`. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** A long id or address cut to its ends: `0x1234…cdef`. */
export function short(id: string, keep = 6): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-keep)}`;
}
