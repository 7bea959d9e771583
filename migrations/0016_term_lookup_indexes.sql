-- Exact lookups of the term dictionaries through an index instead of a scan (issue #16):
-- an exact search (id, IRI, CURIE or label, case-insensitive) and the term a history or a
-- lineage names. The dictionaries only ever gain rows (term-index.ts inserts; nothing
-- updates or deletes them), the case an ART index handles best.
CREATE INDEX term_keys_term_lc ON term_keys (term_lc);
CREATE INDEX term_keys_curie_lc ON term_keys (curie_lc);
CREATE INDEX term_keys_ident ON term_keys (ident);
CREATE INDEX term_keys_term ON term_keys (term);
CREATE INDEX term_labels_label_lc ON term_labels (label_lc);
