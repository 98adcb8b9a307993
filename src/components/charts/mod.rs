//! SVG charts for the results pages: interactive, themeable, exportable.
//!
//! # Main types
//!
//! - Data ([`model`]): [`Series`] (a metric or a model, with a stable colour),
//!   [`MeasurementGroup`]s of [`Measurement`]s (one value per series per category, with its n
//!   and an optional 95 % interval; `None` means "not available"), [`ScatterPoint`]s, and the
//!   [`ChartSelection`] every click reports.
//! - Charts: [`GroupedBarChart`] (also single-series, for percentages or counts),
//!   [`RadarChart`], [`Heatmap`] and [`ScatterPlot`]; [`Legend`] toggles series (with
//!   [`use_hidden_series`] holding the hidden set); [`ChartFrame`] adds a title and "Save SVG" /
//!   "Save PNG".
//! - Pure geometry, tested natively: [`scale`] (linear and band scales), [`ticks`] (1/2/5 nice
//!   ticks), [`polar`] (radar coordinates), [`color`] (Okabe-Ito series palette, viridis
//!   sequential scale, WCAG contrast), [`format`] (percent, counts, n), [`text`] (width
//!   estimates, truncation, wrapping), [`path`] (SVG path strings), [`labels`] (scatter label
//!   placement) and [`standalone`] (composing exported documents). Each chart module also has a
//!   pure `*_layout` function that computes every mark before Yew renders it.
//! - Browser glue: [`export`] only (XMLSerializer, Blob, canvas); [`mark`], [`tooltip`] and
//!   [`surface`] hold the Yew pieces every chart shares.
//!
//! # Why our own charts
//!
//! No Rust chart crate gives Yew-side events (hover and click straight into Rust callbacks)
//! with a small bundle: the plotting crates draw to canvas or bitmaps, or emit SVG strings that
//! Yew can only inject as raw HTML, where marks can't carry callbacks or be queried as DOM
//! elements; JavaScript chart libraries add their own runtime and bundle weight. The results
//! pages need interactive SVG that is testable through the DOM and reusable in static reports,
//! so the charts are plain Yew components over small, tested geometry functions.
//!
//! # Conventions
//!
//! - Every chart is one `<svg>` with a `viewBox` (it scales to its container), `role="img"` and
//!   a generated one-sentence summary as `aria-label` and `<title>`. Each mark is focusable
//!   (`tabindex="0"`, `aria-label` = its tooltip) and carries `data-series`, `data-category`
//!   and `data-value` (`n/a` when missing) for tests and page scripts.
//! - Hover or focus shows a tooltip with the exact value and n; click, Enter or Space calls
//!   `on_select`. Tooltip text is a text node: labels from models or files never become markup.
//! - A missing value is drawn as hatched or hollow and says "n/a"; it is never drawn as 0.
//! - Colours of axes, grid and text come from CSS custom properties with fallbacks
//!   (`--chart-text`, `--chart-muted`, `--chart-axis`, `--chart-grid`, `--chart-bg`,
//!   `--chart-font`, `--chart-tooltip-bg`, `--chart-tooltip-text`), resolved to concrete values
//!   on export. Text sizes are in `em` of a `1rem` root, so the app's large-type mode scales
//!   them.

pub mod bar;
pub mod color;
pub mod export;
pub mod format;
pub mod frame;
pub mod heatmap;
pub mod labels;
pub mod legend;
pub mod mark;
pub mod model;
pub mod path;
pub mod polar;
pub mod radar;
pub mod scale;
pub mod scatter;
pub mod standalone;
pub mod surface;
pub mod text;
pub mod ticks;
pub mod tooltip;

pub use bar::{GroupedBarChart, GroupedBarChartProps};
pub use export::ExportError;
pub use format::ValueKind;
pub use frame::{ChartFrame, ChartFrameProps};
pub use heatmap::{Heatmap, HeatmapProps};
pub use legend::{use_hidden_series, HiddenSeries, Legend, LegendProps};
pub use model::{ChartSelection, Measurement, MeasurementGroup, PointKind, ScatterPoint, Series};
pub use radar::{RadarChart, RadarChartProps};
pub use scatter::{ScatterPlot, ScatterPlotProps};
