-- What a file's content looks like, beside the format its extension declares (`format`).
-- NULL where sniffing was inconclusive or the row predates this column. Where it
-- contradicts `format` (a quad in a `.ttl`), validation adds a `format_mismatch` warning.
ALTER TABLE extracted_files ADD COLUMN sniffed_format VARCHAR;
