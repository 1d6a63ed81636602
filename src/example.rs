//! The example that `committee-paper init` writes: the bundled 2014 reference paper and its
//! workbook, a working starting point an author can edit.

use crate::output::OutputFile;

/// The example paper file and workbook, named as they are written.
pub fn example_files() -> Vec<OutputFile> {
    vec![
        OutputFile {
            name: "paper.yaml".to_string(),
            bytes: include_bytes!("../fixtures/kcc-2014-scs-dashboard/paper.yaml").to_vec(),
        },
        OutputFile {
            name: "scs-dashboard.xlsx".to_string(),
            bytes: include_bytes!("../fixtures/kcc-2014-scs-dashboard/scs-dashboard.xlsx").to_vec(),
        },
    ]
}
