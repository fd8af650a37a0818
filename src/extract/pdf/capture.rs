//! Glyph capture: pdf-extract's `OutputDev` receives every character pdf-extract decodes and
//! every stroked or filled path; this module turns them into positioned `Glyph`s and ruling
//! `Segment`s in display coordinates (points, top-left origin, page rotation applied).

use pdf_extract::{MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

use super::to_unicode::UnicodeTable;

/// One drawn character.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The decoded text (usually one character; ligatures and some ToUnicode maps give more).
    pub text: String,
    /// Left edge of the glyph's origin and right edge of its advance, in display points.
    pub x0: f32,
    pub x1: f32,
    pub baseline: f32,
    /// Font size in display points.
    pub size: f32,
    /// Set by `glyphs::clean`: the glyph stands for a word space.
    pub space: bool,
    /// Set by `glyphs::clean`: drawn with a font that has no usable Unicode mapping.
    pub unmapped: bool,
    /// The glyph runs left to right horizontally on the displayed page.
    pub upright: bool,
    /// The index of the text-showing operation that drew it (drawing order).
    pub run: u32,
}

#[cfg(test)]
impl Glyph {
    /// Test support: an upright, mapped, non-space glyph one `size` wide, drawn by run 0.
    pub(crate) fn for_test(text: &str, x0: f32, baseline: f32, size: f32) -> Glyph {
        Glyph {
            text: text.to_string(),
            x0,
            x1: x0 + size,
            baseline,
            size,
            space: false,
            unmapped: false,
            upright: true,
            run: 0,
        }
    }
}

impl Glyph {
    pub fn top(&self) -> f32 {
        self.baseline - 0.8 * self.size
    }
    pub fn bottom(&self) -> f32 {
        self.baseline + 0.2 * self.size
    }
    pub fn center_x(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// A straight horizontal or vertical stroke (a table ruling or a cell edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Segment {
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0) <= MAX_RULE_THICKNESS && (self.x1 - self.x0) > (self.y1 - self.y0)
    }
    pub fn is_vertical(&self) -> bool {
        (self.x1 - self.x0) <= MAX_RULE_THICKNESS && (self.y1 - self.y0) > (self.x1 - self.x0)
    }
}

/// A filled rectangle thinner than this (points) is a ruling, not a box.
pub const MAX_RULE_THICKNESS: f32 = 3.0;

/// Everything captured from one page.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    pub width: f32,
    pub height: f32,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// How the page's user space maps to the display (set when the page begins).
    pub display: Option<Display>,
}

/// Maps PDF user space (after the CTM) to the displayed page: origin top-left, `/Rotate`
/// applied.
#[derive(Debug, Clone, Copy)]
pub struct Display {
    llx: f64,
    lly: f64,
    width: f64,
    height: f64,
    rotate: i64,
}

impl Display {
    pub fn new(media_box: &MediaBox, rotate: i64) -> Display {
        let rotate = rotate.rem_euclid(360);
        Display {
            llx: media_box.llx.min(media_box.urx),
            lly: media_box.lly.min(media_box.ury),
            width: (media_box.urx - media_box.llx).abs(),
            height: (media_box.ury - media_box.lly).abs(),
            rotate: if rotate % 90 == 0 { rotate } else { 0 },
        }
    }

    /// The displayed page size.
    pub fn size(&self) -> (f32, f32) {
        match self.rotate {
            90 | 270 => (self.height as f32, self.width as f32),
            _ => (self.width as f32, self.height as f32),
        }
    }

    pub fn point(&self, x: f64, y: f64) -> (f32, f32) {
        let (bx, by) = (x - self.llx, y - self.lly);
        let (dx, dy) = match self.rotate {
            90 => (by, bx),
            180 => (self.width - bx, by),
            270 => (self.height - by, self.width - bx),
            _ => (bx, self.height - by),
        };
        (dx as f32, dy as f32)
    }

    pub fn vector(&self, x: f64, y: f64) -> (f64, f64) {
        match self.rotate {
            90 => (y, x),
            180 => (-x, y),
            270 => (-y, -x),
            _ => (x, -y),
        }
    }
}

/// The `OutputDev` that records glyphs and rulings of one page.
pub struct Capture<'a> {
    unicode: &'a UnicodeTable,
    rotate: i64,
    display: Option<Display>,
    run: u32,
    pub page: RawPage,
}

impl<'a> Capture<'a> {
    pub fn new(rotate: i64, unicode: &'a UnicodeTable) -> Capture<'a> {
        Capture {
            unicode,
            rotate,
            display: None,
            run: 0,
            page: RawPage::default(),
        }
    }

    fn display(&self) -> Display {
        self.display.unwrap_or(Display {
            llx: 0.0,
            lly: 0.0,
            width: 612.0,
            height: 792.0,
            rotate: 0,
        })
    }

    fn add_segment(&mut self, a: (f32, f32), b: (f32, f32)) {
        let segment = Segment {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        };
        if segment.is_horizontal() || segment.is_vertical() {
            self.page.segments.push(segment);
        }
    }

    fn add_path(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let display = self.display();
        let to_display = |x: f64, y: f64| {
            let px = x * ctm.m11 + y * ctm.m21 + ctm.m31;
            let py = x * ctm.m12 + y * ctm.m22 + ctm.m32;
            display.point(px, py)
        };
        let (page_w, page_h) = display.size();
        let mut start: Option<(f32, f32)> = None;
        let mut current: Option<(f32, f32)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    current = Some(to_display(x, y));
                    start = current;
                }
                PathOp::LineTo(x, y) => {
                    let p = to_display(x, y);
                    if let Some(c) = current {
                        self.add_segment(c, p);
                    }
                    current = Some(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => current = Some(to_display(x, y)),
                PathOp::Close => {
                    if let (Some(c), Some(s)) = (current, start) {
                        self.add_segment(c, s);
                    }
                    current = start;
                }
                PathOp::Rect(x, y, w, h) => {
                    let a = to_display(x, y);
                    let b = to_display(x + w, y + h);
                    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
                    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
                    let thin = (x1 - x0) <= MAX_RULE_THICKNESS || (y1 - y0) <= MAX_RULE_THICKNESS;
                    if filled && thin {
                        self.page.segments.push(Segment { x0, y0, x1, y1 });
                    } else if !filled || (x1 - x0) * (y1 - y0) < 0.5 * page_w * page_h {
                        // A stroked box, or a filled cell background: its four edges.
                        self.add_segment((x0, y0), (x1, y0));
                        self.add_segment((x0, y1), (x1, y1));
                        self.add_segment((x0, y0), (x0, y1));
                        self.add_segment((x1, y0), (x1, y1));
                    }
                    current = Some((x0, y0));
                    start = current;
                }
            }
        }
    }
}

/// Largest plausible font size in points; bigger values come from broken matrices.
const MAX_FONT_SIZE: f32 = 500.0;

impl OutputDev for Capture<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let display = Display::new(media_box, self.rotate);
        let (width, height) = display.size();
        self.page.width = width;
        self.page.height = height;
        self.display = Some(display);
        self.page.display = Some(display);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let display = self.display();
        let (x, y) = display.point(trm.m31, trm.m32);
        // Baseline direction and "up" direction of the glyph on the displayed page.
        let (dx, dy) = display.vector(trm.m11, trm.m12);
        let (ux, uy) = display.vector(trm.m21, trm.m22);
        let scale_x = (dx * dx + dy * dy).sqrt();
        let scale_up = (ux * ux + uy * uy).sqrt();
        let size = (font_size.abs() * scale_up) as f32;
        if !size.is_finite() || !x.is_finite() || !y.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let size = size.min(MAX_FONT_SIZE);
        let mut advance = (width * font_size.abs() * scale_x) as f32;
        if !advance.is_finite() || advance <= 0.01 * size {
            advance = fallback_advance(char, size);
        }
        let upright = dx > 0.0 && dy.abs() < 0.1 * dx;
        let text = self.unicode.original(char).unwrap_or(char);
        self.page.glyphs.push(Glyph {
            text: text.to_string(),
            x0: x,
            x1: x + advance.min(4.0 * size),
            baseline: y,
            size,
            space: false,
            unmapped: false,
            upright,
            run: self.run,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.run += 1;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, true);
        Ok(())
    }
}

/// An advance for a glyph whose font gave no width: full width for CJK, half for the rest.
fn fallback_advance(text: &str, size: f32) -> f32 {
    let wide = text.chars().any(|c| {
        let c = c as u32;
        (0x1100..=0x11FF).contains(&c)
            || (0x2E80..=0x9FFF).contains(&c)
            || (0xAC00..=0xD7AF).contains(&c)
            || (0xF900..=0xFAFF).contains(&c)
            || (0xFF00..=0xFF60).contains(&c)
    });
    if wide {
        size
    } else {
        0.5 * size
    }
}
