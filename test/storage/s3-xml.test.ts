import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { childrenNamed, childText, parseXml, XmlError, type XmlElement } from '../../src/storage/s3-xml.js';

// Answers as AWS documents them (the ListObjectsV2, ListMultipartUploads and error examples).
const LIST_OBJECTS = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix/><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>my-image.jpg</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>a &amp; b &lt;c&gt; &#233;&#x1F600;</Key><Size>1</Size></Contents>
</ListBucketResult>`;

const ERROR = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message>
<Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>`;

describe('parseXml()', () => {
  it('reads a ListObjectsV2 answer: names without namespace, text with entities decoded', () => {
    const root = parseXml(LIST_OBJECTS);
    assert.equal(root.name, 'ListBucketResult');
    assert.equal(childText(root, 'IsTruncated'), 'true');
    assert.equal(childText(root, 'Prefix'), '');
    const contents = childrenNamed(root, 'Contents');
    assert.deepEqual(contents.map((entry) => childText(entry, 'Key')), ['my-image.jpg', 'a & b <c> é😀']);
    assert.equal(childText(contents[0]!, 'ETag'), '"fba9dede5f27731c9771645a39863328"');
    assert.equal(childText(contents[1]!, 'ETag'), undefined);
  });

  it('reads an error document', () => {
    const root = parseXml(ERROR);
    assert.equal(root.name, 'Error');
    assert.equal(childText(root, 'Code'), 'NoSuchKey');
  });

  it('skips comments, processing instructions, attributes (with > in them) and namespace prefixes; keeps CDATA as text', () => {
    const root = parseXml(`<?xml version="1.0"?><!-- a <comment> --><s3:A x="1>2" y='"'><B><![CDATA[<not a tag> &amp;]]></B><s3:C/></s3:A>`);
    assert.deepEqual(root, {
      name: 'A',
      text: '',
      children: [
        { name: 'B', text: '<not a tag> &amp;', children: [] },
        { name: 'C', text: '', children: [] },
      ],
    });
  });

  const malformed = [
    { what: 'an empty document', input: '' },
    { what: 'text alone', input: 'not xml' },
    { what: 'an unclosed element', input: '<A><B></B>' },
    { what: 'a mismatched close', input: '<A></B>' },
    { what: 'a close without an open', input: '</A>' },
    { what: 'two roots', input: '<A/><B/>' },
    { what: 'text after the root', input: '<A/>tail' },
    { what: 'a DOCTYPE (entity definitions)', input: '<!DOCTYPE x [<!ENTITY a "aaaa">]><A>&a;</A>' },
    { what: 'an unterminated comment', input: '<A><!-- </A>' },
    { what: 'an unterminated tag', input: '<A' },
    { what: 'a < inside a tag', input: '<A <B>></A>' },
    { what: 'a nameless tag', input: '< A/>' },
    { what: 'a character reference past Unicode', input: '<A>&#x110000;</A>' },
    { what: 'nesting deeper than any S3 answer', input: `${'<A>'.repeat(40)}${'</A>'.repeat(40)}` },
  ];
  for (const { what, input } of malformed) {
    it(`throws an XmlError for ${what}`, () => {
      assert.throws(() => parseXml(input), XmlError);
    });
  }

  it('throws nothing but XmlError, whatever the input (fuzzed)', () => {
    const xmlish = fc.array(fc.constantFrom('<', '>', '/', '?', '!', '-', '[', ']', '"', "'", '&', ';', '#', 'x', 'A', 'CDATA', ' ', '=', ':', '<A>', '</A>', '<!--', '-->', '<![CDATA[', ']]>'), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), xmlish), (input) => {
        try {
          parseXml(input);
        } catch (error) {
          if (!(error instanceof XmlError)) throw error;
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back any tree of elements written with escaped text (fuzzed)', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
    const { tree } = fc.letrec<{ tree: XmlElement }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ name, text: fc.string({ unit: 'binary' }), children: fc.constant<XmlElement[]>([]) }),
        fc.record({ name, text: fc.constant(''), children: fc.array(tie('tree'), { maxLength: 4 }) }),
      ),
    }));
    fc.assert(
      fc.property(tree, fc.boolean(), (root, useCharRefs) => {
        // structuredClone: fast-check's records have no prototype, parsed elements do.
        assert.deepEqual(parseXml(`<?xml version="1.0"?>\n${writeXml(root, useCharRefs)}`), structuredClone(root));
      }),
      { numRuns: 1000 },
    );
  });

  it('parses a 1 MB answer of many small elements in one pass', () => {
    const entries = '<Contents><Key>k</Key><Size>1</Size></Contents>'.repeat(20_000);
    assert.equal(childrenNamed(parseXml(`<ListBucketResult>${entries}</ListBucketResult>`), 'Contents').length, 20_000);
  });
});

function writeXml(element: XmlElement, useCharRefs: boolean): string {
  const text = [...element.text]
    .map((char) => {
      if (char === '<') return '&lt;';
      if (char === '&') return '&amp;';
      return useCharRefs && char.codePointAt(0)! > 126 ? `&#x${char.codePointAt(0)!.toString(16)};` : char;
    })
    .join('');
  return `<${element.name}>${text}${element.children.map((child) => writeXml(child, useCharRefs)).join('')}</${element.name}>`;
}
