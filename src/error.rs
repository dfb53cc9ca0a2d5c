//! Errors with a stable kind, and positions (file, row, column) where the input is at fault.

use std::fmt;

/// What went wrong, as a stable category that surfaces as an error `code` in JS
/// and as the exit status in the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file cannot be read at all (not the format it claims, no header, no usable column).
    Parse,
    /// A segment rule is malformed or names something that does not exist.
    Rule,
    /// An option has an invalid value (bad date, unknown method, unknown column).
    InvalidOption,
    /// A computation needs a table that has not been loaded.
    NoData,
    /// Reading or writing a file failed.
    Io,
    /// A load would need more memory than the limit (the browser's, or the caller's).
    Memory,
    /// A bug: an invariant of the engine did not hold.
    Internal,
}

impl ErrorKind {
    /// The stable code used across the JS API (`error.code`).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Parse => "PARSE_ERROR",
            ErrorKind::Rule => "RULE_ERROR",
            ErrorKind::InvalidOption => "INVALID_OPTION",
            ErrorKind::NoData => "NO_DATA",
            ErrorKind::Io => "IO_ERROR",
            ErrorKind::Memory => "OUT_OF_MEMORY",
            ErrorKind::Internal => "INTERNAL",
        }
    }
}

/// An error of the engine: a kind and a message that names the file, row, column or rule
/// path at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// A new error of `kind` with a complete, human-readable `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// A file that cannot be read at all.
    pub fn parse(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Parse, message)
    }

    /// A malformed segment rule.
    pub fn rule(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rule, message)
    }

    /// An invalid option value.
    pub fn option(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidOption, message)
    }

    /// A missing table.
    pub fn no_data(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NoData, message)
    }

    /// A bug of the engine (never the user's input).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the category.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

/// The result type of the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;
