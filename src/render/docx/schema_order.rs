//! Puts the children of WordprocessingML property elements into the order the schema fixes.
//!
//! In: the bytes of an XML part (document, styles, numbering, settings, a header or footer).
//! Out: the same part with the children of every element listed in [`child_order`] sorted into
//! schema order, empty `w:rPr` / `w:pPr` left out, and `w:type` dropped from `w:gridCol`. The
//! text of the document is never touched: everything outside those elements is copied byte for
//! byte.
//!
//! Why: Word validates element order. A `w:numId` before its `w:ilvl`, an empty `w:rPr` at the
//! head of a `w:pPr`, a `w:shd` after a `w:vAlign` is what makes Word say "unreadable content …
//! do you want to recover?". docx-rs 0.4.22 writes eight such faults (TECH-NOTES.md; docx-rs#724
//! open since 2024). We sort here rather than patch docx-rs because:
//! - the fix upstream is small but changes ≈ 43 of its test expectations and is not released;
//!   a fork to maintain, or a vendored copy, would be the larger cost;
//! - the same pass also puts in order what this crate adds to parts afterwards (numbering in
//!   styles, table-style conditional formatting, a council template's styles and settings), so
//!   those edits can append children and never track positions themselves;
//! - it is idempotent: a correct part passes unchanged, so when docx-rs is fixed the pass costs
//!   only its time and can then be deleted.
//!
//! The orders are those of `wml-word.xsd` (ISO/IEC 29500 transitional `wml.xsd` with Office's
//! fixed run-property order), read out of the schema. A child the table does not know (an
//! extension element such as `w14:…`) keeps its place after the known sibling it followed.

use anyhow::{Context, Result};
use quick_xml::events::Event;

use super::xml::{self, Element, Node};

/// The schema order of the children of `parent`, for the elements whose children this pass
/// sorts. Element content whose order is free or that docx-rs writes correctly (`w:body`,
/// `w:p`, `w:tbl`, `w:tr`, `w:tc`) is not listed.
pub(super) fn child_order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        "w:rPr" => &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
        "w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
        "w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
        "w:trPr" => &[
            "w:cnfStyle",
            "w:divId",
            "w:gridBefore",
            "w:gridAfter",
            "w:wBefore",
            "w:wAfter",
            "w:cantSplit",
            "w:trHeight",
            "w:tblHeader",
            "w:tblCellSpacing",
            "w:jc",
            "w:hidden",
            "w:ins",
            "w:del",
            "w:trPrChange",
        ],
        "w:sectPr" => &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
        "w:numPr" => &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"],
        "w:pBdr" => &["w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"],
        "w:tblBorders" => &["w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right", "w:insideH", "w:insideV"],
        "w:tcBorders" => &[
            "w:top",
            "w:start",
            "w:left",
            "w:bottom",
            "w:end",
            "w:right",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        "w:tblCellMar" | "w:tcMar" => &["w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right"],
        "w:tblGrid" => &["w:gridCol", "w:tblGridChange"],
        "w:styles" => &["w:docDefaults", "w:latentStyles", "w:style"],
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:style" => &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
        "w:tblStylePr" => &["w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"],
        "w:numbering" => &["w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup"],
        "w:abstractNum" => {
            &["w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink", "w:numStyleLink", "w:lvl"]
        }
        "w:lvl" => &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
        "w:num" => &["w:abstractNumId", "w:lvlOverride"],
        "w:lvlOverride" => &["w:startOverride", "w:lvl"],
        "w:font" => &[
            "w:altName",
            "w:panose1",
            "w:charset",
            "w:family",
            "w:notTrueType",
            "w:pitch",
            "w:sig",
            "w:embedRegular",
            "w:embedBold",
            "w:embedItalic",
            "w:embedBoldItalic",
        ],
        "w:settings" => SETTINGS,
        "w:compat" => COMPAT,
        _ => return None,
    })
}

const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
];

const COMPAT: &[&str] = &[
    "w:useSingleBorderforContiguousCells",
    "w:wpJustification",
    "w:noTabHangInd",
    "w:noLeading",
    "w:spaceForUL",
    "w:noColumnBalance",
    "w:balanceSingleByteDoubleByteWidth",
    "w:noExtraLineSpacing",
    "w:doNotLeaveBackslashAlone",
    "w:ulTrailSpace",
    "w:doNotExpandShiftReturn",
    "w:spacingInWholePoints",
    "w:lineWrapLikeWord6",
    "w:printBodyTextBeforeHeader",
    "w:printColBlack",
    "w:wpSpaceWidth",
    "w:showBreaksInFrames",
    "w:subFontBySize",
    "w:suppressBottomSpacing",
    "w:suppressTopSpacing",
    "w:suppressSpacingAtTopOfPage",
    "w:suppressTopSpacingWP",
    "w:suppressSpBfAfterPgBrk",
    "w:swapBordersFacingPages",
    "w:convMailMergeEsc",
    "w:truncateFontHeightsLikeWP6",
    "w:mwSmallCaps",
    "w:usePrinterMetrics",
    "w:doNotSuppressParagraphBorders",
    "w:wrapTrailSpaces",
    "w:footnoteLayoutLikeWW8",
    "w:shapeLayoutLikeWW8",
    "w:alignTablesRowByRow",
    "w:forgetLastTabAlignment",
    "w:adjustLineHeightInTable",
    "w:autoSpaceLikeWord95",
    "w:noSpaceRaiseLower",
    "w:doNotUseHTMLParagraphAutoSpacing",
    "w:layoutRawTableWidth",
    "w:layoutTableRowsApart",
    "w:useWord97LineBreakRules",
    "w:doNotBreakWrappedTables",
    "w:doNotSnapToGridInCell",
    "w:selectFldWithFirstOrLastChar",
    "w:applyBreakingRules",
    "w:doNotWrapTextWithPunct",
    "w:doNotUseEastAsianBreakRules",
    "w:useWord2002TableStyleRules",
    "w:growAutofit",
    "w:useFELayout",
    "w:useNormalStyleForList",
    "w:doNotUseIndentAsNumberingTabStop",
    "w:useAltKinsokuLineBreakRules",
    "w:allowSpaceOfSameStyleInTable",
    "w:doNotSuppressIndentation",
    "w:doNotAutofitConstrainedTables",
    "w:autofitToFirstFixedWidthCell",
    "w:underlineTabInNumList",
    "w:displayHangulFixedWidth",
    "w:splitPgBreakAndParaMark",
    "w:doNotVertAlignCellWithSp",
    "w:doNotBreakConstrainedForcedTable",
    "w:doNotVertAlignInTxbx",
    "w:useAnsiKerningPairs",
    "w:cachedColBalance",
    "w:compatSetting",
];

/// Puts a whole part in schema order, calling `edit` on every element whose children are sorted
/// (outermost first, before sorting) so a caller can change properties on the way through.
/// Only those elements are parsed; the rest of the part is copied as it is.
pub(super) fn reorder_part(part: &[u8], edit: &mut dyn FnMut(&mut Element)) -> Result<Vec<u8>> {
    let mut reader = xml::reader(part);
    let mut out = Vec::with_capacity(part.len());
    let mut copied = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().context("malformed XML")?;
        let (start, empty) = match &event {
            Event::Start(s) => (s, false),
            Event::Empty(s) => (s, true),
            Event::Eof => break,
            _ => continue,
        };
        if child_order(start.name().as_ref()).is_none() {
            continue;
        }
        let mut element = xml::read_element(&mut reader, &start.to_owned(), empty)?;
        out.extend_from_slice(&part[copied..before]);
        copied = reader.buffer_position() as usize;
        element.visit_mut(edit);
        if let Some(element) = normalise(element) {
            let mut writer = xml::writer();
            element.write_to(&mut writer)?;
            out.extend_from_slice(&writer.into_inner());
        }
    }
    out.extend_from_slice(&part[copied..]);
    Ok(out)
}

/// Sorts `element`'s subtree into schema order and applies the fixes; `None` when the element
/// itself is an empty `w:rPr` or `w:pPr`, which are optional and better left out.
pub(super) fn normalise(element: Element) -> Option<Element> {
    normalise_in(element, false)
}

/// [`normalise`], where `required` says the element must stay even when empty (the `w:rPr`
/// of a `w:rPrChange`, the `w:pPr` of a `w:pPrChange`: the formatting before a tracked change).
fn normalise_in(mut element: Element, required: bool) -> Option<Element> {
    let children = std::mem::take(&mut element.children);
    let mut kept = Vec::with_capacity(children.len());
    let records_a_change = element.name.ends_with("PrChange");
    for child in children {
        match child {
            Node::Element(e) => {
                if let Some(e) = normalise_in(e, records_a_change) {
                    kept.push(Node::Element(e));
                }
            }
            Node::Other(Event::Text(t)) if child_order(&element.name).is_some() && t.trim_ascii().is_empty() => {}
            other => kept.push(other),
        }
    }
    element.children = kept;
    if element.name == "w:gridCol" {
        // docx-rs writes `w:type="dxa"`, an attribute CT_TblGridCol does not have.
        element.remove_attr("w:type");
    }
    if let Some(order) = child_order(&element.name) {
        sort_children(&mut element, order);
    }
    let optional_when_empty = !required && matches!(element.name.as_str(), "w:rPr" | "w:pPr");
    (!(optional_when_empty && element.children.is_empty() && element.attr_keys().next().is_none())).then_some(element)
}

/// A stable sort by schema rank; a child the order does not name keeps the rank of the known
/// sibling before it, so it travels with that sibling.
fn sort_children(element: &mut Element, order: &[&str]) {
    let mut rank = 0usize;
    let mut keyed: Vec<(usize, Node)> = std::mem::take(&mut element.children)
        .into_iter()
        .map(|node| {
            if let Node::Element(e) = &node
                && let Some(known) = order.iter().position(|name| *name == e.name)
            {
                rank = known;
            }
            (rank, node)
        })
        .collect();
    keyed.sort_by_key(|(rank, _)| *rank);
    element.children = keyed.into_iter().map(|(_, node)| node).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reorder(xml: &str) -> String {
        String::from_utf8(reorder_part(xml.as_bytes(), &mut |_| {}).unwrap()).unwrap()
    }

    #[test]
    fn paragraph_properties_are_sorted_and_the_empty_run_properties_dropped() {
        assert_eq!(
            reorder(
                r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="A" /><w:numPr><w:numId w:val="2" /><w:ilvl w:val="1" /></w:numPr><w:keepNext /></w:pPr><w:r><w:rPr /><w:t>x</w:t></w:r></w:p>"#
            ),
            r#"<w:p><w:pPr><w:pStyle w:val="A" /><w:keepNext /><w:numPr><w:ilvl w:val="1" /><w:numId w:val="2" /></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn run_cell_section_and_table_properties_take_schema_order() {
        assert_eq!(
            reorder(r#"<w:rPr><w:color w:val="FFFFFF" /><w:b /><w:bCs /><w:sz w:val="16" /></w:rPr>"#),
            r#"<w:rPr><w:b /><w:bCs /><w:color w:val="FFFFFF" /><w:sz w:val="16" /></w:rPr>"#
        );
        assert_eq!(
            reorder(
                r#"<w:tcPr><w:tcW w:w="1" w:type="dxa" /><w:vAlign w:val="center" /><w:shd w:fill="1F3864" /></w:tcPr>"#
            ),
            r#"<w:tcPr><w:tcW w:w="1" w:type="dxa" /><w:shd w:fill="1F3864" /><w:vAlign w:val="center" /></w:tcPr>"#
        );
        assert_eq!(
            reorder(
                r#"<w:sectPr><w:pgSz w:w="1" /><w:cols /><w:footerReference r:id="f" /><w:headerReference r:id="h" /></w:sectPr>"#
            ),
            r#"<w:sectPr><w:headerReference r:id="h" /><w:footerReference r:id="f" /><w:pgSz w:w="1" /><w:cols /></w:sectPr>"#
        );
        assert_eq!(
            reorder(r#"<w:tblPr><w:tblW w:w="0" /><w:tblStyle w:val="S" /><w:tblLayout w:type="fixed" /></w:tblPr>"#),
            r#"<w:tblPr><w:tblStyle w:val="S" /><w:tblW w:w="0" /><w:tblLayout w:type="fixed" /></w:tblPr>"#
        );
        assert_eq!(
            reorder(r#"<w:tblGrid><w:gridCol w:w="683" w:type="dxa" /></w:tblGrid>"#),
            r#"<w:tblGrid><w:gridCol w:w="683" /></w:tblGrid>"#
        );
    }

    #[test]
    fn styles_nest_and_unknown_children_travel_with_their_neighbour() {
        assert_eq!(
            reorder(
                r#"<w:style w:styleId="H"><w:name w:val="h" /><w:rPr><w:b /><w14:glow /><w:rFonts /></w:rPr><w:pPr><w:rPr /><w:keepNext /></w:pPr><w:qFormat /><w:basedOn w:val="Normal" /></w:style>"#
            ),
            r#"<w:style w:styleId="H"><w:name w:val="h" /><w:basedOn w:val="Normal" /><w:qFormat /><w:pPr><w:keepNext /></w:pPr><w:rPr><w:rFonts /><w:b /><w14:glow /></w:rPr></w:style>"#
        );
    }

    #[test]
    fn everything_else_is_copied_byte_for_byte_and_a_sorted_part_is_unchanged() {
        let text = r#"<?xml version="1.0"?><w:body><w:p w14:paraId="1"><w:r><w:t xml:space="preserve"> a &amp; b </w:t></w:r></w:p><w:sectPr><w:pgSz w:w="1" /></w:sectPr></w:body>"#;
        assert_eq!(reorder(text), text);
        let settings = r#"<w:settings><w:zoom w:percent="100" /><w:defaultTabStop w:val="720" /><w:compat><w:compatSetting w:name="compatibilityMode" /></w:compat></w:settings>"#;
        assert_eq!(reorder(settings), settings);
        let once = reorder(r#"<w:lvl><w:pPr><w:ind /></w:pPr><w:lvlJc /><w:pStyle /><w:start /></w:lvl>"#);
        assert_eq!(once, r#"<w:lvl><w:start /><w:pStyle /><w:lvlJc /><w:pPr><w:ind /></w:pPr></w:lvl>"#);
        assert_eq!(reorder(&once), once);
    }

    #[test]
    fn the_formatting_before_a_tracked_change_stays_even_when_empty() {
        let text = r#"<w:rPr><w:b /><w:rPrChange w:id="1" w:author="A"><w:rPr /></w:rPrChange></w:rPr>"#;
        assert_eq!(reorder(text), text);
        let text = r#"<w:pPr><w:jc w:val="left" /><w:pPrChange w:id="2" w:author="A"><w:pPr /></w:pPrChange></w:pPr>"#;
        assert_eq!(reorder(text), text);
    }

    #[test]
    fn the_edit_hook_sees_each_sorted_element() {
        let mut seen = Vec::new();
        let out = reorder_part(br#"<w:p><w:pPr><w:pStyle w:val="A" /></w:pPr></w:p>"#, &mut |e| {
            seen.push(e.name.clone());
            if let Some(style) = e.find_mut("w:pStyle") {
                style.set("w:val", "B");
            }
        })
        .unwrap();
        assert_eq!(seen, ["w:pPr", "w:pStyle"]);
        assert_eq!(String::from_utf8(out).unwrap(), r#"<w:p><w:pPr><w:pStyle w:val="B" /></w:pPr></w:p>"#);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(reorder_part(b"<w:p><w:pPr><w:b></w:pPr></w:p>", &mut |_| {}).is_err());
    }
}
