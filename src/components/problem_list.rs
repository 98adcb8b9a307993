//! Located problems of an input file, one per line, each saying where and what was expected
//! (the [`Problem`] `Display` text).

use bsa_core::diagnostic::Problem;
use std::rc::Rc;
use yew::prelude::*;

/// How many problems are listed before "and N more": enough to see a pattern, few enough to
/// render instantly even for a binary file dropped by mistake.
pub const SHOWN_PROBLEMS: usize = 100;

#[derive(Properties, PartialEq)]
pub struct ProblemListProps {
    pub problems: Rc<Vec<Problem>>,
}

pub fn problem_list(props: &ProblemListProps) -> Html {
    let hidden = props.problems.len().saturating_sub(SHOWN_PROBLEMS);
    html! {
        <>
            <ol class="problem-list">
                { for props.problems.iter().take(SHOWN_PROBLEMS).map(|problem| html! {
                    <li>{ problem.to_string() }</li>
                }) }
            </ol>
            if hidden > 0 {
                <p class="problem-more">{ format!("… and {hidden} more not shown.") }</p>
            }
        </>
    }
}
