//! The command line: parse arguments, call the library, print errors, set the exit code.
//! Exit codes: 0 success, 1 a paper could not be built or checked, 2 bad usage (clap's own).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use committee_paper::{Formats, PdfStandard, RenderOptions, Warning, batch, output, scorecard};

#[derive(Parser)]
#[command(
    name = "committee-paper",
    version,
    about = "Committee papers (PDF and DOCX) from a YAML paper file and Excel workbooks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where a paper's files go, and which.
#[derive(clap::Args)]
struct OutputArgs {
    /// Output folder.
    #[arg(short, long, default_value = ".")]
    output: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "pdf,docx", value_parser = ["pdf", "docx"])]
    format: Vec<String>,
    /// PDF standard: a-2a+ua-1 (default, for publishing and archiving), a-2a, a-2b, ua-1, none.
    #[arg(long, default_value = "a-2a+ua-1", value_parser = parse_standard)]
    pdf_standard: PdfStandard,
}

#[derive(Subcommand)]
enum Command {
    /// Build a paper as PDF and DOCX.
    Build {
        /// The paper file (YAML).
        paper: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
        /// Also write the full version of a paper with an exempt appendix, as <name>-full.pdf and
        /// .docx (the usual files are always the public version, the appendix withheld).
        #[arg(long)]
        exempt: bool,
    },
    /// Validate a paper and print its scorecard ratings; writes nothing.
    Check {
        /// The paper file (YAML).
        paper: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Build every paper of a batch manifest, in parallel; print a summary.
    ///
    /// Exit status: 0 every paper built, 1 any failed (the others are still built) or the
    /// manifest is wrong (nothing built), 2 bad usage.
    Batch {
        /// The manifest (YAML).
        manifest: PathBuf,
        /// Output folder (default: the manifest's `output-dir`, else the current folder).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Papers built at once (default: one per core).
        #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Build only share I of N (1-based), e.g. 2/4: papers sorted by output name, every N-th.
        #[arg(long, value_name = "I/N", value_parser = batch::Shard::parse)]
        shard: Option<batch::Shard>,
    },
    /// Build a meeting's agenda packs: <name>-public.pdf, <name>-full.pdf and, when items are
    /// marked supplement, <name>-supplement.pdf.
    Pack {
        /// The meeting file (YAML).
        meeting: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = ".")]
        output: PathBuf,
        /// Print the agenda with each item's pages and the publication deadline; write nothing.
        #[arg(long)]
        check: bool,
        /// PDF standard (default: the meeting file's `pdf-standard`, else a-2a+ua-1).
        #[arg(long, value_parser = parse_standard)]
        pdf_standard: Option<PdfStandard>,
    },
    /// Write a paper's typst project (template, data, logo, fonts) to hand-tune with typst.
    ///
    /// `typst compile` in that folder (the command is printed and in its README.txt) gives the
    /// same pages and text as `build`.
    Eject {
        /// The paper file (YAML).
        paper: PathBuf,
        /// The folder to write into (created if missing; files of the same names are replaced).
        #[arg(short, long)]
        output: PathBuf,
        /// The PDF standard the printed command asks typst for (as for `build`).
        #[arg(long, default_value = "a-2a+ua-1", value_parser = parse_standard)]
        pdf_standard: PdfStandard,
    },
    /// Write a working example paper file and workbook to start from.
    Init {
        /// The folder to write into (created if missing; existing files are never overwritten).
        dir: PathBuf,
    },
    /// Build a paper, then build it again whenever its paper file, workbooks, template, logo or
    /// fonts change; one line per build. Stop with Ctrl-C.
    Watch {
        /// The paper file (YAML).
        paper: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Show a workbook's sheets, the header row and columns found, and its defined names.
    Inspect {
        /// The workbook (.xlsx, .xlsm, .xls, .ods).
        workbook: PathBuf,
    },
}

fn parse_standard(text: &str) -> Result<PdfStandard, String> {
    PdfStandard::parse(text).ok_or_else(|| format!("expected one of {}; found {text:?}", PdfStandard::NAMES))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { paper, out, exempt } => build(&paper, &out, exempt).map(|()| ExitCode::SUCCESS),
        Command::Pack { meeting, output, check, pdf_standard } => {
            pack(&meeting, &output, check, pdf_standard).map(|()| ExitCode::SUCCESS)
        }
        Command::Check { paper, json } => check(&paper, json).map(|()| ExitCode::SUCCESS),
        Command::Eject { paper, output, pdf_standard } => {
            eject(&paper, &output, pdf_standard).map(|()| ExitCode::SUCCESS)
        }
        Command::Init { dir } => init(&dir).map(|()| ExitCode::SUCCESS),
        Command::Inspect { workbook } => inspect(&workbook).map(|()| ExitCode::SUCCESS),
        Command::Watch { paper, out } => watch(&paper, out).map(|()| ExitCode::SUCCESS),
        Command::Batch { manifest, output, jobs, json, shard } => run_batch(&manifest, output, jobs, json, shard),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}

impl OutputArgs {
    fn render_options(&self) -> RenderOptions {
        let wants = |format: &str| self.format.iter().any(|f| f == format);
        RenderOptions {
            formats: Formats { pdf: wants("pdf"), docx: wants("docx") },
            pdf: committee_paper::render::PdfOptions { standard: self.pdf_standard, ..Default::default() },
            ..Default::default()
        }
    }
}

fn build(paper: &std::path::Path, out: &OutputArgs, exempt: bool) -> Result<()> {
    let loaded = committee_paper::load(paper)?;
    let options = out.render_options();
    let stem = &loaded.config.output_stem;
    // The usual files are always fit to publish: exempt appendices withheld.
    let mut rendered = committee_paper::render(&loaded.paper.public(), stem, &options)?;
    let withheld = loaded.paper.has_exempt_parts();
    if exempt && withheld {
        // Its warnings are the public version's: the same paper, the same fonts.
        let full = committee_paper::render(&loaded.paper.full(), &format!("{stem}-full"), &options)?;
        rendered.files.extend(full.files);
    }
    print_warnings(loaded.warnings.iter().chain(&rendered.warnings));
    for path in output::write_all(&out.output, &rendered.files)? {
        println!("wrote {}", path.display());
    }
    match (exempt, withheld) {
        (false, true) => eprintln!(
            "note: exempt appendices are withheld from {stem}.*; add --exempt to write the full version as {stem}-full.*"
        ),
        (true, false) => eprintln!("note: the paper has no exempt appendix, so there is no full version to write"),
        _ => {}
    }
    Ok(())
}

fn pack(
    meeting: &std::path::Path,
    out_dir: &std::path::Path,
    check: bool,
    standard: Option<PdfStandard>,
) -> Result<()> {
    let loaded = committee_paper::pack::load(meeting)?;
    let options = committee_paper::pack::PackOptions { standard, ..Default::default() };
    if check {
        let report = committee_paper::pack::check(&loaded, &options)?;
        print_warnings(&report.warnings);
        print!("{}", report.to_text());
        return Ok(());
    }
    let built = committee_paper::pack::build(&loaded, &options)?;
    for path in output::write_all(out_dir, &built.files)? {
        println!("wrote {}", path.display());
    }
    for (version, pdf) in &built.versions {
        println!("  {} pack: {} pages", version.suffix(), pdf.pages);
    }
    print!("{}", built.deadline.to_text());
    print_warnings(&built.warnings);
    Ok(())
}

fn eject(paper: &std::path::Path, out_dir: &std::path::Path, standard: PdfStandard) -> Result<()> {
    let loaded = committee_paper::load(paper)?;
    let options = committee_paper::render::PdfOptions { standard, ..Default::default() };
    let ejected = committee_paper::eject(&loaded.paper, &options)?;
    print_warnings(loaded.warnings.iter().chain(&ejected.warnings));
    for path in output::write_all(out_dir, &ejected.files)? {
        println!("wrote {}", path.display());
    }
    println!("compile it in {} with: {}", out_dir.display(), committee_paper::render::pdf::typst_command(standard));
    Ok(())
}

/// Warnings go to standard error, once each, before anything is written.
fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a Warning>) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

fn check(paper: &std::path::Path, json: bool) -> Result<()> {
    let loaded = committee_paper::load(paper)?;
    print_warnings(&loaded.warnings);
    let report = loaded.check_report();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(())
}

fn run_batch(
    manifest: &std::path::Path,
    output: Option<PathBuf>,
    jobs: Option<u16>,
    json: bool,
    shard: Option<batch::Shard>,
) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let options = batch::BatchOptions {
        output_dir: output,
        jobs: jobs.map(usize::from),
        shard,
        // A bar only for a person watching; logs and pipes get the summary alone.
        progress: std::io::stderr().is_terminal(),
    };
    let summary = batch::run(manifest, &options)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", summary.to_text());
    }
    Ok(if summary.all_built() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn watch(paper: &std::path::Path, out: OutputArgs) -> Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))?;
    let options = committee_paper::watch::WatchOptions { render: out.render_options(), output_dir: out.output };
    eprintln!("watching {} and its inputs; Ctrl-C to stop", paper.display());
    committee_paper::watch::run(paper, &options, &stop, |outcome| {
        for warning in &outcome.warnings {
            eprintln!("warning: {warning}");
        }
        eprintln!("{}", committee_paper::watch::describe(outcome));
    })?;
    eprintln!("stopped");
    Ok(())
}

fn init(dir: &std::path::Path) -> Result<()> {
    let files = committee_paper::example::example_files();
    if let Some(existing) = files.iter().map(|f| dir.join(&f.name)).find(|p| p.exists()) {
        anyhow::bail!("{} already exists; init never overwrites files (choose an empty folder)", existing.display());
    }
    for path in output::write_all(dir, &files)? {
        println!("wrote {}", path.display());
    }
    println!("next: committee-paper build {}", dir.join("paper.yaml").display());
    Ok(())
}

fn inspect(workbook: &std::path::Path) -> Result<()> {
    let name = workbook.display().to_string();
    let mut book = committee_paper::ingest::Workbook::open(workbook, &name)?;
    print!("{}", book.summary(&scorecard::columns::workbook_specs()));
    Ok(())
}
