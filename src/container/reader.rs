//! The strict zip reader: opens an archive once, checking everything the
//! module invariants promise (see [`super`]), then hands out streams of
//! entry data.
//!
//! Order of work (APPNOTE §4.3.6 read from the end): the end record and,
//! when there is one, the zip64 end record (`eocd`), the central directory
//! (`central`), the local headers and the layout (`layout`), then each
//! local header against its central record.
//! Invariants: an opened [`ZipReader`] only lists regular files, in
//! central-directory order; streams read the file positionally, so several
//! may run at once on different threads; every stream ends with a size and
//! CRC-32 check and never yields more than the declared size.

use super::source::Source;
use std::io::Read;

use super::central::{read_central, Record};
use super::eocd::locate;
use super::error::Error;
use super::format::METHOD_DEFLATED;
use super::layout::{check_layout, compare, read_locals, Local};
use super::names::{check_directories, NameKind};
use super::stream::{Checked, Inflate, Span};
use super::{Entry, Limits, Method, Mode};

/// An archive opened and checked for reading.
pub struct ZipReader {
    file: Box<dyn Source>,
    mode: Mode,
    entries: Vec<Entry>,
    directories: Vec<String>,
}

impl ZipReader {
    /// Opens `file` (a [`std::fs::File`], bytes in memory, or any other
    /// [`Source`]) and checks it in `mode` against `limits`; fails with the
    /// first problem found (see [`Error::code`]).
    pub fn open(
        file: impl Source + 'static,
        mode: Mode,
        limits: &Limits,
    ) -> Result<ZipReader, Error> {
        let file: Box<dyn Source> = Box::new(file);
        let len = file.len()?;
        let loc = locate(file.as_ref(), len, mode)?;
        // With another plausible end record around, a structure that does
        // not parse is most likely the other archive's: say so.
        let ambiguous = |e: Error| match (&e, loc.others.len()) {
            (
                Error::BadCentralDirectory { .. }
                | Error::BadLocalHeader { .. }
                | Error::Truncated { .. },
                n,
            ) if n > 0 => Error::MultipleEocd { count: n + 1 },
            _ => e,
        };
        let records = read_central(file.as_ref(), &loc, mode, limits).map_err(ambiguous)?;
        let locals = read_locals(file.as_ref(), &records, mode).map_err(ambiguous)?;
        check_layout(&records, &locals, &loc, mode)?;
        for (rec, local) in records.iter().zip(&locals) {
            compare(rec, local, mode)?;
        }
        let (files, dirs): (Vec<_>, Vec<_>) = records
            .into_iter()
            .zip(locals)
            .partition(|(rec, _)| rec.kind == NameKind::File);
        let entries: Vec<Entry> = files.into_iter().map(|(rec, l)| entry(rec, &l)).collect();
        let directories: Vec<String> = dirs.into_iter().map(|(rec, _)| rec.name).collect();
        check_directories(entries.iter().map(|e| e.name.as_str()), &directories)?;
        Ok(ZipReader {
            file,
            mode,
            entries,
            directories,
        })
    }

    /// The names of the directory entries (lenient mode only; each ends
    /// with `/`), in central-directory order. Extractors create them;
    /// [`ZipReader::open`] has checked that none shadows a file.
    pub fn directories(&self) -> &[String] {
        &self.directories
    }

    /// The regular-file entries, in central-directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The mode the archive was opened in.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// A stream of entry `index`'s exact uncompressed bytes (`index` into
    /// [`ZipReader::entries`]). The stream fails with an [`std::io::Error`]
    /// wrapping a container [`Error`] (see [`Error::from_io`]) if the data
    /// is shorter or longer than declared, corrupt, or, at its end, if its
    /// CRC-32 differs from the declared one. Streams use positional reads:
    /// several can run in parallel.
    pub fn entry_reader(&self, index: usize) -> Result<Box<dyn Read + Send + '_>, Error> {
        let e = self
            .entries
            .get(index)
            .ok_or(Error::NoSuchEntry { index })?;
        let raw = Span::new(self.file.as_ref(), e.data_offset, e.compressed_size);
        Ok(match e.method {
            Method::Stored => Box::new(Checked::new(raw, &e.name, e.size, e.crc32)),
            Method::Deflated => Box::new(Checked::new(
                Inflate::new(raw, e.compressed_size, &e.name),
                &e.name,
                e.size,
                e.crc32,
            )),
        })
    }
}

impl std::fmt::Debug for ZipReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZipReader")
            .field("mode", &self.mode)
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

/// The public description of an accepted file record.
fn entry(rec: Record, local: &Local) -> Entry {
    let method = if rec.h.method == METHOD_DEFLATED {
        Method::Deflated
    } else {
        Method::Stored
    };
    Entry {
        size: rec.z.size,
        crc32: rec.h.crc32,
        compressed_size: rec.z.compressed,
        method,
        header_offset: local.start,
        data_offset: local.data,
        central_index: rec.index,
        name: rec.name,
    }
}
