//! Running a window's task to its end outside the runtime (shared by tests and benches).

/// The messages a window's task ends with, once it has run to its end.
pub fn finished(task: iced::Task<ocop_pos::ui::Message>) -> Vec<ocop_pos::ui::Message> {
    use iced_test::futures::futures::StreamExt;
    use iced_test::runtime::{Action, task};
    let Some(stream) = task::into_stream(task) else {
        return Vec::new();
    };
    iced_test::futures::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|action| match action {
            Action::Output(message) => Some(message),
            _ => None,
        })
        .collect()
}
