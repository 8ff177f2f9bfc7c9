//! The one place for colours, spacing, text sizes and widget styles.

use crate::i18n::Level;
use iced::widget::{button, container, text};
use iced::{Border, Color, Font, Theme, color, font};

pub const FONT_NAME: &str = "DejaVu Sans";
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
pub const FONT: Font = Font::with_name(FONT_NAME);
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..Font::with_name(FONT_NAME)
};

pub const SPACE: f32 = 8.0;
pub const PAD: u16 = 12;
pub const TEXT: f32 = 16.0;
pub const SMALL: f32 = 13.0;
/// Shortcut hints under a tab's name.
pub const TINY: f32 = 10.0;
pub const HEADING: f32 = 20.0;
pub const AMOUNT: f32 = 24.0;
pub const TOTAL: f32 = 40.0;
/// Buttons stay at least this high so a finger can hit them on a touch screen.
pub const BUTTON_HEIGHT: f32 = 44.0;

const PRIMARY: Color = color!(0x1b6b3a);
const STAR: Color = color!(0xd89b00);
const MUTED: Color = color!(0x5f6b66);
const SELECTED: Color = color!(0xdcefe2);
const CURSOR: Color = color!(0xfff3c4);
const PANEL: Color = color!(0xf6f8f7);
const LINE: Color = color!(0xd5dbd8);

pub fn theme() -> Theme {
    Theme::custom(
        "OCOP POS",
        iced::theme::Palette {
            background: Color::WHITE,
            text: color!(0x1d2521),
            primary: PRIMARY,
            success: color!(0x1e7d32),
            warning: color!(0xb26a00),
            danger: color!(0xc62828),
        },
    )
}

pub fn panel(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(PANEL.into()),
        border: Border {
            color: LINE,
            width: 1.0,
            radius: 6.0.into(),
        },
        ..container::Style::default()
    }
}

pub fn top_bar(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(PRIMARY.into()),
        text_color: Some(Color::WHITE),
        ..container::Style::default()
    }
}

/// A cart line or search result: highlighted when selected, yellow under the keyboard cursor.
pub fn row_style(selected: bool, cursor: bool) -> impl Fn(&Theme) -> container::Style {
    move |_theme| container::Style {
        background: match (selected, cursor) {
            (_, true) => Some(CURSOR.into()),
            (true, _) => Some(SELECTED.into()),
            _ => None,
        },
        border: Border {
            color: if selected { PRIMARY } else { LINE },
            width: if selected { 2.0 } else { 0.0 },
            radius: 4.0.into(),
        },
        ..container::Style::default()
    }
}

pub fn notice(level: Level) -> impl Fn(&Theme) -> container::Style {
    move |theme| {
        let palette = theme.extended_palette();
        let pair = match level {
            Level::Success => palette.success.weak,
            Level::Warning => palette.warning.weak,
            Level::Error => palette.danger.base,
        };
        container::Style {
            background: Some(pair.color.into()),
            text_color: Some(pair.text),
            border: Border {
                radius: 6.0.into(),
                ..Border::default()
            },
            ..container::Style::default()
        }
    }
}

/// A tab of the top bar: the active one stands out from the green bar.
pub fn tab(theme: &Theme, status: button::Status, active: bool) -> button::Style {
    let base = button::text(theme, status);
    button::Style {
        background: active.then(|| Color::from_rgba8(255, 255, 255, 0.25).into()),
        text_color: Color::WHITE,
        border: Border {
            radius: 4.0.into(),
            ..Border::default()
        },
        ..base
    }
}

/// A bar of a chart.
pub fn bar(_theme: &Theme) -> container::Style {
    container::background(PRIMARY)
}

pub fn stars(_theme: &Theme) -> text::Style {
    text::Style { color: Some(STAR) }
}

pub fn muted(_theme: &Theme) -> text::Style {
    text::Style { color: Some(MUTED) }
}

/// A plain row that reacts to the pointer without looking like a button.
pub fn row_button(theme: &Theme, status: button::Status) -> button::Style {
    let base = button::text(theme, status);
    button::Style {
        text_color: theme.palette().text,
        ..base
    }
}

/// Stock under its threshold, an expired certificate: what a manager must act on.
pub fn danger(theme: &Theme) -> text::Style {
    text::Style {
        color: Some(theme.palette().danger),
    }
}
