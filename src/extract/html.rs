//! The HTML path: an `.html` page (as layout and OCR tools write them) becomes the same pages of
//! hinted lines and typed tables as Markdown. A tolerant tag scanner turns elements into the
//! Markdown reader's events (`h1`–`h6` headings, paragraphs, lists, quotes, `pre`, images, HTML
//! tables) with byte offsets into the source, so every line keeps its source line number; the
//! Markdown reader's builder does the rest. Scripts and styles are dropped with their content.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use regex::Regex;

use super::markdown;
use crate::model::{ExtractedDocument, Format};

/// Elements dropped with everything inside them: never text a reader sees.
const DROPPED: &[&str] = &[
    "script", "style", "head", "template", "noscript", "svg", "math", "iframe",
];

/// Elements that start and end a block of text (a paragraph of their own).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "address",
    "center",
    "details",
    "summary",
    "body",
    // Table parts outside a closed table (a broken one read as text): each cell its line.
    "tr",
    "td",
    "th",
    "caption",
];

/// Inline elements whose text is emphasised (kept as an emphasis span).
const EMPHASIS: &[&str] = &["b", "strong", "em", "i", "u", "mark"];

/// Attributes that say which page an element holds, with the radix of their number:
/// `<div class="page" data-page="3">`; pdf2htmlEX writes `data-page-no="a"` in hexadecimal.
const PAGE_ATTRIBUTES: &[(&str, u32)] = &[
    ("data-page", 10),
    ("data-page-number", 10),
    ("data-page-no", 16),
];

/// The highest page number an attribute or comment may name (as on the Markdown path).
const MAX_PAGE: u32 = 100_000;

/// Named character references tools write, with their text; numeric ones (`&#39;`, `&#xB7;`)
/// are decoded by number.
const ENTITIES: &[(&str, &str)] = &[
    ("nbsp", " "),
    ("lt", "<"),
    ("gt", ">"),
    ("amp", "&"),
    ("quot", "\""),
    ("apos", "'"),
    ("middot", "·"),
    ("bull", "•"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("times", "×"),
    ("copy", "©"),
];

/// `name="value"`, `name='value'` or `name=value` inside a start tag.
static ATTRIBUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:^|\s)([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .ok()
});

/// A page comment not alone on its line (those are `markdown::page_segments`'s):
/// `<!-- page 3 -->`.
static PAGE_COMMENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)^<!--\s*page\s*(\d{1,6})\s*-->$").ok());

/// Reads an HTML document into pages of hinted lines and typed tables.
pub fn extract(text: &str) -> ExtractedDocument {
    let (copy, mut segments) = markdown::page_segments(text);
    let mut scanner = Scanner::new(&copy);
    scanner.run();
    if !scanner.pages.is_empty() {
        segments.extend(scanner.pages.iter().copied());
        // Stable: a marker at the same offset as another keeps its order.
        segments.sort_by_key(|s| s.0);
    }
    markdown::assemble(
        text,
        &copy,
        &segments,
        scanner.events.into_iter(),
        Format::Html,
    )
}

/// Walks the HTML, making Markdown events and page starts.
struct Scanner<'s> {
    source: &'s str,
    events: Vec<(Event<'static>, Range<usize>)>,
    /// `(byte offset, page number)` of pages that elements or inline comments start.
    pages: Vec<(usize, u32)>,
    /// Inside `<pre>`: text keeps its spaces and line breaks.
    pre: bool,
    /// No text yet on the current line: leading spaces are dropped.
    line_start: bool,
    /// Whitespace was seen after the last text: one space goes before the next.
    pending_space: bool,
}

impl<'s> Scanner<'s> {
    fn new(source: &'s str) -> Scanner<'s> {
        Scanner {
            source,
            events: Vec::new(),
            pages: Vec::new(),
            pre: false,
            line_start: true,
            pending_space: false,
        }
    }

    fn run(&mut self) {
        let source = self.source;
        let mut at = 0;
        while at < source.len() {
            let Some(found) = source[at..].find('<') else {
                self.text(at..source.len());
                break;
            };
            if found > 0 {
                self.text(at..at + found);
            }
            at += found;
            let rest = &source[at..];
            if rest.starts_with("<!--") {
                let end = rest.find("-->").map_or(source.len(), |e| at + e + 3);
                self.comment(at..end);
                at = end;
                continue;
            }
            let next = rest[1..].chars().next().unwrap_or(' ');
            if next == '!' || next == '?' {
                // A doctype or processing instruction.
                at = rest.find('>').map_or(source.len(), |e| at + e + 1);
                continue;
            }
            if !(next.is_ascii_alphabetic() || next == '/') {
                // A lone `<` is text.
                self.text(at..at + 1);
                at += 1;
                continue;
            }
            let end = tag_end(source, at);
            at = self.tag(at..end);
        }
        self.block(at);
    }

    fn push(&mut self, event: Event<'static>, range: Range<usize>) {
        self.events.push((event, range));
    }

    /// A block boundary: what follows starts a new line.
    fn block(&mut self, _at: usize) {
        self.line_start = true;
        self.pending_space = false;
    }

    fn text(&mut self, range: Range<usize>) {
        let raw = &self.source[range.clone()];
        if self.pre {
            self.push(Event::Text(CowStr::from(decode(raw))), range);
            return;
        }
        let decoded = decode(raw);
        let words: Vec<&str> = decoded.split_whitespace().collect();
        if words.is_empty() {
            self.pending_space |= !decoded.is_empty();
            return;
        }
        let mut text = String::new();
        let leading = decoded.starts_with(char::is_whitespace);
        if (leading || self.pending_space) && !self.line_start {
            text.push(' ');
        }
        text.push_str(&words.join(" "));
        self.pending_space = decoded.ends_with(char::is_whitespace);
        self.line_start = false;
        let start = range.start + (raw.len() - raw.trim_start().len());
        self.push(Event::Text(CowStr::from(text)), start..range.end);
    }

    fn comment(&mut self, range: Range<usize>) {
        let raw = &self.source[range.clone()];
        if let Some(number) = PAGE_COMMENT
            .as_ref()
            .and_then(|rule| rule.captures(raw.trim()))
            .and_then(|c| c[1].parse::<u32>().ok())
        {
            self.block(range.end);
            self.push(Event::Start(Tag::Paragraph), range.end..range.end);
            self.pages.push((range.end, number.clamp(1, MAX_PAGE)));
        }
    }

    /// Handles the tag at `range`; returns where scanning goes on.
    fn tag(&mut self, range: Range<usize>) -> usize {
        let source = self.source;
        let raw = &source[range.clone()];
        let closing = raw.starts_with("</");
        let name: String = raw
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let (start, end) = (range.start, range.end);
        if closing {
            self.end_tag(&name, start..end);
            return end;
        }
        if DROPPED.contains(&name.as_str()) && !raw.ends_with("/>") {
            return closing_tag_end(source, end, &name).unwrap_or(end);
        }
        for (attribute, radix) in PAGE_ATTRIBUTES {
            if let Some(number) = attribute_value(raw, attribute)
                .and_then(|v| u32::from_str_radix(v.trim(), *radix).ok())
            {
                self.pages.push((start, number.clamp(1, MAX_PAGE)));
                break;
            }
        }
        match name.as_str() {
            "table" => {
                // An unclosed table is read as text: its cells cannot be placed.
                let Some(table_end) = table_end(source, start) else {
                    return end;
                };
                self.block(start);
                self.push(Event::Start(Tag::HtmlBlock), start..start);
                self.push(
                    Event::Html(CowStr::from(source[start..table_end].to_string())),
                    start..table_end,
                );
                self.push(Event::End(TagEnd::HtmlBlock), table_end..table_end);
                return table_end;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = heading_level(&name);
                self.block(start);
                self.push(
                    Event::Start(Tag::Heading {
                        level,
                        id: None,
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }),
                    range,
                );
            }
            "ul" | "ol" => {
                let first = (name == "ol").then(|| {
                    attribute_value(raw, "start")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                });
                self.block(start);
                self.push(Event::Start(Tag::List(first)), range);
            }
            "li" => {
                self.block(start);
                self.push(Event::Start(Tag::Item), range);
            }
            "blockquote" => {
                self.block(start);
                self.push(Event::Start(Tag::BlockQuote(None)), range);
            }
            "pre" => {
                self.block(start);
                let language = code_language(raw).or_else(|| {
                    // `<pre><code class="language-rust">`: the language is on the inner tag.
                    let inner = source[end..].trim_start();
                    inner
                        .get(..5)
                        .filter(|t| t.eq_ignore_ascii_case("<code"))
                        .and_then(|_| code_language(&inner[..tag_end(inner, 0)]))
                });
                self.push(
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(CowStr::from(
                        language.unwrap_or_default(),
                    )))),
                    range,
                );
                self.pre = true;
            }
            "img" => {
                let alt = attribute_value(raw, "alt").map(decode).unwrap_or_default();
                let src = attribute_value(raw, "src").unwrap_or_default().to_string();
                self.push(
                    Event::Start(Tag::Image {
                        link_type: LinkType::Inline,
                        dest_url: CowStr::from(src),
                        title: CowStr::from(""),
                        id: CowStr::from(""),
                    }),
                    range.clone(),
                );
                self.push(Event::Text(CowStr::from(alt)), range.clone());
                self.push(Event::End(TagEnd::Image), range);
                self.block(end);
            }
            "br" => {
                self.push(Event::HardBreak, range);
                self.block(end);
            }
            "hr" => {
                self.push(Event::Rule, range);
                self.block(end);
            }
            other if EMPHASIS.contains(&other) => {
                // The space before the emphasis is not part of it.
                if self.pending_space && !self.line_start {
                    self.push(Event::Text(CowStr::from(" ")), start..start);
                    self.pending_space = false;
                }
                self.push(Event::Start(Tag::Strong), range);
            }
            other if BLOCKS.contains(&other) => {
                self.block(start);
                self.push(Event::Start(Tag::Paragraph), range);
            }
            _ => {}
        }
        end
    }

    fn end_tag(&mut self, name: &str, range: Range<usize>) {
        let event = match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => TagEnd::Heading(heading_level(name)),
            "ul" => TagEnd::List(false),
            "ol" => TagEnd::List(true),
            "li" => TagEnd::Item,
            "blockquote" => TagEnd::BlockQuote(None),
            "pre" => {
                self.pre = false;
                TagEnd::CodeBlock
            }
            other if EMPHASIS.contains(&other) => TagEnd::Strong,
            other if BLOCKS.contains(&other) => TagEnd::Paragraph,
            _ => return,
        };
        let inline = event == TagEnd::Strong;
        self.push(Event::End(event), range.clone());
        if !inline {
            self.block(range.end);
        }
    }
}

fn heading_level(name: &str) -> HeadingLevel {
    let digit = name[1..].parse::<usize>().unwrap_or(1);
    HeadingLevel::try_from(digit).unwrap_or(HeadingLevel::H6)
}

/// The end of the tag that starts at `at` (after its `>`), quotes in attributes respected.
fn tag_end(source: &str, at: usize) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in source[at..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return at + i + 1,
            _ => {}
        }
    }
    source.len()
}

/// After the `</name>` that closes an element whose start tag ends at `from`.
fn closing_tag_end(source: &str, from: usize, name: &str) -> Option<usize> {
    let lower = source[from..].to_ascii_lowercase();
    let at = from + lower.find(&format!("</{name}"))?;
    Some(tag_end(source, at))
}

/// After the `</table>` that closes the table starting at `start`, nested tables counted.
fn table_end(source: &str, start: usize) -> Option<usize> {
    let lower = source[start..].to_ascii_lowercase();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = lower[at..].find("table") {
        let i = at + found;
        let before = &lower[..i];
        if before.ends_with("</") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(tag_end(source, start + i));
            }
        } else if before.ends_with('<') {
            depth += 1;
        }
        at = i + "table".len();
    }
    None
}

/// The value of attribute `name` in start tag `tag`.
fn attribute_value<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let rule = ATTRIBUTE.as_ref()?;
    // Past the element name: `<img alt=…>`.
    let body = tag.find(char::is_whitespace).map_or("", |at| &tag[at..]);
    rule.captures_iter(body)
        .find(|c| c[1].eq_ignore_ascii_case(name))
        .and_then(|c| c.get(2).or(c.get(3)).or(c.get(4)))
        .map(|m| m.as_str())
}

/// The language a `<pre>` or `<code>` names in its class: `language-python`, or `mermaid`.
fn code_language(tag: &str) -> Option<String> {
    let class = attribute_value(tag, "class")?;
    class.split_whitespace().find_map(|word| {
        let word = word.to_ascii_lowercase();
        match word
            .strip_prefix("language-")
            .or(word.strip_prefix("lang-"))
        {
            Some(language) => Some(language.to_string()),
            None => (word == "mermaid").then_some(word),
        }
    })
}

/// `text` with its character references decoded; an unknown one stays as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let reference = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| Some((character(&rest[1..1 + end])?, end + 2)));
        match reference {
            Some((plain, length)) => {
                out.push_str(&plain);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of a character reference's name (`amp`, `#39`, `#xB7`).
fn character(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    ENTITIES
        .iter()
        .find(|(entity, _)| *entity == name)
        .map(|(_, plain)| plain.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_decode_by_name_and_number() {
        assert_eq!(
            decode("기업&amp;조합 &#39;A&#x27; &middot; &bogus; a & b"),
            "기업&조합 'A' · &bogus; a & b"
        );
    }

    #[test]
    fn nested_tables_end_at_their_own_close() {
        let html = "<table><tr><td><table><tr><td>a</td></tr></table></td></tr></table>tail";
        assert_eq!(table_end(html, 0), Some(html.len() - 4));
        assert_eq!(table_end("<table><tr><td>a", 0), None);
    }

    #[test]
    fn attributes_in_any_quoting() {
        let tag = r#"<div class="page" data-page=3 title='제 목'>"#;
        assert_eq!(attribute_value(tag, "data-page"), Some("3"));
        assert_eq!(attribute_value(tag, "title"), Some("제 목"));
        assert_eq!(attribute_value(tag, "class"), Some("page"));
        assert_eq!(attribute_value(tag, "data-page-no"), None);
    }
}
