#!/usr/bin/env python3
"""Draws the icons of INT8 Workbench (16x16 PNGs, the product logo in several sizes) with no library but zlib.

Run from the repository root: python3 releng/icons/draw_icons.py  (writes bundles/org.int8workbench.ui/icons/*.png).
Shapes are sampled 4x4 per pixel for smooth edges."""
import math
import os
import struct
import zlib

SS = 4  # samples per pixel per axis


def png(path, w, h, px):
    raw = b''.join(b'\0' + bytes(v for p in px[y * w:(y + 1) * w] for v in p) for y in range(h))
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


class Canvas:
    """Shapes in a 16-unit coordinate space, drawn in order (later shapes cover earlier ones)."""

    def __init__(self, size=16):
        self.size = size
        self.shapes = []

    def add(self, inside, color):
        self.shapes.append((inside, color))

    def rect(self, x0, y0, x1, y1, color, r=0.0):
        def inside(x, y):
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                return False
            cx = min(max(x, x0 + r), x1 - r)
            cy = min(max(y, y0 + r), y1 - r)
            return (x - cx) ** 2 + (y - cy) ** 2 <= r * r + 1e-9
        self.add(inside, color)

    def circle(self, cx, cy, r, color, ring=None):
        def inside(x, y):
            d = math.hypot(x - cx, y - cy)
            return d <= r and (ring is None or d >= r - ring)
        self.add(inside, color)

    def arc(self, cx, cy, r, width, a0, a1, color):
        def inside(x, y):
            d = math.hypot(x - cx, y - cy)
            a = math.degrees(math.atan2(-(y - cy), x - cx)) % 360
            within = (a0 <= a <= a1) if a0 <= a1 else (a >= a0 or a <= a1)
            return r - width <= d <= r and within
        self.add(inside, color)

    def line(self, x0, y0, x1, y1, width, color):
        def inside(x, y):
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
            return math.hypot(x - x0 - t * dx, y - y0 - t * dy) <= width / 2
        self.add(inside, color)

    def polyline(self, pts, width, color):
        for a, b in zip(pts, pts[1:]):
            self.line(a[0], a[1], b[0], b[1], width, color)

    def polygon(self, pts, color):
        def inside(x, y):
            c = False
            for (xa, ya), (xb, yb) in zip(pts, pts[1:] + pts[:1]):
                if (ya > y) != (yb > y) and x < (xb - xa) * (y - ya) / (yb - ya) + xa:
                    c = not c
            return c
        self.add(inside, color)

    def save(self, path):
        n = self.size
        scale = 16.0 / n
        px = []
        for j in range(n):
            for i in range(n):
                acc = [0.0, 0.0, 0.0, 0.0]
                for sj in range(SS):
                    for si in range(SS):
                        x = (i + (si + 0.5) / SS) * scale
                        y = (j + (sj + 0.5) / SS) * scale
                        col = None
                        for inside, c in self.shapes:
                            if inside(x, y):
                                col = c
                        if col is not None:
                            a = col[3] if len(col) > 3 else 255
                            for k in range(3):
                                acc[k] += col[k] * a
                            acc[3] += a
                total = SS * SS
                alpha = acc[3] / total
                if acc[3] > 0:
                    px.append(tuple(int(round(acc[k] / acc[3])) for k in range(3)) + (int(round(alpha)),))
                else:
                    px.append((0, 0, 0, 0))
        png(path, n, n, px)


BLUE = (33, 102, 172)
DARK = (25, 45, 85)
LIGHT = (120, 170, 225)
ORANGE = (240, 150, 20)
GREEN = (40, 150, 70)
RED = (200, 50, 45)
GRAY = (110, 110, 110)
PAPER = (252, 252, 252)
WHITE = (255, 255, 255)


def network(c, ox=0.0, oy=0.0, s=1.0, color=BLUE, edge=LIGHT):
    """Three layers of nodes with their connections: the mark of a model."""
    layers = [[(3, 4), (3, 12)], [(8, 3), (8, 8), (8, 13)], [(13, 8)]]
    P = lambda p: (ox + p[0] * s, oy + p[1] * s)
    for a, b in zip(layers, layers[1:]):
        for p in a:
            for q in b:
                (x0, y0), (x1, y1) = P(p), P(q)
                c.line(x0, y0, x1, y1, 1.0 * s, edge)
    for layer in layers:
        for p in layer:
            x, y = P(p)
            c.circle(x, y, 2.0 * s, color)


def document(c, fold=True):
    c.polygon([(2.5, 0.5), (10, 0.5), (13.5, 4), (13.5, 15.5), (2.5, 15.5)], GRAY)
    c.polygon([(3.5, 1.5), (9.5, 1.5), (12.5, 4.5), (12.5, 14.5), (3.5, 14.5)], PAPER)
    if fold:
        c.polygon([(9.5, 1.5), (9.5, 4.5), (12.5, 4.5)], (210, 210, 210))


def bolt(c, color, ox=0.0, oy=0.0, s=1.0):
    pts = [(9, 0.5), (3, 9), (7.5, 9), (5.5, 15.5), (13, 6), (8.5, 6), (10.5, 0.5)]
    c.polygon([(ox + x * s, oy + y * s) for x, y in pts], color)


def logo(size):
    """The product logo: a blue chip with a white network and an orange INT8 bar."""
    c = Canvas(size)
    c.rect(0.5, 0.5, 15.5, 15.5, DARK, r=3)
    c.rect(1.3, 1.3, 14.7, 14.7, BLUE, r=2.4)
    network(c, 1.6, 1.2, 0.8, WHITE, (190, 215, 245))
    for k in range(8):  # eight bits
        c.rect(3 + k * 1.3, 13.2, 3.8 + k * 1.3, 14.4, ORANGE)
    return c


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bundles', 'org.int8workbench.ui', 'icons')
    os.makedirs(out, exist_ok=True)
    icons = {}

    c = Canvas(); network(c); icons['model'] = c

    c = Canvas(); document(c); network(c, 3.6, 4.2, 0.6, BLUE, LIGHT); icons['onnx'] = c

    c = Canvas()
    c.rect(0.5, 1.5, 15.5, 14.5, GRAY, r=1)
    c.rect(1.5, 4, 14.5, 13.5, WHITE)
    c.rect(1.5, 2.5, 14.5, 3.5, LIGHT)
    c.rect(2.5, 5, 6, 12.5, (225, 232, 245))
    c.rect(7, 9.5, 13.5, 12.5, (225, 232, 245))
    network(c, 7.2, 4.6, 0.4, BLUE, LIGHT)
    icons['perspective'] = c

    c = Canvas(); bolt(c, (170, 100, 0)); bolt(c, ORANGE, 0.9, 0.9, 0.88); icons['optimize'] = c

    c = Canvas(); bolt(c, ORANGE, 0, 0, 0.8)
    c.arc(11, 11, 4.8, 1.6, 300, 200, GREEN)
    c.polygon([(4.6, 10), (8.4, 10), (6.5, 13)], GREEN)
    icons['optimizeAgain'] = c

    c = Canvas()
    c.rect(6.5, 0.5, 9.5, 2, GRAY)
    c.circle(8, 9.5, 6.5, GRAY)
    c.circle(8, 9.5, 5.3, WHITE)
    c.line(8, 9.5, 11, 6.5, 1.4, RED)
    c.circle(8, 9.5, 1, DARK)
    icons['benchmark'] = c

    c = Canvas()
    c.circle(8, 8, 7.5, RED)
    c.circle(8, 8, 5.7, WHITE)
    c.circle(8, 8, 4.2, RED)
    c.circle(8, 8, 2.5, WHITE)
    c.circle(8, 8, 1.3, RED)
    icons['evaluate'] = c

    c = Canvas(); document(c)
    c.rect(5, 9, 6.5, 13, BLUE)
    c.rect(7.5, 6, 9, 13, GREEN)
    c.rect(10, 10.5, 11.5, 13, ORANGE)
    icons['openReports'] = c

    c = Canvas()
    c.polyline([(5.5, 3.5), (1.5, 8), (5.5, 12.5)], 1.8, BLUE)
    c.polyline([(10.5, 3.5), (14.5, 8), (10.5, 12.5)], 1.8, BLUE)
    c.line(9.5, 2.5, 6.5, 13.5, 1.5, ORANGE)
    icons['codegen'] = c

    c = Canvas()
    c.line(1, 15, 15, 15, 1, GRAY)
    for i, hgt in enumerate([4, 11, 6, 13, 3]):
        col = RED if hgt > 10 else (230, 160, 150)
        c.rect(1.5 + i * 2.8, 14.5 - hgt, 3.7 + i * 2.8, 14.5, col)
    icons['sensitivity'] = c

    c = Canvas()
    c.arc(8, 8, 6.5, 2, 100, 10, GREEN)
    c.polygon([(10.5, 7), (15.5, 7), (13, 3.5)], GREEN)
    icons['refresh'] = c

    for name, canvas in icons.items():
        canvas.save(os.path.join(out, name + '.png'))
    for size in (16, 32, 48, 64, 128):
        logo(size).save(os.path.join(out, 'int8wb%d.png' % size))
    print('wrote', len(icons) + 5, 'icons to', os.path.normpath(out))


if __name__ == '__main__':
    main()
