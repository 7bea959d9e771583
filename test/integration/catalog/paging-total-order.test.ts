// Every paged list channel of the contract, walked page by page on a catalog full of ties
// (same severity, path and rule, no line; equal sizes, dates and counts): each row comes
// exactly once at every page size, and two reads give the same order. The channels are
// taken from the contract, so a new list channel must be added here or this test fails
// naming it.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileId, versionId } from '../../../electron/catalog/ids.js';
import { decideCandidate, insertCandidate, insertFinishedRuns, insertRun, ensureNotification } from '../../../electron/catalog/source-queries.js';
import { saveTermDelta } from '../../../electron/catalog/term-changes.js';
import { recordContentTerms, recordUnparsableContents, type TermRecord } from '../../../electron/catalog/term-index.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import type { NewFile, NewValidation } from '../../../electron/catalog/write-records.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { channelNames, contract, type Channel } from '../../../electron/shared/contract.js';
import type { RunRecord } from '../../../electron/shared/contract/sources.js';
import type { TermChange } from '../../../electron/shared/models.js';
import { TERM_DELTA_KINDS } from '../../../electron/shared/term-names.js';
import { TERMS_READ_BY } from '../../../electron/ingest/terms/term-delta.js';
import { recordVersions, sha } from '../delta/fixtures.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTrashManifest } from '../../../electron/storage/trash-store.js';

/**
 * Page sizes of a channel's first input. Its other inputs (other sorts, directions and
 * filters) walk in pages of 2, 7 and 500: pages of 1 for every input were about half of
 * this file's minute. A page of 2 still compares each pair of neighbours, as one query
 * returns them, with the whole read, and pages of 2 and 7 put a boundary inside every
 * run of three or more tied rows.
 */
const FIRST_PAGE_SIZES = [1, 7, 500] as const;
const OTHER_PAGE_SIZES = [2, 7, 500] as const;
/** The largest page a channel accepts: one read of the whole list. */
const WHOLE = 1000;
const SAME_DAY = '2024-01-01T00:00:00Z';
const SAME_MTIME = '2023-12-31T00:00:00Z';

/** Channels whose input pages (offset and limit): the lists this test must cover. */
function pagedChannels(): Channel[] {
  return channelNames.filter((name) => {
    const shape = (contract[name].input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
    return 'offset' in shape && 'limit' in shape;
  });
}

type Input = Record<string, unknown>;
interface ListCase {
  /** Inputs without offset and limit: sorts, directions and filters worth walking. */
  readonly inputs: readonly Input[];
  /** The page inside the channel's answer. */
  readonly page: (result: unknown) => { items: readonly unknown[]; total: number };
}

const plainPage = (result: unknown) => result as { items: unknown[]; total: number };
const both = (inputs: readonly Input[]): Input[] => inputs.flatMap((input) => [input, { ...input, direction: 'desc' }]);

/** A trash entry whose files tie on size: listed in the order they were moved. */
const TRASH_PLAN = 'prune-20240101T000000Z-0123456789ab';

const cases: Readonly<Record<string, ListCase>> = {
  'trash:files': { inputs: [{ plan_id: TRASH_PLAN }], page: plainPage },
  'versions:list': {
    inputs: [{}, ...both(['created_at', 'service', 'version', 'files', 'bytes'].map((sort) => ({ sort }))), { service: 'tie' }],
    page: plainPage,
  },
  'files:list': {
    inputs: [
      ...both(['relpath', 'name', 'size_bytes', 'format', 'mtime'].map((sort) => ({ ref: 'tie/a', sort }))),
      { ref: 'tie/a', search: 'n', sort: 'name' }, { ref: 'tie/b', prefix: 'e2', sort: 'size_bytes' },
    ],
    page: plainPage,
  },
  'files:dir': {
    inputs: [
      ...both(['name', 'bytes', 'files'].map((sort) => ({ ref: 'tie/a', sort }))),
      { ref: 'tie/a', dir: 'd1', sort: 'bytes' }, { ref: 'tie/a', dir: 'd1', sort: 'files', direction: 'desc' },
    ],
    page: plainPage,
  },
  'validations:list': {
    inputs: [
      ...both(['severity', 'relpath', 'validator', 'rule'].map((sort) => ({ ref: 'tie/a', sort }))),
      { ref: 'tie/a', passed: false }, { ref: 'tie/a', prefix: 'd0/' },
    ],
    page: plainPage,
  },
  'events:list': { inputs: [{}, { type: 'test' }], page: plainPage },
  'latest:history': { inputs: [{ service: 'tie' }], page: plainPage },
  'delta:compute': {
    inputs: [
      { from: 'tie/a', to: 'tie/b', kind: 'all' }, { from: 'tie/a', to: 'tie/b' },
      { from: 'tie/b', to: 'tie/a', kind: 'all', prefix: 'd2' },
    ],
    page: (result) => (result as { changes: { items: unknown[]; total: number } }).changes,
  },
  'delta:tree': {
    inputs: [
      { from: 'tie/a', to: 'tie/b', changed_only: false }, { from: 'tie/a', to: 'tie/b', dir: 'd0', changed_only: false },
      { from: 'tie/a', to: 'tie/b', dir: 'd1' },
    ],
    page: plainPage,
  },
  'delta:validations': {
    inputs: [
      { from: 'tie/a', to: 'tie/b' }, { from: 'tie/b', to: 'tie/a', status: 'fixed', severity: 'ERROR' },
    ],
    page: (result) => (result as { findings: { items: unknown[]; total: number } }).findings,
  },
  'delta:terms': {
    inputs: [{ from: 'tie/a', to: 'tie/b', relpath: 'd1/n0.ttl' }, { from: 'tie/a', to: 'tie/b', relpath: 'd1/n0.ttl', change: 'ADDED' }],
    page: (result) => (result as { changes: { items: unknown[]; total: number } }).changes,
  },
  // Terms that tie on closeness (one label for all), found in several services.
  'terms:search': {
    inputs: [
      { query: 'tie term' }, { query: 'tie term', match: 'exact' }, { query: 'http://example.org/', match: 'prefix' },
      { query: 'tie', service: 'tie' }, { query: 'tie term', service: 'tie2' },
    ],
    page: plainPage,
  },
  // One term can change in several ways at once; all have the same kind and labels.
  'terms:version-delta': {
    inputs: [
      { a: 'tie/a', b: 'tie/b' }, { a: 'tie/b', b: 'tie/a' }, { a: 'tie/a', b: 'tie/b', change: 'RELABELLED' },
      { a: 'tie/a', b: 'tie/b', search: 'tie term' },
    ],
    page: (result) => (result as { changes: { items: unknown[]; total: number } }).changes,
  },
  // Contents that do not parse, all with one problem and format; most in both tie versions.
  'terms:unparsable': { inputs: [{}, { service: 'tie' }, { service: 'tie2' }], page: plainPage },
  // Runs of one sync start in the same instant with the same status.
  'sources:runs': { inputs: [{}, { id: 'tie-source' }, { id: 'other-source' }], page: plainPage },
  // Notifications of one transaction share their created_at, event and target.
  'sources:notifications': { inputs: [{}], page: plainPage },
  // Candidates of one transaction share their created_at and source; their versions tie on date.
  'review:list': { inputs: [{ state: 'all' }, {}, { state: 'rejected' }, { state: 'all', service: 'tie3' }], page: plainPage },
  // Services by bytes; tie2 to tie8 hold the same bytes.
  'storage:usage': {
    inputs: [{}],
    page: (result) => {
      const usage = result as { by_service: unknown[]; by_service_total: number };
      return { items: usage.by_service, total: usage.by_service_total };
    },
  },
};

/** A file of the tie catalog: every file the same size, format and date. */
const file = (relpath: string, content: string): NewFile => ({ relpath, format: 'turtle', size_bytes: 100, sha256: sha(content), mtime: SAME_MTIME });
const names = Array.from({ length: 10 }, (_, i) => `n${i}.ttl`);

/**
 * Quality findings of a file that tie on everything the list sorts by (one severity, one
 * rule, no line); only the subject or message tells them apart.
 */
function findings(relpath: string, count: number): NewValidation[] {
  return [
    ...Array.from({ length: count }, (_, i): NewValidation => ({
      relpath, validator: 'quality', rule: 'missing-label', severity: 'ERROR', passed: false, subject: `ex:T${i}`, message: 'No label',
    })),
    { relpath, validator: 'quality', rule: 'missing-label', severity: 'ERROR', passed: false, message: `No label (first of two) in ${relpath}` },
    { relpath, validator: 'quality', rule: 'missing-label', severity: 'ERROR', passed: false, message: `No label (second of two) in ${relpath}` },
    { relpath, validator: 'turtle', rule: 'parse', severity: 'INFO', passed: true },
  ];
}

let session: Session;
const temp = makeTempRoot('ontocat-paging');

beforeAll(async () => {
  session = await openSession({ actor: 'test', root: temp.root, threads: 1 });
  // A: d0..d3 with the same ten names each. B: d0 unchanged, d1 modified, d2 moved to e2,
  // d3 removed and f3 added: every kind of change, all the same size.
  const a = ['d0', 'd1', 'd2', 'd3'].flatMap((dir) => names.map((name) => file(`${dir}/${name}`, `${dir}/${name}`)));
  const b = [
    ...names.map((name) => file(`d0/${name}`, `d0/${name}`)),
    ...names.map((name) => file(`d1/${name}`, `d1/${name} v2`)),
    ...names.map((name) => file(`e2/${name}`, `d2/${name}`)),
    ...names.map((name) => file(`f3/${name}`, `f3/${name}`)),
  ];
  const checked = (dirs: readonly string[], count: number): NewValidation[] =>
    dirs.flatMap((dir) => names.slice(0, 3).flatMap((name) => findings(`${dir}/${name}`, count)));
  await recordVersions(session.catalog, [
    { service: 'tie', version: 'a', created_at: SAME_DAY, files: a, validations: checked(['d0', 'd1', 'd2', 'd3'], 3) },
    { service: 'tie', version: 'b', created_at: SAME_DAY, files: b, validations: checked(['d0', 'd1', 'e2', 'f3'], 2) },
    // Versions that tie on date, file count and bytes; names shared across services.
    // (Eight services in all, so the storage usage's list of services spans more than a page of 7.)
    ...['tie2', 'tie3', 'tie4', 'tie5', 'tie6', 'tie7', 'tie8'].flatMap((service) => ['1', '2', '3'].map((version) => ({
      service, version, created_at: SAME_DAY, files: [file('x.ttl', 'x'), file('y.ttl', 'y')],
    }))),
  ]);
  writeTrashManifest(temp.root, {
    plan_id: TRASH_PLAN, kind: 'prune', created_at: SAME_DAY, status: 'trashed', rows: {}, bytes: 37 * 5,
    files: Array.from({ length: 37 }, (_, i) => ({ relpath: `tie/a/data/d${i % 4}/n${i}.ttl`, bytes: 5 })),
  });
  // Events written in one transaction share their timestamp.
  await session.catalog.write(async (tx) => {
    for (let i = 0; i < 30; i += 1) await tx.event('test.tie', { n: i % 3 });
    // Moves of one latest pointer that tie on their timestamp.
    for (let i = 0; i < 12; i += 1) await tx.event('latest.set', { service: 'tie', version: i % 2 ? 'a' : 'b', previous: i % 2 ? 'b' : 'a', by: 'test' });
  });
  // The cached term changes of the modified pair d1/n0.ttl (what a first look stores).
  const changes: TermChange[] = TERM_DELTA_KINDS.flatMap((change) =>
    Array.from({ length: 12 }, (_, i) => ({
      term: `http://example.org/T${i % 6}${i >= 6 ? 'b' : ''}`, term_kind: 'class', change,
      old_label: 'same', new_label: 'same', before: null, after: null,
    })));
  await session.catalog.write((tx) => saveTermDelta(
    tx, fileId(versionId('tie', 'a'), 'd1/n0.ttl'), fileId(versionId('tie', 'b'), 'd1/n0.ttl'), { old_terms: 30, new_terms: 30 }, changes, TERMS_READ_BY,
  ));
  await seedTermIndex(session);
  await seedSourceRuns(session);
  await seedCandidates(session);
});

/** Every version of tie2 to tie8 a candidate of one source and run, each third one rejected. */
async function seedCandidates(owner: Session): Promise<void> {
  await owner.catalog.write(async (tx) => {
    for (const service of ['tie2', 'tie3', 'tie4', 'tie5', 'tie6', 'tie7', 'tie8']) {
      for (const version of ['1', '2', '3']) {
        await insertCandidate(tx, { service, version, source_id: 'tie-source', run_id: 'run-tie' });
        if (version === '2') await decideCandidate(tx, service, version, 'rejected', 'test', 'same reason');
      }
    }
  });
}

/** A term of the tie catalog: every one the same kind, and labelled alike. */
const term = (id: string, label: string, more: Partial<TermRecord> = {}): TermRecord => ({
  id: `http://example.org/${id}`, kind: 'class', labels: [{ value: label }], synonyms: [], definitions: [{ value: 'same definition' }],
  deprecated: false, replaced_by: [], consider: [], parents: ['http://example.org/P'], ...more,
});
const tieTerms = (prefix: string, count: number, label: string, more: Partial<TermRecord> = {}): TermRecord[] =>
  Array.from({ length: count }, (_, i) => term(`${prefix}${i}`, label, more));

/**
 * Term index contents recorded through the index's own writer. tie/a's d3/n0.ttl and tie/b's
 * f3/n0.ttl share 12 terms that change every way at once (label, definition, parents,
 * deprecation), and each has terms the other lacks; x.ttl, shared by tie2 to tie8,
 * holds the same ids again, so search hits tie on ident and differ only by service.
 */
async function seedTermIndex(owner: Session): Promise<void> {
  await owner.catalog.write(async (tx) => {
    await recordContentTerms(tx, { sha256: sha('d3/n0.ttl'), format: 'turtle', terms: [...tieTerms('T', 12, 'tie term'), ...tieTerms('R', 9, 'tie term')] });
    await recordContentTerms(tx, {
      sha256: sha('f3/n0.ttl'), format: 'turtle',
      terms: [
        ...tieTerms('T', 12, 'tie term renamed', { definitions: [{ value: 'another definition' }], parents: ['http://example.org/Q'], deprecated: true }),
        ...tieTerms('A', 9, 'tie term'),
      ],
    });
    await recordContentTerms(tx, { sha256: sha('x'), format: 'turtle', terms: tieTerms('T', 12, 'tie term') });
    // Not the two indexed contents: a verdict on a content in its own format takes it out of the index.
    const indexed = new Set(['d3/n0.ttl', 'f3/n0.ttl']);
    const unparsable = [...['d0', 'd1', 'd2', 'd3', 'f3'].flatMap((dir) => names.map((name) => `${dir}/${name}`)).filter((content) => !indexed.has(content)), 'd1/n0.ttl v2', 'y'];
    await recordUnparsableContents(tx, unparsable.map((content) => ({ sha256: sha(content), format: 'turtle', message: 'same problem' })), VALIDATOR_VERSION);
  });
}

/**
 * Source runs and notifications through the sync's own writers: runs started in one instant
 * with one status and trigger (finished checks and still-running ones), and notifications
 * written in one transaction to one target.
 */
async function seedSourceRuns(owner: Session): Promise<void> {
  const finished = (source_id: string, i: number): RunRecord => ({
    run_id: `run-${source_id}-${String(i).padStart(2, '0')}`, source_id, trigger: 'schedule', started_at: SAME_DAY, finished_at: SAME_DAY,
    status: 'unchanged', version: null, duration_ms: 5, error_code: null, error_message: null, idempotency_key: null, manifest: { inputs: [], output: null },
  });
  await owner.catalog.write(async (tx) => {
    await insertFinishedRuns(tx, [...Array.from({ length: 15 }, (_, i) => finished('tie-source', i)), ...Array.from({ length: 9 }, (_, i) => finished('other-source', i))]);
    for (let i = 0; i < 6; i += 1) {
      await insertRun(tx, { run_id: `live-${i}`, source_id: 'tie-source', trigger: 'schedule', started_at: SAME_DAY, manifest: { inputs: [], output: null } });
    }
    for (let i = 0; i < 20; i += 1) {
      await ensureNotification(tx, { key: `delivery-${(i * 7) % 20}`, event_type: 'candidate.created', target: 'http://127.0.0.1:9/hook', payload: { n: i % 2 } });
    }
  });
}

afterAll(async () => {
  await session.close();
  temp.cleanup();
});

async function read(channel: Channel, input: Input): Promise<{ items: readonly unknown[]; total: number }> {
  const result = await session.invoke(channel, input);
  if (!result.ok) throw new Error(`${channel} ${JSON.stringify(input)}: ${result.code} ${result.message}`);
  return cases[channel]!.page(result.data);
}

describe('one total order for every list', () => {
  it('covers every paged channel of the contract', () => {
    const paged = pagedChannels();
    expect(paged.filter((name) => !(name in cases)), 'paged channels this test does not walk').toEqual([]);
    expect(Object.keys(cases).filter((name) => !paged.includes(name as Channel)), 'cases that are not paged channels').toEqual([]);
  });

  it.each(pagedChannels())('%s: pages of 1 (or 2), 7 and 500 hold each row exactly once, in the order of one whole read', async (channel) => {
    const listCase = cases[channel];
    expect(listCase, `${channel} is a paged list channel without a case in this test`).toBeDefined();
    let walked = 0;
    for (const [index, input] of listCase!.inputs.entries()) {
      const where = `${channel} ${JSON.stringify(input)}`;
      const whole = await read(channel, { ...input, offset: 0, limit: WHOLE });
      expect(whole.total, where).toBeLessThan(WHOLE);
      expect(whole.items.length, `${where}: one read holds the whole list`).toBe(whole.total);
      const keys = whole.items.map((row) => JSON.stringify(row));
      expect(new Set(keys).size, `${where}: rows are distinct`).toBe(keys.length);
      expect((await read(channel, { ...input, offset: 0, limit: WHOLE })).items, `${where}: a second read, same order`).toEqual(whole.items);
      for (const size of index === 0 ? FIRST_PAGE_SIZES : OTHER_PAGE_SIZES) {
        const rows: unknown[] = [];
        for (let offset = 0; offset < whole.total; offset += size) {
          const page = await read(channel, { ...input, offset, limit: size });
          expect(page.total, `${where} at ${offset}+${size}`).toBe(whole.total);
          expect(page.items.length, `${where} at ${offset}+${size}`).toBe(Math.min(size, whole.total - offset));
          rows.push(...page.items);
        }
        expect(rows, `${where} in pages of ${size}`).toEqual(whole.items);
      }
      // A page past the last row is empty and still says how many rows there are.
      const past = await read(channel, { ...input, offset: whole.total + 3, limit: 7 });
      expect({ items: past.items.length, total: past.total }, `${where}: a page past the end`).toEqual({ items: 0, total: whole.total });
      walked = Math.max(walked, whole.total);
    }
    // Each list really pages: its longest walk spans more than one page of 7.
    expect(walked, channel).toBeGreaterThan(7);
  }, 240_000);
});

// The case a curator found: the findings of a real EDAM release, read with the CLI in pages
// of 500, repeated some and left others out. Real releases stand in for it here: EDAM and
// OBO files from Debian's emboss-data, and RDF vocabularies of @zazuko/rdf-vocabularies,
// whose quality findings (one rule, one severity, no line) tie by the hundred per file.
const EMBOSS = '/usr/share/EMBOSS/data';
const vocabularies = path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies');
const realFiles = [
  path.join(EMBOSS, 'EDAM.obo'), ...['eco', 'ro', 'so'].map((name) => path.join(EMBOSS, 'OBO', `${name}.obo`)),
  ...['dpv', 'gr', 'dcat', 'prov', 'time', 'bibo', 'org', 'vcard', 'dcterms', 'foaf'].map((name) => path.join(vocabularies, `${name}.nq`)),
];

describe.skipIf(!realFiles.every((file) => existsSync(file)))('findings of real releases (EDAM and OBO from Debian emboss-data, RDF vocabularies)', () => {
  const real = makeTempRoot('ontocat-paging-edam');

  beforeAll(async () => {
    const source = path.join(real.root, 'source');
    mkdirSync(source);
    for (const file of realFiles) copyFileSync(file, path.join(source, path.basename(file)));
    const catalogRoot = path.join(real.root, 'root');
    const owner = await openSession({ actor: 'test', root: catalogRoot, threads: 1 });
    try {
      for (const [channel, input] of [['ingest:run', { source, service: 'edam', version: '1' }], ['validate:run', { ref: 'edam/1', workers: 1 }]] as const) {
        const result = await owner.invoke(channel, input);
        if (!result.ok) throw new Error(`${channel}: ${result.message}`);
      }
    } finally {
      await owner.close();
    }
  }, 300_000);
  afterAll(() => real.cleanup());

  it('ontocat findings in pages of 500 lists every finding exactly once, in the same order twice', () => {
    const root = path.join(real.root, 'root');
    const pages = (): { validation_id: string }[] => {
      const rows: { validation_id: string }[] = [];
      let total = Infinity;
      for (let offset = 0; offset < total; offset += 500) {
        const run = runOntocat(['findings', 'edam/1', '--all', '--limit', '500', '--offset', String(offset), '--json'], { root });
        expect(run.code, run.stderr).toBe(0);
        const page = run.json<{ validation_id: string }[] | { items: { validation_id: string }[]; total: number }>();
        const items = Array.isArray(page) ? page : page.items;
        if (!Array.isArray(page)) total = page.total;
        else if (items.length < 500) total = offset + items.length;
        rows.push(...items);
      }
      return rows;
    };
    const first = pages();
    const ids = first.map((row) => row.validation_id);
    // Thousands of findings, every one once.
    expect(ids.length).toBeGreaterThan(1000);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages().map((row) => row.validation_id)).toEqual(ids);
  }, 300_000);

  it('the same findings in pages of 1 and 7, by every sort key, sit where one whole read puts them', async () => {
    const reader = await openSession({ actor: 'test', root: path.join(real.root, 'root'), threads: 2, readOnly: true });
    const page = async (sort: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> => {
      const result = await reader.invoke('validations:list', { ref: 'edam/1', sort, offset, limit });
      if (!result.ok) throw new Error(result.message);
      const data = result.data as { items: { validation_id: string }[]; total: number };
      return { ids: data.items.map((row) => row.validation_id), total: data.total };
    };
    const walk = async (sort: string, size: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let offset = 0, total = Infinity; offset < total; offset += size) {
        const next = await page(sort, offset, size);
        total = next.total;
        ids.push(...next.ids);
      }
      return ids;
    };
    try {
      for (const sort of ['severity', 'rule', 'validator', 'relpath']) {
        const whole = await walk(sort, 500);
        expect(new Set(whole).size, `${sort}: distinct findings`).toBe(whole.length);
        // By severity (where every finding of a rule ties) pages of 7 end to end: every
        // finding once, each at its place in the whole read.
        if (sort === 'severity') expect(await walk(sort, 7), `${sort} in pages of 7`).toEqual(whole);
        // Pages of 1 and 7 at the head and spread over the rest: walking thousands of
        // one-row pages per sort key adds minutes and finds nothing these offsets miss.
        const spread = Array.from({ length: 30 }, (_, i) => Math.floor(((i + 1) * whole.length) / 31));
        for (const offset of [...Array.from({ length: 20 }, (_, i) => i), ...spread]) {
          expect((await page(sort, offset, 1)).ids, `${sort} page of 1 at ${offset}`).toEqual([whole[offset]]);
          expect((await page(sort, offset, 7)).ids, `${sort} page of 7 at ${offset}`).toEqual(whole.slice(offset, offset + 7));
        }
      }
    } finally {
      await reader.close();
    }
  }, 300_000);
});
