//! Decompression that keeps everything decoded before a problem, the way `gzip -dc` and
//! `zstd -dc` do: every member (gzip) or frame (zstd) in turn, then an error that says at
//! which compressed byte the stream went wrong. Bytes after the last member that are not
//! another member are [`TrailingGarbage`]: what came before is complete.

use std::io::{self, BufRead, BufReader, Read};

/// Bytes after the last complete gzip member or zstd frame that start no other one.
#[derive(Debug)]
pub(crate) struct TrailingGarbage {
    /// Offset of the first such byte in the compressed file.
    pub offset: u64,
}

impl std::fmt::Display for TrailingGarbage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "trailing bytes after the last complete compressed block, at compressed byte {}",
            self.offset
        )
    }
}

impl std::error::Error for TrailingGarbage {}

/// Whether an I/O error only says that the stream ended in [`TrailingGarbage`].
pub(crate) fn is_trailing_garbage(e: &io::Error) -> bool {
    e.get_ref()
        .is_some_and(|inner| inner.is::<TrailingGarbage>())
}

/// A buffered reader that counts the bytes consumed from it.
pub(crate) struct Counted<R> {
    inner: BufReader<R>,
    consumed: u64,
}

impl<R: Read> Counted<R> {
    pub(crate) fn new(inner: R) -> Self {
        Counted {
            inner: BufReader::with_capacity(1 << 20, inner),
            consumed: 0,
        }
    }

    /// Whether the stream is at its end; otherwise its next bytes (at least one).
    fn peek(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    /// An error at the current offset, keeping the kind of `e`.
    fn error_here(&self, e: impl std::fmt::Display, kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, format!("{e} (at compressed byte {})", self.consumed))
    }

    fn garbage(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            TrailingGarbage {
                offset: self.consumed,
            },
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: Read> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// Every gzip member of a stream in turn.
pub(crate) struct GzipMembers<R: Read> {
    /// `None` once the stream has ended or failed.
    member: Option<flate2::bufread::GzDecoder<Counted<R>>>,
}

impl<R: Read> GzipMembers<R> {
    pub(crate) fn new(inner: R) -> Self {
        GzipMembers {
            member: Some(flate2::bufread::GzDecoder::new(Counted::new(inner))),
        }
    }
}

impl<R: Read> Read for GzipMembers<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(member) = self.member.as_mut() else {
                return Ok(0);
            };
            match member.read(out) {
                Ok(0) if !out.is_empty() => {}
                Ok(n) => return Ok(n),
                Err(e) => {
                    let error = member.get_ref().error_here(&e, e.kind());
                    self.member = None;
                    return Err(error);
                }
            }
            // The member ended: another one, the end, or garbage.
            let mut source = self.member.take().expect("checked above").into_inner();
            let next = source.peek()?;
            if next.is_empty() {
                return Ok(0);
            }
            if next[0] != 0x1f || next.get(1).is_some_and(|&b| b != 0x8b) {
                return Err(source.garbage());
            }
            self.member = Some(flate2::bufread::GzDecoder::new(source));
        }
    }
}

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

type ZstdFrame<R> = zstd::stream::read::Decoder<'static, Counted<R>>;

/// Every zstd frame of a stream in turn (skippable frames are passed over by libzstd).
pub(crate) struct ZstdFrames<R: Read> {
    frame: Option<ZstdFrame<R>>,
    /// Between frames (and before the first one).
    source: Option<Counted<R>>,
    frames: u64,
}

impl<R: Read> ZstdFrames<R> {
    pub(crate) fn new(inner: R) -> Self {
        ZstdFrames {
            frame: None,
            source: Some(Counted::new(inner)),
            frames: 0,
        }
    }

    /// Starts the next frame: `Ok(false)` at the end of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        let Some(mut source) = self.source.take() else {
            return Ok(false);
        };
        let next = source.peek()?;
        if next.is_empty() {
            return Ok(false);
        }
        let head = &next[..next.len().min(4)];
        let skippable = [0x50, 0x2A, 0x4D, 0x18];
        let frame = ZSTD_MAGIC.starts_with(head)
            || (head[0] & 0xF0 == 0x50 && skippable[1..].starts_with(&head[1..]));
        if !frame {
            if self.frames == 0 {
                let e = "not a zstd stream (bad magic number)";
                return Err(source.error_here(e, io::ErrorKind::InvalidData));
            }
            return Err(source.garbage());
        }
        self.frames += 1;
        self.frame = Some(ZstdFrame::with_buffer(source)?.single_frame());
        Ok(true)
    }
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(frame) = self.frame.as_mut() {
                match frame.read(out) {
                    Ok(0) if !out.is_empty() => {
                        self.source = self.frame.take().map(|f| f.finish());
                    }
                    Ok(n) => return Ok(n),
                    Err(e) => {
                        let error = frame.get_ref().error_here(&e, e.kind());
                        self.frame = None;
                        return Err(error);
                    }
                }
            }
            if !self.next_frame()? {
                return Ok(0);
            }
        }
    }
}
