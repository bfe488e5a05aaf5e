//! Files for multipart uploads.

use std::fmt;
use std::path::Path;

/// A file to upload as one part of a `multipart/form-data` request.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    pub(crate) file_name: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: Option<String>,
}

impl FilePart {
    /// A file from memory, sent under `file_name`.
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self { file_name: file_name.into(), bytes: bytes.into(), content_type: None }
    }

    /// A file read from `path` now, sent under its file name.
    ///
    /// # Errors
    ///
    /// When the file cannot be read.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(Self::from_bytes(file_name, bytes))
    }

    /// Sets the part's `Content-Type`; default `application/octet-stream`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name the part is sent under.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The size of the file in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for FilePart {
    /// Shows the name, size and type, not the content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}
