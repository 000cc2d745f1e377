"""HTML -> text: the readable text of a page, one block per line, page chrome dropped.

Layer: extract. Input: an HTML document as a ``str``. Output: :class:`PageText`, the text the
extractor reads (``Announcement.text``: evidence offsets refer to it) and the page's title.
Imports: the standard library only (``html.parser``); no regular expression ever reads HTML.

Dropped with everything inside them: ``script``, ``style``, ``noscript``, ``template``,
``svg``, ``nav``, ``header``, ``footer``, ``aside``, ``form``, ``button``, ``select``, and any
element whose ``class``, ``id`` or ``role`` names a menu, breadcrumb, share bar, newsletter,
cookie banner or skip link (``_CHROME_WORDS``). Block elements (``p``, ``div``, ``h1``-``h6``,
``li``, ``tr``, ``br``...) end a line; runs of spaces inside a line become one space. The title
is the first ``h1``, else ``<title>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["PageText", "html_to_text", "is_html"]

_DROP = frozenset("script style noscript template svg nav header footer aside form button "
                  "select iframe object".split())
_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol tr table section article main "
                    "blockquote figure figcaption dd dt dl pre address hr br time".split())
_VOID = frozenset("br hr img input meta link area base col embed source track wbr".split())
_CHROME_WORDS = ("menu", "breadcrumb", "share", "social", "newsletter", "cookie", "skip",
                 "navbar", "navigation", "sidebar", "footer", "header", "banner", "subscribe",
                 "print", "tags", "related")
_KNOWN_TAGS = _DROP | _BLOCKS | _VOID | frozenset("html head body title span a strong em b i "
                                                  "u small sup sub".split())


def _is_chrome(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name in ("class", "id", "role", "aria-label") and value:
            words = value.lower().replace("_", "-").replace("-", " ").split()
            if any(w.startswith(_CHROME_WORDS) for w in words):
                return True
        if name == "role" and value in ("navigation", "banner", "contentinfo", "search"):
            return True
    return False


@dataclass(frozen=True)
class PageText:
    """The text of a page and its title."""

    text: str
    title: str | None
    """The first ``h1``, else ``<title>``."""
    heading: str | None = None
    """The first ``h1`` (a line of ``text``), if the page has one."""


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.in_title = False
        self.in_h1 = False
        self.title_tag: list[str] = []
        self.h1: list[str] = []
        self.h1_done = False
        self.tags_seen = 0

    def _newline(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _KNOWN_TAGS:
            self.tags_seen += 1
        in_content = any(t in ("article", "main") for t, _ in self.stack)
        dropped = (tag in _DROP and not (tag == "header" and in_content)) or (
            _is_chrome(attrs) and not (in_content and tag in ("header", "h1")))
        if tag in _VOID:
            if tag in ("br", "hr") and not self.skip_depth:
                self._newline()
            return
        self.stack.append((tag, dropped))
        if dropped:
            self.skip_depth += 1
        if tag in _BLOCKS and not self.skip_depth:
            self._newline()
        if tag == "title":
            self.in_title = True
        if tag == "h1" and not self.skip_depth and not self.h1_done:
            self.in_h1 = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _KNOWN_TAGS:
            self.tags_seen += 1
        if tag in ("br", "hr") and not self.skip_depth:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # close up to the matching open tag (tolerates unclosed <p>, <li>)
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            open_tag, dropped = self.stack.pop()
            if dropped:
                self.skip_depth -= 1
            if open_tag == tag:
                break
        if tag in _BLOCKS and not self.skip_depth:
            self._newline()
        if tag == "title":
            self.in_title = False
        if tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.h1_done = True

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_tag.append(data)
            return
        if self.skip_depth or any(t == "head" for t, _ in self.stack):
            return
        self.current.append(data)
        if self.in_h1:
            self.h1.append(data)


def is_html(raw: str) -> bool:
    """Tell whether a text is an HTML page: it starts with a tag the parser knows.

    >>> is_html("<!DOCTYPE html><html><body><p>x</p></body></html>"), is_html("x < y")
    (True, False)
    """
    head = raw.lstrip()[:2048]
    if not head.startswith("<"):
        return False
    parser = _TextParser()
    parser.feed(head)
    return parser.tags_seen > 0


def html_to_text(raw: str) -> PageText:
    """Return the readable text of an HTML page and its title.

    >>> page = html_to_text("<html><head><title>T</title></head><body>"
    ...     "<nav><a href='/'>Home</a></nav><div class='breadcrumb'>Home › News</div>"
    ...     "<h1>Morocco  elected</h1><p>The <b>Kingdom</b> was elected.</p>"
    ...     "<footer>Subscribe</footer><script>x()</script></body></html>")
    >>> page.text
    'Morocco elected\\nThe Kingdom was elected.'
    >>> page.title, page.heading
    ('Morocco elected', 'Morocco elected')
    >>> html_to_text("<html><head><title>Only a title</title></head><p>Text.</p></html>")
    PageText(text='Text.', title='Only a title', heading=None)
    """
    parser = _TextParser()
    parser.feed(raw)
    parser.close()
    parser._newline()
    h1 = " ".join("".join(parser.h1).split()) or None
    title = h1 or (" ".join("".join(parser.title_tag).split()) or None)
    return PageText("\n".join(parser.lines), title, h1)
