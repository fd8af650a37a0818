//! Filled rectangles of a page (cell shading) from a light scan of its content stream.
//! pdf-extract ignores the `g`/`rg`/`k` colour operators and the `f*`/`B` fills Hancom draws
//! cell backgrounds with, so its `OutputDev::fill` cannot tell a shaded cell; this scanner
//! keeps only the graphics state (`q`/`Q`/`cm`), the fill colour and rectangular paths.
//! Form XObjects are not entered (fills inside them are missed, never invented).

use super::capture::{Display, MAX_RULE_THICKNESS};

/// A filled rectangle in display coordinates and its colour (RGB in `0.0..=1.0`), in drawing
/// order: a later fill paints over an earlier one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fill {
    pub bbox: [f32; 4],
    pub rgb: [f32; 3],
}

impl Fill {
    /// Not white: Hancom paints unshaded cells white.
    pub fn is_shade(&self) -> bool {
        self.rgb.iter().any(|&c| c < WHITE)
    }
}

/// Colour components at or above this are white.
const WHITE: f32 = 0.995;

/// Graphics state the scan tracks.
#[derive(Debug, Clone, Copy)]
struct State {
    /// `[a, b, c, d, e, f]`.
    ctm: [f64; 6],
    /// `None`: a colour the scan does not read (a pattern).
    fill: Option<[f32; 3]>,
    /// Components of the fill colour space set by `cs`; 0 for a space named in the page's
    /// resources (ICC-based RGB as Chromium writes it, mostly), read by its operand count.
    space: usize,
}

/// The filled rectangles the page's content stream draws, larger than a ruling and smaller
/// than half the page (a page background shades no cell).
pub fn scan(content: &[u8], display: &Display) -> Vec<Fill> {
    let (page_w, page_h) = display.size();
    let mut out = Vec::new();
    let mut state = State {
        ctm: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        fill: Some([0.0; 3]),
        space: 1,
    };
    let mut saved: Vec<State> = Vec::new();
    let mut operands: Vec<f64> = Vec::new();
    let mut last_name: &[u8] = b"";
    // Subpaths of the current path in user space; `None` once a subpath is not a polygon.
    let mut path: Vec<Option<Vec<(f64, f64)>>> = Vec::new();
    let mut i = 0;
    while let Some(token) = next_token(content, &mut i) {
        match token {
            Token::Number(n) => operands.push(n),
            Token::Name(name) => last_name = name,
            Token::Other => {}
            Token::Operator(op) => {
                match op {
                    b"q" => saved.push(state),
                    b"Q" => state = saved.pop().unwrap_or(state),
                    b"cm" if operands.len() >= 6 => {
                        let m = &operands[operands.len() - 6..];
                        let o = state.ctm;
                        state.ctm = [
                            m[0] * o[0] + m[1] * o[2],
                            m[0] * o[1] + m[1] * o[3],
                            m[2] * o[0] + m[3] * o[2],
                            m[2] * o[1] + m[3] * o[3],
                            m[4] * o[0] + m[5] * o[2] + o[4],
                            m[4] * o[1] + m[5] * o[3] + o[5],
                        ];
                    }
                    b"g" => state.fill = colour(&operands, 1),
                    b"rg" => state.fill = colour(&operands, 3),
                    b"k" => state.fill = colour(&operands, 4),
                    b"cs" => {
                        state.space = match last_name {
                            b"DeviceGray" | b"G" => 1,
                            b"DeviceRGB" | b"RGB" => 3,
                            b"DeviceCMYK" | b"CMYK" => 4,
                            _ => 0,
                        };
                        state.fill = Some([0.0; 3]);
                    }
                    b"sc" | b"scn" => {
                        let n = if state.space == 0 {
                            operands.len()
                        } else {
                            state.space
                        };
                        state.fill = (matches!(n, 1 | 3 | 4) && operands.len() == n)
                            .then(|| colour(&operands, n))
                            .flatten();
                    }
                    b"re" if operands.len() >= 4 => {
                        let r = &operands[operands.len() - 4..];
                        let (x, y, w, h) = (r[0], r[1], r[2], r[3]);
                        path.push(Some(vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]));
                    }
                    b"m" if operands.len() >= 2 => {
                        let p = &operands[operands.len() - 2..];
                        path.push(Some(vec![(p[0], p[1])]));
                    }
                    b"l" if operands.len() >= 2 => {
                        let p = &operands[operands.len() - 2..];
                        if let Some(Some(points)) = path.last_mut() {
                            points.push((p[0], p[1]));
                        }
                    }
                    b"c" | b"v" | b"y" => {
                        if let Some(last) = path.last_mut() {
                            *last = None;
                        }
                    }
                    b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" => {
                        if let Some(rgb) = state.fill {
                            for points in path.iter().flatten() {
                                let shown: Vec<(f32, f32)> = points
                                    .iter()
                                    .map(|&(x, y)| {
                                        let c = state.ctm;
                                        display.point(
                                            c[0] * x + c[2] * y + c[4],
                                            c[1] * x + c[3] * y + c[5],
                                        )
                                    })
                                    .collect();
                                if let Some(bbox) = rectangle(&shown) {
                                    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
                                    if w > MAX_RULE_THICKNESS
                                        && h > MAX_RULE_THICKNESS
                                        && w * h < 0.5 * page_w * page_h
                                    {
                                        out.push(Fill { bbox, rgb });
                                    }
                                }
                            }
                        }
                        path.clear();
                    }
                    b"S" | b"s" | b"n" => path.clear(),
                    _ => {}
                }
                operands.clear();
            }
        }
    }
    out
}

/// A colour from the last `n` operands (1 gray, 3 RGB, 4 CMYK) as RGB.
fn colour(operands: &[f64], n: usize) -> Option<[f32; 3]> {
    let c = operands.get(operands.len().checked_sub(n)?..)?;
    let v = |i: usize| c[i].clamp(0.0, 1.0) as f32;
    Some(match n {
        1 => [v(0); 3],
        3 => [v(0), v(1), v(2)],
        _ => {
            let k = 1.0 - v(3);
            [(1.0 - v(0)) * k, (1.0 - v(1)) * k, (1.0 - v(2)) * k]
        }
    })
}

/// The box of a polygon whose points all sit on the corners of their bounding box (a
/// rectangle however it was drawn); `None` for anything else.
fn rectangle(points: &[(f32, f32)]) -> Option<[f32; 4]> {
    if !(4..=5).contains(&points.len()) || points.iter().any(|p| !p.0.is_finite()) {
        return None;
    }
    let x0 = points.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
    let y0 = points.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
    let x1 = points.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max);
    let y1 = points.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    let on = |v: f32, a: f32, b: f32| (v - a).abs() < 0.5 || (v - b).abs() < 0.5;
    points
        .iter()
        .all(|p| on(p.0, x0, x1) && on(p.1, y0, y1))
        .then_some([x0, y0, x1, y1])
}

enum Token<'a> {
    Number(f64),
    Name(&'a [u8]),
    Operator(&'a [u8]),
    /// A string, array or dictionary delimiter: nothing the scan reads.
    Other,
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// The next token from `at`; inline image data (`BI … ID … EI`) is skipped whole.
fn next_token<'a>(data: &'a [u8], at: &mut usize) -> Option<Token<'a>> {
    while *at < data.len() {
        let b = data[*at];
        if b.is_ascii_whitespace() || b == 0 {
            *at += 1;
        } else if b == b'%' {
            while *at < data.len() && data[*at] != b'\n' && data[*at] != b'\r' {
                *at += 1;
            }
        } else {
            break;
        }
    }
    let start = *at;
    let b = *data.get(start)?;
    match b {
        b'(' => {
            let mut depth = 0usize;
            while *at < data.len() {
                match data[*at] {
                    b'\\' => *at += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            *at += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                *at += 1;
            }
            Some(Token::Other)
        }
        b'<' if data.get(start + 1) == Some(&b'<') => {
            *at += 2;
            Some(Token::Other)
        }
        b'<' => {
            while *at < data.len() && data[*at] != b'>' {
                *at += 1;
            }
            *at += 1;
            Some(Token::Other)
        }
        b'>' | b'[' | b']' | b'{' | b'}' | b')' => {
            *at += 1;
            Some(Token::Other)
        }
        b'/' => {
            *at += 1;
            while *at < data.len() && !data[*at].is_ascii_whitespace() && !is_delimiter(data[*at]) {
                *at += 1;
            }
            Some(Token::Name(&data[start + 1..*at]))
        }
        _ => {
            while *at < data.len() && !data[*at].is_ascii_whitespace() && !is_delimiter(data[*at]) {
                *at += 1;
            }
            let word = &data[start..*at];
            if word.is_empty() {
                *at += 1;
                return Some(Token::Other);
            }
            if let Some(n) = std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                return Some(Token::Number(n));
            }
            if word == b"ID" {
                // Inline image data runs to an `EI` between white space.
                while *at + 2 < data.len() {
                    if data[*at].is_ascii_whitespace()
                        && &data[*at + 1..*at + 3] == b"EI"
                        && data.get(*at + 3).is_none_or(|c| c.is_ascii_whitespace())
                    {
                        *at += 3;
                        break;
                    }
                    *at += 1;
                }
            }
            Some(Token::Operator(word))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::MediaBox;

    fn a4() -> Display {
        let media = MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 595.0,
            ury: 842.0,
        };
        Display::new(&media, 0)
    }

    #[test]
    fn hancom_cell_backgrounds_are_read_with_their_gray() {
        // kps_ai.pdf's content stream: each cell clipped, then filled white or gray with `f*`.
        let content = b"q 45.336 709.983 35.021 31.885 re W* n q \
            45.336000 709.983000 35.021000 31.885000 re\n1 g\nf*\nQ Q \
            q 58.049000 434.645000 464.750000 39.077000 re\n0.949 g\nf*\nQ";
        let fills = scan(content, &a4());
        assert_eq!(fills.len(), 2, "{fills:?}");
        assert!(!fills[0].is_shade());
        assert!(fills[1].is_shade());
        let b = fills[1].bbox;
        assert!((b[0] - 58.049).abs() < 0.01 && (b[1] - (842.0 - 473.722)).abs() < 0.01);
    }

    #[test]
    fn rectangles_drawn_as_lines_and_transformed_count_but_curves_and_strokes_do_not() {
        // reg86712.pdf draws backgrounds as `m l l l h` and glyph outlines as curves.
        let content =
            b"0.6 0.6 0.6 rg 1 0 0 1 10 20 cm 100 100 m 200 100 l 200 150 l 100 150 l h f \
            100 300 m 120 300 l 110 320 120 330 130 340 c h f \
            0.5 g 100 400 200 50 re S \
            (a string with re f inside) Tj [(x) 3 (y)] TJ";
        let fills = scan(content, &a4());
        assert_eq!(fills.len(), 1, "{fills:?}");
        assert_eq!(fills[0].rgb, [0.6, 0.6, 0.6]);
        let b = fills[0].bbox;
        assert!((b[0] - 110.0).abs() < 0.01 && (b[2] - 210.0).abs() < 0.01);
        assert!((b[3] - (842.0 - 120.0)).abs() < 0.01);
    }

    #[test]
    fn q_restores_the_colour_and_thin_or_page_sized_boxes_are_skipped() {
        let content = b"q 0.9 g Q 0 0 595 842 re f 50 50 300 1 re f 50 100 300 20 re f";
        let fills = scan(content, &a4());
        assert_eq!(fills.len(), 1, "{fills:?}");
        assert_eq!(fills[0].rgb, [0.0; 3]);
    }

    #[test]
    fn colours_in_named_spaces_are_read_by_their_operand_count_and_patterns_not() {
        // Chromium: `/CS0 cs 0.851 0.851 0.851 sc` (an ICC-based RGB space in the resources).
        let content = b"/CS0 cs 0.851 0.851 0.851 sc 50 100 300 20 re f             /Pattern cs /P0 scn 50 200 300 20 re f";
        let fills = scan(content, &a4());
        assert_eq!(fills.len(), 1, "{fills:?}");
        assert!((fills[0].rgb[0] - 0.851).abs() < 1e-6 && fills[0].is_shade());
    }
}
