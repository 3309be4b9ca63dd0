import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, raw, SafeHtml } from '../../src/web/html.js';

describe('escapeHtml()', () => {
  const cases = [
    { what: 'plain text', input: 'hello world', expected: 'hello world' },
    { what: 'an ampersand', input: 'Tom & Jerry', expected: 'Tom &amp; Jerry' },
    { what: 'angle brackets', input: '<b>', expected: '&lt;b&gt;' },
    { what: 'double quotes', input: 'say "hi"', expected: 'say &quot;hi&quot;' },
    { what: 'single quotes', input: "it's", expected: 'it&#39;s' },
    { what: 'an existing entity', input: '&lt;', expected: '&amp;lt;' },
    { what: 'an img onerror payload', input: '<img src=x onerror=alert(1)>', expected: '&lt;img src=x onerror=alert(1)&gt;' },
  ];
  for (const { what, input, expected } of cases) {
    it(`escapes ${what}: ${input}`, () => assert.equal(escapeHtml(input), expected));
  }
});

describe('html``', () => {
  it('escapes an interpolated string', () => {
    assert.equal(html`<p>${'<script>alert(1)</script>'}</p>`.value, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes quotes so a value cannot leave its attribute', () => {
    assert.equal(html`<a title="${'" onmouseover="x'}">`.value, '<a title="&quot; onmouseover=&quot;x">');
  });

  it('returns SafeHtml that is not escaped again when nested', () => {
    const inner = html`<b>${'a&b'}</b>`;
    assert.ok(inner instanceof SafeHtml);
    assert.equal(html`<p>${inner}</p>`.value, '<p><b>a&amp;b</b></p>');
  });

  it('passes markup marked with raw() through unchanged', () => {
    assert.equal(html`<div>${raw('<hr>')}</div>`.value, '<div><hr></div>');
  });

  it('joins an array of fragments and escapes its strings', () => {
    const items = ['<x>', 'y'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.value, '<ul><li>&lt;x&gt;</li><li>y</li></ul>');
    assert.equal(html`${['<', ['>', raw('<br>')]]}`.value, '&lt;&gt;<br>');
  });

  it('renders nothing for null, undefined, true and false but keeps 0', () => {
    assert.equal(html`[${null}${undefined}${true}${false}${0}${1.5}]`.value, '[01.5]');
  });

  it('renders a conditional fragment with &&', () => {
    const signedIn = (isSignedIn: boolean) => html`<nav>${isSignedIn && html`<b>me</b>`}</nav>`.value;
    assert.equal(signedIn(true), '<nav><b>me</b></nav>');
    assert.equal(signedIn(false), '<nav></nav>');
  });

  it('converts to its markup with String()', () => {
    assert.equal(String(html`<i>${'&'}</i>`), '<i>&amp;</i>');
  });
});
