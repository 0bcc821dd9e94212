import { describe, expect, it } from "vitest";
import { isEmptyNote, noteHtmlToText, sanitizeNoteHtml } from "./sanitize";

const REL = 'rel="noopener noreferrer nofollow" target="_blank"';

describe("sanitizeNoteHtml", () => {
  it("keeps the allowed structure unchanged", () => {
    const html =
      "<p>Call <strong>Ada</strong> about <em>pricing</em><br />today</p>" +
      "<ul><li>one<ol><li>nested</li></ol></li></ul><blockquote><p>quoted</p></blockquote>";
    expect(sanitizeNoteHtml(html)).toBe(html);
  });

  it("keeps what the note editor produces", () => {
    const fromEditor =
      '<p>Call <strong>Ada</strong> <em>today</em><br>please</p><ul><li><p>item</p></li></ul><ol><li><p>first</p></li></ol>' +
      '<blockquote><p>quoted <a target="_blank" rel="noopener noreferrer nofollow" href="https://example.com">example.com</a></p></blockquote>';
    expect(sanitizeNoteHtml(fromEditor)).toBe(
      "<p>Call <strong>Ada</strong> <em>today</em><br />please</p><ul><li><p>item</p></li></ul><ol><li><p>first</p></li></ol>" +
        `<blockquote><p>quoted <a href="https://example.com" ${REL}>example.com</a></p></blockquote>`,
    );
  });

  it("turns b and i into strong and em, and unwraps every other tag keeping its text", () => {
    expect(sanitizeNoteHtml("<p><b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code></p>")).toBe(
      "<p><strong>bold</strong> <em>it</em> u s c</p>",
    );
    expect(sanitizeNoteHtml("<div><h1>Title</h1><span>text</span><table><tr><td>cell</td></tr></table></div>")).toBe(
      "Titletextcell",
    );
  });

  it("keeps http, https and mailto links with a safe rel and a new tab, dropping other attributes", () => {
    expect(
      sanitizeNoteHtml('<a href="https://example.com/?a=1&b=2" onclick="x()" target="_self" rel="opener" style="color:red" class="c">ok</a>'),
    ).toBe(`<a href="https://example.com/?a=1&amp;b=2" ${REL}>ok</a>`);
    expect(sanitizeNoteHtml('<a href="http://example.com">h</a>')).toBe(`<a href="http://example.com" ${REL}>h</a>`);
    expect(sanitizeNoteHtml('<a href="mailto:ada@example.com">m</a>')).toBe(`<a href="mailto:ada@example.com" ${REL}>m</a>`);
  });

  it("unwraps links whose href is not an absolute http, https or mailto URL", () => {
    for (const href of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "jav&#x09;ascript:alert(1)",
      "&#106;avascript:alert(1)",
      "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
      "vbscript:msgbox(1)",
      "//evil.example",
      "/people/1",
      "",
    ]) {
      expect(sanitizeNoteHtml(`<p><a href="${href}">click <b>me</b></a> <a href="https://ok.example">ok</a></p>`)).toBe(
        `<p>click <strong>me</strong> <a href="https://ok.example" ${REL}>ok</a></p>`,
      );
    }
    expect(sanitizeNoteHtml("<a name='x'>anchor</a>")).toBe("anchor");
  });

  it("removes script and style elements with their content", () => {
    expect(sanitizeNoteHtml("<p>a</p><script>alert(1)</script><style>p{color:red}</style><p>b</p>")).toBe("<p>a</p><p>b</p>");
    expect(sanitizeNoteHtml("<SCRIPT SRC=//evil.example/x.js></SCRIPT>safe")).toBe("safe");
  });

  it.each([
    ["<img src=x onerror=alert(1)>", ""],
    ['<p>hi<img src="x" onerror="alert(1)"></p>', "<p>hi</p>"],
    ["<svg onload=alert(1)><circle r=1 /></svg>after", "after"],
    ["<svg><script>alert(1)</script></svg>", ""],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>', ""],
    ['<iframe src="https://evil.example"></iframe>text', "text"],
    ['<iframe srcdoc="<script>alert(1)</script>">', ""],
    ['<object data="evil.swf"></object><embed src="evil.swf">x', "x"],
    ['<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">s</p>', "<p>s</p>"],
    ['<body onload="alert(1)"><p>b</p></body>', "<p>b</p>"],
    ["<details open ontoggle=alert(1)>d</details>", "d"],
    ['<form action="javascript:alert(1)"><input autofocus onfocus=alert(1)><button>b</button></form>', "b"],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">m', "m"],
    ["<<script>script>alert(1)<</script>/script>", "&lt;/script&gt;"],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ""],
    ["<p>unclosed <strong>bold <em>both</p>", "<p>unclosed <strong>bold <em>both</em></strong></p>"],
    ['<a href="https://ok.example"<script>alert(1)</script>>x</a>', `<a href="https://ok.example" ${REL}>alert(1)&gt;x</a>`],
  ])("neutralises %s", (input, expected) => {
    expect(sanitizeNoteHtml(input)).toBe(expected);
  });

  it("escapes text so it can't become markup", () => {
    expect(sanitizeNoteHtml("<p>1 < 2 & 3 > 2</p>")).toBe("<p>1 &lt; 2 &amp; 3 &gt; 2</p>");
    expect(sanitizeNoteHtml("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("noteHtmlToText", () => {
  it("separates blocks, decodes entities and collapses whitespace", () => {
    expect(
      noteHtmlToText("<p>Call <strong>Ada</strong>&nbsp;&amp; Bob</p><ul><li>one</li><li>two</li></ul><p>a<br>b</p>"),
    ).toBe("Call Ada & Bob one two a b");
    expect(noteHtmlToText('<p>1 &lt; 2 &quot;q&quot; &#39;s&#39; <a href="https://x.example">link</a></p>')).toBe(
      `1 < 2 "q" 's' link`,
    );
    expect(noteHtmlToText("<blockquote><p>  quoted\n\n text </p></blockquote>")).toBe("quoted text");
  });

  it("leaves out what sanitising removes", () => {
    expect(noteHtmlToText("<p>hi</p><script>alert(1)</script><style>p{}</style>")).toBe("hi");
  });
});

describe("isEmptyNote", () => {
  it("is true when nothing visible is left", () => {
    for (const html of ["", "   ", "<p></p>", "<p><br></p>", "<p>&nbsp;</p>", "<ul><li></li></ul>", "<img src=x>", "<script>x</script>"]) {
      expect(isEmptyNote(html)).toBe(true);
    }
  });

  it("is false when there is text", () => {
    expect(isEmptyNote("<p>x</p>")).toBe(false);
    expect(isEmptyNote("<ul><li>0</li></ul>")).toBe(false);
  });
});
