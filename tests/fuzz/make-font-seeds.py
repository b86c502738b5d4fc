#!/usr/bin/python3
"""make-font-seeds.py — regenerates the committed seed fonts of fuzz-font in tests/fuzz/corpus/font/:
tiny subsets (a few glyphs, a few KB) of the two fonts Zimaru is built around, in each container
FreeType opens: TrueType outlines (Zen Maru Gothic), CFF outlines with a BASE table (Noto Sans CJK TC,
face 3 of the system collection), a two-face collection (TTC), WOFF and WOFF2.
Run with the system interpreter, which has fontTools: /usr/bin/python3 tests/fuzz/make-font-seeds.py"""
import logging
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.ttCollection import TTCollection

ZEN = "/usr/local/share/fonts/zen-maru-gothic/ZenMaruGothic_400Regular.ttf"
NOTO = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "font")


def make_subset(source, out, text, font_number=-1, flavor=None):
    options = subset.Options()
    options.layout_features = []          # no shaping features: keeps the files tiny
    options.name_IDs = [1, 2, 4, 16, 17]  # family and style names, which our wrapper reads
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.hinting = False
    options.flavor = flavor
    font = TTFont(source, fontNumber=font_number)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    # The subsetter drops BASE (it cannot subset it), but BASE gives the ideographic em box that our
    # placement prefers, and its coordinates do not refer to glyphs here: copy it over unchanged.
    original = TTFont(source, fontNumber=font_number)
    if "BASE" in original:
        font["BASE"] = original["BASE"]
    font.flavor = flavor
    font.save(os.path.join(OUT, out))


def main():
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BASE NOT subset": handled below
    os.makedirs(OUT, exist_ok=True)
    make_subset(ZEN, "zen.ttf", "永あA")
    make_subset(NOTO, "noto-tc.otf", "永一A", font_number=3)
    make_subset(ZEN, "zen.woff", "一", flavor="woff")
    make_subset(ZEN, "zen.woff2", "一", flavor="woff2")
    collection = TTCollection()
    collection.fonts = [TTFont(os.path.join(OUT, "zen.ttf")), TTFont(os.path.join(OUT, "noto-tc.otf"))]
    collection.save(os.path.join(OUT, "pair.ttc"))
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
