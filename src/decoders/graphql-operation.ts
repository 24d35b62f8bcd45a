/**
 * The operation a GraphQL document runs, read from its text for when a client sends no
 * `operationName`: the first `query`, `mutation` or `subscription` at the document's top level,
 * or the `{ … }` shorthand for an anonymous query. Fragments may come first; strings, block
 * strings and comments may hold braces, so they are skipped. Only the document's start is read.
 */
export interface GraphqlOperation {
  operation: string;
  name?: string;
}

const SCAN_LIMIT = 100_000;
const OPERATIONS = new Set(['query', 'mutation', 'subscription']);
const NAME = /[_A-Za-z][_0-9A-Za-z]*/y;

export function operationOf(document: string, wanted?: string): GraphqlOperation | undefined {
  const text = document.slice(0, SCAN_LIMIT);
  let depth = 0;
  let keyword: string | undefined;
  // Fragments, and operations other than the wanted one: their selection sets are not it.
  let skip = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      i = end < 0 ? text.length : end + 3;
    } else if (char === '"') {
      i = skipString(text, i + 1);
    } else if (char === '{' || char === '}') {
      if (char === '{' && depth === 0) {
        if (!skip && wanted === undefined) return { operation: keyword ?? 'query' };
        skip = false;
        keyword = undefined;
      }
      depth = Math.max(0, depth + (char === '{' ? 1 : -1));
      i++;
    } else if (depth === 0 && /[_A-Za-z]/.test(char)) {
      NAME.lastIndex = i;
      const word = NAME.exec(text)?.[0] ?? char;
      i += word.length;
      if (word === 'fragment') skip = true;
      if (!skip && OPERATIONS.has(word)) {
        keyword = word;
        NAME.lastIndex = skipIgnored(text, i);
        const name = NAME.exec(text)?.[0];
        if (name !== undefined && (wanted === undefined || name === wanted)) {
          return { operation: word, name };
        }
        skip = name !== undefined;
      }
    } else {
      i++;
    }
  }
  return undefined;
}

/** Past the closing quote of a string that starts at `i`, honouring backslash escapes. */
function skipString(text: string, i: number): number {
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '"' || char === '\n') return i + 1;
    else i++;
  }
  return i;
}

/** Whitespace, commas and comments separate tokens in GraphQL. */
function skipIgnored(text: string, i: number): number {
  while (i < text.length) {
    const char = text[i]!;
    if (char === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (/[\s,\ufeff]/.test(char)) {
      i++;
    } else {
      break;
    }
  }
  return i;
}
