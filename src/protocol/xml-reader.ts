/**
 * A small XML reader: for the answers iamd's client commands read (EC2 DescribeInstances, IAM
 * GetInstanceProfile, the two error envelopes) and for the small XML documents S3 requests carry
 * (CreateBucketConfiguration, Delete, CompleteMultipartUpload, Tagging). It builds a tree of elements with their text and
 * children; attributes and namespaces are skipped (AWS puts only xmlns on the root), comments,
 * processing instructions and a DOCTYPE are skipped, CDATA is text, and the five named entities
 * and numeric references are decoded. Malformed input throws: an answer we cannot read is an error,
 * never half a result.
 */

export interface XmlNode {
  name: string;
  /** the element's own text (character data directly inside it), decoded */
  text: string;
  children: XmlNode[];
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const named = NAMED_ENTITIES[entity];
    if (named === undefined) throw new Error(`unknown XML entity ${whole}`);
    return named;
  });
}

/** The local name: `ns:Tag` reads as `Tag`. */
function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

export function parseXml(xml: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let position = 0;
  const skipPast = (terminator: string): void => {
    const end = xml.indexOf(terminator, position);
    if (end < 0) throw new Error(`unterminated XML construct at ${position}`);
    position = end + terminator.length;
  };

  while (position < xml.length) {
    const open = xml.indexOf('<', position);
    const textEnd = open < 0 ? xml.length : open;
    if (textEnd > position) {
      const text = xml.slice(position, textEnd);
      const current = stack[stack.length - 1];
      if (current) current.text += decodeEntities(text);
      else if (text.trim() !== '') throw new Error('text outside the root element');
    }
    if (open < 0) break;
    position = open;
    if (xml.startsWith('<?', position)) { skipPast('?>'); continue; }
    if (xml.startsWith('<!--', position)) { skipPast('-->'); continue; }
    if (xml.startsWith('<![CDATA[', position)) {
      const start = position + 9;
      skipPast(']]>');
      const current = stack[stack.length - 1];
      if (!current) throw new Error('CDATA outside the root element');
      current.text += xml.slice(start, position - 3);
      continue;
    }
    if (xml.startsWith('<!', position)) { skipPast('>'); continue; }
    const close = xml.indexOf('>', position);
    if (close < 0) throw new Error(`unterminated tag at ${position}`);
    const tag = xml.slice(position + 1, close);
    position = close + 1;
    if (tag.startsWith('/')) {
      const name = localName(tag.slice(1).trim());
      const node = stack.pop();
      if (!node || node.name !== name) throw new Error(`unexpected closing tag </${name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const nameMatch = /^[^\s/>]+/.exec(tag);
    if (!nameMatch) throw new Error(`malformed tag <${tag}>`);
    const node: XmlNode = { name: localName(nameMatch[0]), text: '', children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (root) throw new Error('more than one root element');
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  if (!root) throw new Error('no XML element');
  if (stack.length > 0) throw new Error(`unclosed element <${stack[stack.length - 1]!.name}>`);
  return root;
}

/** The first child named `name`, or undefined. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((candidate) => candidate.name === name);
}

/** Every child named `name` (an EC2 `*Set` holds `item`s, an IAM list `member`s). */
export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((candidate) => candidate.name === name) : [];
}

/** The trimmed text at a path of child names, or undefined when an element on the way is missing. */
export function textAt(node: XmlNode | undefined, ...path: string[]): string | undefined {
  let current = node;
  for (const name of path) current = child(current, name);
  return current?.text.trim();
}

/** Depth-first: the first element named `name` anywhere under (or at) node. */
export function findFirst(node: XmlNode, name: string): XmlNode | undefined {
  if (node.name === name) return node;
  for (const candidate of node.children) {
    const found = findFirst(candidate, name);
    if (found) return found;
  }
  return undefined;
}
