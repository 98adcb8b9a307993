//! Browser tests of the chart components: render each chart into a fresh element of a real
//! page (headless Chromium), then read the DOM and fire real events at it.
#![cfg(target_arch = "wasm32")]

use bsa_core::scenario::PRIMARY_CATEGORIES;
use bsa_studio::components::charts::export::{render_png, standalone_svg};
use bsa_studio::components::charts::{
    use_hidden_series, ChartFrame, ChartSelection, GroupedBarChart, GroupedBarChartProps, Heatmap,
    HeatmapProps, Legend, Measurement, MeasurementGroup, PointKind, RadarChart, RadarChartProps,
    ScatterPlot, ScatterPlotProps, ScatterPoint, Series, ValueKind,
};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    DomParser, Element, HtmlElement, HtmlImageElement, KeyboardEvent, KeyboardEventInit,
    MouseEvent, MouseEventInit, SupportedType, SvgElement, Url,
};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

// ----- helpers -----

fn fresh_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    // A realistic width, so the charts render at the size a page gives them.
    root.set_attribute("style", "width: 960px").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn render<C>(props: C::Properties) -> Element
where
    C: BaseComponent,
{
    let root = fresh_root();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn attr(element: &Element, name: &str) -> String {
    element
        .get_attribute(name)
        .unwrap_or_else(|| panic!("no {name} attribute"))
}

fn number(element: &Element, name: &str) -> f64 {
    attr(element, name).parse().unwrap()
}

async fn mouse(element: &Element, kind: &str, bubbles: bool) {
    let init = MouseEventInit::new();
    init.set_bubbles(bubbles);
    let event = MouseEvent::new_with_mouse_event_init_dict(kind, &init).unwrap();
    element.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

async fn click(element: &Element) {
    mouse(element, "click", true).await;
}

async fn key(element: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    element.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

fn tooltip_text(root: &Element) -> Option<String> {
    root.query_selector("[role=tooltip]")
        .unwrap()
        .map(|t| t.text_content().unwrap_or_default())
}

fn recorder() -> (Callback<ChartSelection>, Rc<RefCell<Vec<ChartSelection>>>) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    (Callback::from(move |s| sink.borrow_mut().push(s)), log)
}

fn selection(series: Option<&str>, category: Option<&str>) -> ChartSelection {
    ChartSelection {
        series: series.map(String::from),
        category: category.map(String::from),
    }
}

fn metric_series() -> Vec<Series> {
    Series::with_palette([("safe", "Safe@1"), ("think", "Think@1")])
}

/// The nine primary categories with Safe@1 and Think@1. Offense and Prejudice: 80 / 40;
/// Rumors' Think@1 is 37.2417 % of 187; Pornography's Think@1 is not available; the rest
/// 60 + i / 30 + i.
fn category_groups() -> Vec<MeasurementGroup> {
    PRIMARY_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (safe, think, n) = match *name {
                "Offense and Prejudice" => (Some(80.0), Some(40.0), 720),
                "Rumors" => (Some(91.5), Some(37.2417), 187),
                "Pornography" => (Some(70.0), None, 152),
                _ => (Some(60.0 + i as f64), Some(30.0 + i as f64), 300),
            };
            MeasurementGroup::new(
                *name,
                *name,
                vec![
                    Measurement::new("safe", safe, n),
                    Measurement::new("think", think, n).with_interval(20.0, 50.0),
                ],
            )
        })
        .collect()
}

fn bar_props(on_select: Callback<ChartSelection>) -> GroupedBarChartProps {
    yew::props!(GroupedBarChartProps {
        series: metric_series(),
        groups: category_groups(),
        title: "Safe@1 and Think@1 by category",
        context: Some(AttrValue::from("model X")),
        on_select,
    })
}

fn bar(root: &Element, series: &str, category: &str) -> Element {
    one(
        root,
        &format!("rect.bsa-bar[data-series=\"{series}\"][data-category=\"{category}\"]"),
    )
}

/// A page fragment as the results page will build it: legend and chart in a frame, sharing the
/// hidden set.
#[derive(Properties, PartialEq)]
struct FramedBarsProps {
    series: Vec<Series>,
    groups: Vec<MeasurementGroup>,
}

#[function_component(FramedBars)]
fn framed_bars(props: &FramedBarsProps) -> Html {
    let toggle = use_hidden_series();
    let legend = html! {
        <Legend series={props.series.clone()} hidden={toggle.hidden.clone()} on_toggle={toggle.toggle.clone()} />
    };
    html! {
        <ChartFrame title="Safe@1 & Think@1 by category" legend={legend}>
            <GroupedBarChart series={props.series.clone()} groups={props.groups.clone()}
                             hidden={toggle.hidden.clone()} />
        </ChartFrame>
    }
}

// ----- grouped bar chart -----

#[wasm_bindgen_test]
async fn bar_chart_draws_one_bar_per_series_and_group() {
    let root = render::<GroupedBarChart>(bar_props(Callback::noop())).await;
    assert_eq!(all(&root, "rect.bsa-bar").len(), 9 * 2);
    let svg = one(&root, "svg");
    assert_eq!(attr(&svg, "role"), "img");
    assert!(attr(&svg, "viewBox").starts_with("0 0 960 "));
    let summary = attr(&svg, "aria-label");
    assert!(
        summary.contains("Safe@1 and Think@1 by category"),
        "{summary}"
    );
    assert_eq!(one(&svg, "title").text_content().unwrap(), summary);
    // Every bar can be reached with the keyboard and names itself.
    for bar in all(&root, "rect.bsa-bar") {
        assert_eq!(attr(&bar, "tabindex"), "0");
        assert!(attr(&bar, "aria-label").contains("(n = "));
    }
}

#[wasm_bindgen_test]
async fn bar_height_is_proportional_to_its_value() {
    let root = render::<GroupedBarChart>(bar_props(Callback::noop())).await;
    // Offense and Prejudice: Safe@1 80 %, Think@1 40 %, so the first bar is twice as tall.
    let safe = bar(&root, "safe", "Offense and Prejudice");
    let think = bar(&root, "think", "Offense and Prejudice");
    assert_eq!(attr(&safe, "data-value"), "80");
    let ratio = number(&safe, "height") / number(&think, "height");
    assert!((ratio - 2.0).abs() < 0.01, "height ratio {ratio}");
    // Both stand on the same baseline.
    let bottom = |e: &Element| number(e, "y") + number(e, "height");
    assert!((bottom(&safe) - bottom(&think)).abs() < 0.02);
    // The rendered boxes keep the proportion too (the browser's own layout, not our numbers).
    let rendered = |e: &Element| e.get_bounding_client_rect().height();
    let rendered_ratio = rendered(&safe) / rendered(&think);
    assert!(
        (rendered_ratio - 2.0).abs() < 0.02,
        "rendered ratio {rendered_ratio}"
    );
}

#[wasm_bindgen_test]
async fn missing_value_is_a_hatched_marker_saying_not_available() {
    let root = render::<GroupedBarChart>(bar_props(Callback::noop())).await;
    let missing = bar(&root, "think", "Pornography");
    assert_eq!(attr(&missing, "data-value"), "n/a");
    assert!(attr(&missing, "style").contains("-hatch)"), "hatched fill");
    assert!(
        number(&missing, "height") > 0.0,
        "drawn, not a zero-height bar"
    );
    mouse(&missing, "mouseenter", false).await;
    let text = tooltip_text(&root).expect("tooltip shown");
    assert!(
        text.contains("Pornography \u{2013} model X: n/a (n = 152)"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn hover_shows_the_exact_value_and_leave_hides_it() {
    let root = render::<GroupedBarChart>(bar_props(Callback::noop())).await;
    assert_eq!(tooltip_text(&root), None);
    let rumors = bar(&root, "think", "Rumors");
    mouse(&rumors, "mouseenter", false).await;
    assert_eq!(
        tooltip_text(&root).as_deref(),
        Some("Think@1 \u{2013} Rumors \u{2013} model X: 37.24 % (n = 187, 95 % CI 20.00\u{2013}50.00 %)")
    );
    mouse(&rumors, "mouseleave", false).await;
    assert_eq!(tooltip_text(&root), None);
}

#[wasm_bindgen_test]
async fn clicking_a_bar_reports_its_series_and_category() {
    let (on_select, log) = recorder();
    let root = render::<GroupedBarChart>(bar_props(on_select)).await;
    click(&bar(&root, "think", "Rumors")).await;
    click(&bar(&root, "safe", "Ethics and Morality")).await;
    assert_eq!(
        *log.borrow(),
        vec![
            selection(Some("think"), Some("Rumors")),
            selection(Some("safe"), Some("Ethics and Morality")),
        ]
    );
}

#[wasm_bindgen_test]
async fn keyboard_focus_shows_the_tooltip_and_enter_selects() {
    let (on_select, log) = recorder();
    let root = render::<GroupedBarChart>(bar_props(on_select)).await;
    let target = bar(&root, "safe", "Rumors");
    target.dyn_ref::<SvgElement>().unwrap().focus().unwrap();
    yew::scheduler::flush().await;
    let text = tooltip_text(&root).expect("focus shows the tooltip");
    assert!(text.starts_with("Safe@1 \u{2013} Rumors"), "{text}");
    key(&target, "Enter").await;
    key(&target, "a").await;
    assert_eq!(*log.borrow(), vec![selection(Some("safe"), Some("Rumors"))]);
}

#[wasm_bindgen_test]
async fn single_series_counts_get_a_count_axis() {
    // Items per scenario: 600 / 1,200 / 200.
    let groups = vec![
        MeasurementGroup::new(
            "ro",
            "Risk Omission",
            vec![Measurement::new("items", Some(600.0), 2000)],
        ),
        MeasurementGroup::new(
            "cs",
            "Cognitive Shortcut",
            vec![Measurement::new("items", Some(1200.0), 2000)],
        ),
        MeasurementGroup::new(
            "os",
            "Over Sensitivity",
            vec![Measurement::new("items", Some(200.0), 2000)],
        ),
    ];
    let props = yew::props!(GroupedBarChartProps {
        series: Series::with_palette([("items", "Items")]),
        groups,
        kind: ValueKind::Count,
    });
    let root = render::<GroupedBarChart>(props).await;
    let ticks: Vec<String> = all(&root, ".bsa-axis-y text")
        .iter()
        .map(|t| t.text_content().unwrap())
        .collect();
    assert_eq!(
        ticks,
        vec!["0", "200", "400", "600", "800", "1,000", "1,200"]
    );
    // 1,200 reaches the top grid line; 600 is half as tall.
    let top_line = all(&root, ".bsa-axis-y line").last().cloned().unwrap();
    let cs = bar(&root, "items", "cs");
    assert!((number(&cs, "y") - number(&top_line, "y1")).abs() < 0.02);
    let ratio = number(&bar(&root, "items", "ro"), "height") / number(&cs, "height");
    assert!((ratio - 0.5).abs() < 0.001);
    mouse(&cs, "mouseenter", false).await;
    assert_eq!(
        tooltip_text(&root).as_deref(),
        Some("Items \u{2013} Cognitive Shortcut: 1,200 (n = 2,000)")
    );
}

#[wasm_bindgen_test]
async fn labels_from_models_stay_text() {
    let hostile = "<img src=x onerror=alert(1)>";
    let props = yew::props!(GroupedBarChartProps {
        series: vec![Series::new("evil", hostile, "#000")],
        groups: vec![MeasurementGroup::new(
            "g",
            "<b>bold</b>",
            vec![Measurement::new("evil", Some(5.0), 1)]
        )],
    });
    let root = render::<GroupedBarChart>(props).await;
    mouse(&one(&root, "rect.bsa-bar"), "mouseenter", false).await;
    assert!(
        root.query_selector("img, b").unwrap().is_none(),
        "no element was created from a label"
    );
    assert!(tooltip_text(&root).unwrap().contains(hostile));
}

// ----- legend -----

#[wasm_bindgen_test]
async fn legend_toggle_removes_and_restores_a_series() {
    let root = render::<FramedBars>(yew::props!(FramedBarsProps {
        series: metric_series(),
        groups: category_groups(),
    }))
    .await;
    let buttons = all(&root, "button.bsa-legend-entry");
    assert_eq!(buttons.len(), 2);
    let think = one(&root, "button.bsa-legend-entry[data-series=think]");
    assert_eq!(attr(&think, "aria-pressed"), "true");

    think.dyn_ref::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    let bars = all(&root, "rect.bsa-bar");
    assert_eq!(bars.len(), 9);
    assert!(bars.iter().all(|b| attr(b, "data-series") == "safe"));
    let think = one(&root, "button.bsa-legend-entry[data-series=think]");
    assert_eq!(
        attr(&think, "aria-pressed"),
        "false",
        "still listed, marked off"
    );
    assert!(attr(&think, "style").contains("line-through"));
    // The remaining series keeps its colour.
    let safe_color = metric_series()[0].color.clone();
    assert!(attr(&bars[0], "style").contains(&safe_color));

    think.dyn_ref::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "rect.bsa-bar").len(), 18);
}

// ----- radar -----

fn model_series() -> Vec<Series> {
    Series::with_palette([("m1", "Model one"), ("m2", "Model two")])
}

/// Model one: 100 % on the first axis, 50 % on the second, 70 % elsewhere; model two 35 %
/// everywhere.
fn radar_axes() -> Vec<MeasurementGroup> {
    PRIMARY_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let first = match i {
                0 => 100.0,
                1 => 50.0,
                _ => 70.0,
            };
            MeasurementGroup::new(
                *name,
                *name,
                vec![
                    Measurement::new("m1", Some(first), 100),
                    Measurement::new("m2", Some(35.0), 100),
                ],
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn radar_draws_a_polygon_per_series_and_a_vertex_per_axis() {
    let (on_select, log) = recorder();
    let root = render::<RadarChart>(yew::props!(RadarChartProps {
        series: model_series(),
        axes: radar_axes(),
        context: Some(AttrValue::from("Think@1")),
        on_select,
    }))
    .await;
    let polygons = all(&root, "path.bsa-radar-area");
    assert_eq!(polygons.len(), 2);
    assert!(
        attr(&polygons[0], "d").ends_with('Z'),
        "complete series are closed"
    );
    assert_eq!(all(&root, "circle.bsa-radar-point").len(), 18);

    // The first axis points straight up: 100 % is the rim, straight above the centre; the
    // second axis' 50 % lies half as far from the centre as a 100 % would.
    let vertex = |series: &str, axis: &str| {
        let c = one(
            &root,
            &format!("circle[data-series=\"{series}\"][data-category=\"{axis}\"]"),
        );
        (number(&c, "cx"), number(&c, "cy"))
    };
    let top = vertex("m1", PRIMARY_CATEGORIES[0]);
    let centre_line = one(&root, ".bsa-radar-grid line");
    let centre = (number(&centre_line, "x1"), number(&centre_line, "y1"));
    assert!((top.0 - centre.0).abs() < 0.02 && top.1 < centre.1);
    let radius = centre.1 - top.1;
    let half = vertex("m1", PRIMARY_CATEGORIES[1]);
    let distance = ((half.0 - centre.0).powi(2) + (half.1 - centre.1).powi(2)).sqrt();
    assert!(
        (distance - radius / 2.0).abs() < 0.05,
        "{distance} vs {radius}"
    );

    let target = one(&root, "circle[data-series=m2][data-category=Rumors]");
    mouse(&target, "mouseenter", false).await;
    assert_eq!(
        tooltip_text(&root).as_deref(),
        Some("Model two \u{2013} Rumors \u{2013} Think@1: 35.00 % (n = 100)")
    );
    click(&target).await;
    assert_eq!(*log.borrow(), vec![selection(Some("m2"), Some("Rumors"))]);
}

#[wasm_bindgen_test]
async fn radar_leaves_hidden_series_out_and_opens_incomplete_ones() {
    let mut axes = radar_axes();
    axes[4].measurements[1].value = None;
    let root = render::<RadarChart>(yew::props!(RadarChartProps {
        series: model_series(),
        axes,
        hidden: vec!["m1".to_string()],
    }))
    .await;
    let polygons = all(&root, "path.bsa-radar-area");
    assert_eq!(polygons.len(), 1);
    assert_eq!(attr(&polygons[0], "data-series"), "m2");
    assert!(
        !attr(&polygons[0], "d").contains('Z'),
        "an incomplete outline stays open"
    );
    let missing = one(&root, "circle[data-value=\"n/a\"]");
    assert_eq!(attr(&missing, "data-category"), PRIMARY_CATEGORIES[4]);
}

// ----- heatmap -----

#[wasm_bindgen_test]
async fn heatmap_cells_colour_legend_and_selection() {
    let (on_select, log) = recorder();
    let series = Series::with_palette([("a", "Model A"), ("b", "Model B"), ("c", "Model C")]);
    // Model A 0 %, Model B 100 %, Model C 50 % in every category except Rumors (n/a).
    let groups: Vec<MeasurementGroup> = PRIMARY_CATEGORIES
        .iter()
        .map(|name| {
            MeasurementGroup::new(
                *name,
                *name,
                vec![
                    Measurement::new("a", Some(0.0), 10),
                    Measurement::new("b", Some(100.0), 10),
                    Measurement::new("c", (*name != "Rumors").then_some(50.0), 10),
                ],
            )
        })
        .collect();
    let root = render::<Heatmap>(yew::props!(HeatmapProps {
        series,
        groups,
        on_select
    }))
    .await;
    assert_eq!(all(&root, "rect.bsa-heat-cell").len(), 27);

    // Text colour follows the cell: white on viridis' dark purple, near-black on its yellow.
    let text_in = |series: &str| {
        let cell = one(
            &root,
            &format!("rect.bsa-heat-cell[data-series={series}][data-category=Pornography]"),
        );
        let text = cell.next_element_sibling().unwrap();
        (
            attr(&cell, "style"),
            attr(&text, "style"),
            text.text_content().unwrap(),
        )
    };
    let (cell_a, text_a, value_a) = text_in("a");
    assert!(cell_a.contains("#440154") && text_a.contains("#ffffff") && value_a == "0.0");
    let (cell_b, text_b, _) = text_in("b");
    assert!(cell_b.contains("#fde725") && text_b.contains("#111111"));

    let missing = one(
        &root,
        "rect.bsa-heat-cell[data-series=c][data-category=Rumors]",
    );
    assert_eq!(attr(&missing, "data-value"), "n/a");
    assert!(attr(&missing, "style").contains("-hatch)"));

    // The colour legend: a gradient of the eleven viridis stops, labelled 0 % to 100 %.
    assert_eq!(all(&root, "linearGradient stop").len(), 11);
    let legend = one(&root, ".bsa-heat-legend").text_content().unwrap();
    assert!(legend.contains("0 %") && legend.contains("100 %") && legend.contains("n/a"));

    let cell = one(
        &root,
        "rect.bsa-heat-cell[data-series=b][data-category=Rumors]",
    );
    mouse(&cell, "mouseenter", false).await;
    assert_eq!(
        tooltip_text(&root).as_deref(),
        Some("Model B \u{2013} Rumors: 100.00 % (n = 10)")
    );
    click(&cell).await;
    assert_eq!(*log.borrow(), vec![selection(Some("b"), Some("Rumors"))]);
}

// ----- scatter -----

fn scatter_points() -> Vec<ScatterPoint> {
    let point = |id: &str, x: Option<f64>, y: Option<f64>, kind| ScatterPoint {
        id: id.into(),
        label: id.into(),
        x,
        y,
        n: Some(2000),
        kind,
    };
    vec![
        point("Published A", Some(90.0), Some(40.0), PointKind::Published),
        point("Published B", Some(70.0), Some(30.0), PointKind::Published),
        point("Published C", Some(95.0), Some(55.0), PointKind::Published),
        point("my-model", Some(80.5), Some(37.25), PointKind::Loaded),
        point("broken-run", None, Some(10.0), PointKind::Loaded),
    ]
}

#[wasm_bindgen_test]
async fn scatter_styles_kinds_apart_and_reports_clicks() {
    let (on_select, log) = recorder();
    let root = render::<ScatterPlot>(yew::props!(ScatterPlotProps {
        points: scatter_points(),
        on_select,
    }))
    .await;
    assert_eq!(all(&root, "circle.bsa-point[data-kind=published]").len(), 3);
    assert_eq!(all(&root, "path.bsa-point[data-kind=loaded]").len(), 1);
    // The run without Safe@1 is named under the plot instead of vanishing.
    let notes = one(&root, ".bsa-chart-notes").text_content().unwrap();
    assert!(notes.contains("broken-run"), "{notes}");
    // The user's model is labelled on the plot.
    let labels: Vec<String> = all(&root, ".bsa-point-label")
        .iter()
        .map(|l| l.text_content().unwrap())
        .collect();
    assert!(labels.contains(&"my-model".to_string()), "{labels:?}");
    // Higher Think@1 is higher up: Published C (55 %) above Published B (30 %).
    let cy = |id: &str| number(&one(&root, &format!("circle[data-series=\"{id}\"]")), "cy");
    assert!(cy("Published C") < cy("Published B"));

    let mine = one(&root, "path.bsa-point[data-series=my-model]");
    mouse(&mine, "mouseenter", false).await;
    assert_eq!(
        tooltip_text(&root).as_deref(),
        Some("my-model (Your runs): Safe@1 80.50 %, Think@1 37.25 % (n = 2,000)")
    );
    click(&mine).await;
    assert_eq!(*log.borrow(), vec![selection(Some("my-model"), None)]);
}

// ----- frame and export -----

#[wasm_bindgen_test]
async fn export_produces_a_standalone_svg_that_parses_back() {
    let root = render::<FramedBars>(yew::props!(FramedBarsProps {
        series: metric_series(),
        groups: category_groups(),
    }))
    .await;
    // A dark theme set on the page: export must carry its values, not the var() calls.
    root.set_attribute(
        "style",
        "width: 960px; --chart-text: rgb(1, 2, 3); --chart-bg: rgb(4, 5, 6)",
    )
    .unwrap();
    // Hide Think@1 first: the export then has 9 bars and only the Safe@1 legend entry.
    one(&root, "button.bsa-legend-entry[data-series=think]")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;

    let body = one(&root, ".bsa-chart-frame-body");
    let document = standalone_svg(&body, "Safe@1 & Think@1 by category").unwrap();
    let markup = &document.markup;
    assert!(markup.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(!markup.contains("var("), "theme variables are resolved");
    assert!(markup.contains("rgb(1, 2, 3)") && markup.contains("rgb(4, 5, 6)"));
    assert!(!markup.contains("tabindex"));

    let parsed = DomParser::new()
        .unwrap()
        .parse_from_string(markup, SupportedType::ImageSvgXml)
        .unwrap();
    assert!(
        parsed.get_elements_by_tag_name("parsererror").length() == 0,
        "well-formed XML"
    );
    let svg = parsed.document_element().unwrap();
    assert_eq!(
        svg.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    let bars = svg
        .query_selector_all("rect.bsa-bar[data-series=safe]")
        .unwrap();
    assert_eq!(bars.length(), 9);
    assert_eq!(
        svg.query_selector_all("rect.bsa-bar[data-series=think]")
            .unwrap()
            .length(),
        0
    );
    let texts: Vec<String> = {
        let list = svg.query_selector_all("text").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert!(
        texts.iter().any(|t| t == "Safe@1 & Think@1 by category"),
        "title written in"
    );
    // The legend is drawn into the file with the visible entry only.
    assert_eq!(
        texts.iter().filter(|t| *t == "Safe@1").count(),
        1,
        "{texts:?}"
    );
    assert_eq!(
        texts.iter().filter(|t| *t == "Think@1").count(),
        0,
        "{texts:?}"
    );
    assert_eq!(number(&svg, "width"), document.width);
}

#[wasm_bindgen_test]
async fn png_export_is_twice_the_size() {
    let root = render::<FramedBars>(yew::props!(FramedBarsProps {
        series: metric_series(),
        groups: category_groups(),
    }))
    .await;
    let document = standalone_svg(&one(&root, ".bsa-chart-frame-body"), "Bars").unwrap();
    let png = render_png(&document, 2.0).await.unwrap();
    assert_eq!(png.type_(), "image/png");
    assert!(png.size() > 1000.0);
    // Decode the PNG again and read its pixel size.
    let url = Url::create_object_url_with_blob(&png).unwrap();
    let image = HtmlImageElement::new().unwrap();
    image.set_src(&url);
    JsFuture::from(image.decode()).await.unwrap();
    assert_eq!(
        f64::from(image.natural_width()),
        (document.width * 2.0).round()
    );
    assert_eq!(
        f64::from(image.natural_height()),
        (document.height * 2.0).round()
    );
    Url::revoke_object_url(&url).unwrap();
}

#[derive(Properties, PartialEq)]
struct EmptyFrameProps {}

#[function_component(EmptyFrame)]
fn empty_frame(_: &EmptyFrameProps) -> Html {
    html! { <ChartFrame title="Nothing yet"><p>{ "No data loaded." }</p></ChartFrame> }
}

#[wasm_bindgen_test]
async fn frame_shows_export_failures_as_text() {
    let root = render::<EmptyFrame>(EmptyFrameProps {}).await;
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
    let save = one(&root, "button[data-format=svg]");
    assert_eq!(save.text_content().unwrap(), "Save SVG");
    save.dyn_ref::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[role=alert]").text_content().unwrap(),
        "Export failed: no chart was found to export."
    );
}
