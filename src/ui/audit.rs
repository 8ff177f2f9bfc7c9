//! The managers' audit screen: every audited act (voided lines, cleared carts, big discounts,
//! refunds, reprints, cash moves and closes, stock, products, failed PINs, the manager's
//! screens…) with who did it, who approved it and what changed, filtered by person, by act and
//! by days, and exported as CSV. Rows of earlier versions show under their act's name.

use crate::core::audit::AuditAct;
use crate::core::clock::format_day;
use crate::core::clock::{SHOP_TIME_ZONE, local_date};
use crate::core::report::Period;
use crate::core::staff::AuditEntry;
use crate::documents::{Document, period_name};
use crate::i18n::{Label, Lang, Notice, audit_act_name};
use crate::store::{AuditFilter, Store, StoreResult};
use crate::ui::{Action, Choice, Context, notice_band, theme, typed_day};
use chrono::Utc;
use iced::widget::{
    button, column, container, pick_list, row, scrollable, space, table, text, text_input,
};
use iced::{Alignment, Element, Fill, FillPortion, Length};

/// The first day's field, focused when the screen opens.
pub const FROM_INPUT: &str = "audit-from";
/// The last day's field.
pub const TO_INPUT: &str = "audit-to";
/// The boxes around the two lists to filter by, for finding them on screen. Each holds just
/// its list, so a box is as tall as its list and as each of the list's entries when open.
pub const PERSON_FILTER: &str = "audit-person";
pub const ACT_FILTER: &str = "audit-act";

#[derive(Debug, Clone)]
pub enum Message {
    /// A staff member's name, or `None` for everyone.
    PersonPicked(Option<String>),
    /// One act, or `None` for all.
    ActPicked(Option<AuditAct>),
    FromChanged(String),
    ToChanged(String),
    /// Show the days typed in the two fields.
    ShowDays,
    ExportCsv,
}

pub struct Audit {
    /// Names to filter by: the active staff.
    people: Vec<String>,
    person: Option<String>,
    act: Option<AuditAct>,
    period: Period,
    from_input: String,
    to_input: String,
    /// The rows matching the filters, newest first.
    entries: Vec<AuditEntry>,
    notice: Option<Notice>,
}

impl Audit {
    /// Tells, in this screen's notice band, what the window learnt meanwhile (a document
    /// saved or printed): the band is already there, so no other line is taken for it.
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// Today's entries of everyone, all acts.
    pub fn new(store: &Store) -> StoreResult<Audit> {
        Audit::for_period(store, Period::day(local_date(Utc::now())))
    }

    /// The entries of `period`, of everyone, all acts.
    pub fn for_period(store: &Store, period: Period) -> StoreResult<Audit> {
        let mut audit = Audit {
            people: Vec::new(),
            person: None,
            act: None,
            period,
            from_input: format_day(period.from),
            to_input: format_day(period.to),
            entries: Vec::new(),
            notice: None,
        };
        audit.load(store)?;
        Ok(audit)
    }

    /// The rows shown, newest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    pub fn period(&self) -> Period {
        self.period
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    fn filter(&self) -> AuditFilter {
        AuditFilter {
            person: self.person.clone(),
            act: self.act,
            period: Some(self.period),
        }
    }

    fn load(&mut self, store: &Store) -> StoreResult<()> {
        self.people = store
            .staff()?
            .into_iter()
            .map(|member| member.name)
            .collect();
        self.entries = store.audit_entries(&self.filter())?;
        Ok(())
    }

    /// Re-reads the rows: after an act elsewhere, or a change of filter here.
    pub fn refresh(&mut self, store: &Store) {
        if let Err(error) = self.load(store) {
            self.notice = Some(Notice::from_store_error(&error));
        }
    }

    /// The days typed in the fields, earliest first whichever way round they were typed; the
    /// first field that is not a date is refused.
    fn typed_period(&self) -> Result<Period, Notice> {
        let from = typed_day(&self.from_input)?;
        let to = typed_day(&self.to_input)?;
        Ok(Period {
            from: from.min(to),
            to: from.max(to),
        })
    }

    /// Takes the typed days and shows their rows; false (with the notice set) when a field is
    /// not a date or the store cannot be read.
    fn apply(&mut self, store: &Store) -> bool {
        match self.typed_period() {
            Ok(period) => {
                self.period = period;
                self.from_input = format_day(period.from);
                self.to_input = format_day(period.to);
                match self.load(store) {
                    Ok(()) => true,
                    Err(error) => {
                        self.notice = Some(Notice::from_store_error(&error));
                        false
                    }
                }
            }
            Err(notice) => {
                self.notice = Some(notice);
                false
            }
        }
    }

    pub fn update(&mut self, message: Message, context: &mut Context<'_>) -> Action {
        self.notice = None;
        match message {
            Message::FromChanged(value) => self.from_input = value,
            Message::ToChanged(value) => self.to_input = value,
            Message::PersonPicked(person) => {
                self.person = person;
                self.apply(context.store);
            }
            Message::ActPicked(act) => {
                self.act = act;
                self.apply(context.store);
            }
            Message::ShowDays => {
                self.apply(context.store);
            }
            // What is exported is what the filters select, read afresh, so the file never
            // misses a row written since the screen was last refreshed.
            Message::ExportCsv => {
                if self.apply(context.store) {
                    return Action::Produce(Document::AuditCsv {
                        entries: self.entries.clone(),
                        period_name: period_name(&self.period),
                    });
                }
            }
        }
        Action::None
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        column![
            row![
                text(Label::AuditTitle.text(lang))
                    .size(theme::HEADING)
                    .font(theme::BOLD)
                    .width(Fill),
                button(text(Label::ExportCsv.text(lang)))
                    .style(button::secondary)
                    .on_press(Message::ExportCsv),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center),
            self.filters(lang),
            notice_band(self.notice.as_ref(), lang, theme::SMALL),
            container(scrollable(self.table(lang)).height(Fill))
                .padding(theme::PAD)
                .width(Fill)
                .height(Fill)
                .style(theme::panel),
        ]
        .spacing(theme::SPACE)
        .padding(theme::PAD)
        .into()
    }

    fn filters(&self, lang: Lang) -> Element<'_, Message> {
        let people: Vec<Choice<String>> = std::iter::once(None)
            .chain(self.people.iter().cloned().map(Some))
            .map(|value| Choice {
                name: value
                    .clone()
                    .unwrap_or_else(|| Label::AuditEveryone.text(lang).to_string()),
                value,
            })
            .collect();
        let person = people
            .iter()
            .find(|choice| choice.value == self.person)
            .cloned()
            // A name no longer on the staff list is still the one filtered by.
            .or_else(|| {
                self.person.clone().map(|name| Choice {
                    value: Some(name.clone()),
                    name,
                })
            });
        let acts: Vec<Choice<AuditAct>> = std::iter::once(None)
            .chain(AuditAct::ALL.into_iter().map(Some))
            .map(|value| Choice {
                name: value
                    .map_or(Label::AuditAllActs.text(lang), |act| {
                        audit_act_name(act, lang)
                    })
                    .to_string(),
                value,
            })
            .collect();
        let act = acts.iter().find(|choice| choice.value == self.act).cloned();
        let date = |id: &'static str, value: &str, on_input: fn(String) -> Message| {
            text_input(Label::DateHint.text(lang), value)
                .id(id)
                .on_input(on_input)
                .on_submit(Message::ShowDays)
                .padding(6)
                .width(Length::Fixed(150.0))
        };
        row![
            container(
                pick_list(people, person, |choice: Choice<String>| {
                    Message::PersonPicked(choice.value)
                })
                .width(Fill)
            )
            .id(PERSON_FILTER)
            .width(FillPortion(2)),
            container(
                pick_list(acts, act, |choice: Choice<AuditAct>| {
                    Message::ActPicked(choice.value)
                })
                .width(Fill)
            )
            .id(ACT_FILTER)
            .width(FillPortion(3)),
            text(Label::AuditFrom.text(lang)),
            date(FROM_INPUT, &self.from_input, Message::FromChanged),
            text(Label::AuditTo.text(lang)),
            date(TO_INPUT, &self.to_input, Message::ToChanged),
            button(text(Label::AuditShow.text(lang)))
                .style(button::secondary)
                .on_press(Message::ShowDays),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center)
        .into()
    }

    /// One row per entry under the column heads; beneath, a line saying when there is none.
    /// That line is a container either way, so the table keeps its place in the tree.
    fn table(&self, lang: Lang) -> Element<'_, Message> {
        let head = |label: Label| text(label.text(lang)).size(theme::SMALL).font(theme::BOLD);
        let cell = |value: String| text(value).size(theme::SMALL);
        let columns = [
            table::column(head(Label::AuditTime), move |entry: &AuditEntry| {
                cell(
                    entry
                        .at
                        .with_timezone(&SHOP_TIME_ZONE)
                        .format("%d/%m %H:%M")
                        .to_string(),
                )
            })
            .width(Length::Fixed(90.0)),
            table::column(head(Label::AuditActor), move |entry: &AuditEntry| {
                cell(entry.actor.clone())
            })
            .width(FillPortion(2)),
            table::column(
                head(Label::AuditApprover),
                move |entry: &AuditEntry| match &entry.approver {
                    Some(approver) => cell(approver.clone()),
                    None => cell("—".to_string()).style(theme::muted),
                },
            )
            .width(FillPortion(2)),
            table::column(head(Label::AuditAct), move |entry: &AuditEntry| {
                cell(audit_act_name(entry.act, lang).to_string())
            })
            .width(FillPortion(3)),
            table::column(head(Label::AuditSubject), move |entry: &AuditEntry| {
                cell(entry.subject.clone())
            })
            .width(FillPortion(3)),
            table::column(head(Label::AuditChange), move |entry: &AuditEntry| {
                cell(change_text(entry))
            })
            .width(FillPortion(4)),
        ];
        let empty: Element<'_, Message> = if self.entries.is_empty() {
            container(text(Label::AuditEmpty.text(lang)).style(theme::muted)).into()
        } else {
            container(space().height(0)).into()
        };
        column![
            table(columns, &self.entries)
                .width(Fill)
                .padding_x(8)
                .padding_y(4),
            empty,
        ]
        .spacing(theme::SPACE)
        .into()
    }
}

/// `5 → 3`, or just the one side that was recorded.
fn change_text(entry: &AuditEntry) -> String {
    match (entry.before.trim(), entry.after.trim()) {
        ("", "") => String::new(),
        (before, "") => format!("{before} → —"),
        ("", after) => format!("— → {after}"),
        (before, after) => format!("{before} → {after}"),
    }
}
