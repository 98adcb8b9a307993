//! Standalone SVG documents: the pure half of chart export.
//!
//! A chart on the page leans on its surroundings: colours come from CSS custom properties of
//! the current theme, the font size from the page (and its "large type" mode), and the legend
//! lives in HTML next to the `<svg>`. [`compose`] wraps a serialised chart into a document that
//! carries all of that itself: a background, the title, the chart, a static legend ([`LegendKey`]),
//! concrete font settings ([`ExportTheme`]) and the SVG namespace. [`resolve_css_vars`] then
//! replaces every `var(--name, fallback)` inside attribute values with the theme's value.
//! [`file_name`] turns a chart title into a download name. The browser glue that feeds these
//! functions is in `export.rs`.

use super::path::num;
use super::text::estimate_width;
use std::fmt::Write;

/// The SVG namespace, declared on the root of every exported document.
pub const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

/// A finished standalone SVG document and its size in CSS pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct StandaloneSvg {
    /// The document text (UTF-8 XML).
    pub markup: String,
    /// Width in CSS pixels.
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
}

/// One entry of the legend drawn into an export.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendKey {
    /// The series name.
    pub label: String,
    /// Its CSS colour.
    pub color: String,
}

/// Concrete values for what the live page leaves to CSS.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportTheme {
    /// Background colour of the document.
    pub background: String,
    /// Colour of the title and legend text.
    pub text: String,
    /// The CSS `font-family` list.
    pub font_family: String,
    /// The font size of the chart's root in CSS pixels (larger in "large type" mode).
    pub font_size_px: f64,
}

impl Default for ExportTheme {
    fn default() -> Self {
        ExportTheme {
            background: "#ffffff".into(),
            text: "#222222".into(),
            font_family: "system-ui, sans-serif".into(),
            font_size_px: 16.0,
        }
    }
}

/// Escapes text for XML character data and double-quoted attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Height of the title band, in multiples of the font size.
const TITLE_BAND_EM: f64 = 2.5;
/// Height of one legend row, in multiples of the font size.
const LEGEND_ROW_EM: f64 = 1.6;
/// Padding around the document, in multiples of the font size.
const PADDING_EM: f64 = 1.0;

/// Wraps `chart_markup` (a serialised `<svg>` element of `chart_width` x `chart_height`) into a
/// standalone document with a background, `title` above and `legend` below. Empty titles and
/// legends take no space.
pub fn compose(
    title: &str,
    chart_markup: &str,
    (chart_width, chart_height): (f64, f64),
    legend: &[LegendKey],
    theme: &ExportTheme,
) -> StandaloneSvg {
    let em = if theme.font_size_px.is_finite() && theme.font_size_px > 0.0 {
        theme.font_size_px
    } else {
        16.0
    };
    let pad = PADDING_EM * em;
    let width = chart_width;
    let title_band = if title.trim().is_empty() {
        0.0
    } else {
        TITLE_BAND_EM * em
    };

    // Legend entries flow left to right and wrap when the row is full.
    let swatch = 0.75 * em;
    let row_height = LEGEND_ROW_EM * em;
    let mut entries = String::new();
    let (mut x, mut row) = (pad, 0usize);
    for key in legend {
        let entry_width = swatch + 0.4 * em + estimate_width(&key.label, 0.875 * em) + em;
        if x > pad && x + entry_width > width - pad {
            x = pad;
            row += 1;
        }
        let y = row as f64 * row_height;
        let _ = write!(
            entries,
            r#"<rect x="{}" y="{}" width="{s}" height="{s}" rx="2" fill="{}"/><text x="{}" y="{}" font-size="0.875em" fill="{}">{}</text>"#,
            num(x),
            num(y),
            escape_xml(&key.color),
            num(x + swatch + 0.4 * em),
            num(y + swatch * 0.9),
            escape_xml(&theme.text),
            escape_xml(&key.label),
            s = num(swatch),
        );
        x += entry_width;
    }
    let legend_band = if legend.is_empty() {
        0.0
    } else {
        (row + 1) as f64 * row_height + pad / 2.0
    };
    let height = title_band + chart_height + legend_band;

    let mut markup = String::with_capacity(chart_markup.len() + entries.len() + 512);
    let _ = write!(
        markup,
        r#"<svg xmlns="{SVG_NAMESPACE}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{}" font-size="{}px"><rect width="100%" height="100%" fill="{}"/>"#,
        escape_xml(&theme.font_family),
        num(em),
        escape_xml(&theme.background),
        w = num(width),
        h = num(height),
    );
    if title_band > 0.0 {
        let _ = write!(
            markup,
            r#"<text x="{}" y="{}" font-size="1.25em" font-weight="600" fill="{}">{}</text>"#,
            num(pad),
            num(title_band * 0.62),
            escape_xml(&theme.text),
            escape_xml(title.trim()),
        );
    }
    let _ = write!(
        markup,
        r#"<g transform="translate(0 {})">{chart_markup}</g>"#,
        num(title_band)
    );
    if !legend.is_empty() {
        let _ = write!(
            markup,
            r#"<g transform="translate(0 {})">{entries}</g>"#,
            num(title_band + chart_height)
        );
    }
    markup.push_str("</svg>");
    StandaloneSvg {
        markup,
        width,
        height,
    }
}

/// The names of the custom properties (`--chart-text`, ...) that `var()` calls in attribute
/// values of `markup` refer to, each once, in order of appearance.
pub fn css_var_names(markup: &str) -> Vec<String> {
    let mut names = Vec::new();
    for_each_attribute_value(markup, |value| {
        let mut rest = value;
        while let Some(start) = rest.find("var(") {
            let after = &rest[start + 4..];
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| *c != ',' && *c != ')')
                .collect();
            let name = name.trim().to_string();
            if name.starts_with("--") && !names.contains(&name) {
                names.push(name);
            }
            rest = after;
        }
        value.to_string()
    });
    names
}

/// Replaces every `var(--name)` / `var(--name, fallback)` in the attribute values of `markup`
/// with `lookup(name)` (XML-escaped), or else with the fallback (itself resolved), or else with
/// nothing. Text content is left alone: a model called "var(--x)" keeps its name.
pub fn resolve_css_vars(markup: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    for_each_attribute_value(markup, |value| resolve_in_value(value, &lookup))
}

/// Rebuilds `markup`, passing every double-quoted attribute value through `edit`. Serialised
/// XML escapes `<` and `"` inside values and text, so a quote inside a tag always delimits a
/// value and a `<` outside one always opens a tag.
fn for_each_attribute_value(markup: &str, mut edit: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut in_tag = false;
    let mut rest = markup;
    while !rest.is_empty() {
        if in_tag {
            match rest.find(['"', '>']) {
                Some(i) if rest.as_bytes()[i] == b'"' => {
                    out.push_str(&rest[..=i]);
                    let value_end = rest[i + 1..].find('"').map_or(rest.len(), |j| i + 1 + j);
                    out.push_str(&edit(&rest[i + 1..value_end]));
                    if value_end < rest.len() {
                        out.push('"');
                        rest = &rest[value_end + 1..];
                    } else {
                        rest = "";
                    }
                }
                Some(i) => {
                    out.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                    in_tag = false;
                }
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        } else {
            match rest.find('<') {
                Some(i) => {
                    out.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                    in_tag = true;
                }
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        }
    }
    out
}

fn resolve_in_value(value: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("var(") {
        out.push_str(&rest[..start]);
        let inner_start = start + 4;
        // Find the parenthesis closing this var(, skipping nested ones in the fallback.
        let mut depth = 1usize;
        let mut close = None;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            // Unbalanced: keep the rest as it is rather than guess.
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &rest[inner_start..close];
        let (name, fallback) = match inner.find(',') {
            Some(comma) => (inner[..comma].trim(), Some(inner[comma + 1..].trim())),
            None => (inner.trim(), None),
        };
        match lookup(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
        {
            Some(found) => out.push_str(&escape_xml(&found)),
            None => {
                if let Some(fallback) = fallback {
                    out.push_str(&resolve_in_value(fallback, lookup));
                }
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A download name from a chart title: lower-case ASCII letters and digits joined by dashes,
/// at most 60 characters, `chart` when nothing is left; plus `.extension`.
pub fn file_name(title: &str, extension: &str) -> String {
    let mut stem = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let mut stem: String = stem.chars().take(60).collect();
    while stem.ends_with('-') {
        stem.pop();
    }
    if stem.is_empty() {
        stem.push_str("chart");
    }
    format!("{stem}.{extension}")
}

/// Reads a `viewBox` attribute: four numbers separated by spaces and/or commas, with a positive
/// width and height.
pub fn parse_view_box(text: &str) -> Option<(f64, f64, f64, f64)> {
    let numbers: Vec<f64> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<Vec<f64>>>()?;
    match numbers[..] {
        [x, y, w, h] if w > 0.0 && h > 0.0 => Some((x, y, w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_lookup(name: &str) -> Option<String> {
        match name {
            "--chart-text" => Some("#eeeeee".to_string()),
            "--chart-font" => Some("\"Segoe UI\", sans-serif".to_string()),
            "--chart-empty" => Some("   ".to_string()),
            _ => None,
        }
    }

    #[test]
    fn variables_resolve_to_the_theme_or_the_fallback() {
        let markup = r#"<text style="fill: var(--chart-text, #222); stroke: var(--chart-axis, #555)">a</text>"#;
        assert_eq!(
            resolve_css_vars(markup, theme_lookup),
            r#"<text style="fill: #eeeeee; stroke: #555">a</text>"#
        );
    }

    #[test]
    fn nested_fallbacks_and_blank_values() {
        // --chart-grid is undefined, so its fallback is used, which is itself a var() call.
        let markup = r#"<line style="stroke: var(--chart-grid, var(--chart-text, #ddd))"/>"#;
        assert_eq!(
            resolve_css_vars(markup, theme_lookup),
            r#"<line style="stroke: #eeeeee"/>"#
        );
        // A blank value counts as undefined; a fallback with parentheses survives intact.
        let markup = r#"<rect style="fill: var(--chart-empty, rgb(1, 2, 3))"/>"#;
        assert_eq!(
            resolve_css_vars(markup, theme_lookup),
            r#"<rect style="fill: rgb(1, 2, 3)"/>"#
        );
    }

    #[test]
    fn resolved_values_are_escaped_for_the_attribute() {
        let markup = r#"<svg style="font-family: var(--chart-font, sans-serif)"></svg>"#;
        assert_eq!(
            resolve_css_vars(markup, theme_lookup),
            r#"<svg style="font-family: &quot;Segoe UI&quot;, sans-serif"></svg>"#
        );
    }

    #[test]
    fn text_content_is_not_touched() {
        let markup = r#"<text style="fill: var(--chart-text)">var(--chart-text) &lt;b&gt;</text>"#;
        assert_eq!(
            resolve_css_vars(markup, theme_lookup),
            r#"<text style="fill: #eeeeee">var(--chart-text) &lt;b&gt;</text>"#
        );
        assert_eq!(
            css_var_names(
                r#"<a style="fill: var(--chart-text); stroke: var( --chart-axis , #555)">var(--nope)</a><b style="fill: var(--chart-text)"/>"#
            ),
            vec!["--chart-text", "--chart-axis"]
        );
    }

    #[test]
    fn unbalanced_var_is_left_alone() {
        let markup = r#"<a style="fill: var(--chart-text"/>"#;
        assert_eq!(resolve_css_vars(markup, theme_lookup), markup);
    }

    #[test]
    fn composed_document_carries_namespace_theme_title_and_legend() {
        let chart = r#"<svg width="800" height="400"><rect data-series="safe"/></svg>"#;
        let legend = vec![
            LegendKey {
                label: "Safe@1".into(),
                color: "#0072B2".into(),
            },
            LegendKey {
                label: "Think <k>".into(),
                color: "#E69F00".into(),
            },
        ];
        let theme = ExportTheme {
            font_size_px: 20.0,
            ..ExportTheme::default()
        };
        let doc = compose("Safe & sound", chart, (800.0, 400.0), &legend, &theme);
        // Title band 2.5 x 20 = 50; one legend row 1.6 x 20 = 32 plus half the padding (10).
        assert_eq!(doc.width, 800.0);
        assert_eq!(doc.height, 50.0 + 400.0 + 32.0 + 10.0);
        assert!(doc
            .markup
            .starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="492""#));
        assert!(doc.markup.contains(r#"font-size="20px""#));
        assert!(doc.markup.contains(">Safe &amp; sound</text>"));
        assert!(doc.markup.contains(">Think &lt;k&gt;</text>"));
        assert!(doc.markup.contains(r##"fill="#E69F00""##));
        assert!(doc
            .markup
            .contains(r#"<g transform="translate(0 50)"><svg width="800""#));
        assert!(doc.markup.ends_with("</svg>"));
    }

    #[test]
    fn empty_title_and_legend_take_no_space() {
        let doc = compose(" ", "<svg/>", (300.0, 200.0), &[], &ExportTheme::default());
        assert_eq!(doc.height, 200.0);
        assert!(!doc.markup.contains("<text"));
    }

    #[test]
    fn legend_rows_wrap_when_full() {
        // Each entry: swatch 12 + 6.4 + 10 chars x 0.58 x 14 (81.2) + 16 = 115.6 wide at 16 px.
        // Width 300 minus padding 16 on each side holds two (16 + 2 x 115.6 = 247.2; a third
        // would end at 362.8 > 284), so five entries take three rows.
        let legend: Vec<LegendKey> = (0..5)
            .map(|i| LegendKey {
                label: format!("Model {i:04}"),
                color: "#000".into(),
            })
            .collect();
        let doc = compose(
            "",
            "<svg/>",
            (300.0, 100.0),
            &legend,
            &ExportTheme::default(),
        );
        // 3 rows x 1.6 x 16 = 76.8, plus 8.
        assert!((doc.height - (100.0 + 76.8 + 8.0)).abs() < 1e-9);
    }

    #[test]
    fn file_names_are_safe_slugs() {
        assert_eq!(
            file_name("Safe@1 by category", "svg"),
            "safe-1-by-category.svg"
        );
        assert_eq!(
            file_name("  Think@1 / Rumors!  ", "png"),
            "think-1-rumors.png"
        );
        assert_eq!(file_name("数据", "svg"), "chart.svg");
        assert_eq!(file_name(&"a".repeat(100), "svg").len(), 60 + 4);
    }

    #[test]
    fn view_boxes() {
        assert_eq!(
            parse_view_box("0 0 800 400"),
            Some((0.0, 0.0, 800.0, 400.0))
        );
        assert_eq!(
            parse_view_box("0,0, 640,480"),
            Some((0.0, 0.0, 640.0, 480.0))
        );
        assert_eq!(parse_view_box("0 0 800"), None);
        assert_eq!(parse_view_box("0 0 -1 5"), None);
        assert_eq!(parse_view_box("0 0 x 5"), None);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_xml(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }
}
