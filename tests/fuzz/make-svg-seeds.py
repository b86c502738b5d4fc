#!/usr/bin/python3
"""make-svg-seeds.py — regenerates the committed seeds of fuzz-svg in tests/fuzz/corpus/svg/ in the
input layout fuzz-svg.c documents: a ring with a bar (a hole to wind the other way) traced with the
round preset, and the same with the square preset, no upsampling, and names full of XML specials.
Usage: /usr/bin/python3 tests/fuzz/make-svg-seeds.py"""
import math
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "svg")


def bitmap(size):
    pixels = bytearray(size * size)
    c = size / 2
    for y in range(size):
        for x in range(size):
            r = math.hypot(x + 0.5 - c, y + 0.5 - c)
            ink = max(0.0, min(1.0, size * 0.3 - r + 0.5)) * max(0.0, min(1.0, r - size * 0.15 + 0.5))
            if abs(y + 0.5 - c) < size * 0.05 and x > size * 0.1:
                ink = 1.0
            pixels[y * size + x] = int(round(255 * ink))
    return bytes(pixels)


def seed(size, preset, upsample, threshold, turdsize, alphamax, opttolerance, char, strings):
    header = bytes([size - 16, preset | ((upsample - 1) << 1), threshold, turdsize,
                    round(alphamax * 255 / 1.4), round(opttolerance * 20)])
    header += struct.pack("<I", char)
    header += struct.pack("<7h", 1000, -120, 880, 1000, 120, 733, 543)
    text = b"\0".join(s.encode("utf-8") for s in strings)
    assert len(header) == 24 and len(text) < 256
    return header + bytes([len(text)]) + text + bitmap(size)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "ring-round": seed(48, 0, 4, 128, 2, 1.25, 0.1, 0x6C38,
                           ["Zen Maru Gothic", "Regular", "uni6C38", "Zimaru"]),
        "ring-square": seed(32, 1, 1, 100, 0, 0.8, 0.0, ord("A"),
                            ["A&B <\"Co\">", "Bold 'x'", ".notdef/..:<>", ""]),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        print(name, len(data))


if __name__ == "__main__":
    main()
