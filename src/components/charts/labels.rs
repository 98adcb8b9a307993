//! Point labels that don't collide: a deliberately simple placer for the scatter plot.
//!
//! Each label tries four fixed offsets around its point (right, left, above, below) and takes
//! the first that stays inside the plot and overlaps neither an already placed label nor any
//! point's marker. A label with no free spot gets `None` and is shown on hover only. Labels are
//! placed in the order given, so callers list the important ones (the user's own models) first.
//! A force-directed layout would fit more labels, but its result moves when one point changes;
//! fixed offsets keep a chart stable from one run to the next.

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// Whether the two rectangles share any area (touching edges don't count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.width <= self.x + self.width
            && other.y + other.height <= self.y + self.height
    }
}

/// One label to place: the point it belongs to and the label's estimated size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelRequest {
    /// The point's centre.
    pub anchor: (f64, f64),
    /// The label's width.
    pub width: f64,
    /// The label's height.
    pub height: f64,
}

/// Places the labels; see the module documentation. `marker_radius` is the half-size of every
/// point's marker, `bounds` the area labels must stay in. The result has one entry per request:
/// the label's box, or `None` when it fits nowhere.
pub fn place_labels(
    requests: &[LabelRequest],
    marker_radius: f64,
    bounds: Rect,
) -> Vec<Option<Rect>> {
    let markers: Vec<Rect> = requests
        .iter()
        .map(|r| Rect {
            x: r.anchor.0 - marker_radius,
            y: r.anchor.1 - marker_radius,
            width: 2.0 * marker_radius,
            height: 2.0 * marker_radius,
        })
        .collect();
    let gap = marker_radius + 3.0;
    let mut placed: Vec<Rect> = Vec::new();
    requests
        .iter()
        .map(|request| {
            let (x, y) = request.anchor;
            let (w, h) = (request.width, request.height);
            let candidates = [
                (x + gap, y - h / 2.0),
                (x - gap - w, y - h / 2.0),
                (x - w / 2.0, y - gap - h),
                (x - w / 2.0, y + gap),
            ];
            let spot = candidates
                .iter()
                .map(|&(left, top)| Rect {
                    x: left,
                    y: top,
                    width: w,
                    height: h,
                })
                .find(|candidate| {
                    bounds.contains(candidate)
                        && !placed.iter().any(|p| p.overlaps(candidate))
                        && !markers.iter().any(|m| m.overlaps(candidate))
                });
            if let Some(rect) = spot {
                placed.push(rect);
            }
            spot
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDS: Rect = Rect {
        x: 0.0,
        y: 0.0,
        width: 400.0,
        height: 300.0,
    };

    fn request(x: f64, y: f64) -> LabelRequest {
        LabelRequest {
            anchor: (x, y),
            width: 50.0,
            height: 12.0,
        }
    }

    #[test]
    fn rectangles_overlap_only_with_shared_area() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            width: 10.0,
            height: 10.0,
        };
        let touching = Rect {
            x: 10.0,
            y: 0.0,
            width: 5.0,
            height: 5.0,
        };
        let crossing = Rect {
            x: 9.0,
            y: 9.0,
            width: 5.0,
            height: 5.0,
        };
        assert!(!a.overlaps(&touching));
        assert!(a.overlaps(&crossing));
        assert!(BOUNDS.contains(&a));
        assert!(!a.contains(&crossing));
    }

    #[test]
    fn lone_points_take_the_right_side() {
        // Gap = radius 4 + 3 = 7: the label starts at x = 100 + 7, centred vertically (100 - 6).
        let placed = place_labels(&[request(100.0, 100.0)], 4.0, BOUNDS);
        assert_eq!(
            placed,
            vec![Some(Rect {
                x: 107.0,
                y: 94.0,
                width: 50.0,
                height: 12.0
            })]
        );
    }

    #[test]
    fn a_neighbouring_marker_pushes_the_label_left() {
        // Point 0's right label would span x 107..157; point 1's marker spans 156..164: overlap,
        // so it goes left: x = 100 - 7 - 50 = 43. Point 1 has free space on its right: 167.
        let placed = place_labels(&[request(100.0, 100.0), request(160.0, 100.0)], 4.0, BOUNDS);
        assert_eq!(placed[0].map(|r| r.x), Some(43.0));
        assert_eq!(placed[1].map(|r| r.x), Some(167.0));
    }

    #[test]
    fn labels_stay_inside_the_plot() {
        // Near the right edge (x = 390) neither right (397..447) fits; left does: 390 - 57 = 333.
        let placed = place_labels(&[request(390.0, 150.0)], 4.0, BOUNDS);
        assert_eq!(placed[0].map(|r| r.x), Some(333.0));
    }

    #[test]
    fn crowded_labels_fall_back_to_hover() {
        // Five points on top of each other: the first four take right, left, above and below;
        // the fifth overlaps all of them and gets no label.
        let crowd: Vec<LabelRequest> = (0..5).map(|_| request(200.0, 150.0)).collect();
        let placed = place_labels(&crowd, 4.0, BOUNDS);
        assert!(placed[..4].iter().all(Option::is_some));
        assert_eq!(placed[4], None);
    }
}
