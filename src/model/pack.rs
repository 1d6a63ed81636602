//! The agenda pack: the document model one level up from a paper.
//!
//! In: the checked meeting file and, for each agenda item, what it holds: nothing, a [`Paper`]
//! built by the paper pipeline, or an external PDF
//! converted to page pictures. Out: a [`Pack`] for one of the three versions a clerk publishes
//! ([`PackVersion`]): every fact decided — which items are in it, their numbers, stamps and
//! headings, who leads on each, which are withheld and the notice printed instead, which pages
//! are marked "NOT FOR PUBLICATION", the words of the front sheet, and the alternative text of
//! each external page. The PDF renderer typesets it as one typst document
//! (`report-templates/pack.typ`), so the page numbers, the outline and the tag tree are typst's.

use serde::Serialize;

use super::build::display_date;
use super::exempt::{self, NOT_FOR_PUBLICATION};
use super::{Block, Paper, Style, plain_text};
use crate::config::HeaderKey;
use crate::config::meeting::{ItemConfig, MeetingConfig};
use crate::ingest::pdf::ExternalPdf;

/// The three packs a clerk publishes for a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackVersion {
    /// The agenda pack for publication: every item not marked `supplement` (those are listed on
    /// the agenda as to follow), exempt parts replaced by a notice.
    Public,
    /// Everything, for members and officers: exempt parts included and marked.
    Full,
    /// The supplementary agenda: the late items only, exempt parts replaced by a notice.
    Supplement,
}

impl PackVersion {
    /// The versions a meeting needs: public and full, and the supplement when an item is late.
    pub fn for_meeting(meeting: &MeetingConfig) -> Vec<PackVersion> {
        let mut versions = vec![PackVersion::Public, PackVersion::Full];
        if meeting.items.iter().any(|i| i.supplement) {
            versions.push(PackVersion::Supplement);
        }
        versions
    }

    /// The suffix of the file name: `<stem>-public.pdf`.
    pub fn suffix(self) -> &'static str {
        match self {
            PackVersion::Public => "public",
            PackVersion::Full => "full",
            PackVersion::Supplement => "supplement",
        }
    }

    /// Whether exempt parts are withheld.
    fn withholds(self) -> bool {
        self != PackVersion::Full
    }

    /// Whether the item is on this version's agenda.
    fn lists(self, item: &ItemConfig) -> bool {
        self != PackVersion::Supplement || item.supplement
    }

    /// Whether the item's pages are in this version (a late item's are not in the public pack).
    fn holds(self, item: &ItemConfig) -> bool {
        self != PackVersion::Public || !item.supplement
    }
}

/// What an agenda item holds, as loaded.
#[derive(Debug, Clone, Copy)]
pub enum ItemSource<'a> {
    /// A heading on the agenda only.
    None,
    /// A paper built by this tool.
    Paper { paper: &'a Paper },
    /// An external PDF, converted page by page.
    Pdf { pdf: &'a ExternalPdf },
}

/// A whole agenda pack, one version of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pack {
    pub version: PackVersion,
    /// Document metadata.
    pub meta: PackMeta,
    /// The first page(s): who meets when and where, and the agenda.
    pub front: FrontSheet,
    /// The house style the pack's own pages are set in (fonts, margins, sizes), the papers'
    /// default, so that the papers break their pages in the pack as they do alone.
    pub style: Style,
    /// The items of this version, in agenda order.
    pub items: Vec<PackItem>,
}

/// Document metadata of a pack.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PackMeta {
    /// `Agenda – Children's Social Care & Health Cabinet Committee – 28 August 2014`.
    pub title: String,
    /// The organisation, else the committee.
    pub author: String,
    /// The meeting date; the template sees it as `(year, month, day)`.
    #[serde(serialize_with = "super::date_parts")]
    pub date: chrono::NaiveDate,
    /// BCP 47 language tag.
    pub language: String,
    pub committee: String,
}

/// The front sheet.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FrontSheet {
    pub organisation: Option<String>,
    /// `Agenda` or `Supplementary agenda`: the first heading of the pack.
    pub heading: String,
    pub committee: String,
    /// `Thursday 28 August 2014 at 10:00`.
    pub when: String,
    pub venue: Option<String>,
    pub membership: Vec<String>,
    /// `Theresa Grayell, 03000 416172, theresa.grayell@kent.gov.uk`.
    pub clerk: Option<String>,
    /// What this version is, in a sentence or two (which items it holds, what is withheld).
    pub notes: Vec<String>,
}

/// One agenda item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PackItem {
    /// The agenda number: `4`, `4a`.
    pub number: String,
    /// Printed in the header of every page of the item: `Agenda Item 4`.
    pub stamp: String,
    /// The title as the agenda prints it.
    pub title: String,
    /// The heading that opens the item's pages and names it in the outline: `4. Title`.
    pub heading: String,
    /// The lead officer or paper author, when known.
    pub lead: Option<String>,
    /// A line under the title on the agenda: the exemption, a late item.
    pub notes: Vec<String>,
    /// Printed in the header and footer of every page of the item: "NOT FOR PUBLICATION" on an
    /// exempt item in the full pack.
    pub marking: Option<String>,
    /// What the item's pages hold.
    pub body: ItemBody,
}

/// The pages of an item.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ItemBody {
    /// No pages: the item is a line on the agenda.
    None,
    /// A paper, typeset with the paper template (served to it as its own `paper.json`).
    Paper {
        #[serde(skip)]
        paper: Box<Paper>,
    },
    /// An external PDF, one picture per page.
    Pdf { file: String, pages: Vec<PdfPage> },
    /// An exempt item in a public version: one page with the notice.
    Withheld { text: Vec<super::Text> },
}

/// A page of an external PDF.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PdfPage {
    /// In points.
    pub width: f32,
    pub height: f32,
    /// What a screen reader says for the page.
    pub alt: String,
    #[serde(skip)]
    pub svg: std::sync::Arc<[u8]>,
}

/// Builds one version of the pack. `sources` line up with `meeting.items`.
pub fn build_pack(meeting: &MeetingConfig, sources: &[ItemSource<'_>], version: PackVersion) -> Pack {
    let committee = meeting.committee.value.clone();
    let date = display_date(&meeting.date);
    let mut items = Vec::new();
    let mut exempt_items = 0;
    for (config, source) in meeting.items.iter().zip(sources) {
        if !version.lists(config) {
            continue;
        }
        exempt_items += usize::from(config.exempt.is_some());
        items.push(item(meeting, config, *source, version));
    }
    let heading = match version {
        PackVersion::Supplement => "Supplementary agenda",
        _ => "Agenda",
    };
    let when = match &meeting.time {
        Some(time) => format!("{} at {time}", meeting.date.format("%A %-d %B %Y")),
        None => meeting.date.format("%A %-d %B %Y").to_string(),
    };
    let clerk = meeting.clerk.as_ref().map(|c| {
        [Some(c.name.as_str()), c.phone.as_deref(), c.email.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    let mut notes = Vec::new();
    match version {
        PackVersion::Public if exempt_items > 0 || items_withhold_appendices(&items) => notes.push(
            "Exempt items and appendices are not published: each is replaced by a page giving the paragraph of \
             Part 1 of Schedule 12A to the Local Government Act 1972 under which it is exempt."
                .to_string(),
        ),
        PackVersion::Full => notes.push(format!(
            "Full pack for members and officers, including exempt information: pages marked {NOT_FOR_PUBLICATION} \
             must not be published or shared."
        )),
        PackVersion::Supplement => notes.push(
            "Items that were not available when the agenda was published. Exempt parts are not published.".to_string(),
        ),
        PackVersion::Public => {}
    }
    Pack {
        version,
        meta: PackMeta {
            title: format!("{heading} – {committee} – {date}"),
            author: meeting.organisation.clone().unwrap_or_else(|| committee.clone()),
            date: meeting.date,
            language: "en-GB".into(),
            committee: committee.clone(),
        },
        style: Style::default(),
        front: FrontSheet {
            organisation: meeting.organisation.clone(),
            heading: heading.to_string(),
            committee,
            when,
            venue: meeting.venue.clone(),
            membership: meeting.membership.clone(),
            clerk,
            notes,
        },
        items,
    }
}

/// Whether any paper of the items has an exempt appendix.
fn items_withhold_appendices(items: &[PackItem]) -> bool {
    items.iter().any(|i| matches!(&i.body, ItemBody::Paper { paper } if paper.has_exempt_parts()))
}

fn item(meeting: &MeetingConfig, config: &ItemConfig, source: ItemSource<'_>, version: PackVersion) -> PackItem {
    let lead = config.lead.clone().or_else(|| match source {
        ItemSource::Paper { paper } => lead_of(paper),
        _ => None,
    });
    let mut notes = Vec::new();
    if let Some(paragraph) = config.exempt {
        notes.push(format!("Exempt: paragraph {paragraph} of Part 1 of Schedule 12A to the Local Government Act 1972"));
    }
    match version {
        PackVersion::Public if config.supplement => notes.push("To follow in the supplementary agenda".to_string()),
        PackVersion::Full if config.supplement => notes.push("Supplementary item".to_string()),
        _ => {}
    }
    let withheld = config.exempt.filter(|_| version.withholds());
    let source = if version.holds(config) { source } else { ItemSource::None };
    let body = match (withheld, source) {
        (_, ItemSource::None) => ItemBody::None,
        (Some(paragraph), _) => ItemBody::Withheld { text: exempt::withheld_text(paragraph) },
        (None, ItemSource::Paper { paper, .. }) => {
            ItemBody::Paper { paper: Box::new(if version.withholds() { paper.public() } else { paper.full() }) }
        }
        (None, ItemSource::Pdf { pdf }) => ItemBody::Pdf {
            file: match &config.content {
                crate::config::meeting::ItemContent::Pdf(file) => file.as_written.clone(),
                _ => String::new(),
            },
            pages: pdf_pages(meeting, config, pdf),
        },
    };
    PackItem {
        number: config.number.clone(),
        stamp: format!("Agenda Item {}", config.number),
        title: config.title.clone(),
        heading: format!("{}. {}", config.number, config.title),
        lead,
        notes,
        marking: (config.exempt.is_some() && !version.withholds()).then(|| NOT_FOR_PUBLICATION.to_string()),
        body,
    }
}

/// Who leads on a paper: its report author, else the contact labelled "Lead Officer", else its
/// first contact.
fn lead_of(paper: &Paper) -> Option<String> {
    let author = paper
        .header
        .iter()
        .find(|f| f.label == HeaderKey::ReportAuthor.label())
        .and_then(|f| f.lines.first())
        .map(|line| plain_text(line));
    author.or_else(|| {
        let people: Vec<_> = paper
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Contacts(c) => Some(&c.people),
                _ => None,
            })
            .flatten()
            .collect();
        let labelled =
            people.iter().find(|p| p.label.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("lead officer")));
        labelled.or(people.first()).map(|p| p.name.clone())
    })
}

/// The pages of an external PDF with their alternative text: what the document is and which
/// page, then the page's text as read from the PDF (without its layout), or, for a page without
/// text, that it cannot be read out here and whom to ask for an accessible copy.
fn pdf_pages(meeting: &MeetingConfig, config: &ItemConfig, pdf: &ExternalPdf) -> Vec<PdfPage> {
    let count = pdf.pages.len();
    let ask = match &meeting.clerk {
        Some(clerk) => match &clerk.email {
            Some(email) => format!("For an accessible copy, contact {} ({email}).", clerk.name),
            None => format!("For an accessible copy, contact {}.", clerk.name),
        },
        None => "For an accessible copy, contact the clerk to the committee.".to_string(),
    };
    pdf.pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let what = format!(
                "Agenda item {}, {}: page {} of {count}, a picture of a page of a PDF made elsewhere.",
                config.number,
                config.title,
                i + 1
            );
            let alt = if page.text.is_empty() {
                format!("{what} The page has no text that can be read out. {ask}")
            } else {
                format!("{what} Its text, without its layout:\n{}", page.text)
            };
            PdfPage { width: page.width, height: page.height, alt, svg: page.svg.clone() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Located;
    use crate::config::meeting::{Clerk, ItemContent, ItemFile};
    use crate::ingest::pdf::PageImage;
    use crate::model::exempt::Exemption;
    use crate::model::sample::sample_paper;

    fn item(number: &str, title: &str, content: ItemContent, exempt: Option<u8>, supplement: bool) -> ItemConfig {
        ItemConfig {
            number: number.into(),
            at: String::new(),
            title: title.into(),
            content,
            exempt,
            supplement,
            lead: None,
        }
    }

    fn file(name: &str) -> ItemFile {
        ItemFile { as_written: name.into(), path: name.into(), at: String::new() }
    }

    fn meeting() -> MeetingConfig {
        MeetingConfig {
            path: "meeting.yaml".into(),
            source: String::new(),
            output_stem: "m".into(),
            organisation: Some("Kent County Council".into()),
            committee: Located { value: "Cabinet Committee".into(), at: String::new(), line: 0 },
            date: chrono::NaiveDate::from_ymd_opt(2014, 8, 28).unwrap(),
            date_at: String::new(),
            time: Some("10:00".into()),
            venue: None,
            publish_by: None,
            membership: vec![],
            clerk: Some(Clerk { name: "Theresa Grayell".into(), phone: None, email: Some("t@example.org".into()) }),
            pdf_standard: None,
            items: vec![
                item("1", "Apologies", ItemContent::None, None, false),
                item("2", "Minutes", ItemContent::Pdf(file("minutes.pdf")), None, false),
                item("3", "Dashboard", ItemContent::Paper(file("paper.yaml")), None, false),
                item("4", "Contract", ItemContent::Paper(file("contract.yaml")), Some(3), false),
                item("4a", "Late report", ItemContent::Paper(file("late.yaml")), None, true),
            ],
        }
    }

    fn build(version: PackVersion) -> Pack {
        let meeting = meeting();
        let mut with_exempt = sample_paper();
        with_exempt.appendices[0].exempt = Some(Exemption { paragraph: 1, public_title: "Appendix 1".into() });
        let paper = sample_paper();
        let pdf = ExternalPdf {
            pages: ["", "RESOLVED that the minutes be agreed."]
                .map(|text| PageImage {
                    width: 595.0,
                    height: 842.0,
                    svg: std::sync::Arc::from(&b"<svg/>"[..]),
                    text: text.into(),
                })
                .to_vec(),
            title: None,
        };
        let sources = [
            ItemSource::None,
            ItemSource::Pdf { pdf: &pdf },
            ItemSource::Paper { paper: &with_exempt },
            ItemSource::Paper { paper: &paper },
            ItemSource::Paper { paper: &paper },
        ];
        build_pack(&meeting, &sources, version)
    }

    #[test]
    fn public_pack_withholds_exempt_items_and_appendices_and_lists_late_items_to_follow() {
        let pack = build(PackVersion::Public);
        let numbers: Vec<&str> = pack.items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "3", "4", "4a"]);
        assert_eq!(pack.items[4].body, ItemBody::None, "a late item's pages are not in the public pack");
        assert_eq!(pack.items[4].notes, ["To follow in the supplementary agenda"]);
        assert_eq!(pack.items[3].stamp, "Agenda Item 4");
        assert_eq!(pack.items[3].heading, "4. Contract");
        assert!(matches!(&pack.items[3].body, ItemBody::Withheld { .. }));
        assert_eq!(pack.items[3].marking, None);
        let ItemBody::Paper { paper } = &pack.items[2].body else { panic!("item 3 is a paper") };
        assert!(paper.appendices[0].scorecard.is_none(), "the exempt appendix is withheld");
        assert_eq!(pack.front.heading, "Agenda");
        assert_eq!(pack.front.when, "Thursday 28 August 2014 at 10:00");
        assert_eq!(pack.meta.title, "Agenda – Cabinet Committee – 28 August 2014");
        assert_eq!(pack.front.notes.len(), 1);
    }

    #[test]
    fn full_pack_has_everything_marked() {
        let pack = build(PackVersion::Full);
        assert_eq!(pack.items.len(), 5);
        assert_eq!(pack.items[3].marking.as_deref(), Some(NOT_FOR_PUBLICATION));
        assert!(matches!(&pack.items[3].body, ItemBody::Paper { .. }));
        let ItemBody::Paper { paper } = &pack.items[2].body else { panic!("item 3 is a paper") };
        assert_eq!(paper.appendices[0].marking.as_deref(), Some(NOT_FOR_PUBLICATION));
        assert_eq!(pack.items[4].notes, ["Supplementary item"]);
    }

    #[test]
    fn supplement_holds_the_late_items_only() {
        let pack = build(PackVersion::Supplement);
        assert_eq!(pack.items.len(), 1);
        assert_eq!(pack.items[0].number, "4a");
        assert_eq!(pack.front.heading, "Supplementary agenda");
    }

    #[test]
    fn external_pages_say_what_they_are_and_whom_to_ask() {
        let pack = build(PackVersion::Public);
        let ItemBody::Pdf { pages, file } = &pack.items[1].body else { panic!("item 2 is a PDF") };
        assert_eq!(file, "minutes.pdf");
        assert!(pages[1].alt.starts_with("Agenda item 2, Minutes: page 2 of 2"), "{}", pages[1].alt);
        assert!(
            pages[1].alt.ends_with("without its layout:\nRESOLVED that the minutes be agreed."),
            "{}",
            pages[1].alt
        );
        assert!(pages[0].alt.ends_with("The page has no text that can be read out. For an accessible copy, contact Theresa Grayell (t@example.org)."), "{}", pages[0].alt);
    }

    #[test]
    fn lead_is_the_given_one_else_the_papers_contact() {
        let pack = build(PackVersion::Public);
        assert_eq!(pack.items[2].lead.as_deref(), Some("Maureen Robinson"));
        assert_eq!(pack.items[0].lead, None);
    }
}
