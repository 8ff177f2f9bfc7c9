//! ESC/POS bytes for a thermal printer: a raster sent as `GS v 0` in bands, a feed and a cut,
//! and the cash drawer's pulse. Only commands every ESC/POS printer of the last twenty years
//! takes: no code pages, since the text is already pixels.

use crate::print::raster::Raster;

/// `ESC @`: back to the printer's defaults, dropping anything half-sent before.
const INITIALIZE: [u8; 2] = [0x1B, b'@'];
/// Rows per `GS v 0` command: small enough for the input buffer of cheap printers, which lose
/// data when one image is larger than it.
pub const BAND_ROWS: u32 = 128;
/// `ESC d n`: feed n lines, so the last printed row clears the cutter.
const FEED: [u8; 3] = [0x1B, b'd', 4];
/// `GS V 66 0`: feed to the cutting position and cut, leaving a tab (a partial cut) so the
/// receipt does not drop on the floor.
const CUT: [u8; 4] = [0x1D, b'V', 66, 0];
/// `ESC p 0 25 250`: a pulse on the drawer's pin 2, on 50 ms, off 500 ms.
pub const DRAWER_PULSE: [u8; 5] = [0x1B, b'p', 0, 25, 250];

/// What goes to the printer in one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JobOptions {
    /// Feed and cut after the picture.
    pub cut: bool,
    /// Open the cash drawer before printing (a cash sale), so the cashier is not kept waiting.
    pub open_drawer: bool,
}

/// The bytes of one print job: initialise, the drawer's pulse if asked, the raster in bands,
/// then feed and cut if asked.
pub fn print_job(raster: Option<&Raster>, options: JobOptions) -> Vec<u8> {
    let mut bytes = INITIALIZE.to_vec();
    if options.open_drawer {
        bytes.extend_from_slice(&DRAWER_PULSE);
    }
    if let Some(raster) = raster {
        let width_bytes = raster.bytes_per_row() as u16;
        let mut from = 0;
        while from < raster.height() {
            let to = (from + BAND_ROWS).min(raster.height());
            // GS v 0 m xL xH yL yH: m = 0 normal size, x in bytes, y in dots.
            bytes.extend_from_slice(&[0x1D, b'v', b'0', 0]);
            bytes.extend_from_slice(&width_bytes.to_le_bytes());
            bytes.extend_from_slice(&((to - from) as u16).to_le_bytes());
            bytes.extend_from_slice(raster.rows(from, to));
            from = to;
        }
    }
    if options.cut {
        bytes.extend_from_slice(&FEED);
        bytes.extend_from_slice(&CUT);
    }
    bytes
}

/// Only the drawer's pulse: a no-sale opening.
pub fn drawer_job() -> Vec<u8> {
    print_job(
        None,
        JobOptions {
            cut: false,
            open_drawer: true,
        },
    )
}
