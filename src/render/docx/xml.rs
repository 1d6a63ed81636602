//! A small element tree over quick-xml, for the parts the package step rewrites.
//!
//! In: the bytes of an XML part (or of one element inside it). Out: [`Element`]s that can be
//! inspected, edited and written back. Only what the DOCX step needs: elements keep their
//! qualified names (`w:pPr`) and their attribute values exactly as written (still escaped), and
//! everything else (text, comments, entity references) is carried along untouched, so a part
//! that is read and written again keeps its text byte for byte.
//!
//! Names are matched by their prefix (`w:`), which is how every WordprocessingML producer writes
//! them; [`Part::read`] refuses a part whose `w` prefix is bound to another namespace rather than
//! misread it.

use std::borrow::Cow;

use anyhow::{Context, Result, bail};
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;

/// The WordprocessingML main namespace, which every `w:` name in this module means.
pub(super) const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// An element: its qualified name, its attributes (values as written, escaped) and its
/// children.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Element {
    pub name: String,
    attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Element(Element),
    /// Text, an entity reference, CDATA, a comment or a processing instruction, as read.
    Other(Event<'static>),
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element { name: name.to_owned(), attrs: Vec::new(), children: Vec::new() }
    }

    /// This element with an attribute set to `value` (escaped here).
    pub fn attr(mut self, key: &str, value: &str) -> Element {
        self.set(key, value);
        self
    }

    /// This element with `child` appended.
    pub fn with(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    /// `<name w:val="value"/>`, the shape of most WordprocessingML properties.
    pub fn val(name: &str, value: &str) -> Element {
        Element::new(name).attr("w:val", value)
    }

    /// The unescaped value of an attribute.
    pub fn get(&self, key: &str) -> Option<Cow<'_, str>> {
        let raw = &self.attrs.iter().find(|(k, _)| k == key)?.1;
        Some(quick_xml::escape::unescape(raw).unwrap_or(Cow::Borrowed(raw.as_str())))
    }

    /// Sets an attribute (escaping `value`), keeping its place if it exists.
    pub fn set(&mut self, key: &str, value: &str) {
        let escaped = quick_xml::escape::escape(value).into_owned();
        match self.attrs.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = escaped,
            None => self.attrs.push((key.to_owned(), escaped)),
        }
    }

    pub fn remove_attr(&mut self, key: &str) {
        self.attrs.retain(|(k, _)| k != key);
    }

    /// The attribute keys in order.
    pub fn attr_keys(&self) -> impl Iterator<Item = &str> {
        self.attrs.iter().map(|(k, _)| k.as_str())
    }

    /// The element children.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut Element> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    pub fn find_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.elements_mut().find(|e| e.name == name)
    }

    /// The first child element called `name`, appended when missing.
    pub fn find_or_add(&mut self, name: &str) -> &mut Element {
        let index = match self.children.iter().position(|n| matches!(n, Node::Element(e) if e.name == name)) {
            Some(index) => index,
            None => {
                self.children.push(Node::Element(Element::new(name)));
                self.children.len() - 1
            }
        };
        match &mut self.children[index] {
            Node::Element(e) => e,
            Node::Other(_) => unreachable!("the index points at an element"),
        }
    }

    /// Removes every child element called `name`.
    pub fn remove(&mut self, name: &str) {
        self.children.retain(|n| !matches!(n, Node::Element(e) if e.name == name));
    }

    /// Replaces the child elements called `child.name` by `child` (appended; the schema-order
    /// pass puts it in its place).
    pub fn replace(&mut self, child: Element) {
        self.remove(&child.name);
        self.children.push(Node::Element(child));
    }

    /// Calls `f` on this element and every element below it, parents first.
    pub fn visit_mut(&mut self, f: &mut dyn FnMut(&mut Element)) {
        f(self);
        for child in self.elements_mut() {
            child.visit_mut(f);
        }
    }

    /// Calls `f` on this element and every element below it, parents first.
    pub fn visit(&self, f: &mut dyn FnMut(&Element)) {
        f(self);
        for child in self.elements() {
            child.visit(f);
        }
    }

    /// The text of this element and its descendants (raw, still escaped).
    pub fn raw_text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Node::Element(e) => e.collect_text(out),
                Node::Other(Event::Text(t)) => out.push_str(t),
                Node::Other(_) => {}
            }
        }
    }

    /// The namespace prefixes used by the names of this element, its attributes and the
    /// elements below it (declarations themselves not counted).
    fn used_prefixes(&self, out: &mut std::collections::BTreeSet<String>) {
        let mut note = |name: &str| {
            if let Some((prefix, _)) = name.split_once(':')
                && prefix != "xmlns"
                && prefix != "xml"
            {
                out.insert(prefix.to_owned());
            }
        };
        note(&self.name);
        for (key, _) in &self.attrs {
            note(key);
        }
        for child in self.elements() {
            child.used_prefixes(out);
        }
    }

    /// Makes this root declare every prefix its subtree uses that `donor` (the root the
    /// content was taken from) declares, and marks ignorable what the donor marks ignorable
    /// (`mc:Ignorable`), so content moved between parts stays well-formed and readable.
    pub fn adopt_namespaces(&mut self, donor: &Element) {
        let mut used = std::collections::BTreeSet::new();
        self.used_prefixes(&mut used);
        let declared = |e: &Element, prefix: &str| e.get(&format!("xmlns:{prefix}")).map(|v| v.into_owned());
        let donor_ignorable: Vec<String> =
            donor.get("mc:Ignorable").map(|v| v.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
        let mut ignorable: Vec<String> =
            self.get("mc:Ignorable").map(|v| v.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
        for prefix in &used {
            if declared(self, prefix).is_none()
                && let Some(uri) = declared(donor, prefix)
            {
                self.set(&format!("xmlns:{prefix}"), &uri);
            }
            if donor_ignorable.contains(prefix) && !ignorable.contains(prefix) {
                ignorable.push(prefix.clone());
            }
        }
        if !ignorable.is_empty() {
            if declared(self, "mc").is_none()
                && let Some(uri) = declared(donor, "mc")
            {
                self.set("xmlns:mc", &uri);
            }
            self.set("mc:Ignorable", &ignorable.join(" "));
        }
    }

    /// Writes the element (and its subtree) to `writer`.
    pub fn write_to(&self, writer: &mut Writer<Vec<u8>>) -> Result<()> {
        let mut start = BytesStart::new(self.name.as_str());
        for (key, value) in &self.attrs {
            start.push_attribute(Attribute { key: QName(key.as_str()), value: Cow::Borrowed(value.as_str()) });
        }
        if self.children.is_empty() {
            writer.write_event(Event::Empty(start))?;
            return Ok(());
        }
        writer.write_event(Event::Start(start))?;
        for child in &self.children {
            match child {
                Node::Element(e) => e.write_to(writer)?,
                Node::Other(event) => writer.write_event(event.borrow())?,
            }
        }
        writer.write_event(Event::End(BytesEnd::new(self.name.as_str())))?;
        Ok(())
    }

    /// The element as XML text (no declaration).
    #[cfg(test)]
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut writer = writer();
        self.write_to(&mut writer)?;
        Ok(writer.into_inner())
    }
}

/// A writer that spells empty elements `<w:b />`, as docx-rs does, so rewritten and untouched
/// parts of one file look alike.
pub(super) fn writer() -> Writer<Vec<u8>> {
    let mut writer = Writer::new(Vec::new());
    writer.config_mut().add_space_before_slash_in_empty_elements = true;
    writer
}

/// A reader over a part that keeps all text (WordprocessingML text is significant).
pub(super) fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    reader
}

/// Reads the element that `start` opened (an `Event::Start`, or an `Event::Empty` when `empty`)
/// up to its end.
pub(super) fn read_element(reader: &mut Reader<&[u8]>, start: &BytesStart, empty: bool) -> Result<Element> {
    let mut root = element_of(start)?;
    if empty {
        return Ok(root);
    }
    let mut open: Vec<Element> = Vec::new();
    loop {
        let event = reader.read_event().context("malformed XML")?;
        let parent = open.last_mut().unwrap_or(&mut root);
        match event {
            Event::Start(s) => open.push(element_of(&s)?),
            Event::Empty(s) => parent.children.push(Node::Element(element_of(&s)?)),
            Event::End(_) => match open.pop() {
                Some(done) => open.last_mut().unwrap_or(&mut root).children.push(Node::Element(done)),
                None => return Ok(root),
            },
            Event::Eof => bail!("the XML ends inside <{}>", root.name),
            other => parent.children.push(Node::Other(other.into_owned())),
        }
    }
}

fn element_of(start: &BytesStart) -> Result<Element> {
    let name = start.name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.with_context(|| format!("a malformed attribute in <{name}>"))?;
        attrs.push((attribute.key.as_ref().to_owned(), attribute.value.into_owned()));
    }
    Ok(Element { name, attrs, children: Vec::new() })
}

/// A whole part: what comes before the root element (the XML declaration) and the root.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Part {
    prolog: Vec<Event<'static>>,
    pub root: Element,
}

impl Part {
    /// Reads a part. Its `w` prefix, if declared on the root, must mean WordprocessingML.
    pub fn read(bytes: &[u8]) -> Result<Part> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        std::str::from_utf8(bytes).context("the part is not UTF-8")?;
        let mut reader = reader(bytes);
        let mut prolog = Vec::new();
        loop {
            match reader.read_event().context("malformed XML")? {
                Event::Start(s) => return Part::finish(prolog, read_element(&mut reader, &s, false)?),
                Event::Empty(s) => return Part::finish(prolog, element_of(&s)?),
                Event::Eof => bail!("the part has no root element"),
                Event::Text(t) if t.trim().is_empty() => {}
                other => prolog.push(other.into_owned()),
            }
        }
    }

    fn finish(prolog: Vec<Event<'static>>, root: Element) -> Result<Part> {
        if let Some(ns) = root.get("xmlns:w")
            && ns != W_NS
        {
            bail!("the prefix `w` is bound to {ns}, not to WordprocessingML");
        }
        Ok(Part { prolog, root })
    }

    /// A part with the standard declaration and this root.
    pub fn new(root: Element) -> Part {
        let decl = quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), Some("yes"));
        Part { prolog: vec![Event::Decl(decl)], root }
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut writer = writer();
        for event in &self.prolog {
            writer.write_event(event.borrow())?;
        }
        self.root.write_to(&mut writer)?;
        Ok(writer.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_reads_and_writes_back_unchanged() {
        let text = concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">A &amp; B &lt;c&gt; </w:t></w:r></w:p>"#,
            r#"<!-- note --><w:p><w:pPr><w:jc w:val="left" /></w:pPr></w:p>"#,
            r#"<wp:docPr id="1" descr="line&#xA;two &quot;x&quot;" /></w:body></w:document>"#
        );
        let part = Part::read(text.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(part.to_bytes().unwrap()).unwrap(), text);
    }

    #[test]
    fn attributes_are_read_unescaped_and_written_escaped() {
        let part = Part::read(br#"<a x="1 &amp; 2"><b/></a>"#).unwrap();
        assert_eq!(part.root.get("x").as_deref(), Some("1 & 2"));
        let mut root = part.root;
        root.set("y", "<\"q\">");
        root.find_or_add("c").set("w:val", "v");
        assert_eq!(
            String::from_utf8(root.to_bytes().unwrap()).unwrap(),
            r#"<a x="1 &amp; 2" y="&lt;&quot;q&quot;&gt;"><b /><c w:val="v" /></a>"#
        );
    }

    #[test]
    fn moved_content_brings_its_namespaces() {
        let donor = Part::read(
            br#"<a:ftr xmlns:a="A" xmlns:w14="W14" xmlns:mc="MC" mc:Ignorable="w14"><a:p w14:paraId="1"/></a:ftr>"#,
        )
        .unwrap()
        .root;
        let mut target = Part::read(br#"<a:ftr xmlns:a="A"><a:p/></a:ftr>"#).unwrap().root;
        target.children.push(donor.children[0].clone());
        target.adopt_namespaces(&donor);
        assert_eq!(
            String::from_utf8(target.to_bytes().unwrap()).unwrap(),
            r#"<a:ftr xmlns:a="A" xmlns:w14="W14" xmlns:mc="MC" mc:Ignorable="w14"><a:p /><a:p w14:paraId="1" /></a:ftr>"#
        );
    }

    #[test]
    fn a_foreign_w_prefix_and_broken_xml_are_refused() {
        assert!(Part::read(br#"<w:document xmlns:w="urn:other"/>"#).is_err());
        assert!(Part::read(b"<a><b></a>").is_err());
        assert!(Part::read(b"<a>").is_err());
        assert!(Part::read(b"").is_err());
    }
}
