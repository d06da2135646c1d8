//! The zip container of a workbook: entries found through the central directory and inflated
//! (stored or deflated, as every spreadsheet program writes them), and a streaming writer
//! (deflate, data descriptors) that holds no more than one buffer in memory. Deflate and CRC
//! come from `miniz_oxide` and `crc32fast`; zip64, encryption and other methods are refused.

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::inflate::stream::InflateState;
use miniz_oxide::{DataFormat, MZFlush, MZStatus};
use std::io::{self, Read, Write};

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;
/// Bit 3: sizes and CRC follow the data (streaming). Bit 11: the name is UTF-8.
const FLAGS: u16 = (1 << 3) | (1 << 11);
/// 1980-01-01 00:00, the earliest DOS date: written files do not depend on the clock.
const DOS_DATE: u16 = (1 << 5) | 1;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One entry of the central directory.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    method: u16,
    flags: u16,
    compressed: usize,
    local_offset: usize,
}

/// A zip archive held in memory.
pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

impl<'a> Archive<'a> {
    /// Reads the central directory.
    pub fn open(bytes: &'a [u8]) -> Result<Archive<'a>, String> {
        let not_zip = || "not a zip file (an .xlsx is one)".to_string();
        let min = bytes.len().saturating_sub(22 + 65_535);
        let end = (min..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&i| u32_at(bytes, i) == Some(END))
            .ok_or_else(not_zip)?;
        let count = usize::from(u16_at(bytes, end + 10).ok_or_else(not_zip)?);
        let mut at = u32_at(bytes, end + 16).ok_or_else(not_zip)? as usize;
        if at == 0xFFFF_FFFF || count == 0xFFFF {
            return Err("a zip64 archive (over 4 GiB) is not supported".to_string());
        }
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let field = |off: usize| u16_at(bytes, at + off).map(usize::from);
            if u32_at(bytes, at) != Some(CENTRAL) {
                return Err("damaged zip directory".to_string());
            }
            let (Some(flags), Some(method), Some(n), Some(x), Some(c)) =
                (field(8), field(10), field(28), field(30), field(32))
            else {
                return Err("damaged zip directory".to_string());
            };
            let compressed = u32_at(bytes, at + 20).unwrap_or(u32::MAX) as usize;
            let local_offset = u32_at(bytes, at + 42).unwrap_or(u32::MAX) as usize;
            let name = bytes
                .get(at + 46..at + 46 + n)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .ok_or("damaged zip directory")?;
            entries.push(Entry {
                name,
                method: method as u16,
                flags: flags as u16,
                compressed,
                local_offset,
            });
            at += 46 + n + x + c;
        }
        Ok(Archive { bytes, entries })
    }

    /// Whether an entry of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name == name)
    }

    /// A reader of an entry's content, inflated as it is read; `None` when there is none.
    pub fn open_entry(&self, name: &str) -> Option<Result<EntryReader<'a>, String>> {
        let e = self.entries.iter().find(|e| e.name == name)?;
        Some(self.entry_reader(e))
    }

    fn entry_reader(&self, e: &Entry) -> Result<EntryReader<'a>, String> {
        if e.flags & 1 != 0 {
            return Err("the workbook is password-protected (encrypted)".to_string());
        }
        let at = e.local_offset;
        if u32_at(self.bytes, at) != Some(LOCAL) {
            return Err(format!("damaged zip entry `{}`", e.name));
        }
        let n = usize::from(u16_at(self.bytes, at + 26).unwrap_or_default());
        let x = usize::from(u16_at(self.bytes, at + 28).unwrap_or_default());
        let start = at + 30 + n + x;
        let data = self
            .bytes
            .get(start..start.saturating_add(e.compressed))
            .ok_or_else(|| format!("damaged zip entry `{}`", e.name))?;
        match e.method {
            0 => Ok(EntryReader::Stored(data)),
            8 => Ok(EntryReader::Deflated {
                input: data,
                state: InflateState::new_boxed(DataFormat::Raw),
                done: false,
            }),
            m => Err(format!("zip method {m} of `{}` is not supported", e.name)),
        }
    }

    /// An entry's whole content.
    pub fn read(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        let mut r = match self.open_entry(name)? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let mut out = Vec::new();
        Some(
            r.read_to_end(&mut out)
                .map(|_| out)
                .map_err(|e| e.to_string()),
        )
    }
}

/// An entry's content as it is inflated.
pub enum EntryReader<'a> {
    Stored(&'a [u8]),
    Deflated {
        input: &'a [u8],
        state: Box<InflateState>,
        done: bool,
    },
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            EntryReader::Stored(data) => data.read(buf),
            EntryReader::Deflated { input, state, done } => {
                if *done || buf.is_empty() {
                    return Ok(0);
                }
                let r = miniz_oxide::inflate::stream::inflate(state, input, buf, MZFlush::None);
                *input = &input[r.bytes_consumed..];
                match r.status {
                    Ok(MZStatus::StreamEnd) => *done = true,
                    Ok(_) => {}
                    Err(_) if r.bytes_written > 0 => {}
                    Err(e) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("damaged compressed data ({e:?})"),
                        ));
                    }
                }
                if r.bytes_written == 0 && !*done && input.is_empty() {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "compressed data ends early",
                    ));
                }
                Ok(r.bytes_written)
            }
        }
    }
}

/// Counts what goes through.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

/// An entry being written.
struct Open {
    name: String,
    offset: u64,
    crc: crc32fast::Hasher,
    size: u64,
    compressed: u64,
    compressor: Box<CompressorOxide>,
}

/// An entry written.
struct Written {
    name: String,
    offset: u64,
    crc: u32,
    size: u64,
    compressed: u64,
}

/// Writes a zip archive entry by entry, deflating as it goes.
pub struct ZipWriter<W: Write> {
    out: Counting<W>,
    open: Option<Open>,
    done: Vec<Written>,
    buf: Vec<u8>,
}

fn too_big() -> io::Error {
    io::Error::other("the workbook would exceed 4 GiB (zip64 is not written)")
}

impl<W: Write> ZipWriter<W> {
    pub fn new(out: W) -> ZipWriter<W> {
        ZipWriter {
            out: Counting {
                inner: out,
                written: 0,
            },
            open: None,
            done: Vec::new(),
            buf: vec![0; 64 * 1024],
        }
    }

    /// Starts an entry (ending the one before).
    pub fn start(&mut self, name: &str) -> io::Result<()> {
        self.end()?;
        let offset = self.out.written;
        let mut h = Vec::with_capacity(30 + name.len());
        h.extend_from_slice(&LOCAL.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&FLAGS.to_le_bytes());
        h.extend_from_slice(&8u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&DOS_DATE.to_le_bytes());
        h.extend_from_slice(&[0; 12]);
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        self.out.put(&h)?;
        let mut compressor = Box::<CompressorOxide>::default();
        compressor.set_format_and_level(DataFormat::Raw, 6);
        self.open = Some(Open {
            name: name.to_string(),
            offset,
            crc: crc32fast::Hasher::new(),
            size: 0,
            compressed: 0,
            compressor,
        });
        Ok(())
    }

    fn deflate(&mut self, mut input: &[u8], flush: MZFlush) -> io::Result<()> {
        let Some(open) = self.open.as_mut() else {
            return Err(io::Error::other("no zip entry started"));
        };
        loop {
            let r = miniz_oxide::deflate::stream::deflate(
                &mut open.compressor,
                input,
                &mut self.buf,
                flush,
            );
            input = &input[r.bytes_consumed..];
            self.out.put(&self.buf[..r.bytes_written])?;
            open.compressed += r.bytes_written as u64;
            let finished = matches!(r.status, Ok(MZStatus::StreamEnd));
            if let Err(e) = r.status
                && !(e == miniz_oxide::MZError::Buf && input.is_empty())
            {
                return Err(io::Error::other(format!("deflate failed: {e:?}")));
            }
            let more = !input.is_empty()
                || (flush == MZFlush::Finish && !finished)
                || r.bytes_written == self.buf.len();
            if !more {
                return Ok(());
            }
        }
    }

    /// Ends the current entry: the rest of its data, then its data descriptor.
    fn end(&mut self) -> io::Result<()> {
        if self.open.is_none() {
            return Ok(());
        }
        self.deflate(&[], MZFlush::Finish)?;
        let Some(open) = self.open.take() else {
            return Ok(());
        };
        let crc = open.crc.finalize();
        if open.size > u64::from(u32::MAX) || open.compressed > u64::from(u32::MAX) {
            return Err(too_big());
        }
        let mut d = Vec::with_capacity(16);
        d.extend_from_slice(&DESCRIPTOR.to_le_bytes());
        d.extend_from_slice(&crc.to_le_bytes());
        d.extend_from_slice(&(open.compressed as u32).to_le_bytes());
        d.extend_from_slice(&(open.size as u32).to_le_bytes());
        self.out.put(&d)?;
        self.done.push(Written {
            name: open.name,
            offset: open.offset,
            crc,
            size: open.size,
            compressed: open.compressed,
        });
        Ok(())
    }

    /// Writes the central directory and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.end()?;
        let start = self.out.written;
        if start > u64::from(u32::MAX) || self.done.len() >= 0xFFFF {
            return Err(too_big());
        }
        for e in &self.done {
            let mut c = Vec::with_capacity(46 + e.name.len());
            c.extend_from_slice(&CENTRAL.to_le_bytes());
            c.extend_from_slice(&20u16.to_le_bytes());
            c.extend_from_slice(&20u16.to_le_bytes());
            c.extend_from_slice(&FLAGS.to_le_bytes());
            c.extend_from_slice(&8u16.to_le_bytes());
            c.extend_from_slice(&0u16.to_le_bytes());
            c.extend_from_slice(&DOS_DATE.to_le_bytes());
            c.extend_from_slice(&e.crc.to_le_bytes());
            c.extend_from_slice(&(e.compressed as u32).to_le_bytes());
            c.extend_from_slice(&(e.size as u32).to_le_bytes());
            c.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            c.extend_from_slice(&[0; 12]);
            c.extend_from_slice(&(e.offset as u32).to_le_bytes());
            c.extend_from_slice(e.name.as_bytes());
            self.out.put(&c)?;
        }
        let size = self.out.written - start;
        let n = self.done.len() as u16;
        let mut end = Vec::with_capacity(22);
        end.extend_from_slice(&END.to_le_bytes());
        end.extend_from_slice(&[0; 4]);
        end.extend_from_slice(&n.to_le_bytes());
        end.extend_from_slice(&n.to_le_bytes());
        end.extend_from_slice(&(size as u32).to_le_bytes());
        end.extend_from_slice(&(start as u32).to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        self.out.put(&end)?;
        self.out.inner.flush()?;
        Ok(self.out.inner)
    }
}

impl<W: Write> Write for ZipWriter<W> {
    /// Appends to the current entry.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let Some(open) = self.open.as_mut() else {
            return Err(io::Error::other("no zip entry started"));
        };
        open.crc.update(data);
        open.size += data.len() as u64;
        self.deflate(data, MZFlush::None)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_it_reads() {
        let big: Vec<u8> = (0..300_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut z = ZipWriter::new(Vec::new());
        z.start("a.txt").expect("start");
        z.write_all(b"hello ").expect("write");
        z.write_all("上海".as_bytes()).expect("write");
        z.start("dir/big.bin").expect("start");
        for part in big.chunks(7919) {
            z.write_all(part).expect("write");
        }
        z.start("empty").expect("start");
        let bytes = z.finish().expect("finish");
        let a = Archive::open(&bytes).expect("open");
        assert_eq!(
            a.read("a.txt").expect("entry").expect("read"),
            "hello 上海".as_bytes()
        );
        assert_eq!(a.read("dir/big.bin").expect("entry").expect("read"), big);
        assert_eq!(a.read("empty").expect("entry").expect("read"), b"");
        assert!(a.read("nope").is_none());
        assert!(bytes.len() < big.len() / 2, "deflated");
        // The same input gives the same bytes: no clock inside.
        let mut z = ZipWriter::new(Vec::new());
        z.start("a.txt").expect("start");
        z.write_all(b"x").expect("write");
        let once = z.finish().expect("finish");
        let mut z = ZipWriter::new(Vec::new());
        z.start("a.txt").expect("start");
        z.write_all(b"x").expect("write");
        assert_eq!(z.finish().expect("finish"), once);
    }

    #[test]
    fn damaged_archives_are_errors() {
        assert!(Archive::open(b"not a zip").is_err());
        assert!(Archive::open(b"").is_err());
        let mut z = ZipWriter::new(Vec::new());
        z.start("a").expect("start");
        z.write_all(&[7; 10_000]).expect("write");
        let mut bytes = z.finish().expect("finish");
        // Cut the compressed data short.
        let a = Archive::open(&bytes).expect("open");
        assert!(a.read("a").expect("entry").is_ok());
        bytes[40] ^= 0xff;
        bytes[41] ^= 0xff;
        let a = Archive::open(&bytes).expect("directory intact");
        let r = a.read("a").expect("entry");
        assert!(r.is_err() || r.is_ok_and(|d| d != vec![7; 10_000]));
    }
}
