//! A message box: information, success or error, with an optional dismiss button.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Error,
}

impl NoticeKind {
    fn class(self) -> &'static str {
        match self {
            NoticeKind::Info => "notice-info",
            NoticeKind::Success => "notice-success",
            NoticeKind::Error => "notice-error",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub kind: NoticeKind,
    /// Shown in bold first.
    pub title: AttrValue,
    #[prop_or_default]
    pub children: Html,
    /// Shows a "Dismiss" button when set.
    #[prop_or_default]
    pub on_dismiss: Option<Callback<()>>,
}

#[function_component(Notice)]
pub fn notice(props: &NoticeProps) -> Html {
    // Errors interrupt (role=alert); the rest is announced politely.
    let role = if props.kind == NoticeKind::Error {
        "alert"
    } else {
        "status"
    };
    let dismiss = props.on_dismiss.clone().map(|on_dismiss| {
        let onclick = Callback::from(move |_: MouseEvent| on_dismiss.emit(()));
        html! { <button type="button" class="notice-dismiss" {onclick}>{ "Dismiss" }</button> }
    });
    html! {
        <div class={classes!("notice", props.kind.class())} {role}>
            <div class="notice-body">
                <p class="notice-title">{ props.title.clone() }</p>
                { props.children.clone() }
            </div>
            { for dismiss }
        </div>
    }
}
