/** The link to a term's history on the Terms page (a deep link: `#/terms?term=…&service=…`). */
export function termHistoryHref(term: string, service?: string): string {
  const params = new URLSearchParams({ term });
  if (service) params.set('service', service);
  return `/terms?${params.toString()}`;
}
