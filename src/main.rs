use ocop_pos::cli::{
    Invocation, USAGE, add_buyer, add_gift_pack, add_staff, adjust_invoice, back_up_by_hand,
    edit_gift_pack, export_catalogue, import_catalogue, list_buyers, list_gift_packs,
    list_producers, list_staff, parse_args, replace_invoice, report_day, report_producer,
    reprint_receipt, restore, set_gift_pack_active, set_setting, show_backups, show_invoice,
    show_settings,
};
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
        Invocation::ShowSettings => report(show_settings(&config).map(|text| print!("{text}"))),
        Invocation::SetSetting { key, value } => report(set_setting(&config, &key, &value)),
        Invocation::Backup { to } => {
            report(back_up_by_hand(&config, to.as_deref()).map(|text| println!("{text}")))
        }
        Invocation::ListBackups => report(show_backups(&config).map(|text| print!("{text}"))),
        Invocation::Restore { file } => {
            report(restore(&config, &file).map(|text| println!("{text}")))
        }
        Invocation::ShowInvoice {
            reference,
            pdf,
            xml,
        } => report(
            show_invoice(&config, &reference, &pdf, xml.as_deref()).map(|text| println!("{text}")),
        ),
        Invocation::ReplaceInvoice {
            reference,
            request,
            pdf,
        } => report(
            replace_invoice(&config, &reference, &request, pdf.as_deref())
                .map(|text| println!("{text}")),
        ),
        Invocation::AdjustInvoice {
            reference,
            items,
            reason,
            method,
            restock,
        } => report(
            adjust_invoice(&config, &reference, &items, &reason, method, restock)
                .map(|text| println!("{text}")),
        ),
        Invocation::AddBuyer(buyer) => {
            report(add_buyer(&config, &buyer).map(|text| println!("{text}")))
        }
        Invocation::AddGiftPack {
            sku,
            name,
            pricing,
            items,
        } => report(
            add_gift_pack(&config, &sku, &name, pricing, &items).map(|text| println!("{text}")),
        ),
        Invocation::AddStaff { name, role, pin } => {
            report(add_staff(&config, &name, &role, &pin).map(|text| println!("{text}")))
        }
        Invocation::ListStaff => report(list_staff(&config).map(|text| println!("{text}"))),
        Invocation::EditGiftPack {
            sku,
            name,
            pricing,
            items,
        } => report(
            edit_gift_pack(&config, &sku, &name, pricing, &items).map(|text| println!("{text}")),
        ),
        Invocation::SetGiftPackActive { sku, active } => {
            report(set_gift_pack_active(&config, &sku, active).map(|text| println!("{text}")))
        }
        Invocation::ListGiftPacks => {
            report(list_gift_packs(&config).map(|text| println!("{text}")))
        }
        Invocation::ListBuyers { query } => {
            report(list_buyers(&config, &query).map(|text| println!("{text}")))
        }
        Invocation::ListProducers => report(list_producers(&config).map(|text| println!("{text}"))),
        Invocation::ImportCatalogue {
            catalogue,
            file,
            dry_run,
        } => report(
            import_catalogue(&config, catalogue, &file, dry_run).map(|text| println!("{text}")),
        ),
        Invocation::ExportCatalogue { catalogue, file } => {
            report(export_catalogue(&config, catalogue, &file).map(|text| println!("{text}")))
        }
        Invocation::ReportDay { date, pdf, csv } => report(
            report_day(&config, date, pdf.as_deref(), csv.as_deref())
                .map(|text| println!("{text}")),
        ),
        Invocation::ReportProducer {
            producer,
            period,
            pdf,
            csv,
        } => report(
            report_producer(&config, producer, period, pdf.as_deref(), csv.as_deref())
                .map(|text| println!("{text}")),
        ),
        Invocation::ReprintReceipt { receipt_no, pdf } => report(
            reprint_receipt(&config, &receipt_no, pdf).map(|path| println!("{}", path.display())),
        ),
    }
}

/// Ends a manager command: errors go to stderr with a failing exit code.
fn report(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
