//! `butie batch`: a client list (CSV, JSONL or Excel) in, one row per client × district out
//! (CSV or Excel), streamed. One thread reads chunks of whole lines (or worksheet rows), every
//! core evaluates them (rayon), one thread writes them back in input order; at most
//! [`IN_FLIGHT_PER_THREAD`] chunks per core are in memory at any time, so a million clients
//! take as much memory as a thousand.

use crate::error::CliError;
use crate::text::clean;
use crate::{BatchArgs, FormatArg, input};
use butie::PolicySet;
use butie::batch::xlsx::{ResultsWriter, SheetRows};
use butie::batch::{
    Batch, Chunk, ChunkOut, ChunkReader, Encoding, FileError, InputFormat, Reader, Sink, Summary,
    guess_format,
};
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Cursor, Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::time::Instant;

/// Chunks in memory per core (read, being evaluated, or waiting to be written).
const IN_FLIGHT_PER_THREAD: usize = 4;
/// CSV or JSONL bytes per chunk (about 2,000 clients).
const CHUNK_BYTES: usize = butie::batch::run::CHUNK_BYTES;
/// Worksheet rows per chunk.
const CHUNK_ROWS: usize = butie::batch::run::CHUNK_ROWS;
/// Output buffer: smaller than a chunk's CSV, which is then written straight through
/// (`BufWriter` copies only what is smaller than its buffer).
const WRITE_BUFFER: usize = 64 * 1024;

/// How the run ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// Every client evaluated.
    AllRows,
    /// Every row written, some of them with errors instead of figures (exit code 3).
    RowsRejected,
}

/// GB18030 (GBK) text, as Excel saves plain “CSV” on Chinese Windows.
fn gb18030(bytes: &[u8]) -> Option<String> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// One unit of work for the evaluating threads.
enum Work {
    Lines(Chunk),
    Rows(usize, Vec<(usize, Vec<String>)>),
}

/// Where the results go.
enum Output {
    Csv(BufWriter<Box<dyn Write + Send>>),
    Xlsx(ResultsWriter<BufWriter<Box<dyn Write + Send>>>),
}

/// Runs the command.
pub fn run(set: &PolicySet, a: &BatchArgs) -> Result<Finished, CliError> {
    let started = Instant::now();
    let opts = input::eval_options(set, &a.eval)?;
    let batch = Batch::new(set, &opts)?;
    let stdin = a.file == "-";
    let shown = if stdin {
        "stdin".to_string()
    } else {
        a.file.clone()
    };
    let out_shown = if a.out == "-" { "stdout" } else { &a.out };
    refuse_overwriting_input(&a.file, &a.out)?;

    let mut source: Box<dyn Read + Send> = if stdin {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(&a.file).map_err(|e| input::cannot_read(&a.file, &e))?)
    };
    let mut head = Vec::with_capacity(64 * 1024);
    (&mut source)
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| input::cannot_read(&shown, &e))?;
    let format = match a.format {
        Some(FormatArg::Csv) => InputFormat::Csv,
        Some(FormatArg::Jsonl) => InputFormat::Jsonl,
        Some(FormatArg::Xlsx) => InputFormat::Xlsx,
        None => guess_format((!stdin).then_some(a.file.as_str()), &head),
    };
    let file_err = |e: FileError| {
        let t = e.text();
        CliError::bad(format!("{}: {} / {}", clean(&shown), t.en, t.zh))
    };
    let xlsx_out = a.out.to_ascii_lowercase().ends_with(".xlsx");
    let threads = rayon::current_num_threads();

    let mut summary = if format == InputFormat::Xlsx {
        let mut bytes = head;
        source
            .read_to_end(&mut bytes)
            .map_err(|e| input::cannot_read(&shown, &e))?;
        let mut rows = SheetRows::open(&bytes).map_err(file_err)?;
        let reader = rows.reader(&set.catalogue).map_err(file_err)?;
        let output = open_output(&a.out, xlsx_out, !a.no_bom)?;
        let mut seq = 0;
        let works = std::iter::from_fn(|| match rows.next_rows(CHUNK_ROWS) {
            Ok(r) if r.is_empty() => None,
            Ok(r) => {
                seq += 1;
                Some(Ok(Work::Rows(seq - 1, r)))
            }
            Err(e) => Some(Err(file_err(e))),
        });
        pipeline(&batch, &reader, 0, works, output, threads)?
    } else {
        let mut chunks = ChunkReader::new(Cursor::new(head).chain(source), CHUNK_BYTES);
        let read_err = |e| CliError::bad(format!("cannot read {}: {e}", clean(&shown)));
        let first = chunks.next_chunk().map_err(read_err)?.unwrap_or_default();
        let (reader, header) =
            Reader::open(&set.catalogue, format, &first, Some(gb18030)).map_err(file_err)?;
        let output = open_output(&a.out, xlsx_out, !a.no_bom)?;
        let works = std::iter::once(Ok(Work::Lines(first)))
            .chain(chunks.map(move |c| c.map(Work::Lines).map_err(read_err)));
        let mut s = pipeline(&batch, &reader, header, works, output, threads)?;
        s.encoding = reader.encoding();
        s
    };

    summary.format = format;
    let t = summary.tally;
    eprintln!(
        "butie batch: {} client(s) from {} ({}{}), {} bad; {} output row(s) to {}",
        t.clients,
        clean(&shown),
        format.name(),
        if format == InputFormat::Xlsx {
            String::new()
        } else {
            format!(", {}", summary.encoding.name())
        },
        t.bad_rows,
        t.output_rows,
        clean(out_shown)
    );
    if summary.encoding == Encoding::Gb18030 {
        eprintln!(
            "  note: read as GB18030 (GBK) text, as Excel saves plain “CSV” on Chinese Windows / 按 GB18030（GBK）编码读取"
        );
    }
    for e in &summary.listed {
        let name = e
            .name
            .as_deref()
            .map(|n| format!(" ({})", clean(n)))
            .unwrap_or_default();
        eprintln!("  - row {}{name}: {}", e.row, clean(&e.summary()));
    }
    if t.bad_rows > summary.listed.len() {
        eprintln!(
            "  … and {} more (see the error column)",
            t.bad_rows - summary.listed.len()
        );
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "time: {secs:.2} s ({:.0} clients/s on {threads} thread(s))",
        t.clients as f64 / secs.max(1e-9)
    );
    if t.bad_rows > 0 {
        eprintln!(
            "exit code 3: {} row(s) rejected; every other client was evaluated",
            t.bad_rows
        );
        Ok(Finished::RowsRejected)
    } else {
        Ok(Finished::AllRows)
    }
}

/// `--out` must not name the input (it would be truncated before it is read).
fn refuse_overwriting_input(file: &str, out: &str) -> Result<(), CliError> {
    if file == "-" || out == "-" {
        return Ok(());
    }
    if same_file(Path::new(file), Path::new(out)) {
        return Err(CliError::bad(format!(
            "--out {} is the input file: it would be overwritten; write the results elsewhere / --out 与输入是同一文件",
            clean(out)
        )));
    }
    Ok(())
}

/// Whether two paths name the same existing file (also through links).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    }
}

/// Opens the output (only once the input has proved readable) and writes the header.
fn open_output(out: &str, xlsx: bool, bom: bool) -> Result<Output, CliError> {
    let sink: Box<dyn Write + Send> = if out == "-" {
        Box::new(std::io::stdout())
    } else {
        Box::new(
            File::create(out)
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", clean(out))))?,
        )
    };
    let w = BufWriter::with_capacity(WRITE_BUFFER, sink);
    let write_err =
        |e: std::io::Error| CliError::failure(format!("cannot write {}: {e}", clean(out)));
    if xlsx {
        return ResultsWriter::new(w).map(Output::Xlsx).map_err(write_err);
    }
    let mut header = String::new();
    butie::batch::write::csv_header(&mut header, bom && out != "-");
    let mut w = w;
    w.write_all(header.as_bytes()).map_err(write_err)?;
    Ok(Output::Csv(w))
}

/// Reads `works` on one thread, evaluates them on rayon's threads and writes the results in
/// order on another, with at most `IN_FLIGHT_PER_THREAD × threads` chunks in memory.
fn pipeline<'s>(
    batch: &Batch<'s>,
    reader: &Reader,
    header: usize,
    works: impl Iterator<Item = Result<Work, CliError>> + Send,
    output: Output,
    threads: usize,
) -> Result<Summary, CliError> {
    let in_flight = IN_FLIGHT_PER_THREAD * threads.max(1);
    let sink = match output {
        Output::Csv(_) => Sink::Csv,
        Output::Xlsx(_) => Sink::Keep,
    };
    // A token per chunk in memory: the reader takes one, the writer gives it back.
    let (give, take) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = give.send(());
    }
    let (work_tx, work_rx) = sync_channel::<Work>(in_flight);
    let (out_tx, out_rx) = channel::<ChunkOut>();
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || read_all(works, take, work_tx));
        let writing = scope.spawn(move || write_in_order(batch, out_rx, output, give));
        work_rx
            .into_iter()
            .par_bridge()
            .for_each_with(out_tx, |tx, work| {
                let out = match work {
                    Work::Lines(chunk) => batch.lines(reader, &chunk, header, sink),
                    Work::Rows(seq, rows) => batch.rows(reader, seq, rows, sink),
                };
                let _ = tx.send(out);
            });
        let read = reading
            .join()
            .map_err(|_| CliError::failure("the reading thread failed"))?;
        let written = writing
            .join()
            .map_err(|_| CliError::failure("the writing thread failed"))?;
        let written = written?;
        read?;
        Ok(written)
    })
}

/// Sends the works on, each once a token is free; stops when the writer has gone.
fn read_all(
    works: impl Iterator<Item = Result<Work, CliError>>,
    tokens: Receiver<()>,
    to_workers: SyncSender<Work>,
) -> Result<(), CliError> {
    for w in works {
        if tokens.recv().is_err() {
            return Ok(());
        }
        if to_workers.send(w?).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Writes chunk outputs in sequence order, returning a token for each; adds up the summary.
fn write_in_order(
    batch: &Batch,
    outs: Receiver<ChunkOut>,
    mut output: Output,
    tokens: SyncSender<()>,
) -> Result<Summary, CliError> {
    let mut summary = Summary::new(InputFormat::Csv, Encoding::Utf8);
    let mut waiting: BTreeMap<usize, ChunkOut> = BTreeMap::new();
    let mut next = 0;
    let mut failed: Option<std::io::Error> = None;
    for out in outs {
        waiting.insert(out.seq, out);
        while let Some(out) = waiting.remove(&next) {
            next += 1;
            summary.add(&out);
            if failed.is_none() {
                let r = match &mut output {
                    Output::Csv(w) => w.write_all(out.csv.as_bytes()),
                    Output::Xlsx(w) => out.kept.iter().try_for_each(|c| w.client(batch, c)),
                };
                if let Err(e) = r {
                    failed = Some(e);
                    // Stop the reader: no more tokens.
                    break;
                }
            }
            let _ = tokens.send(());
        }
        if failed.is_some() {
            break;
        }
    }
    drop(tokens);
    let done = match output {
        Output::Csv(mut w) if failed.is_none() => w.flush().err(),
        Output::Xlsx(w) if failed.is_none() => w.finish().and_then(|mut w| w.flush()).err(),
        _ => None,
    };
    match failed.or(done) {
        // `butie batch … | head`: the reader has gone; nothing left to say.
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(summary),
        Some(e) => Err(CliError::failure(format!("cannot write the results: {e}"))),
        None => Ok(summary),
    }
}
