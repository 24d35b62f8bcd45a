/** A JSONPath-like expression for a value inside a document: $.a.b[0]["not an identifier"]. */
export type PathSegment = string | number;

export function jsonPath(segments: PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** The JSON value of a text payload, or undefined when it is not a JSON object or array. */
export function parseJsonPayload(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
