// The little XML that S3 answers with (errors, list results, upload ids), read in one linear pass: every step
// moves forward with indexOf or a single loop, so no input can make it backtrack. Attributes, comments and
// processing instructions are skipped; a DOCTYPE (entity definitions) is refused outright.

export interface XmlElement {
  /** The local name: a namespace prefix (`s3:Key`) is dropped. */
  name: string;
  children: XmlElement[];
  /** The element's own text (entities decoded), its child elements' text not included. */
  text: string;
}

export class XmlError extends Error {}

/** Deeper than any S3 answer; a bound on the work a hostile endpoint can ask of one parse. */
const MAX_DEPTH = 32;
const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The document's root element; throws XmlError for anything that is not one well-nested element. */
export function parseXml(source: string): XmlElement {
  const top: XmlElement = { name: '', children: [], text: '' };
  const open: XmlElement[] = [top];
  let at = 0;
  for (;;) {
    const lt = source.indexOf('<', at);
    const text = source.slice(at, lt === -1 ? source.length : lt);
    if (open.length > 1) open.at(-1)!.text += decodeEntities(text);
    else if (text.trim() !== '') throw new XmlError('Text outside the root element');
    if (lt === -1) break;
    at = readMarkup(source, lt, open);
  }
  if (open.length > 1) throw new XmlError(`Element <${open.at(-1)!.name}> is not closed`);
  if (top.children.length !== 1) throw new XmlError(`Expected one root element, found ${top.children.length}`);
  return top.children[0]!;
}

/** Reads the markup that starts at source[lt] === '<' and returns the index just after it. */
function readMarkup(source: string, lt: number, open: XmlElement[]): number {
  const current = open.at(-1)!;
  if (source.startsWith('<?', lt)) return after(source, '?>', lt + 2);
  if (source.startsWith('<!--', lt)) return after(source, '-->', lt + 4);
  if (source.startsWith('<![CDATA[', lt)) {
    const end = after(source, ']]>', lt + 9);
    if (open.length === 1) throw new XmlError('Text outside the root element');
    current.text += source.slice(lt + 9, end - 3);
    return end;
  }
  if (source.startsWith('<!', lt)) throw new XmlError('Declarations (<!DOCTYPE ...>) are not accepted');
  const gt = tagEnd(source, lt + 1);
  if (source[lt + 1] === '/') {
    const name = localName(source.slice(lt + 2, gt).trim());
    if (open.length === 1 || name !== current.name) throw new XmlError(`Unexpected </${name}>`);
    open.pop();
    return gt + 1;
  }
  const isEmpty = source[gt - 1] === '/';
  const inner = source.slice(lt + 1, isEmpty ? gt - 1 : gt);
  const rawName = /^[^\s/>]*/.exec(inner)![0];
  if (rawName === '') throw new XmlError(`A tag without a name at ${lt}`);
  if (open.length === 1 && current.children.length > 0) throw new XmlError('A second root element');
  const element: XmlElement = { name: localName(rawName), children: [], text: '' };
  current.children.push(element);
  if (!isEmpty) {
    if (open.length > MAX_DEPTH) throw new XmlError(`Nested deeper than ${MAX_DEPTH} elements`);
    open.push(element);
  }
  return gt + 1;
}

/** The index just after the next `end` from `from`. */
function after(source: string, end: string, from: number): number {
  const found = source.indexOf(end, from);
  if (found === -1) throw new XmlError(`Missing ${end}`);
  return found + end.length;
}

/** The index of the `>` that ends the tag begun before `from`, skipping quoted attribute values. */
function tagEnd(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const char = source[i]!;
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i;
    } else if (char === '<') {
      throw new XmlError(`Unexpected < inside a tag at ${i}`);
    }
  }
  throw new XmlError('A tag is not closed');
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED_ENTITIES[entity] ?? whole;
    const codePoint = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    if (codePoint > 0x10ffff) throw new XmlError(`Not a character: &${entity};`);
    return String.fromCodePoint(codePoint);
  });
}

/** The text of the first child element called name, or undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
