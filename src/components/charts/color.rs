//! Colours: the series palette, the heatmap's sequential scale and readable text on a fill.
//!
//! - [`SERIES_PALETTE`] is the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008),
//!   which stays distinguishable under the common colour-vision deficiencies. Its black is left
//!   out because it vanishes on a dark theme. [`series_color`] and [`series_dash`] give a series
//!   its colour (and, past seven series, a dash pattern) from its position in the full series
//!   list, so hiding one series never recolours the others.
//! - [`sequential`] is viridis (van der Walt & Smith, matplotlib), sampled at eleven stops and
//!   interpolated: perceptually ordered, its lightness rises monotonically from dark purple to
//!   yellow, and it survives greyscale printing.
//! - [`readable_text_on`] picks near-black or white text for a cell by the WCAG 2 contrast ratio.

/// The series colours, in the order series receive them.
pub const SERIES_PALETTE: [&str; 7] = [
    "#0072B2", // blue
    "#E69F00", // orange
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#56B4E9", // sky blue
    "#D55E00", // vermillion
    "#F0E442", // yellow: last, as it is faint on white
];

/// Dash patterns that tell apart series sharing a colour once the palette has wrapped round.
const SERIES_DASHES: [Option<&str>; 3] = [None, Some("6 3"), Some("2 3")];

/// The colour of the series at `index` in the full series list.
pub fn series_color(index: usize) -> &'static str {
    SERIES_PALETTE[index % SERIES_PALETTE.len()]
}

/// The stroke dash pattern of the series at `index`: none for the first seven series, then one
/// pattern per further round of the palette.
pub fn series_dash(index: usize) -> Option<&'static str> {
    SERIES_DASHES[(index / SERIES_PALETTE.len()) % SERIES_DASHES.len()]
}

/// The viridis colour map at eleven evenly spaced stops (0.0, 0.1, ..., 1.0).
const VIRIDIS: [Rgb; 11] = [
    Rgb::new(0x44, 0x01, 0x54),
    Rgb::new(0x48, 0x24, 0x75),
    Rgb::new(0x41, 0x44, 0x87),
    Rgb::new(0x35, 0x5f, 0x8d),
    Rgb::new(0x2a, 0x78, 0x8e),
    Rgb::new(0x21, 0x91, 0x8c),
    Rgb::new(0x22, 0xa8, 0x84),
    Rgb::new(0x44, 0xbf, 0x70),
    Rgb::new(0x7a, 0xd1, 0x51),
    Rgb::new(0xbd, 0xdf, 0x26),
    Rgb::new(0xfd, 0xe7, 0x25),
];

/// Text colour for light fills: not pure black, which is harsh next to saturated colours.
pub const DARK_TEXT: Rgb = Rgb::new(0x11, 0x11, 0x11);
/// Text colour for dark fills.
pub const LIGHT_TEXT: Rgb = Rgb::new(0xff, 0xff, 0xff);

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb {
    /// Red, 0-255.
    pub r: u8,
    /// Green, 0-255.
    pub g: u8,
    /// Blue, 0-255.
    pub b: u8,
}

impl Rgb {
    /// A colour from its channels.
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// Reads `#rrggbb` or `#rgb` (the `#` optional, hex digits in either case).
    pub fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#').unwrap_or(text.trim());
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb::new(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 => {
                let short = |i: usize| channel(&hex[i..i + 1]).map(|v| v * 17);
                Some(Rgb::new(short(0)?, short(1)?, short(2)?))
            }
            _ => None,
        }
    }

    /// `#rrggbb` in lower case.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// The WCAG 2 relative luminance: 0 for black, 1 for white.
    pub fn relative_luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }
}

/// The WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.relative_luminance(), b.relative_luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// [`DARK_TEXT`] or [`LIGHT_TEXT`], whichever contrasts more with `background`.
pub fn readable_text_on(background: Rgb) -> Rgb {
    if contrast_ratio(background, DARK_TEXT) >= contrast_ratio(background, LIGHT_TEXT) {
        DARK_TEXT
    } else {
        LIGHT_TEXT
    }
}

/// The sequential colour at `t` in `[0, 1]` (clamped; not-a-number counts as 0), interpolated
/// linearly between the neighbouring viridis stops.
pub fn sequential(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let last = VIRIDIS.len() - 1;
    let position = t * last as f64;
    let lower = (position.floor() as usize).min(last - 1);
    let fraction = position - lower as f64;
    let (a, b) = (VIRIDIS[lower], VIRIDIS[lower + 1]);
    let mix =
        |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * fraction).round() as u8;
    Rgb::new(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
}

/// The stops of [`sequential`] as `(offset, colour)` pairs, for an SVG `<linearGradient>`.
pub fn sequential_stops() -> Vec<(f64, Rgb)> {
    let last = (VIRIDIS.len() - 1) as f64;
    VIRIDIS
        .iter()
        .enumerate()
        .map(|(i, &colour)| (i as f64 / last, colour))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        assert_eq!(Rgb::parse_hex("#0072B2"), Some(Rgb::new(0, 0x72, 0xb2)));
        assert_eq!(Rgb::parse_hex("fff"), Some(Rgb::new(255, 255, 255)));
        assert_eq!(Rgb::parse_hex("#12345"), None);
        assert_eq!(Rgb::parse_hex("#gg0000"), None);
        assert_eq!(Rgb::parse_hex("#ñ12"), None);
        assert_eq!(Rgb::new(0x44, 0x01, 0x54).to_hex(), "#440154");
    }

    #[test]
    fn luminance_and_contrast_follow_wcag() {
        // Black on white: (1 + 0.05) / (0 + 0.05) = 21.
        assert!((contrast_ratio(Rgb::new(0, 0, 0), LIGHT_TEXT) - 21.0).abs() < 1e-12);
        // #808080: 128/255 = 0.50196 -> ((0.50196 + 0.055) / 1.055)^2.4 = 0.52792^2.4 = 0.21586,
        // the same on every channel, and the weights sum to 1.
        let grey = Rgb::new(128, 128, 128);
        assert!((grey.relative_luminance() - 0.21586).abs() < 1e-4);
        // Against white: 1.05 / 0.26586 = 3.949.
        assert!((contrast_ratio(grey, LIGHT_TEXT) - 3.949).abs() < 1e-3);
    }

    #[test]
    fn text_colour_contrasts_with_the_cell() {
        // #111111: 17/255 = 0.06667 -> ((0.06667 + 0.055) / 1.055)^2.4 = 0.005605.
        // Grey against it: 0.26586 / 0.055605 = 4.781 > 3.949 against white -> dark text.
        assert_eq!(readable_text_on(Rgb::new(128, 128, 128)), DARK_TEXT);
        // Viridis' dark purple #440154: L = 0.2126 x 0.05781 + 0.7152 x 0.00030 + 0.0722 x 0.08864
        // = 0.01891; white gives 1.05 / 0.06891 = 15.2, #111 only 0.06891 / 0.0556 = 1.24.
        assert_eq!(readable_text_on(sequential(0.0)), LIGHT_TEXT);
        // Viridis' yellow end is light: dark text.
        assert_eq!(readable_text_on(sequential(1.0)), DARK_TEXT);
    }

    #[test]
    fn sequential_interpolates_between_stops() {
        assert_eq!(sequential(0.0).to_hex(), "#440154");
        assert_eq!(sequential(1.0).to_hex(), "#fde725");
        assert_eq!(sequential(0.5).to_hex(), "#21918c");
        // Half-way between #440154 and #482475: (68+72)/2 = 70, (1+36)/2 = 18.5 -> 19,
        // (84+117)/2 = 100.5 -> 101: #461365.
        assert_eq!(sequential(0.05).to_hex(), "#461365");
        assert_eq!(sequential(-3.0), sequential(0.0));
        assert_eq!(sequential(7.0), sequential(1.0));
        assert_eq!(sequential(f64::NAN), sequential(0.0));
    }

    #[test]
    fn sequential_scale_is_perceptually_ordered() {
        // Independent check of "ordered": luminance must rise at every step of 1 %.
        let mut previous = -1.0;
        for step in 0..=100 {
            let luminance = sequential(f64::from(step) / 100.0).relative_luminance();
            assert!(luminance > previous, "luminance falls at {step} %");
            previous = luminance;
        }
    }

    #[test]
    fn series_colours_are_stable_and_distinct() {
        assert_eq!(series_color(0), "#0072B2");
        assert_eq!(series_color(7), series_color(0));
        let mut seen: Vec<&str> = SERIES_PALETTE.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 7);
        assert_eq!(series_dash(6), None);
        assert_eq!(series_dash(7), Some("6 3"));
        assert_eq!(series_dash(14), Some("2 3"));
        assert_eq!(series_dash(21), None);
    }

    #[test]
    fn gradient_stops_span_zero_to_one() {
        let stops = sequential_stops();
        assert_eq!(stops.len(), 11);
        assert_eq!(stops[0].0, 0.0);
        assert_eq!(stops[10].0, 1.0);
        assert_eq!(stops[5].1, sequential(0.5));
    }
}
