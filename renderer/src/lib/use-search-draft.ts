import { useState } from 'react';

/**
 * A search box's text: what is typed, and the URL's query whenever that changes (Back, a
 * link to another search or version), so the box never shows a search the results are not for.
 */
export function useSearchDraft(q: string): [string, (draft: string) => void] {
  const [draft, setDraft] = useState({ q, text: q });
  if (draft.q !== q) setDraft({ q, text: q });
  return [draft.q === q ? draft.text : q, (text) => setDraft({ q, text })];
}
