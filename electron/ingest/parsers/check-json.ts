import { readTextChunks } from './read-chunks.js';
import type { ParseControl, ParseOutcome, SyntaxProblem } from './parse-types.js';

const enum Expect { Value, ValueOrEnd, KeyOrEnd, Key, Colon, CommaOrEnd, Done }
const enum Lex { None, String, Escape, Unicode, Number, Literal }

const numberPattern = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const escapes = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Raised inside the scanner with the position of the offending character. */
export class JsonSyntax extends Error {
  constructor(message: string, readonly line: number, readonly col: number) {
    super(message);
  }
}

/**
 * A streaming JSON well-formedness checker (RFC 8259).
 *
 * `JSON.parse` needs the whole document in memory and, on Node 20, does not say where it
 * failed; this scanner reads chunk by chunk with constant memory (apart from nesting
 * depth) and reports the line and column of the first error. It also counts values.
 */
export class JsonScanner {
  private readonly stack: ('object' | 'array')[] = [];
  private expect: Expect = Expect.Value;
  private lex: Lex = Lex.None;
  private token = '';
  private tokenLine = 1;
  private tokenCol = 1;
  private unicodeLeft = 0;
  private stringIsKey = false;
  private line = 1;
  private col = 0;
  values = 0;
  maxDepth = 0;

  /** Feeds the next piece of text; throws a positioned error at the first problem. */
  write(text: string): void {
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i]!;
      if (ch === '\n') {
        this.line += 1;
        this.col = 0;
      } else {
        this.col += 1;
      }
      this.step(ch);
    }
  }

  /** Signals the end of input; throws if the document is incomplete. */
  end(): void {
    if (this.lex === Lex.Number || this.lex === Lex.Literal) this.finishToken();
    if (this.lex !== Lex.None) throw new JsonSyntax('Unterminated string at end of input.', this.line, this.col + 1);
    if (this.expect !== Expect.Done) {
      const what = this.stack.length > 0 ? `unclosed ${this.stack.at(-1)}` : 'no value';
      throw new JsonSyntax(`Unexpected end of input (${what}).`, this.line, this.col + 1);
    }
  }

  private fail(message: string): never {
    throw new JsonSyntax(message, this.line, this.col);
  }

  private step(ch: string): void {
    switch (this.lex) {
      case Lex.String: {
        if (ch === '"') {
          this.lex = Lex.None;
          this.afterValue(this.stringIsKey);
        } else if (ch === '\\') {
          this.lex = Lex.Escape;
        } else if (ch < ' ') {
          this.fail('Unescaped control character in a string.');
        }
        return;
      }
      case Lex.Escape: {
        if (ch === 'u') {
          this.lex = Lex.Unicode;
          this.unicodeLeft = 4;
        } else if (escapes.has(ch)) {
          this.lex = Lex.String;
        } else {
          this.fail(`Invalid escape '\\${ch}' in a string.`);
        }
        return;
      }
      case Lex.Unicode: {
        if (!/[0-9A-Fa-f]/.test(ch)) this.fail('Invalid \\u escape: expected 4 hex digits.');
        this.unicodeLeft -= 1;
        if (this.unicodeLeft === 0) this.lex = Lex.String;
        return;
      }
      case Lex.Number: {
        if (/[0-9eE.+-]/.test(ch)) {
          this.token += ch;
          return;
        }
        this.finishToken();
        break;
      }
      case Lex.Literal: {
        if (ch >= 'a' && ch <= 'z') {
          this.token += ch;
          return;
        }
        this.finishToken();
        break;
      }
      case Lex.None:
        break;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') return;
    this.structural(ch);
  }

  private finishToken(): void {
    const token = this.token;
    this.lex = Lex.None;
    this.token = '';
    const ok = /^[-0-9]/.test(token) ? numberPattern.test(token) : token === 'true' || token === 'false' || token === 'null';
    if (!ok) throw new JsonSyntax(`Invalid ${/^[-0-9]/.test(token) ? 'number' : 'literal'} '${token.slice(0, 40)}'.`, this.tokenLine, this.tokenCol);
    this.afterValue(false);
  }

  private afterValue(isKey: boolean): void {
    if (isKey) {
      this.expect = Expect.Colon;
      return;
    }
    this.values += 1;
    this.expect = this.stack.length === 0 ? Expect.Done : Expect.CommaOrEnd;
  }

  private structural(ch: string): void {
    const top = this.stack.at(-1);
    switch (this.expect) {
      case Expect.Done:
        this.fail(`Unexpected '${ch}' after the end of the document.`);
        break;
      case Expect.Colon:
        if (ch !== ':') this.fail(`Expected ':' after an object key, found '${ch}'.`);
        this.expect = Expect.Value;
        return;
      case Expect.CommaOrEnd:
        if (ch === ',') {
          this.expect = top === 'object' ? Expect.Key : Expect.Value;
          return;
        }
        if ((ch === '}' && top === 'object') || (ch === ']' && top === 'array')) {
          this.close();
          return;
        }
        this.fail(`Expected ',' or '${top === 'object' ? '}' : ']'}', found '${ch}'.`);
        break;
      case Expect.KeyOrEnd:
      case Expect.Key:
        if (ch === '}' && this.expect === Expect.KeyOrEnd) {
          this.close();
          return;
        }
        if (ch !== '"') this.fail(`Expected a string key${this.expect === Expect.KeyOrEnd ? " or '}'" : ''}, found '${ch}'.`);
        this.lex = Lex.String;
        this.stringIsKey = true;
        return;
      case Expect.ValueOrEnd:
        if (ch === ']') {
          this.close();
          return;
        }
        this.value(ch);
        return;
      case Expect.Value:
        this.value(ch);
        return;
    }
  }

  private value(ch: string): void {
    if (ch === '{' || ch === '[') {
      this.stack.push(ch === '{' ? 'object' : 'array');
      this.maxDepth = Math.max(this.maxDepth, this.stack.length);
      this.expect = ch === '{' ? Expect.KeyOrEnd : Expect.ValueOrEnd;
      return;
    }
    if (ch === '"') {
      this.lex = Lex.String;
      this.stringIsKey = false;
      return;
    }
    this.tokenLine = this.line;
    this.tokenCol = this.col;
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      this.lex = Lex.Number;
      this.token = ch;
      return;
    }
    if (ch >= 'a' && ch <= 'z') {
      this.lex = Lex.Literal;
      this.token = ch;
      return;
    }
    this.fail(`Unexpected '${ch}' where a value was expected.`);
  }

  private close(): void {
    this.stack.pop();
    this.afterValue(false);
  }
}

/** Checks a JSON file for well-formedness, streaming; reports the first error's position. */
export async function checkJsonFile(filePath: string, control: ParseControl = {}): Promise<ParseOutcome> {
  const scanner = new JsonScanner();
  let problem: SyntaxProblem | null = null;
  try {
    for await (const text of readTextChunks(filePath, control)) scanner.write(text);
    scanner.end();
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error;
    problem = { message: error.message, line: error.line, col: error.col };
  }
  return { problem, triples: null, counts: { values: scanner.values, max_depth: scanner.maxDepth }, notices: [] };
}
