import { CsvError, parse } from 'csv-parse';
import { feedStream } from './feed-stream.js';
import { readChunks } from './read-chunks.js';
import { ParseAborted, type ParseControl, type ParseOutcome, type SyntaxProblem } from './parse-types.js';

/**
 * Checks a CSV or TSV file, streaming: every record must parse and have as many columns
 * as the first. CSV follows RFC 4180 quoting; TSV has no quoting (IANA), so a stray `"`
 * in a TSV field is data, not an error.
 */
export async function checkDelimitedFile(filePath: string, kind: 'csv' | 'tsv', control: ParseControl = {}): Promise<ParseOutcome> {
  let records = 0;
  let columns = 0;
  const parser = parse({
    delimiter: kind === 'csv' ? ',' : '\t',
    quote: kind === 'csv' ? '"' : false,
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
    info: false,
  });
  let problem: SyntaxProblem | null = null;
  try {
    await feedStream<string[]>(parser, readChunks(filePath, control), (record) => {
      if (records === 0) columns = record.length;
      records += 1;
    });
  } catch (error) {
    if (error instanceof ParseAborted) throw error;
    // Every error of the parser is about the text (one code, INVALID_OPENING_QUOTE, lacks the
    // CSV_ prefix the others have: a quote inside an unquoted field was taken for a read error).
    if (!(error instanceof CsvError)) throw error;
    const csvError = error as CsvError & { lines?: number };
    const message = csvError.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
      ? csvError.message.replace(/^Invalid Record Length: expect (\d+), got (\d+) on line \d+$/, 'Inconsistent column count: expected $1 columns, found $2.')
      : csvError.message;
    problem = { message, line: csvError.lines ?? null, col: null };
  }
  return { problem, triples: null, counts: { records, columns }, notices: [] };
}
