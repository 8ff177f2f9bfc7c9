//! A window that behaves like the running program between keystrokes: its widgets keep their
//! state (which field has focus) from one event to the next, every event is handled on its
//! own as the runtime does, keys also reach the window's shortcuts, and the tasks an update
//! returns are run — their widget operations (focusing a field) act on the widgets, their
//! messages go back to the window. `Simulator` builds fresh widgets each time and drops the
//! tasks, so it cannot show where typed keys land.

use iced::keyboard::{self, key::Named};
use iced::{Event, Font, Pixels, Point, Size, mouse};
use iced_test::core::widget::{self, Operation};
use iced_test::futures::futures::{FutureExt, StreamExt};
use iced_test::runtime::user_interface::{self, UserInterface};
use iced_test::runtime::{Action, task};
use iced_test::selector::{Bounded, Selector};
use ocop_pos::ui::{App, Message, keys};

pub struct Window {
    cache: Option<user_interface::Cache>,
    renderer: iced::Renderer,
    size: Size,
    cursor: mouse::Cursor,
}

impl Default for Window {
    fn default() -> Window {
        let renderer = iced_test::futures::futures::executor::block_on(
            <iced::Renderer as iced_test::core::renderer::Headless>::new(
                Font::with_name("Fira Sans"),
                Pixels(16.0),
                None,
            ),
        )
        .expect("a headless renderer");
        Window {
            cache: Some(user_interface::Cache::default()),
            renderer,
            size: Size::new(1366.0, 768.0),
            cursor: mouse::Cursor::Unavailable,
        }
    }
}

impl Window {
    /// Sends `message` to the window as a widget would, and runs what it asks for that is
    /// ready now: work that would wait (writing a document, a backup) is left undone.
    pub fn send(&mut self, app: &mut App, message: Message) {
        let task = app.update(message);
        self.run(app, task, false);
    }

    /// Sends `message` and waits until everything it asked for is done (a receipt written).
    pub fn send_and_wait(&mut self, app: &mut App, message: Message) {
        let task = app.update(message);
        self.run(app, task, true);
    }

    /// Runs a task's actions: focus and other widget operations, and the messages it
    /// produces, fed back as the runtime does.
    fn run(&mut self, app: &mut App, task: iced::Task<Message>, wait: bool) {
        let Some(mut stream) = task::into_stream(task) else {
            return;
        };
        let mut next = || {
            if wait {
                iced_test::futures::futures::executor::block_on(stream.next())
            } else {
                stream.next().now_or_never().flatten()
            }
        };
        while let Some(action) = next() {
            match action {
                Action::Output(message) => {
                    let task = app.update(message);
                    self.run(app, task, wait);
                }
                Action::Widget(operation) => self.operate(app, operation),
                _ => {}
            }
        }
    }

    fn operate(&mut self, app: &App, operation: Box<dyn widget::Operation>) {
        let mut ui = self.build(app);
        let mut operation = Some(operation);
        while let Some(mut current) = operation.take() {
            ui.operate(&self.renderer, &mut current);
            if let widget::operation::Outcome::Chain(next) = current.finish() {
                operation = Some(next);
            }
        }
        self.cache = Some(ui.into_cache());
    }

    fn build<'a>(
        &mut self,
        app: &'a App,
    ) -> UserInterface<'a, Message, iced::Theme, iced::Renderer> {
        UserInterface::build(
            app.view(),
            self.size,
            self.cache.take().expect("the cache is back after each use"),
            &mut self.renderer,
        )
    }

    /// One event, as the runtime handles it: the widgets first, then the window's shortcuts.
    pub fn event(&mut self, app: &mut App, event: Event) {
        let mut messages = Vec::new();
        let status = {
            let mut ui = self.build(app);
            let (_, statuses) = ui.update(
                std::slice::from_ref(&event),
                self.cursor,
                &mut self.renderer,
                &mut iced_test::core::clipboard::Null,
                &mut messages,
            );
            self.cache = Some(ui.into_cache());
            statuses[0]
        };
        if let Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) = &event
            && let Some(command) =
                keys::shortcut(key, *modifiers, status == iced::event::Status::Captured)
        {
            messages.push(Message::Command(command));
        }
        for message in messages {
            self.send(app, message);
        }
    }

    /// Turns the mouse wheel by `lines` (negative: down) with the pointer at `at`.
    pub fn scroll(&mut self, app: &mut App, at: Point, lines: f32) {
        self.cursor = mouse::Cursor::Available(at);
        self.event(
            app,
            Event::Mouse(mouse::Event::WheelScrolled {
                delta: mouse::ScrollDelta::Lines { x: 0.0, y: lines },
            }),
        );
    }

    /// Types `text` key by key wherever the focus is.
    pub fn type_text(&mut self, app: &mut App, text: &str) {
        for event in iced_test::simulator::typewrite(text) {
            self.event(app, event);
        }
    }

    pub fn tap(&mut self, app: &mut App, key: Named) {
        for event in iced_test::simulator::tap_key(key, None) {
            self.event(app, event);
        }
    }

    /// Clicks the middle of what `selector` finds (a field by id, a button by its text).
    pub fn click<S>(&mut self, app: &mut App, selector: S)
    where
        S: Selector + Send,
        S::Output: Bounded + Clone + Send + Sync + 'static,
    {
        let description = selector.description();
        let mut find = selector.find();
        let mut ui = self.build(app);
        ui.operate(&self.renderer, &mut widget::operation::black_box(&mut find));
        self.cache = Some(ui.into_cache());
        let target = match find.finish() {
            widget::operation::Outcome::Some(Some(target)) => target,
            _ => panic!("nothing on screen matches {description}"),
        };
        let center: Point = target
            .visible_bounds()
            .unwrap_or_else(|| panic!("{description} is not visible"))
            .center();
        self.cursor = mouse::Cursor::Available(center);
        self.event(
            app,
            Event::Mouse(mouse::Event::CursorMoved { position: center }),
        );
        for event in iced_test::simulator::click() {
            self.event(app, event);
        }
    }
}
