use ocop_pos::cli::{Invocation, USAGE, parse_args, reprint_receipt};
use std::process::ExitCode;

fn main() -> ExitCode {
    let (config, invocation) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("{error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match invocation {
        Invocation::Help => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Invocation::Window => match ocop_pos::ui::run(config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("Không mở được cửa sổ / the window could not open: {error}");
                ExitCode::FAILURE
            }
        },
        Invocation::ReprintReceipt { receipt_no, pdf } => {
            match reprint_receipt(&config, &receipt_no, pdf) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
