//! Keyboard shortcuts: a plain mapping from keys to commands, so it can be tested.

use crate::ui::Tab;
use iced::keyboard::{Key, Modifiers, key::Named};

/// What a shortcut asks for; the screen decides what it means in its current panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// F2: back to the scan field (in the pay panel: cash).
    Search,
    /// F3: quantity of the selected line (in the pay panel: transfer).
    Quantity,
    /// F4: discount on the selected line (in the pay panel: card).
    LineDiscount,
    /// F5
    OrderDiscount,
    /// F6
    Park,
    /// F7
    Parked,
    /// F8
    RemoveLine,
    /// Ctrl+F8
    CancelCart,
    /// F9
    Pay,
    /// F10: the rest in cash, exact, and complete.
    ExactCash,
    /// F11
    Reprint,
    /// F12
    Language,
    /// Esc
    Cancel,
    /// Enter when no field has taken it (lists and confirmations).
    Confirm,
    Up,
    Down,
    /// Ctrl+1 … Ctrl+8: switch screens.
    Show(crate::ui::Tab),
    /// Ctrl+G: start a gift basket at the counter; again to set its price.
    Basket,
    /// Ctrl+I: the invoices of the last sale (or any receipt): A4 copy, corrections.
    Invoice,
    /// Ctrl+B (or F1): the buyer the next sale's invoice names, when the customer asks; a
    /// customer on record is found by tax code or phone.
    Buyer,
    /// Ctrl+P: the gift slip (no prices) of the last sale.
    GiftSlip,
    /// Ctrl+R: refund part or all of a past sale.
    Refund,
    /// Ctrl+L: lock the screen for another person to sign in (the cart stays).
    SwitchUser,
    /// Tab / Shift+Tab: the next or previous field of a form.
    NextField,
    PreviousField,
}

/// Maps a pressed key to a command. `captured` tells whether a widget (a text field) already
/// used the key: such an Enter was a field's submit and is not a command.
pub fn shortcut(key: &Key, modifiers: Modifiers, captured: bool) -> Option<Command> {
    let named = match key.as_ref() {
        Key::Named(named) => named,
        Key::Character("1") if modifiers.control() => return Some(Command::Show(Tab::Checkout)),
        Key::Character("2") if modifiers.control() => return Some(Command::Show(Tab::Daily)),
        Key::Character("g") if modifiers.control() => return Some(Command::Basket),
        Key::Character("i") if modifiers.control() => return Some(Command::Invoice),
        Key::Character("b") if modifiers.control() => return Some(Command::Buyer),
        Key::Character("p") if modifiers.control() => return Some(Command::GiftSlip),
        Key::Character("l") if modifiers.control() => return Some(Command::SwitchUser),
        Key::Character("r") if modifiers.control() => return Some(Command::Refund),
        Key::Character("3") if modifiers.control() => return Some(Command::Show(Tab::Backups)),
        Key::Character("4") if modifiers.control() => return Some(Command::Show(Tab::Audit)),
        Key::Character("5") if modifiers.control() => return Some(Command::Show(Tab::Inventory)),
        Key::Character("6") if modifiers.control() => return Some(Command::Show(Tab::Settings)),
        Key::Character("7") if modifiers.control() => return Some(Command::Show(Tab::Staff)),
        Key::Character("8") if modifiers.control() => return Some(Command::Show(Tab::Orders)),
        _ => return None,
    };
    Some(match named {
        // The customer, by tax code or phone: the buyer form of Ctrl+B.
        Named::F1 => Command::Buyer,
        Named::F2 => Command::Search,
        Named::F3 => Command::Quantity,
        Named::F4 => Command::LineDiscount,
        Named::F5 => Command::OrderDiscount,
        Named::F6 => Command::Park,
        Named::F7 => Command::Parked,
        Named::F8 if modifiers.control() => Command::CancelCart,
        Named::F8 => Command::RemoveLine,
        Named::F9 => Command::Pay,
        Named::F10 => Command::ExactCash,
        Named::F11 => Command::Reprint,
        Named::F12 => Command::Language,
        Named::Escape => Command::Cancel,
        Named::Enter if !captured => Command::Confirm,
        Named::ArrowUp => Command::Up,
        Named::ArrowDown => Command::Down,
        Named::Tab if modifiers.shift() => Command::PreviousField,
        Named::Tab => Command::NextField,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_keys_map_to_commands() {
        let none = Modifiers::empty();
        assert_eq!(
            shortcut(&Key::Named(Named::F9), none, false),
            Some(Command::Pay)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::F9), none, true),
            Some(Command::Pay)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::F8), none, false),
            Some(Command::RemoveLine)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::F8), Modifiers::CTRL, false),
            Some(Command::CancelCart)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::Escape), none, true),
            Some(Command::Cancel)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::F10), none, false),
            Some(Command::ExactCash)
        );
        assert_eq!(
            shortcut(&Key::Named(Named::F1), none, false),
            Some(Command::Buyer)
        );
        assert_eq!(
            shortcut(&Key::Character("8".into()), Modifiers::CTRL, false),
            Some(Command::Show(crate::ui::Tab::Orders))
        );
    }

    #[test]
    fn enter_is_a_command_only_when_no_field_took_it() {
        let none = Modifiers::empty();
        assert_eq!(
            shortcut(&Key::Named(Named::Enter), none, false),
            Some(Command::Confirm)
        );
        assert_eq!(shortcut(&Key::Named(Named::Enter), none, true), None);
    }

    #[test]
    fn control_digits_switch_screens() {
        let one = Key::Character("1".into());
        assert_eq!(
            shortcut(&one, Modifiers::CTRL, true),
            Some(Command::Show(Tab::Checkout))
        );
        let two = Key::Character("2".into());
        assert_eq!(
            shortcut(&two, Modifiers::CTRL, false),
            Some(Command::Show(Tab::Daily))
        );
        assert_eq!(shortcut(&two, Modifiers::empty(), false), None);
        let g = Key::Character("g".into());
        assert_eq!(shortcut(&g, Modifiers::CTRL, true), Some(Command::Basket));
        let b = Key::Character("b".into());
        assert_eq!(shortcut(&b, Modifiers::CTRL, true), Some(Command::Buyer));
        assert_eq!(shortcut(&g, Modifiers::empty(), true), None);
    }

    #[test]
    fn typed_characters_are_not_shortcuts() {
        assert_eq!(
            shortcut(&Key::Character("a".into()), Modifiers::empty(), false),
            None
        );
        assert_eq!(
            shortcut(&Key::Character("5".into()), Modifiers::empty(), false),
            None
        );
    }
}
