//! The `butie` command line: evaluate a profile, batch a client list, list policies, explain a clause.
//!
//! Exit codes: 0 success; 2 bad input (a file, flag, profile or header that cannot be used,
//! every problem listed); 3 `batch` finished, but some rows were rejected (each named, and in
//! the output's error column); 1 anything else (writing the output, embedded data).

mod batch;
mod calendar;
mod error;
mod evaluate;
mod explain;
mod input;
mod policies;
mod text;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A batch allocates and frees a few dozen small objects per client on every core.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use error::CliError;
use std::path::PathBuf;
use std::process::ExitCode;

/// Shanghai district subsidy calculator (补贴): policies as data, exact money, citations.
#[derive(Debug, Parser)]
#[command(name = "butie", version, about, max_term_width = 100)]
struct Cli {
    /// Load facts.toml and the policy *.toml files from this directory instead of the embedded
    /// data; repeat it to add directories of further documents (only the first holds facts.toml).
    #[arg(long, global = true, value_name = "DIR")]
    policies: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate one profile (JSON file, or - for stdin) against every district's policy.
    Evaluate(EvaluateArgs),
    /// Evaluate a client list (CSV, JSONL or Excel) into one row per client and district.
    Batch(BatchArgs),
    /// List the policy documents with their window and their state on a date.
    Policies(PoliciesArgs),
    /// Show a clause or rule: quotes, conditions, the formula written out, offsets, notes.
    Explain(ExplainArgs),
    /// Write an iCalendar file (RFC 5545): the last days, ending-soon dates, start dates and
    /// dated steps of the documents in force or upcoming on a date.
    Calendar(CalendarArgs),
    /// Print a JSON Schema: the profile input or the evaluation result.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

/// Options shared by `evaluate` and `batch`.
#[derive(Debug, Args)]
struct EvalArgs {
    /// Evaluation date, YYYY-MM-DD, years 1900–2100 (default: today in Shanghai, UTC+8).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only this district (repeatable), e.g. --district putuo.
    #[arg(long = "district", value_name = "ID")]
    districts: Vec<String>,
    /// Evaluate every district as if the enterprise were registered there.
    #[arg(long)]
    compare: bool,
    /// The application period (申报期) of the call applied under, START..END, e.g.
    /// 2026-03-01..2026-04-30: decides clauses whose text requires a date within it
    /// (金山 第六–八条). Not given: those clauses need information.
    #[arg(long, value_name = "START..END")]
    application_period: Option<String>,
}

#[derive(Debug, Args)]
struct EvaluateArgs {
    /// Profile JSON file, or - for standard input.
    file: String,
    #[command(flatten)]
    eval: EvalArgs,
    /// Print the full result as JSON instead of the table.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print one CSV row per clause (and per project or product) instead of the table: the
    /// page's “results CSV”.
    #[arg(long)]
    csv: bool,
    /// Language of the table.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
    /// List every clause, also in districts whose applicant conditions are unmet.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Args)]
struct BatchArgs {
    /// Client list: .csv, .jsonl or .xlsx (or - for standard input).
    file: String,
    /// Where to write the results (- for standard output): CSV, or an Excel workbook when the
    /// name ends in .xlsx. Never the input file.
    #[arg(long, short, value_name = "FILE", default_value = "-")]
    out: String,
    /// Input format (default: guessed from the file name, then the contents).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    #[command(flatten)]
    eval: EvalArgs,
    /// No UTF-8 byte-order mark in the output CSV file (written by default for files, never to
    /// stdout; Excel needs it to read Chinese).
    #[arg(long)]
    no_bom: bool,
}

#[derive(Debug, Args)]
struct PoliciesArgs {
    /// Date for the state column, YYYY-MM-DD (default: today in Shanghai).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Language of the table.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
}

#[derive(Debug, Args)]
struct CalendarArgs {
    /// Which documents are in force or upcoming: their state on this date, YYYY-MM-DD
    /// (default: today in Shanghai).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Where to write the .ics file (- for standard output).
    #[arg(long, short, value_name = "FILE", default_value = "-")]
    out: String,
    /// Language of the event titles and texts.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// A clause or rule id, e.g. jinshan.8 or putuo.5.2.
    id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the text.
    #[arg(long, value_enum, default_value = "zh")]
    lang: LangArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for butie::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => butie::Lang::Zh,
            LangArg::En => butie::Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Jsonl,
    Xlsx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    Profile,
    Result,
}

/// Exit code of a batch whose every row was written but some were rejected.
const ROWS_REJECTED: u8 = 3;

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let set = input::load_set(&cli.policies)?;
    let done = match cli.command {
        Command::Evaluate(a) => evaluate::run(&set, &a),
        Command::Batch(a) => {
            return batch::run(&set, &a).map(|f| match f {
                batch::Finished::AllRows => ExitCode::SUCCESS,
                batch::Finished::RowsRejected => ExitCode::from(ROWS_REJECTED),
            });
        }
        Command::Policies(a) => policies::run(&set, &a),
        Command::Explain(a) => explain::run(&set, &a),
        Command::Calendar(a) => calendar::run(&set, &a),
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Profile => butie::schema::profile_schema(&set.catalogue),
                SchemaKind::Result => butie::schema::result_schema(),
            };
            input::print_json(&schema)
        }
    };
    done.map(|()| ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.code())
        }
    }
}
