//! The manager's daily screen: the period's figures beside the period before and a week before,
//! the sales list with reprints, exports, the cash session (open, cash in/out, count and close
//! with a Z-report) and producer statements.

use crate::core::cart::format_quantity;
use crate::core::cash::{CashMoveKind, CashSession, NOTES, NoteCount, SessionFigures};
use crate::core::catalog::stars_text;
use crate::core::clock::{SHOP_TIME_ZONE, format_day, local_date};
use crate::core::delivery::DayDelivery;
use crate::core::einvoice::RegistrationStatus;
use crate::core::money::{Money, parse_amount};
use crate::core::payment::PaymentMethod;
use crate::core::report::{DaySummary, Margin, Margins, Period, ProducerRef, SaleHeader, Tally};
use crate::core::sale::SaleRecord;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, OfficeNotice, OfficeText, day_delivery_text, method_name};
use crate::store::{Store, StoreResult};
use crate::ui::invoice_form::{self, InvoiceForm};
use crate::ui::transfer_search::{self, TransferSearch};
use crate::ui::{Action, Context, notice_band, theme, typed_day};
use chrono::{Datelike, Duration, NaiveDate};
use iced::widget::{
    Column, button, column, container, pick_list, row, rule, scrollable, space, stack, text,
    text_input,
};
use iced::{Alignment, Element, Fill, FillPortion, Length};

/// The date field, focused when the screen opens.
pub const DATE_INPUT: &str = "daily-date";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Today,
    Yesterday,
    ThisWeek,
    ThisMonth,
}

#[derive(Debug, Clone)]
pub enum Message {
    DateChanged(String),
    DateSubmitted,
    Preset(Preset),
    StepDay(i64),
    OpenSale(String),
    CloseSale,
    ReprintSale,
    ExportCsv,
    PrintReport,
    FloatChanged(String),
    OpenSession,
    MoveAmountChanged(String),
    MoveReasonChanged(String),
    Move(CashMoveKind),
    CountChanged(usize, String),
    CloseNoteChanged(String),
    CloseSession,
    /// Print a closed shift's Z-report again, by its number.
    ReprintZ(String),
    ProducerPicked(ProducerRef),
    PrintStatement,
    ExportStatement,
    StartInvoice,
    Invoice(invoice_form::Message),
    GiftSlip,
    Transfer(transfer_search::Message),
}

/// The figures of a period with the two it is compared to.
struct Figures {
    current: DaySummary,
    previous: DaySummary,
    week_before: DaySummary,
}

/// The open session with what went through it so far.
struct OpenSession {
    session: CashSession,
    figures: SessionFigures,
}

pub struct Daily {
    period: Period,
    date_input: String,
    figures: Figures,
    sales: Vec<SaleHeader>,
    open_sale: Option<SaleRecord>,
    /// The invoice form for the open sale, while it is being filled in.
    invoice: Option<InvoiceForm>,
    session: Option<OpenSession>,
    float_input: String,
    move_amount: String,
    move_reason: String,
    counts: [String; NOTES.len()],
    close_note: String,
    producers: Vec<ProducerRef>,
    producer: Option<ProducerRef>,
    notice: Option<Notice>,
    /// Said at the top while the shop's sales are not yet invoices (or are the demo's).
    registration: Option<Notice>,
    /// The period's cash-register invoices sent to the tax authority and not.
    delivery: DayDelivery,
    /// The sale behind a line of the bank statement, by the transfer's amount.
    transfers: TransferSearch,
    /// Closing was pressed once (the shift cannot be reopened): the next press closes, any
    /// other act asks again.
    close_asked: bool,
    /// The last shifts closed, newest first, each Z-report printable again.
    closed: Vec<CashSession>,
}

/// Closed shifts listed under the cash session.
const Z_HISTORY: usize = 10;

/// The height a one-line notice floating at the bottom takes (its text, padding and margin).
const NOTICE_ROOM: f32 = theme::TEXT * 1.3 + 12.0 + theme::PAD as f32;

fn load_figures(store: &Store, period: Period) -> StoreResult<Figures> {
    Ok(Figures {
        current: store.day_summary(period)?,
        previous: store.day_summary(period.previous())?,
        week_before: store.day_summary(period.week_before())?,
    })
}

fn load_session(store: &Store) -> StoreResult<Option<OpenSession>> {
    store
        .current_cash_session()?
        .map(|session| {
            Ok(OpenSession {
                figures: store.session_figures(session.id)?,
                session,
            })
        })
        .transpose()
}

impl Daily {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    pub fn new(store: &Store, today: NaiveDate) -> StoreResult<Daily> {
        let period = Period::day(today);
        Ok(Daily {
            period,
            date_input: format_day(today),
            figures: load_figures(store, period)?,
            sales: store.sales_in_period(period)?,
            open_sale: None,
            invoice: None,
            session: load_session(store)?,
            float_input: String::new(),
            move_amount: String::new(),
            move_reason: String::new(),
            counts: Default::default(),
            close_note: String::new(),
            producers: store.producers()?,
            producer: None,
            notice: None,
            registration: None,
            delivery: store.delivery_in_period(period)?,
            transfers: TransferSearch::default(),
            close_asked: false,
            closed: store.closed_sessions(Z_HISTORY)?,
        })
    }

    pub fn summary(&self) -> &DaySummary {
        &self.figures.current
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// Re-reads everything shown: after a sale elsewhere, or a change made here.
    pub fn refresh(&mut self, store: &Store) {
        let loaded = (|| -> StoreResult<()> {
            self.figures = load_figures(store, self.period)?;
            self.sales = store.sales_in_period(self.period)?;
            self.session = load_session(store)?;
            self.delivery = store.delivery_in_period(self.period)?;
            self.closed = store.closed_sessions(Z_HISTORY)?;
            let status = store.invoice_settings()?.status();
            self.registration = (status != RegistrationStatus::Registered)
                .then_some(Notice::InvoiceRegistration(status));
            Ok(())
        })();
        if let Err(error) = loaded {
            self.notice = Some(Notice::from_store_error(&error));
        }
    }

    fn show(&mut self, period: Period, store: &Store) {
        self.period = period;
        self.date_input = format_day(period.to);
        self.open_sale = None;
        self.refresh(store);
    }

    fn note_counts(&self) -> Result<NoteCount, Notice> {
        let mut counts = NoteCount::default();
        for (note, input) in NOTES.iter().zip(&self.counts) {
            let input = input.trim();
            if input.is_empty() {
                continue;
            }
            let count: u32 = input
                .parse()
                .map_err(|_| Notice::QuantityNotANumber(input.to_string()))?;
            counts.set(*note, count).map_err(Notice::Cash)?;
        }
        Ok(counts)
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Action {
        let today = local_date(context.now);
        self.notice = None;
        let close_asked = std::mem::take(&mut self.close_asked);
        match message {
            Message::DateChanged(value) => self.date_input = value,
            Message::DateSubmitted => match typed_day(&self.date_input) {
                Ok(day) => self.show(Period::day(day), context.store),
                Err(notice) => self.notice = Some(notice),
            },
            Message::Preset(preset) => {
                let period = match preset {
                    Preset::Today => Period::day(today),
                    Preset::Yesterday => Period::day(today - Duration::days(1)),
                    Preset::ThisWeek => Period {
                        from: today
                            - Duration::days(i64::from(today.weekday().num_days_from_monday())),
                        to: today,
                    },
                    Preset::ThisMonth => Period {
                        from: today.with_day(1).expect("every month has a first day"),
                        to: today,
                    },
                };
                self.show(period, context.store);
            }
            Message::StepDay(days) => {
                let day = self.period.to + Duration::days(days);
                self.show(Period::day(day), context.store);
            }
            Message::OpenSale(receipt_no) => match context.store.sale_by_receipt_no(&receipt_no) {
                Ok(sale) => self.open_sale = sale,
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Message::CloseSale => {
                self.open_sale = None;
                self.invoice = None;
            }
            Message::StartInvoice => {
                if let Some(receipt_no) = self.open_sale.as_ref().map(|s| s.receipt_no.clone()) {
                    let (form, notice) = InvoiceForm::for_sale(&receipt_no, context);
                    self.invoice = Some(form);
                    self.notice = notice;
                }
            }
            Message::Invoice(message) => {
                if let Some(form) = &mut self.invoice {
                    let (notice, action) = form.update(message, context);
                    self.notice = notice;
                    if matches!(action, Action::Produce(_)) {
                        self.invoice = None;
                    }
                    return action;
                }
            }
            Message::Transfer(message) => {
                self.notice = self.transfers.update(message, context.store);
            }
            Message::GiftSlip => {
                if let Some(sale) = &self.open_sale {
                    return Action::Produce(Document::GiftSlip(Box::new(sale.clone())));
                }
            }
            Message::ReprintSale => {
                if let Some(sale) = &self.open_sale {
                    return Action::Produce(Document::Receipt {
                        sale: Box::new(sale.clone()),
                        copy: true,
                    });
                }
            }
            Message::ExportCsv => match context.store.sale_lines_in_period(self.period) {
                Ok(lines) => {
                    return Action::Produce(Document::SalesCsv {
                        period: self.period,
                        lines,
                    });
                }
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Message::PrintReport => {
                return Action::Produce(Document::DayReport {
                    summary: Box::new(self.figures.current.clone()),
                    previous: Box::new(self.figures.previous.clone()),
                    week_before: Box::new(self.figures.week_before.clone()),
                    printed_at: context.now,
                });
            }
            Message::FloatChanged(value) => self.float_input = value,
            Message::OpenSession => {
                let float = if self.float_input.trim().is_empty() {
                    Ok(Money::ZERO)
                } else {
                    parse_amount(&self.float_input)
                };
                match float {
                    Ok(float) => {
                        match context
                            .store
                            .open_cash_session(float, context.actor(), context.now)
                        {
                            Ok(_) => {
                                self.float_input.clear();
                                self.notice = Some(Notice::SessionOpened);
                            }
                            Err(error) => self.notice = Some(Notice::from_store_error(&error)),
                        }
                    }
                    Err(error) => self.notice = Some(Notice::Amount(error)),
                }
                self.session = load_session(context.store).unwrap_or(None);
            }
            Message::MoveAmountChanged(value) => self.move_amount = value,
            Message::MoveReasonChanged(value) => self.move_reason = value,
            Message::Move(kind) => {
                let recorded = parse_amount(&self.move_amount)
                    .map_err(Notice::Amount)
                    .and_then(|amount| {
                        context
                            .store
                            .record_cash_move(
                                kind,
                                amount,
                                &self.move_reason,
                                context.actor(),
                                context.now,
                            )
                            .map_err(|e| Notice::from_store_error(&e))
                    });
                match recorded {
                    Ok(()) => {
                        self.move_amount.clear();
                        self.move_reason.clear();
                        self.notice = Some(Notice::CashMoved);
                        self.refresh(context.store);
                    }
                    Err(notice) => self.notice = Some(notice),
                }
            }
            Message::CountChanged(index, value) => {
                if let Some(count) = self.counts.get_mut(index) {
                    *count = value;
                }
            }
            Message::CloseNoteChanged(value) => self.close_note = value,
            Message::CloseSession => return self.close_session(close_asked, context),
            Message::ReprintZ(z_number) => match context.store.z_report(&z_number) {
                Ok(Some(report)) => return Action::Produce(Document::ZReport(Box::new(report))),
                Ok(None) => self.notice = Some(Notice::ReceiptNotFound(z_number)),
                Err(error) => self.notice = Some(Notice::from_store_error(&error)),
            },
            Message::ProducerPicked(producer) => self.producer = Some(producer),
            Message::PrintStatement | Message::ExportStatement => {
                let Some(producer) = &self.producer else {
                    return Action::None;
                };
                match context.store.producer_statement(producer.id, self.period) {
                    Ok(statement) => {
                        let statement = Box::new(statement);
                        return Action::Produce(if matches!(message, Message::PrintStatement) {
                            Document::Statement {
                                statement,
                                printed_at: context.now,
                            }
                        } else {
                            Document::StatementCsv(statement)
                        });
                    }
                    Err(error) => self.notice = Some(Notice::from_store_error(&error)),
                }
            }
        }
        Action::None
    }

    /// Closes the shift on the second press: the first checks the count and asks.
    /// The manager was asked to confirm closing the shift: the next press closes it.
    pub fn close_is_asked(&self) -> bool {
        self.close_asked
    }

    fn close_session(&mut self, asked: bool, context: &mut Context<'_>) -> Action {
        let Some(open) = &self.session else {
            return Action::None;
        };
        let counts = match self.note_counts() {
            Ok(counts) => counts,
            Err(notice) => {
                self.notice = Some(notice);
                return Action::None;
            }
        };
        if !asked {
            self.close_asked = true;
            self.notice = Some(Notice::Office(OfficeNotice::ConfirmCloseSession {
                counted: counts.total(),
            }));
            return Action::None;
        }
        let closed = context.store.close_cash_session(
            open.session.id,
            &counts,
            &self.close_note,
            context.actor(),
            context.now,
        );
        match closed {
            Ok(report) => {
                let closing = report.session.closing.as_ref().expect("a closed session");
                self.notice = Some(Notice::SessionClosed {
                    z_number: closing.z_number.clone(),
                    difference: closing.difference(),
                });
                self.counts = Default::default();
                self.close_note.clear();
                self.refresh(context.store);
                Action::Produce(Document::ZReport(Box::new(report)))
            }
            Err(error) => {
                self.notice = Some(Notice::from_store_error(&error));
                Action::None
            }
        }
    }

    /// The transfer search (its matches, for tests and the screen).
    pub fn transfers(&self) -> &TransferSearch {
        &self.transfers
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let left = scrollable(
            column![
                self.period_bar(lang),
                self.delivery_line(lang),
                self.tiles(lang),
                self.hour_chart(lang),
                row![
                    column![
                        self.takings_table(lang),
                        self.customer_money_table(lang),
                        self.vat_table(lang),
                        tally_table(Label::ByStars.text(lang), &self.figures.current.by_stars),
                        tally_table(Label::ByGroup.text(lang), &self.figures.current.by_group),
                    ]
                    .spacing(theme::SPACE)
                    .width(Fill),
                    column![
                        tally_table(
                            Label::TopProducts.text(lang),
                            &self.figures.current.top_products
                        ),
                        tally_table(
                            Label::ByProducer.text(lang),
                            &self.figures.current.by_producer
                        ),
                    ]
                    .spacing(theme::SPACE)
                    .width(Fill),
                ]
                .spacing(theme::SPACE),
                margins_box(&self.figures.current.margins, lang),
                self.statement_bar(lang),
                // Room at the end to scroll the last row clear of a notice floating over it.
                space().height(NOTICE_ROOM),
            ]
            .spacing(theme::SPACE),
        )
        .spacing(theme::SPACE)
        .height(Fill);
        let right = column![
            self.session_panel(lang),
            self.transfers
                .view(lang, Message::Transfer, Message::OpenSale),
            self.sales_panel(lang),
        ]
        .spacing(theme::SPACE)
        .height(Fill);
        // The registration's warning is a state of the store, not the answer to a press: it
        // takes room only while it stands.
        let body = Column::new()
            .push(
                self.registration
                    .as_ref()
                    .map(|warning| notice_band(Some(warning), lang, theme::TEXT)),
            )
            .push(
                row![
                    container(left).width(FillPortion(3)),
                    container(right).width(FillPortion(2))
                ]
                .spacing(theme::SPACE)
                .height(Fill),
            )
            .spacing(theme::SPACE)
            .padding(theme::PAD);
        // The answer to a press floats over the screen's bottom edge while it stands: no band
        // is kept empty above the figures, and none appearing moves a button. It takes no
        // clicks: what it covers still answers them.
        stack![body]
            .push(self.notice.as_ref().map(|notice| {
                container(notice_band(Some(notice), lang, theme::TEXT))
                    .padding(theme::PAD)
                    .height(Fill)
                    .align_y(Alignment::End)
            }))
            .into()
    }

    /// The period's invoices sent to the tax authority and not (none when it has none).
    fn delivery_line(&self, lang: Lang) -> Element<'_, Message> {
        let delivery = &self.delivery;
        if delivery.handed_over + delivery.unsent == 0 {
            // A place kept: the widgets after it keep their state.
            return container(space().height(0)).into();
        }
        let line = text(day_delivery_text(delivery, lang)).size(theme::SMALL);
        if delivery.unsent > 0 {
            line.style(text::danger).into()
        } else {
            line.into()
        }
    }

    fn period_bar(&self, lang: Lang) -> Element<'_, Message> {
        let preset = |label: Label, preset| small_button(label.text(lang), Message::Preset(preset));
        let period = if self.period.from == self.period.to {
            String::new()
        } else {
            format!(
                "{} – {}",
                format_day(self.period.from),
                format_day(self.period.to)
            )
        };
        row![
            small_button("◀", Message::StepDay(-1)),
            text_input(Label::DateHint.text(lang), &self.date_input)
                .id(DATE_INPUT)
                .on_input(Message::DateChanged)
                .on_submit(Message::DateSubmitted)
                .width(Length::Fixed(130.0))
                .padding(8),
            small_button("▶", Message::StepDay(1)),
            preset(Label::Today, Preset::Today),
            preset(Label::Yesterday, Preset::Yesterday),
            preset(Label::ThisWeek, Preset::ThisWeek),
            preset(Label::ThisMonth, Preset::ThisMonth),
            text(period).font(theme::BOLD),
            space::horizontal(),
            small_button(Label::ExportCsv.text(lang), Message::ExportCsv),
            small_button(Label::PrintReport.text(lang), Message::PrintReport),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center)
        .into()
    }

    fn tiles(&self, lang: Lang) -> Element<'_, Message> {
        let Figures {
            current,
            previous,
            week_before,
        } = &self.figures;
        let before = if self.period.from == self.period.to {
            Label::PreviousDay
        } else {
            Label::PreviousPeriod
        };
        let tile = |label: Label, value: &dyn Fn(&DaySummary) -> String| {
            container(
                column![
                    text(label.text(lang))
                        .size(theme::SMALL)
                        .style(theme::muted),
                    text(value(current)).size(theme::AMOUNT).font(theme::BOLD),
                    text(format!("{}: {}", before.text(lang), value(previous)))
                        .size(theme::SMALL)
                        .style(theme::muted),
                    text(format!(
                        "{}: {}",
                        Label::WeekBefore.text(lang),
                        value(week_before)
                    ))
                    .size(theme::SMALL)
                    .style(theme::muted),
                ]
                .spacing(2),
            )
            .padding(theme::PAD)
            .width(Fill)
            .style(theme::panel)
        };
        row![
            tile(Label::SalesCount, &|s| s.sales_count.to_string()),
            tile(Label::NetSales, &|s| s.net.to_string()),
            tile(Label::Vat, &|s| s.vat_total().to_string()),
            tile(Label::AverageBasket, &|s| s.average_basket().to_string()),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    /// Sales by hour as bars drawn in the window; only the hours the shop sold in, 6–22 at least.
    fn hour_chart(&self, lang: Lang) -> Element<'_, Message> {
        const CHART_HEIGHT: f32 = 110.0;
        let by_hour = &self.figures.current.by_hour;
        let busiest = by_hour
            .iter()
            .copied()
            .max()
            .unwrap_or_default()
            .dong()
            .max(1);
        let first = by_hour
            .iter()
            .position(|m| *m > Money::ZERO)
            .unwrap_or(6)
            .min(6);
        let last = by_hour
            .iter()
            .rposition(|m| *m > Money::ZERO)
            .unwrap_or(22)
            .max(22);
        let bars = (first..=last).map(|hour| {
            let share = by_hour[hour].dong() as f32 / busiest as f32;
            column![
                space().height(Length::Fixed(CHART_HEIGHT * (1.0 - share))),
                container(
                    space()
                        .width(Fill)
                        .height(Length::Fixed(CHART_HEIGHT * share))
                )
                .width(Fill)
                .style(theme::bar),
                text(format!("{hour}h")).size(theme::SMALL),
            ]
            .align_x(Alignment::Center)
            .width(Fill)
            .into()
        });
        container(
            column![
                text(Label::ByHour.text(lang)).font(theme::BOLD),
                row(bars).spacing(4).align_y(Alignment::End),
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .into()
    }

    fn takings_table(&self, lang: Lang) -> Element<'_, Message> {
        let current = &self.figures.current;
        let rows = current
            .takings
            .iter()
            .map(|(method, amount)| amount_line(short_method_name(*method, lang), *amount))
            .chain([
                amount_line(Label::Gross.text(lang), current.gross),
                amount_line(Label::Discounts.text(lang), -current.discounts),
                amount_line(Label::Refunds.text(lang), -current.refunds),
            ]);
        titled_box(
            Label::Takings.text(lang),
            Column::with_children(rows).spacing(2).into(),
        )
    }

    /// Deposits and payments on account: money received apart from the sales, by method, and
    /// the sales paid from earlier deposits or put on account (no money that day).
    fn customer_money_table(&self, lang: Lang) -> Element<'_, Message> {
        use crate::i18n::OrderLabel;
        let money = &self.figures.current.customer_money;
        if money.is_empty() {
            return column![].into();
        }
        let rows = [
            (OrderLabel::DepositsTaken, money.deposits_taken()),
            (OrderLabel::DepositsPaidBack, -money.deposits_paid_back()),
            (OrderLabel::PaidOnAccount, money.paid_on_account()),
        ]
        .into_iter()
        .map(|(label, amount)| amount_line(label.text(lang), amount))
        .chain(PaymentMethod::ALL.into_iter().map(|method| {
            let received = money.received(Some(method));
            amount_line(short_method_name(method, lang), received)
        }))
        .chain([
            amount_line(OrderLabel::ReceivedApart.text(lang), money.received(None)),
            amount_line(
                OrderLabel::SalesFromDeposits.text(lang),
                money.deposits_applied,
            ),
            amount_line(OrderLabel::SalesOnAccount.text(lang), money.sold_on_account),
        ]);
        titled_box(
            OrderLabel::DailyTitle.text(lang),
            Column::with_children(rows).spacing(2).into(),
        )
    }

    fn vat_table(&self, lang: Lang) -> Element<'_, Message> {
        let rows = self.figures.current.vat.iter().map(|bucket| {
            row![
                text(bucket.rate.to_string()).width(Length::Fixed(50.0)),
                text(format!(
                    "{}: {}",
                    Label::TaxableAmount.text(lang),
                    bucket.pre_vat
                ))
                .size(theme::SMALL)
                .width(Fill),
                text(bucket.vat.to_string()).font(theme::BOLD),
            ]
            .spacing(theme::SPACE)
            .into()
        });
        titled_box(
            Label::VatPerRate.text(lang),
            Column::with_children(rows).spacing(2).into(),
        )
    }

    fn statement_bar(&self, lang: Lang) -> Element<'_, Message> {
        let ready = self.producer.is_some();
        let action = |label: &'static str, message: Message| {
            button(text(label).size(theme::SMALL))
                .style(button::secondary)
                .on_press_maybe(ready.then_some(message))
        };
        titled_box(
            Label::ProducerStatement.text(lang),
            row![
                pick_list(
                    self.producers.as_slice(),
                    self.producer.clone(),
                    Message::ProducerPicked
                )
                .width(Fill),
                action(Label::PrintStatement.text(lang), Message::PrintStatement),
                action(Label::ExportStatement.text(lang), Message::ExportStatement),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center)
            .into(),
        )
    }

    fn session_panel(&self, lang: Lang) -> Element<'_, Message> {
        let content: Element<'_, Message> = match &self.session {
            None => column![
                text(Label::NoSession.text(lang)),
                row![
                    text_input(Label::OpeningFloat.text(lang), &self.float_input)
                        .on_input(Message::FloatChanged)
                        .on_submit(Message::OpenSession)
                        .padding(8),
                    small_button(Label::OpenSession.text(lang), Message::OpenSession),
                ]
                .spacing(theme::SPACE),
            ]
            .spacing(theme::SPACE)
            .into(),
            Some(open) => self.open_session_view(lang, open),
        };
        titled_box(
            Label::CashSession.text(lang),
            column![content, self.z_history(lang)]
                .spacing(theme::SPACE)
                .into(),
        )
    }

    /// The shifts closed lately: Z number, when, by whom, over or short, and a reprint.
    fn z_history(&self, lang: Lang) -> Element<'_, Message> {
        let rows = self.closed.iter().filter_map(|session| {
            let closing = session.closing.as_ref()?;
            Some(
                row![
                    text(&closing.z_number).size(theme::SMALL).width(Fill),
                    text(
                        closing
                            .closed_at
                            .with_timezone(&SHOP_TIME_ZONE)
                            .format("%d/%m %H:%M")
                            .to_string()
                    )
                    .size(theme::SMALL)
                    .style(theme::muted),
                    text(&closing.closed_by).size(theme::SMALL),
                    text(closing.difference().to_string()).size(theme::SMALL),
                    small_button(
                        Label::InvReprint.text(lang),
                        Message::ReprintZ(closing.z_number.clone())
                    ),
                ]
                .spacing(theme::SPACE)
                .align_y(Alignment::Center)
                .into(),
            )
        });
        column![
            text(OfficeText::ZHistory.text(lang))
                .size(theme::SMALL)
                .font(theme::BOLD)
        ]
        .extend(rows)
        .spacing(2)
        .into()
    }

    fn open_session_view<'a>(&'a self, lang: Lang, open: &'a OpenSession) -> Element<'a, Message> {
        let expected = open.figures.expected_cash(open.session.opening_float);
        let opened = open.session.opened_at.with_timezone(&SHOP_TIME_ZONE);
        let moves = row![
            text_input(Label::CashAmount.text(lang), &self.move_amount)
                .on_input(Message::MoveAmountChanged)
                .padding(6)
                .width(Length::FillPortion(2)),
            text_input(Label::CashReason.text(lang), &self.move_reason)
                .on_input(Message::MoveReasonChanged)
                .padding(6)
                .width(Length::FillPortion(3)),
            small_button(Label::CashIn.text(lang), Message::Move(CashMoveKind::In)),
            small_button(Label::CashOut.text(lang), Message::Move(CashMoveKind::Out)),
        ]
        .spacing(4);
        let counted = self.note_counts().map(|c| c.total()).unwrap_or_default();
        let note_rows = |range: std::ops::Range<usize>| {
            Column::with_children(range.map(|index| note_row(index, &self.counts[index])))
                .spacing(2)
        };
        let difference = counted - expected;
        let difference_label = if difference >= Money::ZERO {
            Label::Over
        } else {
            Label::Short
        };
        column![
            text(format!(
                "{} {} · {}: {}",
                Label::SessionOpenedAt.text(lang),
                opened.format("%d/%m %H:%M"),
                Label::OpeningFloat.text(lang),
                open.session.opening_float
            ))
            .size(theme::SMALL),
            amount_line(Label::ExpectedCash.text(lang), expected),
            moves,
            rule::horizontal(1),
            row![note_rows(0..5), note_rows(5..NOTES.len())].spacing(theme::SPACE),
            amount_line(Label::CountedCash.text(lang), counted),
            amount_line(difference_label.text(lang), Money(difference.dong().abs())),
            text_input(Label::CloseNote.text(lang), &self.close_note)
                .on_input(Message::CloseNoteChanged)
                .padding(6),
            button(text(Label::CloseSession.text(lang)).center())
                .width(Fill)
                .height(theme::BUTTON_HEIGHT)
                .style(button::danger)
                .on_press(Message::CloseSession),
        ]
        .spacing(6)
        .into()
    }

    fn sales_panel(&self, lang: Lang) -> Element<'_, Message> {
        let content: Element<'_, Message> = match (&self.open_sale, &self.invoice) {
            (Some(_), Some(form)) => column![
                form.view(lang).map(Message::Invoice),
                small_button(Label::Back.text(lang), Message::CloseSale),
            ]
            .spacing(theme::SPACE)
            .into(),
            (Some(sale), None) => {
                let lines = sale.draft.lines.iter().map(|line| {
                    row![
                        column![
                            text(format!("{} {}", line.name, stars_text(line.stars))),
                            text(format!(
                                "{} {} × {}",
                                format_quantity(line.quantity),
                                line.unit,
                                line.unit_price
                            ))
                            .size(theme::SMALL)
                            .style(theme::muted),
                        ]
                        .width(Fill),
                        text(line.total.to_string()).font(theme::BOLD),
                    ]
                    .spacing(theme::SPACE)
                    .into()
                });
                column![
                    text(format!(
                        "{} · {} · {}",
                        sale.receipt_no,
                        sale.sold_at
                            .with_timezone(&SHOP_TIME_ZONE)
                            .format("%d/%m/%Y %H:%M"),
                        sale.draft.cashier
                    ))
                    .font(theme::BOLD),
                    scrollable(Column::with_children(lines).spacing(4))
                        .spacing(theme::SPACE)
                        .height(Fill),
                    amount_line(Label::Total.text(lang), sale.draft.total),
                    row![
                        small_button(Label::Back.text(lang), Message::CloseSale),
                        small_button(Label::Reprint.text(lang), Message::ReprintSale),
                        small_button(Label::InvoiceTitle.text(lang), Message::StartInvoice),
                        small_button(Label::GiftSlip.text(lang), Message::GiftSlip),
                    ]
                    .spacing(theme::SPACE),
                ]
                .spacing(theme::SPACE)
                .into()
            }
            (None, _) if self.sales.is_empty() => {
                text(Label::NoSales.text(lang)).style(theme::muted).into()
            }
            (None, _) => {
                let rows = self.sales.iter().map(|sale| {
                    let number = match &sale.refund_of {
                        Some(receipt_no) => format!(
                            "{} ({} {receipt_no})",
                            sale.receipt_no,
                            OfficeText::RefundOf.text(lang)
                        ),
                        None => sale.receipt_no.clone(),
                    };
                    button(
                        row![
                            text(number).width(Fill),
                            text(
                                sale.sold_at
                                    .with_timezone(&SHOP_TIME_ZONE)
                                    .format("%d/%m %H:%M")
                                    .to_string()
                            )
                            .size(theme::SMALL)
                            .style(theme::muted),
                            text(sale.total.to_string()).font(theme::BOLD),
                        ]
                        .spacing(theme::SPACE),
                    )
                    .style(theme::row_button)
                    // A refund's row opens the sale it gives back part of.
                    .on_press(Message::OpenSale(
                        sale.refund_of
                            .clone()
                            .unwrap_or_else(|| sale.receipt_no.clone()),
                    ))
                    .into()
                });
                scrollable(Column::with_children(rows).spacing(2))
                    .spacing(theme::SPACE)
                    .height(Fill)
                    .into()
            }
        };
        container(
            column![
                text(Label::SalesOfDay.text(lang)).font(theme::BOLD),
                content
            ]
            .spacing(theme::SPACE),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .height(Fill)
        .into()
    }
}

fn short_method_name(method: PaymentMethod, lang: Lang) -> &'static str {
    // The pay panel's names carry their shortcut; here the plain name reads better.
    method_name(method, lang)
        .split(" (")
        .next()
        .unwrap_or_default()
}

/// The closing count's field for one note (`note-500000`).
pub fn note_input_id(note: i64) -> String {
    format!("note-{note}")
}

/// One line of the closing count: the note, how many, and what they come to.
fn note_row(index: usize, input: &str) -> Element<'_, Message> {
    let note = NOTES[index];
    let amount = input
        .trim()
        .parse::<i64>()
        .map(|count| Money(count * note))
        .unwrap_or_default();
    row![
        text(Money(note).to_string())
            .width(Length::Fixed(90.0))
            .align_x(Alignment::End),
        text("×"),
        text_input("0", input)
            .id(note_input_id(note))
            .on_input(move |value| Message::CountChanged(index, value))
            .padding(4)
            .width(Length::Fixed(60.0)),
        // On one line, however large: a wrapped amount would push the buttons below.
        text(format!("= {amount}"))
            .size(theme::SMALL)
            .wrapping(iced::widget::text::Wrapping::None),
    ]
    .spacing(6)
    .align_y(Alignment::Center)
    .into()
}

fn small_button(label: &str, message: Message) -> Element<'_, Message> {
    button(text(label).size(theme::SMALL))
        .style(button::secondary)
        .on_press(message)
        .into()
}

fn amount_line(label: &str, amount: Money) -> Element<'_, Message> {
    row![
        text(label).width(Fill),
        text(amount.to_string()).font(theme::BOLD)
    ]
    .spacing(theme::SPACE)
    .into()
}

fn titled_box<'a>(title: &'a str, content: Element<'a, Message>) -> Element<'a, Message> {
    container(column![text(title).font(theme::BOLD), content].spacing(theme::SPACE))
        .padding(theme::PAD)
        .width(Fill)
        .style(theme::panel)
        .into()
}

fn tally_table<'a>(title: &'a str, tallies: &'a [Tally]) -> Element<'a, Message> {
    let rows = tallies.iter().map(|tally| {
        row![
            text(&tally.label).size(theme::SMALL).width(Fill),
            text(tally.quantity_text())
                .size(theme::SMALL)
                .style(theme::muted),
            text(tally.amount.to_string())
                .size(theme::SMALL)
                .font(theme::BOLD),
        ]
        .spacing(theme::SPACE)
        .into()
    });
    titled_box(title, Column::with_children(rows).spacing(2).into())
}

/// The period's gross margin: the total, then by group, producer, day (over several days) and
/// the products with the largest margins.
fn margins_box<'a>(margins: &'a Margins, lang: Lang) -> Element<'a, Message> {
    let line = |margin: &'a Margin, label: &'a str, bold: bool| -> Element<'a, Message> {
        let marked = if margin.uncosted > Money::ZERO {
            "*"
        } else {
            ""
        };
        let percent = margin
            .percent()
            .map(|percent| format!("{}%", format_quantity(percent)))
            .unwrap_or_default();
        row![
            text(format!("{label}{marked}"))
                .size(theme::SMALL)
                .width(Fill),
            text(margin.sales.to_string())
                .size(theme::SMALL)
                .style(theme::muted),
            text(margin.cost.to_string())
                .size(theme::SMALL)
                .style(theme::muted),
            text(format!("{} {percent}", margin.margin()))
                .size(theme::SMALL)
                .font(if bold { theme::BOLD } else { theme::FONT }),
        ]
        .spacing(theme::SPACE)
        .into()
    };
    let heading = |title: &'a str| -> Element<'a, Message> {
        text(title).size(theme::SMALL).font(theme::BOLD).into()
    };
    let mut rows = vec![
        row![
            space::horizontal(),
            text(OfficeText::MarginSales.text(lang)).size(theme::SMALL),
            text(OfficeText::MarginCost.text(lang)).size(theme::SMALL),
            text(
                OfficeText::GrossMargin
                    .text(lang)
                    .split(" (")
                    .next()
                    .unwrap_or_default()
            )
            .size(theme::SMALL),
        ]
        .spacing(theme::SPACE)
        .into(),
        line(&margins.total, OfficeText::MarginTotal.text(lang), true),
    ];
    let sections: [(&str, &[Margin], usize); 4] = [
        (Label::ByGroup.text(lang), &margins.by_group, usize::MAX),
        (
            Label::ByProducer.text(lang),
            &margins.by_producer,
            usize::MAX,
        ),
        (
            OfficeText::MarginByDay.text(lang),
            &margins.by_day,
            usize::MAX,
        ),
        (
            OfficeText::MarginTopProducts.text(lang),
            &margins.by_product,
            10,
        ),
    ];
    for (title, margins, limit) in sections {
        if margins.is_empty() || (margins.len() == 1 && title == OfficeText::MarginByDay.text(lang))
        {
            continue;
        }
        rows.push(heading(title));
        rows.extend(margins.iter().take(limit).map(|m| line(m, &m.label, false)));
    }
    if margins.total.uncosted > Money::ZERO {
        rows.push(
            text(OfficeText::UncostedNote.text(lang))
                .size(theme::SMALL)
                .style(theme::muted)
                .into(),
        );
    }
    titled_box(
        OfficeText::GrossMargin.text(lang),
        Column::with_children(rows).spacing(2).into(),
    )
}
