#!/usr/bin/python3
"""draw-outlines.py — draws exported glyph outlines over the target font's own, as a type designer
looks at them, and prints the numbers a designer would check.

Each glyph becomes a PNG (through an SVG and rsvg-convert): the target font's glyph filled in grey,
ours stroked on top with straight segments green and curves blue, on-curve points as circles where the
join is smooth (collinear handles) and squares at corners, off-curve points as small hollow circles
on their handles. --stats prints, per glyph and in total, ours against the font's: contours, on-curve
points, straight share (chord length of lines / chord length of all segments), wobble (total absolute
turning per contour, in turns) and the Fontbakery outline checks (short segments, semi-horizontal or
semi-vertical lines, colinear lines, jaggy joins) failed by ours, with curves that reach more than 2
units past their on-curve points (an extremum without a point).

  tests/export/draw-outlines.py OUT/Zimaru-ZenMaruGothic.ufo 永口 --out /tmp/pics --stats
  tests/export/draw-outlines.py OUT/Zimaru-ZenMaruGothic.ufo --sheet /tmp/sheet.png
  tests/export/draw-outlines.py OUT/Zimaru-ZenMaruGothic.ufo 永 --zoom 0,400,300,700 --out /tmp/zoom

The target font defaults to manifest.json's beside the UFO. Needs fontTools, ufoLib2, rsvg-convert.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import ufoLib2
from fontTools.ttLib import TTFont

# Fontbakery's outline check thresholds (fontbakery/checks/outline_settings.py).
SHORT_ABS = 3.0
SHORT_REL = 0.006
SHORT_REL_CAP = 20.0  # as test-fit.c: merged contours of generated glyphs run to 9000 units
COLINEAR = 0.1
JAG_ANGLE = 0.25
SEMI_DEG = 0.5


# ---- outlines as lists of contours of (x, y, on) points, cubic (UFO) or quadratic (glyf) ----

def ufo_contours(glyph):
    out = []
    for c in glyph.contours:
        pts = [(p.x, p.y, p.segmentType is not None) for p in c.points]
        # Start on an on-curve point.
        k = next((i for i, p in enumerate(pts) if p[2]), 0)
        out.append(pts[k:] + pts[:k])
    return out


def ttf_contours(font, char):
    gname = font.getBestCmap().get(ord(char))
    if gname is None:
        return None
    glyf = font["glyf"]
    g = glyf[gname]
    coords, ends, flags = g.getCoordinates(glyf)
    out, start = [], 0
    for end in ends:
        pts = [(coords[i][0], coords[i][1], bool(flags[i] & 1)) for i in range(start, end + 1)]
        start = end + 1
        k = next((i for i, p in enumerate(pts) if p[2]), None)
        if k is None:  # all off-curve: insert an implied on-curve point
            mid = ((pts[0][0] + pts[-1][0]) / 2, (pts[0][1] + pts[-1][1]) / 2, True)
            pts = [mid] + pts
            k = 0
        out.append(pts[k:] + pts[:k])
    return out


def segments(contour):
    """Yields (start, [off-curve points], end) between successive explicit on-curve points."""
    n = len(contour)
    ons = [i for i, p in enumerate(contour) if p[2]]
    for j, i in enumerate(ons):
        k = ons[(j + 1) % len(ons)]
        offs = [contour[(i + m) % n] for m in range(1, (k - i) % n or n)]
        yield contour[i], offs, contour[k]


def pieces(seg, cubic):
    """The segment as a list of Bézier pieces (2, 3 or 4 points), quadratic splines split at their
    implied on-curve points."""
    a, offs, b = seg
    if not offs:
        return [[a, b]]
    if cubic and len(offs) == 2:
        return [[a, offs[0], offs[1], b]]
    out, start = [], a
    for i, o in enumerate(offs):
        if i + 1 < len(offs):
            nxt = offs[i + 1]
            end = ((o[0] + nxt[0]) / 2, (o[1] + nxt[1]) / 2, True)
        else:
            end = b
        out.append([start, o, end])
        start = end
    return out


def bez(ps, t):
    while len(ps) > 1:
        ps = [((1 - t) * p[0] + t * q[0], (1 - t) * p[1] + t * q[1]) for p, q in zip(ps, ps[1:])]
    return ps[0]


def flatten(ps, n=24):
    if len(ps) == 2:
        return [ps[0][:2], ps[1][:2]]
    return [bez([p[:2] for p in ps], k / n) for k in range(n + 1)]


def tangent(ps, at_end):
    """Direction leaving the piece's start (at_end False) or arriving at its end, skipping
    coincident control points."""
    pts = [p[:2] for p in ps]
    if at_end:
        pts = pts[::-1]
    for q in pts[1:]:
        dx, dy = q[0] - pts[0][0], q[1] - pts[0][1]
        if math.hypot(dx, dy) > 1e-9:
            return (-dx, -dy) if at_end else (dx, dy)
    return (0.0, 0.0)


def length(poly):
    return sum(math.dist(p, q) for p, q in zip(poly, poly[1:]))


# ---- numbers ----

def stats(contours, cubic):
    on = sum(1 for c in contours for p in c if p[2])
    line = total = 0.0
    turns = []
    for c in contours:
        poly = []
        for seg in segments(c):
            chord = math.dist(seg[0][:2], seg[2][:2])
            total += chord
            if not seg[1]:
                line += chord
            for pc in pieces(seg, cubic):
                f = flatten(pc)
                poly.extend(f if not poly else f[1:])
        turn, m = 0.0, len(poly) - 1  # poly is closed: poly[0] == poly[-1]
        dirs = [(poly[i + 1][0] - poly[i][0], poly[i + 1][1] - poly[i][1]) for i in range(m)]
        dirs = [d for d in dirs if math.hypot(*d) > 1e-9]
        for d0, d1 in zip(dirs, dirs[1:] + dirs[:1]):
            turn += abs(math.atan2(d0[0] * d1[1] - d0[1] * d1[0], d0[0] * d1[0] + d0[1] * d1[1]))
        turns.append(turn / (2 * math.pi))
    return {
        "contours": len(contours), "on": on, "line": line, "chord": total,
        "wobble": sum(turns) / len(turns) if turns else 0.0,
    }


def checks(contours, cubic):
    """Fontbakery's outline checks on one glyph: a list of complaints."""
    bad = []
    for c in contours:
        segs = [pieces(s, cubic) for s in segments(c)]
        flat = [pc for s in segs for pc in s]
        total = sum(length(flatten(pc)) for pc in flat)
        prev_line = len(flat[-1]) == 2
        for pc in flat:
            ln = length(flatten(pc))
            if math.isclose(ln, 0) or ((ln < SHORT_ABS or ln < min(SHORT_REL * total, SHORT_REL_CAP))
                                       and (prev_line or len(pc) > 2)):
                bad.append("short %s" % fmt(pc))
            prev_line = len(pc) == 2
            if len(pc) == 2:
                ang = math.degrees(math.atan2(pc[1][1] - pc[0][1], pc[1][0] - pc[0][0]))
                for e in (-180, -90, 0, 90, 180):
                    if ang != e and abs(ang - e) < SEMI_DEG:
                        bad.append("semi-h/v %s" % fmt(pc))
        for pc in flat:
            if len(pc) == 4:
                over = max(max(max(q[0] - max(pc[0][0], pc[3][0]), min(pc[0][0], pc[3][0]) - q[0],
                                   q[1] - max(pc[0][1], pc[3][1]), min(pc[0][1], pc[3][1]) - q[1])
                               for q in flatten(pc, 32)), 0)
                if over > 2:
                    bad.append("extremum missing (%.1f units) %s" % (over, fmt(pc)))
        for a, b in zip(flat[-1:] + flat[:-1], flat):
            if len(a) == 2 and len(b) == 2:
                ta = math.atan2(b[0][1] - a[0][1], b[0][0] - a[0][0])
                tb = math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0])
                if abs(ta - tb) < COLINEAR:
                    bad.append("colinear %s %s" % (fmt(a), fmt(b)))
            tin, tout = tangent(a, True), tangent(b, False)
            mag = math.hypot(*tin) * math.hypot(*tout)
            if mag:
                cosang = (-tin[0] * tout[0] - tin[1] * tout[1]) / mag
                if -1 <= cosang <= 1:
                    jag = math.acos(cosang)
                    if 0 < jag < JAG_ANGLE:
                        bad.append("jaggy at %s" % fmt([b[0]]))
    return bad


def fmt(pc):
    return "-".join("(%g,%g)" % (round(p[0], 1), round(p[1], 1)) for p in pc)


# ---- drawing ----

def svg_path(contours, cubic, tf):
    d = []
    for c in contours:
        first = True
        for seg in segments(c):
            for pc in pieces(seg, cubic):
                if first:
                    d.append("M%.2f %.2f" % tf(pc[0]))
                    first = False
                cmd = {2: "L", 3: "Q", 4: "C"}[len(pc)]
                d.append(cmd + " ".join("%.2f %.2f" % tf(p) for p in pc[1:]))
        d.append("Z")
    return " ".join(d)


def draw(ours, theirs, box, size, title):
    x0, y0, x1, y1 = box
    scale = size / max(x1 - x0, y1 - y0)
    tf = lambda p: ((p[0] - x0) * scale, (y1 - p[1]) * scale)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">' % (size, size),
           '<rect width="100%" height="100%" fill="white"/>']
    if theirs:
        out.append('<path d="%s" fill="#d8d8d8" stroke="#9a9a9a" stroke-width="1" fill-rule="nonzero"/>'
                   % svg_path(theirs, False, tf))
    handles, offs, ons = [], [], []
    for c in ours:
        for seg in segments(c):
            pcs = pieces(seg, True)
            for pc in pcs:
                colour = "#1a9641" if len(pc) == 2 else "#2b6cc4"
                out.append('<path d="M%.2f %.2f %s%s" fill="none" stroke="%s" stroke-width="2"/>'
                           % (tf(pc[0]) + ({2: "L", 3: "Q", 4: "C"}[len(pc)],
                                           " ".join("%.2f %.2f" % tf(p) for p in pc[1:]), colour)))
                if len(pc) == 4:
                    for a, b in ((pc[0], pc[1]), (pc[3], pc[2])):
                        handles.append("M%.2f %.2f L%.2f %.2f" % (tf(a) + tf(b)))
                        offs.append(tf(b))
        segs = [pc for seg in segments(c) for pc in pieces(seg, True)]
        for a, b in zip(segs[-1:] + segs[:-1], segs):
            tin, tout = tangent(a, True), tangent(b, False)
            mag = math.hypot(*tin) * math.hypot(*tout)
            smooth = mag > 0 and abs(tin[0] * tout[1] - tin[1] * tout[0]) / mag < math.sin(math.radians(2)) \
                and tin[0] * tout[0] + tin[1] * tout[1] > 0
            ons.append((tf(b[0]), smooth))
    out.append('<path d="%s" stroke="#888" stroke-width="1" fill="none"/>' % " ".join(handles))
    for x, y in offs:
        out.append('<circle cx="%.2f" cy="%.2f" r="3" fill="white" stroke="#555" stroke-width="1.2"/>'
                   % (x, y))
    for (x, y), smooth in ons:
        if smooth:
            out.append('<circle cx="%.2f" cy="%.2f" r="4.5" fill="#d7301f"/>' % (x, y))
        else:
            out.append('<rect x="%.2f" y="%.2f" width="9" height="9" fill="#d7301f"/>' % (x - 4.5, y - 4.5))
    out.append('<text x="8" y="22" font-family="sans-serif" font-size="16" fill="#333">%s</text>' % title)
    out.append("</svg>")
    return "\n".join(out)


def render_png(svg, png):
    with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False) as f:
        f.write(svg)
    try:
        subprocess.run(["rsvg-convert", "-o", png, f.name], check=True)
    finally:
        os.unlink(f.name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ufo")
    ap.add_argument("chars", nargs="?", help="characters to draw (default: every glyph of the UFO)")
    ap.add_argument("--font", help="the target font (default: manifest.json's beside the UFO)")
    ap.add_argument("--size", type=int, default=600, help="side of each picture in pixels")
    ap.add_argument("--out", help="folder for uniXXXX.png pictures")
    ap.add_argument("--sheet", help="one PNG with all the glyphs side by side")
    ap.add_argument("--stats", action="store_true", help="print the numbers")
    ap.add_argument("--checks", action="store_true", help="list each failed outline check")
    ap.add_argument("--zoom", help="draw only this box of font units: XMIN,YMIN,XMAX,YMAX")
    a = ap.parse_args()

    font_path = a.font
    if font_path is None:
        with open(os.path.join(os.path.dirname(os.path.abspath(a.ufo)), "manifest.json")) as f:
            font_path = json.load(f)["fonts"]["target"]["path"]
    ufo = ufoLib2.Font.open(a.ufo)
    font = TTFont(font_path)
    by_char = {chr(u): g for g in ufo for u in g.unicodes}
    chars = a.chars or "".join(sorted(by_char))
    asc, desc = font["hhea"].ascent, font["hhea"].descent
    upm = font["head"].unitsPerEm
    box = (-0.05 * upm, desc - 0.05 * upm, 1.05 * upm, desc + 1.05 * upm)
    if asc - desc > 1.1 * upm:
        box = (-0.05 * upm, desc, asc - desc - 0.05 * upm, asc)
    if a.zoom:
        box = tuple(float(v) for v in a.zoom.split(","))

    svgs, tot_o, tot_t, n_bad = [], None, None, 0
    if a.stats:
        print("char  contours  on-curve (ratio)   straight share   wobble (ratio)   checks")
    for ch in chars:
        if ch not in by_char:
            print("%s: not in the UFO" % ch, file=sys.stderr)
            continue
        ours = ufo_contours(by_char[ch])
        theirs = ttf_contours(font, ch) or []
        if a.stats or a.checks:
            so, st = stats(ours, True), stats(theirs, False)
            bad = checks(ours, True)
            n_bad += len(bad)
            for key in so:
                tot_o = tot_o or dict.fromkeys(so, 0.0)
                tot_t = tot_t or dict.fromkeys(so, 0.0)
                tot_o[key] += so[key]
                tot_t[key] += st[key]
            if a.stats:
                print("%s    %2d/%-2d    %4d/%-4d (%.2f)   %4.1f%% / %4.1f%%   %.2f/%.2f (%.2f)   %d"
                      % (ch, so["contours"], st["contours"], so["on"], st["on"],
                         so["on"] / max(st["on"], 1), 100 * so["line"] / max(so["chord"], 1e-9),
                         100 * st["line"] / max(st["chord"], 1e-9), so["wobble"], st["wobble"],
                         so["wobble"] / max(st["wobble"], 1e-9), len(bad)))
            if a.checks:
                for b in bad:
                    print("  %s %s" % (ch, b))
        svg = draw(ours, theirs, box, a.size, "U+%04X %s" % (ord(ch), ch))
        svgs.append(svg)
        if a.out:
            os.makedirs(a.out, exist_ok=True)
            render_png(svg, os.path.join(a.out, "uni%04X.png" % ord(ch)))
    if a.stats and tot_o:
        n = len(svgs)
        print("all   %d/%d    %d/%d (%.3f)   %.1f%% / %.1f%%   %.2f/%.2f (%.3f)   %d"
              % (tot_o["contours"], tot_t["contours"], tot_o["on"], tot_t["on"],
                 tot_o["on"] / max(tot_t["on"], 1), 100 * tot_o["line"] / tot_o["chord"],
                 100 * tot_t["line"] / tot_t["chord"], tot_o["wobble"] / n, tot_t["wobble"] / n,
                 tot_o["wobble"] / max(tot_t["wobble"], 1e-9), n_bad))
    if a.sheet and svgs:
        inner = "".join('<g transform="translate(%d 0)">%s</g>' % (i * a.size, s.split("\n", 1)[1].rsplit("</svg>", 1)[0])
                        for i, s in enumerate(svgs))
        render_png('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">%s</svg>'
                   % (a.size * len(svgs), a.size, inner), a.sheet)


if __name__ == "__main__":
    main()
