//! Saving a chart as SVG or PNG: the only chart code that calls browser APIs.
//!
//! [`standalone_svg`] finds the chart's `<svg>` inside a container (a [`ChartFrame`]'s body),
//! serialises a copy with `XMLSerializer`, reads the theme from the live element's computed
//! style and hands both to the pure [`compose`] and [`resolve_css_vars`]. [`download_svg`]
//! saves that text; [`render_png`] draws it into a canvas at a scale (2x for crisp slides) and
//! [`download_blob`] saves the result. Every failure is an [`ExportError`], which the frame
//! shows as text.
//!
//! [`ChartFrame`]: super::frame::ChartFrame

use super::standalone::{
    compose, parse_view_box, resolve_css_vars, ExportTheme, LegendKey, StandaloneSvg,
};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, CssStyleDeclaration, Element,
    HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url, Window, XmlSerializer,
};

/// Why an export failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportError {
    /// There is no window or document (not running in a browser page).
    NoDocument,
    /// The container holds no chart `<svg class="bsa-chart-svg">`.
    ChartNotFound,
    /// The chart's `viewBox` attribute (quoted) is not four numbers with a positive size.
    BadViewBox(String),
    /// Copying or serialising the chart failed.
    Serialize(String),
    /// Turning the text into a file failed.
    Encode(String),
    /// Drawing the chart into a PNG failed.
    Render(String),
    /// Starting the download failed.
    Download(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NoDocument => f.write_str("there is no browser document to export from"),
            ExportError::ChartNotFound => f.write_str("no chart was found to export"),
            ExportError::BadViewBox(found) => write!(
                f,
                "the chart's viewBox {found:?} is not four numbers with a positive width and height"
            ),
            ExportError::Serialize(detail) => write!(f, "could not copy the chart: {detail}"),
            ExportError::Encode(detail) => write!(f, "could not create the file: {detail}"),
            ExportError::Render(detail) => write!(f, "could not draw the PNG image: {detail}"),
            ExportError::Download(detail) => write!(f, "could not start the download: {detail}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// A readable description of a JavaScript exception.
fn js_detail(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

fn window() -> Result<Window, ExportError> {
    web_sys::window().ok_or(ExportError::NoDocument)
}

fn computed_style(window: &Window, element: &Element) -> Result<CssStyleDeclaration, ExportError> {
    window
        .get_computed_style(element)
        .map_err(|e| ExportError::Serialize(js_detail(&e)))?
        .ok_or_else(|| ExportError::Serialize("the chart has no computed style".into()))
}

/// A property of a computed style, trimmed; `None` when unset or blank.
fn property(style: &CssStyleDeclaration, name: &str) -> Option<String> {
    style
        .get_property_value(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The colour behind `element`: `--chart-bg` if the theme sets it, else the first ancestor
/// background that isn't transparent, else white.
fn page_background(window: &Window, element: &Element) -> String {
    let mut current = Some(element.clone());
    while let Some(node) = current {
        if let Ok(style) = computed_style(window, &node) {
            if let Some(colour) = property(&style, "background-color") {
                if colour != "transparent" && colour != "rgba(0, 0, 0, 0)" {
                    return colour;
                }
            }
        }
        current = node.parent_element();
    }
    "#ffffff".to_string()
}

/// The visible entries of any [`Legend`](super::legend::Legend) inside `container`.
fn legend_keys(container: &Element) -> Vec<LegendKey> {
    let Ok(entries) = container.query_selector_all("[data-legend-entry]") else {
        return Vec::new();
    };
    (0..entries.length())
        .filter_map(|i| entries.item(i)?.dyn_into::<Element>().ok())
        .filter(|entry| entry.get_attribute("aria-pressed").as_deref() != Some("false"))
        .map(|entry| LegendKey {
            label: entry.text_content().unwrap_or_default().trim().to_string(),
            color: entry.get_attribute("data-color").unwrap_or_default(),
        })
        .collect()
}

/// The chart inside `container` as a standalone SVG document titled `title`, with the visible
/// legend entries of the container and the current theme's colours and font.
pub fn standalone_svg(container: &Element, title: &str) -> Result<StandaloneSvg, ExportError> {
    let window = window()?;
    let svg = container
        .query_selector("svg.bsa-chart-svg")
        .map_err(|e| ExportError::Serialize(js_detail(&e)))?
        .ok_or(ExportError::ChartNotFound)?;
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let (_, _, width, height) =
        parse_view_box(&view_box).ok_or_else(|| ExportError::BadViewBox(view_box.clone()))?;

    let copy: Element = svg
        .clone_node_with_deep(true)
        .map_err(|e| ExportError::Serialize(js_detail(&e)))?
        .dyn_into()
        .map_err(|_| ExportError::Serialize("the copy of the chart is not an element".into()))?;
    // The live style sizes the chart to its container (width: 100%), which inside another
    // <svg> would mean the whole document; fixed attributes replace it.
    let set = |name: &str, value: &str| {
        copy.set_attribute(name, value)
            .map_err(|e| ExportError::Serialize(js_detail(&e)))
    };
    copy.remove_attribute("style")
        .map_err(|e| ExportError::Serialize(js_detail(&e)))?;
    set("width", &super::path::num(width))?;
    set("height", &super::path::num(height))?;
    set("overflow", "visible")?;
    // Interactive-only attributes mean nothing in a file.
    if let Ok(focusable) = copy.query_selector_all("[tabindex]") {
        for i in 0..focusable.length() {
            if let Some(element) = focusable.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = element.remove_attribute("tabindex");
            }
        }
    }
    let markup = XmlSerializer::new()
        .and_then(|serializer| serializer.serialize_to_string(&copy))
        .map_err(|e| ExportError::Serialize(js_detail(&e)))?;

    let style = computed_style(&window, &svg)?;
    let defaults = ExportTheme::default();
    let theme = ExportTheme {
        background: property(&style, "--chart-bg")
            .unwrap_or_else(|| page_background(&window, &svg)),
        text: property(&style, "--chart-text").unwrap_or(defaults.text),
        font_family: property(&style, "font-family").unwrap_or(defaults.font_family),
        font_size_px: property(&style, "font-size")
            .and_then(|size| size.trim_end_matches("px").trim().parse::<f64>().ok())
            .unwrap_or(defaults.font_size_px),
    };
    let document = compose(
        title,
        &markup,
        (width, height),
        &legend_keys(container),
        &theme,
    );
    // The background is resolved like the document's, so hatch fills and outlines that use
    // var(--chart-bg) match it even when the theme leaves the property undefined.
    let markup = resolve_css_vars(&document.markup, |name| match name {
        "--chart-bg" => Some(theme.background.clone()),
        _ => property(&style, name),
    });
    Ok(StandaloneSvg { markup, ..document })
}

/// `markup` as an SVG file.
pub fn svg_blob(markup: &str) -> Result<Blob, ExportError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(markup));
    let options = BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| ExportError::Encode(js_detail(&e)))
}

/// Draws `document` into a PNG `scale` times its size (capped at the 16,384-pixel side that
/// browsers allow for a canvas).
pub async fn render_png(document: &StandaloneSvg, scale: f64) -> Result<Blob, ExportError> {
    let window = window()?;
    let page = window.document().ok_or(ExportError::NoDocument)?;
    let url = Url::create_object_url_with_blob(&svg_blob(&document.markup)?)
        .map_err(|e| ExportError::Encode(js_detail(&e)))?;
    let image = HtmlImageElement::new().map_err(|e| ExportError::Render(js_detail(&e)))?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    Url::revoke_object_url(&url).ok();
    decoded.map_err(|e| {
        ExportError::Render(format!(
            "the browser could not load the SVG as an image ({})",
            js_detail(&e)
        ))
    })?;

    let side = |v: f64| (v * scale).round().clamp(1.0, 16_384.0);
    let (width, height) = (side(document.width), side(document.height));
    let canvas: HtmlCanvasElement = page
        .create_element("canvas")
        .map_err(|e| ExportError::Render(js_detail(&e)))?
        .dyn_into()
        .map_err(|_| ExportError::Render("no canvas element".into()))?;
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| ExportError::Render(js_detail(&e)))?
        .ok_or_else(|| ExportError::Render("no 2D canvas context".into()))?
        .dyn_into()
        .map_err(|_| ExportError::Render("no 2D canvas context".into()))?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, width, height)
        .map_err(|e| ExportError::Render(js_detail(&e)))?;

    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        if let Err(error) = canvas.to_blob(&resolve) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    JsFuture::from(encoded)
        .await
        .map_err(|e| ExportError::Render(js_detail(&e)))?
        .dyn_into::<Blob>()
        .map_err(|_| ExportError::Render("the canvas produced no image".into()))
}

/// Offers `blob` for download as `file_name` (a temporary `<a download>` clicked once).
pub fn download_blob(blob: &Blob, file_name: &str) -> Result<(), ExportError> {
    let page = window()?.document().ok_or(ExportError::NoDocument)?;
    let body = page.body().ok_or(ExportError::NoDocument)?;
    let url =
        Url::create_object_url_with_blob(blob).map_err(|e| ExportError::Download(js_detail(&e)))?;
    let link: HtmlAnchorElement = page
        .create_element("a")
        .map_err(|e| ExportError::Download(js_detail(&e)))?
        .dyn_into()
        .map_err(|_| ExportError::Download("no link element".into()))?;
    link.set_href(&url);
    link.set_download(file_name);
    let _ = link.set_attribute("style", "display: none");
    body.append_child(&link)
        .map_err(|e| ExportError::Download(js_detail(&e)))?;
    link.click();
    link.remove();
    // Revoking at once can cancel the download in some browsers; a minute later is safe.
    gloo_timers::callback::Timeout::new(60_000, move || {
        Url::revoke_object_url(&url).ok();
    })
    .forget();
    Ok(())
}

/// Saves `document` as an SVG file.
pub fn download_svg(document: &StandaloneSvg, file_name: &str) -> Result<(), ExportError> {
    download_blob(&svg_blob(&document.markup)?, file_name)
}

/// Saves `document` as a PNG file at `scale`.
pub async fn download_png(
    document: &StandaloneSvg,
    file_name: &str,
    scale: f64,
) -> Result<(), ExportError> {
    let png = render_png(document, scale).await?;
    download_blob(&png, file_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_went_wrong() {
        assert_eq!(
            ExportError::BadViewBox("0 0 x".into()).to_string(),
            "the chart's viewBox \"0 0 x\" is not four numbers with a positive width and height"
        );
        assert_eq!(
            ExportError::ChartNotFound.to_string(),
            "no chart was found to export"
        );
    }
}
