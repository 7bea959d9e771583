import type * as Saxes from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { loadParser } from './load-parser.js';
import { checkDoctype, DoctypeMalformed, useDoctypeEntities } from './xml-doctype.js';
import { readXmlTextChunks, XmlEncodingProblem } from './xml-encoding.js';
import type { ParseControl, SyntaxProblem } from './parse-types.js';

/** Raised at the first XML (or structure) error, with its position. */
export class XmlProblem extends Error {
  constructor(message: string, readonly line: number | null, readonly col: number | null) {
    super(message);
  }
}

export interface XmlHandlers {
  readonly onOpen?: (tag: SaxesTagNS, depth: number) => void;
  readonly onText?: (text: string) => void;
  readonly onClose?: (tag: SaxesTagNS, depth: number) => void;
}

/**
 * Streams an XML file through saxes with namespaces and positions on, stopping at the
 * first well-formedness error. Handlers may throw `XmlProblem` for structure errors;
 * `position()` tells them where the parser is. External entities are never resolved.
 */
export async function streamXml(
  filePath: string,
  makeHandlers: (position: () => { line: number; col: number }) => XmlHandlers,
  control: ParseControl = {},
): Promise<{ problem: SyntaxProblem | null; elements: number }> {
  const { SaxesParser } = loadParser<typeof Saxes>('saxes');
  const parser = new SaxesParser({ xmlns: true, position: true });
  const position = (): { line: number; col: number } => ({ line: parser.line, col: parser.column });
  const handlers = makeHandlers(position);
  let depth = 0;
  let elements = 0;
  parser.on('error', (error) => {
    const match = /^(\d+):(\d+): (.*)$/.exec(error.message);
    throw match ? new XmlProblem(match[3]!, Number(match[1]), Number(match[2])) : new XmlProblem(error.message, parser.line, parser.column);
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    elements += 1;
    handlers.onOpen?.(tag, depth);
  });
  // saxes finds a DOCTYPE's end but reads nothing in it: checked here, and its entities made known.
  parser.on('doctype', (text) => useDoctypeEntities(parser, checkDoctype(text, parser.line)));
  if (handlers.onText) parser.on('text', handlers.onText);
  parser.on('closetag', (tag) => {
    handlers.onClose?.(tag, depth);
    depth -= 1;
  });
  try {
    for await (const text of readXmlTextChunks(filePath, control)) parser.write(text);
    parser.close();
  } catch (error) {
    if (error instanceof XmlProblem || error instanceof DoctypeMalformed) return { problem: { message: error.message, line: error.line, col: error.col }, elements };
    if (error instanceof XmlEncodingProblem) return { problem: { message: error.message, line: error.line, col: error.col }, elements };
    throw error;
  }
  return { problem: null, elements };
}

/** Checks that a file is well-formed, namespace-correct XML; counts elements. */
export async function checkXmlFile(filePath: string, control: ParseControl = {}): Promise<{ problem: SyntaxProblem | null; elements: number }> {
  return streamXml(filePath, () => ({}), control);
}
