use ocop_pos::cli::{Cli, PinSource, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bad command line is told by clap, naming the argument, with exit code 2.
    let cli = Cli::parse_checked(std::env::args_os()).unwrap_or_else(|error| error.exit());
    let config = cli.config();
    let Some(command) = cli.command else {
        return match ocop_pos::ui::run(config, cli.customer_display) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("Không mở được cửa sổ / the window could not open: {error}");
                ExitCode::FAILURE
            }
        };
    };
    let mut pins = PinSource::new(cli.pin_stdin);
    match run(command, &config, &mut pins, &mut std::io::stdout()) {
        Ok(text) => {
            let text = text.trim_end();
            if !text.is_empty() {
                println!("{text}");
            }
            ExitCode::SUCCESS
        }
        // Refusals go to stderr with a failing exit code; nothing was changed.
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
