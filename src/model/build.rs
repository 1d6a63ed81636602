//! Resolved paper file + rated scorecards in, the [`Paper`] both renderers read out.
//!
//! This is where paragraph numbers are decided (running or sectioned, as in the two reference
//! papers), placeholders are filled, author text becomes inline content and each scorecard is
//! laid out as a printed table.

use anyhow::Result;

use super::scorecard::scorecard_table;
use super::text::{Placeholders, inline_markup};
use super::*;
use crate::config::{HeaderKey, Located, PaperConfig, SectionConfig};
use crate::scorecard::Scorecard;

/// The meeting date as printed in the papers: `28 August 2014`.
pub fn display_date(date: &chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The placeholders a paper's text may use: the meeting date and committee, and from the first
/// scorecard the period, the counts of each rating and the workbook's defined names.
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
        let t = card.totals;
        p.set("green", t.green.to_string());
        p.set("amber", t.amber.to_string());
        p.set("red", t.red.to_string());
        p.set("na", t.na.to_string());
        p.set("not_rated", t.none.to_string());
        p.set("indicators", card.indicators.len().to_string());
    }
    p.set("meeting_date", display_date(&config.date));
    p.set("committee", config.to.value.clone());
    p
}

/// Builds the document model.
pub fn build_paper(config: &PaperConfig, scorecards: &[Option<Scorecard>]) -> Result<Paper> {
    let builder = Builder { config, placeholders: placeholders(config, scorecards) };
    let labels = config.header.iter().map(|key| key.label());
    let style = Style::from_config(&config.style, labels, config.numbering);
    Ok(Paper {
        meta: builder.meta()?,
        header: builder.header()?,
        front: builder.front()?,
        numbering: config.numbering,
        sections: builder.sections()?,
        appendices: builder.appendices(scorecards, &style)?,
        style,
    })
}

/// Turns the paper file's texts into inline content, placeholders filled.
struct Builder<'a> {
    config: &'a PaperConfig,
    placeholders: Placeholders,
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
        Ok(Section { number, heading: s.heading.as_ref().map(|h| self.text(h)).transpose()?, level: s.level, blocks })
    }

    fn appendices(&self, scorecards: &[Option<Scorecard>], style: &Style) -> Result<Vec<Appendix>> {
        self.config
            .appendices
            .iter()
            .zip(scorecards)
            .map(|(appendix, card)| {
                let landscape = appendix.landscape.unwrap_or(appendix.scorecard.is_some());
                Ok(Appendix {
                    title: self.plain(&appendix.title)?,
                    landscape,
                    intro: self.texts(&appendix.intro)?,
                    scorecard: card.as_ref().map(|c| scorecard_table(c, style, landscape)),
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
