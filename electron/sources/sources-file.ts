/**
 * The sources file: one JSON or YAML document with a schema version, so a curator can keep
 * the list in git. Reading validates every entry (zod) and names the first problems.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { SOURCES_FILE_SCHEMA, SOURCES_FILE_SCHEMAS, sourcesFileSchema, type SourceSpec, type SourcesFile } from '../shared/contract/sources.js';
import { OntocatError } from '../shared/errors.js';

/**
 * The YAML library, loaded on first use: every command that opens a catalog loads this
 * module with the handlers, and `yaml` took about a tenth of a short command's start.
 */
function yaml(): typeof Yaml {
  return createRequire(import.meta.url)('yaml') as typeof Yaml;
}

/** Parses a sources file (JSON, or YAML when it is not JSON); BAD_INPUT naming what is wrong. */
export function parseSourcesFile(text: string): SourcesFile {
  let data: unknown;
  const trimmed = text.trimStart();
  try {
    data = trimmed.startsWith('{') ? JSON.parse(text) : yaml().parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new OntocatError('BAD_INPUT', `Not a JSON or YAML sources file: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = sourcesFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
    throw new OntocatError('BAD_INPUT', `Invalid sources file (expected schema ${SOURCES_FILE_SCHEMAS.map((name) => `'${name}'`).join(' or ')}): ${problems.join('; ')}`);
  }
  const seen = new Set<string>();
  for (const source of parsed.data.sources) {
    if (seen.has(source.id)) throw new OntocatError('BAD_INPUT', `Invalid sources file: source id '${source.id}' appears twice.`);
    seen.add(source.id);
  }
  return parsed.data;
}

/**
 * A character YAML 1.1 does not let stand raw in every scalar style (outside its printable
 * set, or a TAB or line break other than LF): the `yaml` library wrote a TAB or U+2028 in a
 * plain scalar, which PyYAML refuses ("while scanning a simple key"), and DEL, C1 controls
 * or U+FFFE raw, which it refuses outright, and a NEL inside double quotes reads as a space.
 * U+2028 and U+2029 are in the printable set, yet YAML reads them as line breaks.
 */
const NOT_RAW = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/**
 * Plain scalars YAML 1.1 reads as its `value` and `merge` types, which the `yaml` library
 * leaves plain: PyYAML's safe loader has no constructor for them and refuses the file.
 */
const YAML11_TYPED = new Set(['=', '<<']);

/**
 * YAML 1.2's core schema (spec 1.2.2, 10.3.2): a plain scalar matching one of these is a
 * null, boolean, integer or float there. Written for YAML 1.1, `0o17` or `1e3` stayed plain
 * (strings in 1.1), so Ontocat's own import (YAML 1.2) read them back as numbers and refused
 * the file; they are quoted, so 1.1 and 1.2 readers read the same strings.
 */
const YAML12_CORE_TYPED = [
  /^(?:~|null|Null|NULL)$/, /^(?:true|True|TRUE|false|False|FALSE)$/,
  /^[-+]?[0-9]+$/, /^0o[0-7]+$/, /^0x[0-9a-fA-F]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/, /^[-+]?\.(?:inf|Inf|INF)$/, /^\.(?:nan|NaN|NAN)$/,
];

/** Whether a YAML 1.1 or 1.2 reader would read `value`, written plain, as something other than that string. */
function typedWhenPlain(value: string): boolean {
  return YAML11_TYPED.has(value) || YAML12_CORE_TYPED.some((pattern) => pattern.test(value));
}

/** A double-quoted YAML scalar holding `value` exactly: JSON's escapes, plus `\uXXXX` for what JSON leaves raw. */
function escapedScalar(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * YAML 1.1 tags with strings that hold a character not safe raw written escaped in double
 * quotes. The merge tag goes: a sources file has no merge keys, and it wrote the string
 * '<<' plain, as a merge key.
 */
function safeStringTags(tags: Yaml.Tags): Yaml.Tags {
  return tags.filter((tag) => typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:merge').map((tag) => {
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:str' || !('stringify' in tag) || !tag.stringify) return tag;
    const stringify = tag.stringify.bind(tag);
    return {
      ...tag,
      stringify: (item, ctx, onComment, onChompKeep) => (typeof item.value === 'string' && (NOT_RAW.test(item.value) || typedWhenPlain(item.value))
        ? escapedScalar(item.value)
        : stringify(item, ctx, onComment, onChompKeep)),
    };
  });
}

/** Writes the sources as a file in `format` (the newest schema), ids in order. */
export function formatSourcesFile(sources: readonly SourceSpec[], format: 'json' | 'yaml'): string {
  const file: SourcesFile = { schema: SOURCES_FILE_SCHEMA, sources: [...sources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  // Written so a YAML 1.1 reader (PyYAML, many CI tools) reads the same strings: `yes`, `on`,
  // `off` or a date-like version are quoted, not left to read as booleans or dates there.
  return format === 'yaml' ? yaml().stringify(file, { version: '1.1', customTags: safeStringTags }) : `${JSON.stringify(file, null, 2)}\n`;
}
