//! Resolved paper file + rated scorecards in, the [`Paper`] both renderers read out.
//!
//! This is where paragraph numbers are decided (running or sectioned, as in the two reference
//! papers), placeholders are filled and author text becomes inline content.

use anyhow::Result;

use super::text::{Placeholders, inline_markup};
use super::*;
use crate::config::{HeaderKey, Located, PaperConfig};
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
    let placeholders = placeholders(config, scorecards);
    let text = |t: &Located<String>| -> Result<Text> { Ok(inline_markup(&placeholders.fill(t)?)) };
    let plain = |t: &Located<String>| -> Result<String> { Ok(plain_text(&text(t)?)) };

    let mut header = Vec::new();
    for key in &config.header {
        let (lines, strong) = match key {
            HeaderKey::From => (
                config
                    .from
                    .iter()
                    .map(|p| {
                        let mut line = text(&p.name)?;
                        if let Some(role) = &p.role {
                            line.push(Inline::plain(", "));
                            line.extend(text(role)?);
                        }
                        Ok(line)
                    })
                    .collect::<Result<Vec<_>>>()?,
                false,
            ),
            HeaderKey::To => (vec![text(&config.to)?], false),
            HeaderKey::Date => (vec![vec![Inline::plain(display_date(&config.date))]], false),
            HeaderKey::Subject => (vec![text(&config.subject)?], true),
            HeaderKey::Classification => (vec![text(&config.classification)?], false),
            HeaderKey::ElectoralDivisions => (optional_line(&config.electoral_divisions, &text)?, false),
            HeaderKey::KeyDecision => (optional_line(&config.key_decision, &text)?, false),
            HeaderKey::DecisionNumber => (optional_line(&config.decision_number, &text)?, false),
            HeaderKey::ReportAuthor => (optional_line(&config.report_author, &text)?, false),
        };
        header.push(HeaderField { label: key.label().to_string(), lines, strong });
    }

    let mut front = Vec::new();
    if let Some(summary) = &config.summary {
        front.push(FrontBlock { label: "Summary".into(), paragraphs: vec![text(summary)?], numbered: false });
    }
    if !config.recommendations.is_empty() {
        let several = config.recommendations.len() > 1;
        front.push(FrontBlock {
            label: if several { "Recommendations" } else { "Recommendation" }.into(),
            paragraphs: config.recommendations.iter().map(&text).collect::<Result<_>>()?,
            numbered: several,
        });
    }

    let contacts = || Contacts {
        style: ContactStyle::Stacked,
        people: config
            .contacts
            .iter()
            .map(|c| Contact {
                label: c.label.clone(),
                name: c.name.clone(),
                title: c.title.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
            })
            .collect(),
    };
    let background = |labelled: bool| -> Result<BackgroundDocuments> {
        Ok(BackgroundDocuments {
            labelled,
            items: config.background_documents.iter().map(&text).collect::<Result<_>>()?,
        })
    };

    let mut sections = Vec::new();
    let mut running = 0usize;
    let mut section_number = 0usize;
    let mut in_section = 0usize;
    let mut placed_contacts = false;
    let mut placed_background = false;
    for s in &config.sections {
        let mut number = None;
        if config.numbering == Numbering::Sectioned && s.level == 1 && s.heading.is_some() {
            section_number += 1;
            in_section = 0;
            number = Some(format!("{section_number}."));
        }
        let mut blocks = Vec::new();
        for p in &s.paragraphs {
            let number = if !p.numbered {
                None
            } else {
                match config.numbering {
                    Numbering::Running => {
                        running += 1;
                        Some(running.to_string())
                    }
                    Numbering::Sectioned => {
                        in_section += 1;
                        Some(if section_number == 0 {
                            in_section.to_string()
                        } else {
                            format!("{section_number}.{in_section}")
                        })
                    }
                }
            };
            blocks.push(Block::Paragraph(Paragraph {
                number,
                text: text(&p.text)?,
                list: p.list.iter().map(&text).collect::<Result<_>>()?,
                quote: p.quote.as_ref().map(&text).transpose()?,
            }));
        }
        if let Some(style) = s.contacts {
            placed_contacts = true;
            blocks.push(Block::Contacts(Contacts { style, ..contacts() }));
        }
        if let Some(labelled) = s.background_documents {
            placed_background = true;
            blocks.push(Block::BackgroundDocuments(background(labelled)?));
        }
        sections.push(Section { number, heading: s.heading.as_ref().map(&text).transpose()?, level: s.level, blocks });
    }
    // Papers must say who to contact and what the background papers are; when the author did
    // not place them, they close the body.
    let mut closing = |heading: &str, block: Block| {
        let number = (config.numbering == Numbering::Sectioned).then(|| {
            section_number += 1;
            format!("{section_number}.")
        });
        sections.push(Section { number, heading: Some(vec![Inline::plain(heading)]), level: 1, blocks: vec![block] });
    };
    if !placed_background && !config.background_documents.is_empty() {
        closing("Background documents", Block::BackgroundDocuments(background(false)?));
    }
    if !placed_contacts && !config.contacts.is_empty() {
        closing("Contact details", Block::Contacts(contacts()));
    }

    let mut appendices = Vec::new();
    for (appendix, card) in config.appendices.iter().zip(scorecards) {
        appendices.push(Appendix {
            title: plain(&appendix.title)?,
            landscape: appendix.landscape.unwrap_or(appendix.scorecard.is_some()),
            intro: appendix.intro.iter().map(&text).collect::<Result<_>>()?,
            scorecard: card.as_ref().map(|c| c.table.clone()),
            exempt: match appendix.exempt {
                Some(paragraph) => Some(exempt::Exemption {
                    paragraph,
                    public_title: match &appendix.public_title {
                        Some(t) => plain(t)?,
                        None => exempt::DEFAULT_PUBLIC_TITLE.to_string(),
                    },
                }),
                None => None,
            },
            marking: None,
        });
    }

    Ok(Paper {
        meta: Meta {
            title: plain(&config.subject)?,
            authors: config.from.iter().map(|p| plain(&p.name)).collect::<Result<_>>()?,
            date: config.date.format("%Y-%m-%d").to_string(),
            date_display: display_date(&config.date),
            classification: plain(&config.classification)?,
            language: "en-GB".into(),
            committee: plain(&config.to)?,
        },
        header,
        front,
        numbering: config.numbering,
        sections,
        appendices,
        style: Style::from_config(&config.style),
    })
}

fn optional_line(
    value: &Option<Located<String>>,
    text: &dyn Fn(&Located<String>) -> Result<Text>,
) -> Result<Vec<Text>> {
    value.as_ref().map(|v| Ok(vec![text(v)?])).unwrap_or_else(|| Ok(Vec::new()))
}
