//! Exempt information: what the public version prints instead, and how the full one is marked.
//!
//! A report or an appendix may hold information that is exempt from publication under one of
//! the seven paragraphs of Part 1 of Schedule 12A to the Local Government Act 1972. The public
//! version of a paper (or agenda pack) replaces each exempt part by a single notice naming the
//! paragraph, so none of the part's own words reach the published file; the full version, for
//! members and officers, keeps everything and marks the exempt pages "NOT FOR PUBLICATION".
//!
//! In: a [`Paper`] as built. Out: its public version ([`Paper::public`]) and its full version
//! ([`Paper::full`]). Both are ordinary papers, so both renderers draw them without knowing
//! anything about exemptions.

use serde::Serialize;

use super::{Appendix, Inline, Paper};

/// The marking on every exempt page of a full version, in its header and footer.
pub const NOT_FOR_PUBLICATION: &str = "NOT FOR PUBLICATION";

/// What the public version prints instead of an exempt appendix's title, unless the paper file
/// gives a `public-title`: the author's own title may itself disclose the information.
pub const DEFAULT_PUBLIC_TITLE: &str = "Exempt appendix";

/// Why a part is exempt, and what the public sees in its place.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Exemption {
    /// The paragraph of Part 1 of Schedule 12A, 1–7.
    pub paragraph: u8,
    /// The heading the public version prints (an appendix's `public-title`, or an agenda item's
    /// title, which is published on the agenda anyway).
    pub public_title: String,
}

/// The notice printed in place of an exempt part.
pub fn notice(paragraph: u8) -> String {
    format!(
        "Not for publication by virtue of paragraph {paragraph} of Part 1 of Schedule 12A to the Local \
         Government Act 1972"
    )
}

/// The description of exempt information in a paragraph of Part 1 of Schedule 12A, as the Act
/// words it (as amended by the Local Government (Access to Information) (Variation) Order 2006).
pub fn description(paragraph: u8) -> &'static str {
    match paragraph {
        1 => "Information relating to any individual.",
        2 => "Information which is likely to reveal the identity of an individual.",
        3 => {
            "Information relating to the financial or business affairs of any particular person (including the \
             authority holding that information)."
        }
        4 => {
            "Information relating to any consultations or negotiations, or contemplated consultations or \
             negotiations, in connection with any labour relations matter arising between the authority or a \
             Minister of the Crown and employees of, or office holders under, the authority."
        }
        5 => {
            "Information in respect of which a claim to legal professional privilege could be maintained in legal proceedings."
        }
        6 => {
            "Information which reveals that the authority proposes (a) to give under any enactment a notice under or \
             by virtue of which requirements are imposed on a person; or (b) to make an order or direction under any \
             enactment."
        }
        7 => {
            "Information relating to any action taken or to be taken in connection with the prevention, \
             investigation or prosecution of crime."
        }
        // The configuration refuses other paragraphs; say nothing rather than something wrong.
        _ => "",
    }
}

/// The paragraphs printed in place of an exempt part: the notice, then the paragraph's wording.
pub fn withheld_text(paragraph: u8) -> Vec<Vec<Inline>> {
    let mut text = vec![vec![Inline::Run { text: notice(paragraph), bold: true, italic: false, link: None }]];
    let description = description(paragraph);
    if !description.is_empty() {
        text.push(vec![Inline::plain(format!("Paragraph {paragraph}: {description}"))]);
    }
    text
}

impl Paper {
    /// Whether any appendix is exempt, so that the public and full versions differ.
    pub fn has_exempt_parts(&self) -> bool {
        self.appendices.iter().any(|a| a.exempt.is_some())
    }

    /// The version for publication: each exempt appendix becomes one portrait page holding its
    /// public title and the notice. Nothing else of the appendix is kept.
    pub fn public(&self) -> Paper {
        let mut paper = self.clone();
        for appendix in &mut paper.appendices {
            if let Some(exemption) = appendix.exempt.take() {
                *appendix = Appendix {
                    title: exemption.public_title.clone(),
                    landscape: false,
                    intro: withheld_text(exemption.paragraph),
                    scorecard: None,
                    exceptions: None,
                    exempt: Some(exemption),
                    marking: None,
                };
            }
        }
        paper
    }

    /// The full version, for members and officers: everything, each exempt appendix's pages
    /// marked "NOT FOR PUBLICATION".
    pub fn full(&self) -> Paper {
        let mut paper = self.clone();
        for appendix in &mut paper.appendices {
            if appendix.exempt.is_some() {
                appendix.marking = Some(NOT_FOR_PUBLICATION.to_string());
            }
        }
        paper
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;
    use crate::model::sample::sample_paper;

    fn exempt_sample() -> Paper {
        let mut paper = sample_paper();
        paper.appendices[0].exempt = Some(Exemption { paragraph: 3, public_title: "Appendix 1".into() });
        paper
    }

    #[test]
    fn public_version_keeps_none_of_the_exempt_appendix() {
        let full = exempt_sample();
        let public = full.public();
        let appendix = &public.appendices[0];
        assert_eq!(appendix.title, "Appendix 1");
        assert!(appendix.scorecard.is_none() && !appendix.landscape && appendix.marking.is_none());
        let json = serde_json::to_string(&public).unwrap();
        for secret in ["Children in Care Scorecard", "Placement stability", "March 2017"] {
            assert!(!json.contains(secret), "{secret:?} left in the public version");
        }
        assert_eq!(
            plain_text(&appendix.intro[0]),
            "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
        );
        assert!(plain_text(&appendix.intro[1]).starts_with("Paragraph 3: Information relating to the financial"));
        // The body of the paper is untouched.
        assert_eq!(public.sections, full.sections);
    }

    #[test]
    fn full_version_marks_only_exempt_appendices() {
        let mut paper = exempt_sample();
        paper.appendices.push(sample_paper().appendices[0].clone());
        let full = paper.full();
        assert_eq!(full.appendices[0].marking.as_deref(), Some(NOT_FOR_PUBLICATION));
        assert_eq!(full.appendices[1].marking, None);
        assert_eq!(full.appendices[0].scorecard, paper.appendices[0].scorecard);
    }

    #[test]
    fn papers_without_exempt_parts_are_the_same_in_both_versions() {
        let paper = sample_paper();
        assert!(!paper.has_exempt_parts());
        assert_eq!(paper.public(), paper);
        assert_eq!(paper.full(), paper);
    }

    #[test]
    fn every_paragraph_has_its_wording() {
        for paragraph in crate::config::meeting::EXEMPT_PARAGRAPHS {
            assert!(description(paragraph).starts_with("Information"), "{paragraph}");
        }
    }
}
