/** Half-open spans of time [start, end) as epoch milliseconds: the arithmetic behind gaps and overlaps. */

export interface Span {
  start: number;
  end: number;
}

/** Sorted, with touching or overlapping spans joined. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const joined: Span[] = [];
  for (const span of sorted) {
    const last = joined.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else joined.push({ ...span });
  }
  return joined;
}

/** The parts of `spans` that `holes` do not cover. */
export function subtract(spans: readonly Span[], holes: readonly Span[]): Span[] {
  const cut = union(holes);
  const result: Span[] = [];
  for (const span of union(spans)) {
    let cursor = span.start;
    for (const hole of cut) {
      if (hole.end <= cursor || hole.start >= span.end) continue;
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
    }
    if (cursor < span.end) result.push({ start: cursor, end: span.end });
  }
  return result;
}

export const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

export const toIso = (span: Span) => ({ start: new Date(span.start).toISOString(), end: new Date(span.end).toISOString() });
