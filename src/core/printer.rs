//! Where printed documents go, as the settings `printer` and `label_printer` name it, and the
//! size of a shelf label. Pure: the sending is `crate::printer`'s.

use std::path::PathBuf;

/// The raw printing port of network receipt printers.
pub const RAW_PORT: u16 = 9100;

/// Where jobs go: the value of the setting `printer` (and `label_printer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterTarget {
    /// No thermal printer: the PDF goes to the print command.
    Pdf,
    Network {
        host: String,
        port: u16,
    },
    Device(PathBuf),
    Spooler(String),
}

impl PrinterTarget {
    /// `pdf`, `tcp://HOST[:PORT]`, `file:PATH` or `spooler:NAME`; `None` for anything else.
    /// An empty value is `pdf`, the default.
    pub fn parse(value: &str) -> Option<PrinterTarget> {
        let value = value.trim();
        if value.is_empty() || value.eq_ignore_ascii_case("pdf") {
            return Some(PrinterTarget::Pdf);
        }
        if let Some(address) = value.strip_prefix("tcp://") {
            let (host, port) = match address.rsplit_once(':') {
                Some((host, port)) => (host, port.parse().ok().filter(|p| *p > 0)?),
                None => (address, RAW_PORT),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
            return valid.then(|| PrinterTarget::Network {
                host: host.to_string(),
                port,
            });
        }
        if let Some(path) = value.strip_prefix("file:") {
            return (!path.trim().is_empty()).then(|| PrinterTarget::Device(path.trim().into()));
        }
        if let Some(name) = value.strip_prefix("spooler:") {
            let name = name.trim();
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
            return valid.then(|| PrinterTarget::Spooler(name.to_string()));
        }
        None
    }

    /// The printer as a person reads it in a notice.
    pub fn describe(&self) -> String {
        match self {
            PrinterTarget::Pdf => "pdf".into(),
            PrinterTarget::Network { host, port } => format!("{host}:{port}"),
            PrinterTarget::Device(path) => path.display().to_string(),
            PrinterTarget::Spooler(name) => name.clone(),
        }
    }
}

/// Why a job did not print (the words are in i18n.rs). The document is saved regardless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintFailure {
    /// The setting names no printer this program knows how to reach.
    BadSetting(String),
    /// The drawer is wired to a thermal printer, and receipts go to PDFs.
    NoDrawer,
    /// Nothing answered, or the connection was refused: off, unplugged, wrong address.
    Unreachable { printer: String, detail: String },
    /// It took longer than the time-out.
    TimedOut { printer: String },
    /// The printer answered that its roll is out.
    PaperOut { printer: String },
    /// The operating system's queue refused the job.
    Spooler { printer: String, detail: String },
    /// The print command (for the PDF) could not be started.
    Command(String),
}

/// A shelf label's size in whole millimetres, as the setting `label_size` gives it (`50x30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelSize {
    pub width_mm: u32,
    pub height_mm: u32,
}

impl LabelSize {
    /// The common 50 × 30 mm roll of label printers.
    pub const DEFAULT: LabelSize = LabelSize {
        width_mm: 50,
        height_mm: 30,
    };

    /// `WIDTHxHEIGHT` in millimetres, each from 30 to 100 (smaller cannot hold the barcode).
    pub fn parse(value: &str) -> Option<LabelSize> {
        let (width, height) = value
            .trim()
            .to_ascii_lowercase()
            .split_once(['x', '×'])
            .map(|(w, h)| (w.trim().to_string(), h.trim().to_string()))?;
        let within = |n: &str| n.parse::<u32>().ok().filter(|n| (30..=100).contains(n));
        Some(LabelSize {
            width_mm: within(&width)?,
            height_mm: within(&height)?,
        })
    }
}

impl std::fmt::Display for LabelSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width_mm, self.height_mm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_size_is_two_sizes_in_millimetres() {
        assert_eq!(
            LabelSize::parse(" 60 x 40 "),
            Some(LabelSize {
                width_mm: 60,
                height_mm: 40
            })
        );
        assert_eq!(LabelSize::parse("50×30"), Some(LabelSize::DEFAULT));
        for wrong in ["50", "20x30", "50x300", "axb", ""] {
            assert_eq!(LabelSize::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn the_printer_setting_reads_every_transport_and_refuses_the_rest() {
        assert_eq!(PrinterTarget::parse(""), Some(PrinterTarget::Pdf));
        assert_eq!(PrinterTarget::parse("PDF"), Some(PrinterTarget::Pdf));
        assert_eq!(
            PrinterTarget::parse("tcp://192.168.1.50:9100"),
            Some(PrinterTarget::Network {
                host: "192.168.1.50".into(),
                port: 9100
            })
        );
        assert_eq!(
            PrinterTarget::parse("tcp://xp80.local"),
            Some(PrinterTarget::Network {
                host: "xp80.local".into(),
                port: RAW_PORT
            })
        );
        assert_eq!(
            PrinterTarget::parse("file:/dev/usb/lp0"),
            Some(PrinterTarget::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            PrinterTarget::parse("spooler:XP-80C"),
            Some(PrinterTarget::Spooler("XP-80C".into()))
        );
        for wrong in [
            "tcp://",
            "tcp://host:0",
            "tcp://host:port",
            "tcp://a b:9100",
            "file:",
            "spooler:",
            "spooler:x; rm -rf /",
            "lp -d XP80",
            "usb",
        ] {
            assert_eq!(PrinterTarget::parse(wrong), None, "{wrong}");
        }
    }
}
