//! Resolved paper file + rated scorecards in, the [`Paper`] both renderers read out.
//!
//! This is where paragraph numbers are decided (running or sectioned, as in the two reference
//! papers), placeholders are filled, author text becomes inline content, each scorecard is
//! laid out as a printed table and its exception reports are placed: after the table, or in the
//! body section that asks for them (`exceptions: true`).

use anyhow::Result;

use super::exceptions::{HEADING as EXCEPTIONS_HEADING, exception_reports};
use super::scorecard::scorecard_table;
use super::text::{Placeholders, escape_markup, inline_markup};
use super::*;
use crate::config::{HeaderKey, Located, PaperConfig, SectionConfig};
use crate::scorecard::{Indicator, RatingMove, Scorecard};

/// The meeting date as printed in the papers: `28 August 2014`.
pub fn display_date(date: &chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The placeholders a paper's text may use: the meeting date and committee, and from the first
/// scorecard the period, the counts of each rating and of each move since the previous period,
/// the moves as a sentence, the indicators of each count as a list, and the workbook's defined
/// names.
pub fn placeholders(config: &PaperConfig, scorecards: &[Option<Scorecard>]) -> Placeholders {
    let mut p = Placeholders::default();
    if let Some(card) = scorecards.iter().flatten().next() {
        for (name, value) in &card.named_values {
            if name.chars().all(|c| c.is_alphanumeric() || c == '_') && !name.is_empty() {
                p.set(name.clone(), value.clone());
            }
        }
        if let Some(period) = &card.period {
            p.set("period", period.clone());
        }
        p.set("indicators", card.indicators.len().to_string());
        for (name, selects) in counted() {
            let chosen: Vec<&Indicator> = card.indicators.iter().filter(|i| selects(i)).collect();
            p.set(name, chosen.len().to_string());
            p.set(format!("{name}_list"), list_of(&chosen));
        }
        let moves = card.moves.sentence();
        p.set("moves", moves.unwrap_or_else(|| NOTHING_TO_COMPARE.to_string()));
    }
    p.set("meeting_date", display_date(&config.date));
    p.set("committee", config.to.value.clone());
    p
}

/// What `{{ moves }}` prints when no indicator has a rating in both periods.
const NOTHING_TO_COMPARE: &str = "no indicator has a rating in both periods to compare";

/// Whether an indicator counts towards a placeholder.
type Counts = fn(&Indicator) -> bool;

/// The placeholders that count indicators, each with its `_list` twin, and which indicators
/// they count. The moves are between ratings ([`crate::scorecard::Moves`]): `moved_to_amber` counts Green to Amber
/// and Red to Amber alike.
fn counted() -> [(&'static str, Counts); 11] {
    fn moved_to(i: &Indicator, rag: Rag) -> bool {
        i.rag == rag && matches!(i.rating_move, RatingMove::Improved | RatingMove::Worsened)
    }
    [
        ("green", |i| i.rag == Rag::Green),
        ("amber", |i| i.rag == Rag::Amber),
        ("red", |i| i.rag == Rag::Red),
        ("na", |i| i.rag == Rag::Na),
        ("not_rated", |i| i.rag == Rag::None),
        ("moved_to_red", |i| moved_to(i, Rag::Red)),
        ("moved_to_amber", |i| moved_to(i, Rag::Amber)),
        ("moved_to_green", |i| moved_to(i, Rag::Green)),
        ("improved_rating", |i| i.rating_move == RatingMove::Improved),
        ("worsened_rating", |i| i.rating_move == RatingMove::Worsened),
        ("same_rating", |i| i.rating_move == RatingMove::Unchanged),
    ]
}

/// Indicators named in a sentence, each as `Ref Name`: one alone; two joined by "and"; three or
/// more by commas and a last "and" (no comma before it, as British usage has it); `none` for
/// no indicator. Names are workbook text: their Markdown characters are escaped, so a name
/// prints as written.
pub fn list_of(indicators: &[&Indicator]) -> String {
    let items: Vec<String> = indicators.iter().map(|i| escape_markup(&format!("{} {}", i.reference, i.name))).collect();
    match items.as_slice() {
        [] => "none".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Builds the document model.
pub fn build_paper(config: &PaperConfig, scorecards: &[Option<Scorecard>]) -> Result<Paper> {
    let labels = config.header.iter().map(|key| key.label());
    let style = Style::from_config(&config.style, labels, config.numbering);
    let builder = Builder { config, placeholders: placeholders(config, scorecards), scorecards, style: &style };
    Ok(Paper {
        meta: builder.meta()?,
        header: builder.header()?,
        front: builder.front()?,
        numbering: config.numbering,
        sections: builder.sections()?,
        appendices: builder.appendices()?,
        style,
    })
}

/// Turns the paper file's texts into inline content, placeholders filled, and lays out the
/// scorecards in the house style.
struct Builder<'a> {
    config: &'a PaperConfig,
    placeholders: Placeholders,
    /// One entry per appendix.
    scorecards: &'a [Option<Scorecard>],
    style: &'a Style,
}

impl Builder<'_> {
    fn text(&self, t: &Located<String>) -> Result<Text> {
        Ok(inline_markup(&self.placeholders.fill(t)?))
    }

    fn plain(&self, t: &Located<String>) -> Result<String> {
        Ok(plain_text(&self.text(t)?))
    }

    fn texts(&self, items: &[Located<String>]) -> Result<Vec<Text>> {
        items.iter().map(|t| self.text(t)).collect()
    }

    fn meta(&self) -> Result<Meta> {
        let c = self.config;
        let authors: Vec<String> = c.from.iter().map(|p| self.plain(&p.name)).collect::<Result<_>>()?;
        Ok(Meta {
            title: self.plain(&c.subject)?,
            author: authors.join(layout::PEOPLE_SEPARATOR),
            authors,
            date: c.date,
            date_display: display_date(&c.date),
            classification: self.plain(&c.classification)?,
            language: "en-GB".into(),
            committee: self.plain(&c.to)?,
        })
    }

    /// The header block, in the paper file's order; the 2014 paper bolds the subject.
    fn header(&self) -> Result<Vec<HeaderField>> {
        let c = self.config;
        let optional = |value: &Option<Located<String>>| -> Result<Vec<Text>> {
            value.as_ref().map(|v| self.text(v)).into_iter().collect()
        };
        let mut header = Vec::new();
        for key in &c.header {
            let lines = match key {
                HeaderKey::From => c.from.iter().map(|p| self.person(p)).collect::<Result<_>>()?,
                HeaderKey::To => vec![self.text(&c.to)?],
                HeaderKey::Date => vec![vec![Inline::plain(display_date(&c.date))]],
                HeaderKey::Subject => vec![self.text(&c.subject)?],
                HeaderKey::Classification => vec![self.text(&c.classification)?],
                HeaderKey::ElectoralDivisions => optional(&c.electoral_divisions)?,
                HeaderKey::KeyDecision => optional(&c.key_decision)?,
                HeaderKey::DecisionNumber => optional(&c.decision_number)?,
                HeaderKey::ReportAuthor => optional(&c.report_author)?,
            };
            header.push(HeaderField { label: key.label().to_string(), lines, strong: *key == HeaderKey::Subject });
        }
        Ok(header)
    }

    /// `Name, Role`.
    fn person(&self, person: &crate::config::Person) -> Result<Text> {
        let mut line = self.text(&person.name)?;
        if let Some(role) = &person.role {
            line.push(Inline::plain(", "));
            line.extend(self.text(role)?);
        }
        Ok(line)
    }

    /// Summary, then the recommendation (one sentence) or recommendations (a numbered list).
    fn front(&self) -> Result<Vec<FrontBlock>> {
        let c = self.config;
        let mut front = Vec::new();
        if let Some(summary) = &c.summary {
            front.push(FrontBlock { label: "Summary".into(), paragraphs: vec![self.text(summary)?], numbered: false });
        }
        if !c.recommendations.is_empty() {
            let several = c.recommendations.len() > 1;
            front.push(FrontBlock {
                label: if several { "Recommendations" } else { "Recommendation" }.into(),
                paragraphs: self.texts(&c.recommendations)?,
                numbered: several,
            });
        }
        Ok(front)
    }

    fn contacts(&self, style: ContactStyle) -> Contacts {
        let people = self
            .config
            .contacts
            .iter()
            .map(|c| Contact {
                label: c.label.clone(),
                name: c.name.clone(),
                title: c.title.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            })
            .collect();
        Contacts { style, people }
    }

    fn background(&self, labelled: bool) -> Result<BackgroundDocuments> {
        Ok(BackgroundDocuments { labelled, items: self.texts(&self.config.background_documents)? })
    }

    /// The body: the paper file's sections, numbered, then contact details and background
    /// documents in sections of their own when the author did not place them: papers must say
    /// who to contact and what the background papers are.
    fn sections(&self) -> Result<Vec<Section>> {
        let c = self.config;
        let mut numbers = Numberer::new(c.numbering);
        let mut sections = Vec::new();
        for s in &c.sections {
            sections.push(self.section(s, &mut numbers)?);
        }
        let mut closing = |heading: &str, block: Block| Section {
            number: numbers.closing_heading(),
            heading: Some(vec![Inline::plain(heading)]),
            level: 1,
            blocks: vec![block],
        };
        if !c.sections.iter().any(|s| s.background_documents.is_some()) && !c.background_documents.is_empty() {
            sections.push(closing("Background documents", Block::BackgroundDocuments(self.background(false)?)));
        }
        if !c.sections.iter().any(|s| s.contacts.is_some()) && !c.contacts.is_empty() {
            sections.push(closing("Contact details", Block::Contacts(self.contacts(ContactStyle::Stacked))));
        }
        Ok(sections)
    }

    fn section(&self, s: &SectionConfig, numbers: &mut Numberer) -> Result<Section> {
        let number = numbers.heading(s.level, s.heading.is_some());
        let mut blocks = Vec::new();
        for p in &s.paragraphs {
            blocks.push(Block::Paragraph(Paragraph {
                number: if p.numbered { Some(numbers.paragraph()) } else { None },
                text: self.text(&p.text)?,
                list: self.texts(&p.list)?,
                quote: p.quote.as_ref().map(|q| self.text(q)).transpose()?,
            }));
        }
        if let Some(style) = s.contacts {
            blocks.push(Block::Contacts(self.contacts(style)));
        }
        if let Some(labelled) = s.background_documents {
            blocks.push(Block::BackgroundDocuments(self.background(labelled)?));
        }
        if s.exceptions {
            blocks.extend(self.placed_exceptions()?.into_iter().map(Block::Exceptions));
        }
        Ok(Section { number, heading: s.heading.as_ref().map(|h| self.text(h)).transpose()?, level: s.level, blocks })
    }

    /// Whether a body section places the exception reports (then the appendices do not).
    fn exceptions_placed(&self) -> bool {
        self.config.sections.iter().any(|s| s.exceptions)
    }

    /// The exception reports of every scorecard that asks for them, for the body section that
    /// places them; when there are several, each says which appendix it belongs to.
    fn placed_exceptions(&self) -> Result<Vec<Exceptions>> {
        let asking: Vec<_> = self
            .config
            .appendices
            .iter()
            .zip(self.scorecards)
            .filter_map(|(appendix, card)| {
                let rules = appendix.scorecard.as_ref()?.exceptions.as_ref()?;
                // An exempt appendix keeps its reports, so that the public version withholds them.
                if appendix.exempt.is_some() {
                    return None;
                }
                Some((appendix, card.as_ref()?, rules))
            })
            .collect();
        let several = asking.len() > 1;
        asking
            .into_iter()
            .map(|(appendix, card, rules)| {
                let title = if several { Some(self.plain(&appendix.title)?) } else { None };
                Ok(exception_reports(card, rules, self.style, None, title.as_deref()))
            })
            .collect()
    }

    fn appendices(&self) -> Result<Vec<Appendix>> {
        let placed_in_body = self.exceptions_placed();
        self.config
            .appendices
            .iter()
            .zip(self.scorecards)
            .map(|(appendix, card)| {
                let landscape = appendix.landscape.unwrap_or(appendix.scorecard.is_some());
                let rules = appendix.scorecard.as_ref().and_then(|s| s.exceptions.as_ref());
                let exceptions = match (card, rules) {
                    (Some(card), Some(rules)) if !placed_in_body || appendix.exempt.is_some() => {
                        Some(exception_reports(card, rules, self.style, Some(EXCEPTIONS_HEADING.to_string()), None))
                    }
                    _ => None,
                };
                Ok(Appendix {
                    title: self.plain(&appendix.title)?,
                    landscape,
                    intro: self.texts(&appendix.intro)?,
                    scorecard: card.as_ref().map(|c| scorecard_table(c, self.style, landscape)),
                    exceptions,
                    exempt: match appendix.exempt {
                        Some(paragraph) => Some(exempt::Exemption {
                            paragraph,
                            public_title: match &appendix.public_title {
                                Some(t) => self.plain(t)?,
                                None => exempt::DEFAULT_PUBLIC_TITLE.to_string(),
                            },
                        }),
                        None => None,
                    },
                    marking: None,
                })
            })
            .collect()
    }
}

/// The counters behind heading and paragraph numbers.
struct Numberer {
    scheme: Numbering,
    /// The running paragraph count (running scheme).
    running: u32,
    /// The current section number and the paragraph count within it (sectioned scheme).
    section: u32,
    in_section: u32,
}

impl Numberer {
    fn new(scheme: Numbering) -> Self {
        Numberer { scheme, running: 0, section: 0, in_section: 0 }
    }

    /// The number of a section heading: `1.`, `2.` … for main headings in the sectioned scheme.
    fn heading(&mut self, level: u8, has_heading: bool) -> Option<Number> {
        if self.scheme != Numbering::Sectioned || level != 1 || !has_heading {
            return None;
        }
        self.section += 1;
        self.in_section = 0;
        Some(Number { printed: format!("{}.", self.section), parts: vec![self.section] })
    }

    /// The heading number of a closing section (contact details, background documents).
    fn closing_heading(&mut self) -> Option<Number> {
        self.heading(1, true)
    }

    /// The next paragraph number: `3.` running; `2.1` sectioned (`1.` before any numbered
    /// heading).
    fn paragraph(&mut self) -> Number {
        match self.scheme {
            Numbering::Running => {
                self.running += 1;
                Number { printed: format!("{}.", self.running), parts: vec![self.running] }
            }
            Numbering::Sectioned => {
                self.in_section += 1;
                if self.section == 0 {
                    Number { printed: format!("{}.", self.in_section), parts: vec![self.in_section] }
                } else {
                    Number {
                        printed: format!("{}.{}", self.section, self.in_section),
                        parts: vec![self.section, self.in_section],
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_numbers_carry_their_full_stop_and_sectioned_ones_their_section() {
        let mut running = Numberer::new(Numbering::Running);
        assert_eq!(running.heading(1, true), None);
        assert_eq!(running.paragraph().printed, "1.");
        assert_eq!(running.paragraph(), Number { printed: "2.".into(), parts: vec![2] });

        let mut sectioned = Numberer::new(Numbering::Sectioned);
        assert_eq!(sectioned.paragraph(), Number { printed: "1.".into(), parts: vec![1] });
        assert_eq!(sectioned.heading(1, true).map(|n| n.printed), Some("1.".into()));
        assert_eq!(sectioned.heading(2, true), None);
        assert_eq!(sectioned.paragraph(), Number { printed: "1.1".into(), parts: vec![1, 1] });
        assert_eq!(sectioned.closing_heading().map(|n| n.parts), Some(vec![2]));
        assert_eq!(sectioned.paragraph().printed, "2.1");
    }
}
