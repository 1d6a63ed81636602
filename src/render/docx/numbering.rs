//! Word numbering for the body: which `w:num` each numbered heading and paragraph uses, so that
//! the numbers Word and LibreOffice compute equal the numbers already in the model.
//!
//! In: the numbering scheme and, item by item, the counters of the number the model decided
//! (`[3]`, `[2, 1]`).
//! Out: a numbering id and level for the paragraph's `w:numPr`, and at the end the abstract
//! numbering and numbering instances for `numbering.xml`.
//!
//! Numbers come from Word numbering (not typed digits) so an author who inserts a paragraph in
//! Word gets the following ones renumbered. The plan simulates Word's counters; when the model
//! asks for a number the counters would not produce (the 2017 reference paper jumps from 2.2 to
//! 2.4), it starts a new numbering instance that restarts the level at the wanted number. Only
//! numbers Word cannot count (`A.1`, or `1.1` before any numbered heading) are typed.

use docx_rs::{
    AbstractNumbering, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering as NumberingInstance,
    SpecialIndentType, Start,
};

use super::styles;
use crate::model::Numbering;

/// The abstract numbering of body paragraphs. Ids start at 2: docx-rs always writes a preset
/// abstract numbering and instance with id 1, and a second id 1 makes LibreOffice show "(1)".
const BODY_ABSTRACT_ID: usize = 2;
/// The abstract numbering of numbered front blocks (several recommendations).
const FRONT_ABSTRACT_ID: usize = 3;
/// The first numbering instance id; instances are numbered upwards from here.
const FIRST_NUM_ID: usize = 2;

/// A numbering instance (`w:num`).
struct Instance {
    id: usize,
    abstract_id: usize,
    /// A level restarted at a value (`w:startOverride`) when the instance is first used.
    restart: Option<(usize, u32)>,
    used: bool,
}

/// The counters of the body's abstract numbering. Word and LibreOffice count per abstract
/// numbering: instances without overrides continue each other, and an instance with a start
/// override resets that level when it is first used (checked in LibreOffice by converting to
/// PDF; this is also how Word's "restart numbering" is stored).
#[derive(Default)]
struct Counters([Option<u32>; 2]);

impl Counters {
    /// The value `instance` would give its next paragraph at `level`.
    fn next(&self, instance: &Instance, level: usize) -> u32 {
        match instance.restart {
            Some((restart_level, start)) if !instance.used && restart_level == level => start,
            _ => self.0[level].map_or(1, |c| c + 1),
        }
    }

    /// The number the next paragraph at `level` would show, as its parts; `None` when it would
    /// show a level that has not been used since its parent advanced (Word and LibreOffice
    /// disagree on what they print then).
    fn preview(&self, instance: &Instance, level: usize) -> Option<Vec<u32>> {
        let next = self.next(instance, level);
        match level {
            0 => Some(vec![next]),
            _ => Some(vec![self.0[0]?, next]),
        }
    }

    fn advance(&mut self, instance: &mut Instance, level: usize) {
        self.0[level] = Some(self.next(instance, level));
        for deeper in self.0.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        instance.used = true;
    }
}

fn level(level: usize, start: u32, text: &str, indent: i32) -> Level {
    Level::new(
        level,
        Start::new(start as usize),
        NumberFormat::new("decimal"),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(Some(indent), Some(SpecialIndentType::Hanging(indent)), None, None)
}

/// The numbering of one document, built while the body is written.
pub(super) struct NumberingPlan {
    scheme: Numbering,
    instances: Vec<Instance>,
    counters: Counters,
    /// Index of the instance numbered paragraphs and headings use now.
    current: usize,
    /// Whether any front block is numbered (then the front abstract numbering is written).
    has_front: bool,
    /// Where the text of a numbered paragraph, heading or recommendation starts, in twentieths
    /// of a point (the layout's number indent); the number hangs to the left of it.
    indent: i32,
}

impl NumberingPlan {
    pub(super) fn new(scheme: Numbering, indent: i32) -> Self {
        let main = Instance { id: FIRST_NUM_ID, abstract_id: BODY_ABSTRACT_ID, restart: None, used: false };
        NumberingPlan {
            scheme,
            instances: vec![main],
            counters: Counters::default(),
            current: 0,
            has_front: false,
            indent,
        }
    }

    fn add_instance(&mut self, abstract_id: usize, restart: Option<(usize, u32)>) -> usize {
        let id = FIRST_NUM_ID + self.instances.len();
        self.instances.push(Instance { id, abstract_id, restart, used: false });
        self.instances.len() - 1
    }

    /// Numbers the next item at `level` as `wanted`: on the current instance when its count
    /// gives that number, else on a new instance restarting the level at the wanted value.
    fn number(&mut self, level: usize, wanted: Vec<u32>) -> Option<(usize, usize)> {
        if self.counters.preview(&self.instances[self.current], level) != Some(wanted.clone()) {
            let restart = self.add_instance(BODY_ABSTRACT_ID, Some((level, wanted[level])));
            if self.counters.preview(&self.instances[restart], level) != Some(wanted) {
                // A level-1 number before any numbered heading: the section part cannot come
                // from the counters, so the number is typed.
                self.instances.pop();
                return None;
            }
            self.current = restart;
        }
        let instance = &mut self.instances[self.current];
        self.counters.advance(instance, level);
        Some((instance.id, level))
    }

    /// The numbering id and level for a numbered section heading counted `parts` (`[1]`);
    /// `None` when the number cannot come from Word numbering and must be typed.
    pub(super) fn heading(&mut self, parts: &[u32]) -> Option<(usize, usize)> {
        if self.scheme != Numbering::Sectioned || parts.len() != 1 || parts.contains(&0) {
            return None;
        }
        self.number(0, parts.to_vec())
    }

    /// The numbering id and level for a body paragraph counted `parts` (`[3]`, `[2, 1]`);
    /// `None` when the number cannot come from Word numbering and must be typed.
    pub(super) fn paragraph(&mut self, parts: &[u32]) -> Option<(usize, usize)> {
        if parts.contains(&0) {
            return None;
        }
        let wanted = parts.to_vec();
        let level = match (self.scheme, wanted.len()) {
            (Numbering::Running, 1) => 0,
            (Numbering::Sectioned, 2) => 1,
            _ => return None,
        };
        self.number(level, wanted)
    }

    /// The body's main numbering instance, the one the Heading 1 and Numbered Para styles
    /// carry: a paragraph numbered on it needs no numbering of its own.
    pub(super) fn main_id(&self) -> usize {
        FIRST_NUM_ID
    }

    /// The level numbered paragraphs take: 0 in the running scheme, 1 under numbered headings.
    pub(super) fn paragraph_level(&self) -> usize {
        match self.scheme {
            Numbering::Running => 0,
            Numbering::Sectioned => 1,
        }
    }

    /// A new numbering instance for one numbered front block, counting 1, 2, 3 ….
    pub(super) fn front_list(&mut self) -> usize {
        self.has_front = true;
        // Instances of one abstract numbering continue each other's count: restart at 1.
        let index = self.add_instance(FRONT_ABSTRACT_ID, Some((0, 1)));
        self.instances[index].id
    }

    /// The abstract numberings and instances for `numbering.xml`. Each level of the body's
    /// numbering names the style that numbers itself with it (`w:pStyle`), the other half of
    /// the style's `w:numPr`: Word needs both to keep headings and paragraphs in one list.
    pub(super) fn definitions(&self) -> (Vec<AbstractNumbering>, Vec<NumberingInstance>) {
        let body = match self.scheme {
            Numbering::Running => AbstractNumbering::new(BODY_ABSTRACT_ID)
                .add_level(level(0, 1, "%1.", self.indent).paragraph_style(styles::NUMBERED_PARA)),
            Numbering::Sectioned => AbstractNumbering::new(BODY_ABSTRACT_ID)
                .add_level(level(0, 1, "%1.", self.indent).paragraph_style(styles::HEADING1))
                .add_level(level(1, 1, "%1.%2", self.indent).paragraph_style(styles::NUMBERED_PARA)),
        };
        let mut abstracts = vec![body];
        if self.has_front {
            abstracts.push(AbstractNumbering::new(FRONT_ABSTRACT_ID).add_level(level(0, 1, "%1.", self.indent)));
        }
        let instances = self
            .instances
            .iter()
            .map(|instance| {
                let num = NumberingInstance::new(instance.id, instance.abstract_id);
                match instance.restart {
                    Some((level, start)) => num.add_override(LevelOverride::new(level).start(start as usize)),
                    None => num,
                }
            })
            .collect();
        (abstracts, instances)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectioned_sequence_uses_one_instance() {
        let mut plan = NumberingPlan::new(Numbering::Sectioned, 720);
        assert_eq!(plan.heading(&[1]), Some((2, 0)));
        assert_eq!(plan.paragraph(&[1, 1]), Some((2, 1)));
        assert_eq!(plan.paragraph(&[1, 2]), Some((2, 1)));
        assert_eq!(plan.heading(&[2]), Some((2, 0)));
        assert_eq!(plan.paragraph(&[2, 1]), Some((2, 1)));
        assert_eq!(plan.instances.len(), 1);
    }

    #[test]
    fn skipped_paragraph_number_restarts_the_level_on_a_new_instance() {
        // The 2017 reference jumps from 2.2 to 2.4.
        let mut plan = NumberingPlan::new(Numbering::Sectioned, 720);
        plan.heading(&[1]);
        plan.heading(&[2]);
        plan.paragraph(&[2, 1]);
        plan.paragraph(&[2, 2]);
        assert_eq!(plan.paragraph(&[2, 4]), Some((3, 1)));
        assert_eq!(plan.instances[1].restart, Some((1, 4)));
        assert_eq!(plan.paragraph(&[2, 5]), Some((3, 1)));
        assert_eq!(plan.heading(&[3]), Some((3, 0)));
        assert_eq!(plan.paragraph(&[3, 1]), Some((3, 1)));
        assert_eq!(plan.instances.len(), 2);
    }

    #[test]
    fn paragraph_before_any_heading_is_typed() {
        let mut plan = NumberingPlan::new(Numbering::Sectioned, 720);
        assert_eq!(plan.paragraph(&[1, 1]), None);
        assert_eq!(plan.instances.len(), 1);
    }

    #[test]
    fn running_scheme_counts_across_sections_and_restarts_on_a_gap() {
        let mut plan = NumberingPlan::new(Numbering::Running, 720);
        assert_eq!(plan.heading(&[1]), None);
        assert_eq!(plan.paragraph(&[1]), Some((2, 0)));
        assert_eq!(plan.paragraph(&[2]), Some((2, 0)));
        assert_eq!(plan.paragraph(&[5]), Some((3, 0)));
        assert_eq!(plan.paragraph(&[6]), Some((3, 0)));
        assert_eq!(plan.paragraph(&[7]), Some((3, 0)));
    }

    #[test]
    fn numbers_word_cannot_count_are_typed() {
        let mut plan = NumberingPlan::new(Numbering::Sectioned, 720);
        assert_eq!(plan.paragraph(&[1, 2, 3]), None);
        assert_eq!(plan.paragraph(&[0]), None);
        assert_eq!(plan.heading(&[1, 1]), None);
    }
}
