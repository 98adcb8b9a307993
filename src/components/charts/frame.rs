//! [`ChartFrame`]: a chart with its title, an optional legend and "Save SVG" / "Save PNG"
//! buttons.
//!
//! The frame knows nothing about the chart inside it: export finds the `<svg>` in the frame's
//! body (see `export.rs`) and draws the visible legend entries into the file, so any chart can
//! be framed. While a PNG is being drawn the buttons are disabled; a failure is shown as text
//! under the chart until the next attempt.

use super::export::{download_png, download_svg, standalone_svg, ExportError};
use super::standalone::file_name;
use web_sys::Element;
use yew::prelude::*;

/// The scale of PNG exports: 2x keeps text sharp on high-density screens and slides.
pub const PNG_SCALE: f64 = 2.0;

/// Props of [`ChartFrame`].
#[derive(Properties, PartialEq)]
pub struct ChartFrameProps {
    /// The chart's title: shown above it, written into exports, and the file name's base.
    pub title: AttrValue,
    /// A [`Legend`](super::legend::Legend), drawn above the chart.
    #[prop_or_default]
    pub legend: Html,
    /// The chart.
    #[prop_or_default]
    pub children: Html,
}

#[derive(Clone, Debug, PartialEq)]
enum ExportStatus {
    Idle,
    Busy,
    Failed(ExportError),
}

/// A framed chart with export buttons; see the module documentation.
#[function_component(ChartFrame)]
pub fn chart_frame(props: &ChartFrameProps) -> Html {
    let body = use_node_ref();
    let status = use_state(|| ExportStatus::Idle);

    let save_svg = {
        let (body, status, title) = (body.clone(), status.clone(), props.title.clone());
        Callback::from(move |_: MouseEvent| {
            let result = body
                .cast::<Element>()
                .ok_or(ExportError::ChartNotFound)
                .and_then(|container| standalone_svg(&container, &title))
                .and_then(|document| download_svg(&document, &file_name(&title, "svg")));
            status.set(match result {
                Ok(()) => ExportStatus::Idle,
                Err(error) => ExportStatus::Failed(error),
            });
        })
    };
    let save_png = {
        let (body, status, title) = (body.clone(), status.clone(), props.title.clone());
        Callback::from(move |_: MouseEvent| {
            // Serialise now, while the chart is on screen; only the drawing waits.
            let document = body
                .cast::<Element>()
                .ok_or(ExportError::ChartNotFound)
                .and_then(|container| standalone_svg(&container, &title));
            let (status, name) = (status.clone(), file_name(&title, "png"));
            status.set(ExportStatus::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match document {
                    Ok(document) => download_png(&document, &name, PNG_SCALE).await,
                    Err(error) => Err(error),
                };
                status.set(match result {
                    Ok(()) => ExportStatus::Idle,
                    Err(error) => ExportStatus::Failed(error),
                });
            });
        })
    };
    let busy = *status == ExportStatus::Busy;

    html! {
        <figure class="bsa-chart-frame"
                style="margin: 0; display: grid; grid-template-columns: 1fr auto; align-items: center; gap: 0.5rem">
            <figcaption class="bsa-chart-frame-title" style="font-weight: 600">{ props.title.clone() }</figcaption>
            <div class="bsa-chart-frame-actions" role="group" aria-label="Export" style="display: flex; gap: 0.5rem">
                <button type="button" class="bsa-chart-export" data-format="svg" onclick={save_svg} disabled={busy}>
                    { "Save SVG" }
                </button>
                <button type="button" class="bsa-chart-export" data-format="png" onclick={save_png} disabled={busy}>
                    { if busy { "Saving PNG\u{2026}" } else { "Save PNG" } }
                </button>
            </div>
            <div ref={body} class="bsa-chart-frame-body" style="grid-column: 1 / -1; min-width: 0">
                { props.legend.clone() }
                { props.children.clone() }
            </div>
            if let ExportStatus::Failed(error) = &*status {
                <p class="bsa-chart-export-error" role="alert" style="grid-column: 1 / -1; margin: 0">
                    { format!("Export failed: {error}.") }
                </p>
            }
        </figure>
    }
}
