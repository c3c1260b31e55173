#!/usr/bin/env python3
"""Draws the icons in resources/icons: the application icon (a teal tile with a stacked crate
and a signal arc) and the toolbar's demo icon (crates on a conveyor with a play mark).

Kept as a script so the icons can be redrawn at other sizes without an image editor.
Usage: scripts/dev/make-icon.py [SIZE] > resources/icons/kucun-hub.png
       scripts/dev/make-icon.py --demo [SIZE] > resources/icons/demo.png
"""
import math
import struct
import sys
import zlib


def inside_rounded_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def pixel(u, v):
    """Colour at normalised coordinates (0..1), RGBA."""
    if not inside_rounded_rect(u, v, 0.04, 0.04, 0.96, 0.96, 0.18):
        return (0, 0, 0, 0)
    # Two crates stacked, the upper one smaller: the warehouse.
    for (x0, y0, x1, y1) in ((0.22, 0.52, 0.62, 0.82), (0.30, 0.26, 0.56, 0.50)):
        if x0 <= u <= x1 and y0 <= v <= y1:
            edge = min(u - x0, x1 - u, v - y0, y1 - v)
            if edge < 0.025:
                return (255, 255, 255, 255)
            if abs(v - (y0 + y1) / 2) < 0.012:
                return (255, 255, 255, 255)
            return (250, 190, 70, 255)
    # Three arcs to the right: the realtime hub broadcasting.
    d = math.hypot(u - 0.66, v - 0.40)
    angle = math.atan2(v - 0.40, u - 0.66)
    if -0.9 < angle < 0.9:
        for radius in (0.10, 0.17, 0.24):
            if abs(d - radius) < 0.022:
                return (255, 255, 255, 255)
    shade = int(120 + 40 * (1 - v))
    return (20, shade, 140, 255)


def demo_pixel(u, v):
    """The demo toggle, RGBA: a teal play triangle with two small crates riding on it."""
    # Play triangle, pointing right.
    if 0.14 <= u <= 0.86 and abs(v - 0.5) <= 0.36 * (0.86 - u) / 0.72:
        for (x0, y0, x1, y1) in ((0.24, 0.40, 0.40, 0.58), (0.42, 0.44, 0.56, 0.58)):
            if x0 <= u <= x1 and y0 <= v <= y1:
                return (250, 190, 70, 255)
        shade = int(120 + 40 * (1 - v))
        return (20, shade, 140, 255)
    return (0, 0, 0, 0)


def render(size, pixel=pixel):
    samples = 3  # supersampling for smooth edges
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = pixel((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)
                    for i in range(4):
                        acc[i] += c[i]
            row.extend(int(a / samples ** 2) for a in acc)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixel=pixel):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(render(size, pixel), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    drawing = pixel
    if arguments[:1] == ["--demo"]:
        drawing = demo_pixel
        arguments = arguments[1:]
    sys.stdout.buffer.write(png(int(arguments[0]) if arguments else 256, drawing))
