"""Flat pictograms of the demo catalogue's products, drawn with Pillow (see draw_assets.py).

Every drawing works in a 100x100 box; `Pen` scales it to the canvas. Colours come from the
product's category: `ink` for the object, `accent` for its details, `light` for highlights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageDraw

Point = tuple[float, float]


@dataclass(frozen=True)
class Palette:
    background: str
    ink: str
    accent: str
    light: str


class Pen:
    def __init__(self, draw: ImageDraw.ImageDraw, size: int, palette: Palette) -> None:
        self.draw, self.k, self.p = draw, size / 100, palette

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k]

    def rect(self, x0, y0, x1, y1, fill: str, r: float = 0) -> None:
        self.draw.rounded_rectangle(self._box(x0, y0, x1, y1), radius=r * self.k, fill=fill)

    def oval(self, x0, y0, x1, y1, fill: str) -> None:
        self.draw.ellipse(self._box(x0, y0, x1, y1), fill=fill)

    def ring(self, x0, y0, x1, y1, colour: str, width: float) -> None:
        self.draw.ellipse(self._box(x0, y0, x1, y1), outline=colour, width=round(width * self.k))

    def arc(self, x0, y0, x1, y1, start: float, end: float, colour: str, width: float) -> None:
        box = self._box(x0, y0, x1, y1)
        self.draw.arc(box, start, end, fill=colour, width=round(width * self.k))

    def line(self, points: list[Point], colour: str, width: float) -> None:
        scaled = [(x * self.k, y * self.k) for x, y in points]
        self.draw.line(scaled, fill=colour, width=round(width * self.k), joint="curve")

    def poly(self, points: list[Point], fill: str) -> None:
        self.draw.polygon([(x * self.k, y * self.k) for x, y in points], fill=fill)

    def dots(self, x0: float, y: float, count: int, step: float, r: float, fill: str) -> None:
        for i in range(count):
            self.oval(x0 + i * step - r, y - r, x0 + i * step + r, y + r, fill)


def chair(pen: Pen) -> None:
    p = pen.p
    pen.rect(32, 14, 68, 50, p.ink, 10)
    pen.rect(37, 19, 63, 45, p.light, 7)
    pen.rect(28, 52, 72, 60, p.ink, 4)
    pen.rect(47, 60, 53, 74, p.accent)
    pen.line([(30, 84), (50, 74), (70, 84)], p.accent, 4)
    pen.dots(30, 86, 3, 20, 3.5, p.ink)


def desk(pen: Pen) -> None:
    p = pen.p
    pen.rect(14, 36, 86, 43, p.ink, 2)
    pen.rect(22, 43, 28, 84, p.accent)
    pen.rect(72, 43, 78, 84, p.accent)
    pen.rect(16, 82, 34, 86, p.ink, 2)
    pen.rect(66, 82, 84, 86, p.ink, 2)
    pen.rect(40, 24, 62, 36, p.light, 2)


def laptop_stand(pen: Pen) -> None:
    p = pen.p
    pen.poly([(22, 30), (70, 22), (74, 28), (26, 36)], p.light)
    pen.line([(30, 36), (40, 76), (62, 76), (70, 28)], p.ink, 5)
    pen.rect(28, 76, 72, 82, p.accent, 3)


def lamp(pen: Pen) -> None:
    p = pen.p
    pen.rect(30, 80, 62, 86, p.ink, 3)
    pen.line([(46, 80), (36, 48), (62, 28)], p.ink, 5)
    pen.poly([(56, 20), (80, 34), (70, 44), (50, 30)], p.accent)
    pen.oval(62, 38, 76, 52, p.light)


def tray(pen: Pen) -> None:
    p = pen.p
    pen.rect(14, 30, 86, 36, p.ink, 2)
    pen.poly([(20, 36), (80, 36), (74, 62), (26, 62)], p.accent)
    for x in (32, 44, 56, 68):
        pen.rect(x, 42, x + 5, 56, p.light, 2)
    pen.line([(30, 62), (40, 78), (56, 70), (70, 82)], p.ink, 3)


def footrest(pen: Pen) -> None:
    p = pen.p
    pen.poly([(18, 50), (82, 38), (84, 48), (20, 60)], p.accent)
    for x in range(26, 80, 9):
        pen.oval(x, 44 - (x - 26) * 0.18, x + 4, 48 - (x - 26) * 0.18, p.light)
    pen.line([(50, 54), (50, 78)], p.ink, 5)
    pen.rect(26, 78, 74, 84, p.ink, 3)


def whiteboard(pen: Pen) -> None:
    p = pen.p
    pen.rect(12, 18, 88, 70, p.ink, 3)
    pen.rect(15, 21, 85, 67, "#ffffff", 2)
    pen.line([(24, 34), (40, 30), (56, 36), (70, 30)], p.accent, 2.5)
    pen.line([(24, 48), (52, 48)], p.light, 2.5)
    pen.rect(20, 70, 80, 74, p.ink, 2)
    pen.line([(30, 74), (24, 90)], p.ink, 3)
    pen.line([(70, 74), (76, 90)], p.ink, 3)


def monitor(pen: Pen) -> None:
    p = pen.p
    pen.rect(12, 18, 88, 66, p.ink, 4)
    pen.rect(16, 22, 84, 62, p.light, 2)
    pen.poly([(16, 62), (50, 30), (84, 62)], p.accent)
    pen.rect(45, 66, 55, 78, p.ink)
    pen.rect(32, 78, 68, 84, p.ink, 3)


def keyboard(pen: Pen) -> None:
    p = pen.p
    pen.rect(10, 34, 90, 70, p.ink, 5)
    for row, y in enumerate((39, 48, 57)):
        for i in range(9 - row % 2):
            x = 15 + i * 8.2 + (row % 2) * 4
            pen.rect(x, y, x + 6.4, y + 6.4, p.light, 1.5)
    pen.rect(30, 62.5, 70, 66.5, p.accent, 1.5)


def mouse(pen: Pen) -> None:
    p = pen.p
    pen.oval(32, 18, 68, 84, p.ink)
    pen.line([(50, 20), (50, 44)], p.light, 2)
    pen.rect(47, 28, 53, 40, p.accent, 3)
    pen.arc(20, 4, 56, 34, 200, 300, p.accent, 3)


def dock(pen: Pen) -> None:
    p = pen.p
    pen.rect(14, 40, 86, 66, p.ink, 6)
    for x in (22, 34):
        pen.rect(x, 48, x + 8, 56, p.light, 1)
    pen.rect(48, 49, 58, 55, p.accent, 3)
    pen.rect(64, 49, 76, 55, p.light, 1)
    pen.oval(80, 50, 84, 54, p.accent)
    pen.line([(14, 53), (4, 53)], p.ink, 3)


def ssd(pen: Pen) -> None:
    p = pen.p
    pen.rect(28, 16, 72, 84, p.ink, 8)
    pen.rect(34, 22, 66, 70, p.accent, 5)
    pen.rect(44, 74, 56, 78, p.light, 2)
    pen.oval(46, 36, 54, 44, p.light)


def headphones(pen: Pen) -> None:
    p = pen.p
    pen.arc(20, 16, 80, 76, 180, 360, p.ink, 7)
    pen.line([(20, 46), (20, 58)], p.ink, 7)
    pen.line([(80, 46), (80, 58)], p.ink, 7)
    pen.rect(12, 50, 30, 80, p.accent, 7)
    pen.rect(70, 50, 88, 80, p.accent, 7)


def speakerphone(pen: Pen) -> None:
    p = pen.p
    pen.oval(14, 40, 86, 76, p.ink)
    pen.oval(18, 36, 82, 68, p.accent)
    pen.oval(40, 44, 60, 60, p.light)
    pen.dots(26, 52, 3, 5, 1.6, p.light)
    pen.dots(64, 52, 3, 5, 1.6, p.light)


def webcam(pen: Pen) -> None:
    p = pen.p
    pen.rect(20, 24, 80, 58, p.ink, 16)
    pen.oval(38, 28, 62, 54, p.light)
    pen.oval(44, 34, 56, 48, p.accent)
    pen.oval(70, 36, 74, 40, p.accent)
    pen.poly([(44, 58), (56, 58), (64, 78), (36, 78)], p.ink)


def paper(pen: Pen) -> None:
    p = pen.p
    for i, colour in enumerate((p.ink, p.accent, p.light)):
        off = i * 5
        pen.rect(24 + off, 52 - off * 2, 76 + off, 64 - off * 2, colour, 2)
    pen.rect(36, 14, 80, 44, "#ffffff", 1)
    for y in (22, 28, 34):
        pen.line([(42, y), (72, y)], p.light, 1.5)


def pens(pen: Pen) -> None:
    p = pen.p
    for i, colour in enumerate((p.ink, p.accent, p.ink, p.accent)):
        x = 26 + i * 14
        pen.rect(x, 22, x + 8, 70, colour, 3)
        pen.poly([(x, 70), (x + 8, 70), (x + 4, 82)], colour)
        pen.rect(x + 6, 26, x + 9, 44, p.light, 1)


def notebook(pen: Pen) -> None:
    p = pen.p
    pen.rect(26, 14, 76, 86, p.ink, 4)
    pen.rect(30, 14, 76, 86, p.accent, 3)
    pen.rect(64, 14, 68, 86, p.light)
    pen.rect(36, 26, 58, 36, p.light, 2)


def markers(pen: Pen) -> None:
    p = pen.p
    for i, colour in enumerate((p.ink, p.accent, p.light)):
        x = 22 + i * 20
        pen.rect(x, 26, x + 14, 74, colour, 4)
        pen.rect(x + 3, 16, x + 11, 26, p.ink, 2)
        pen.rect(x, 50, x + 14, 56, "#ffffff")


def label_printer(pen: Pen) -> None:
    p = pen.p
    pen.rect(16, 36, 84, 76, p.ink, 8)
    pen.rect(24, 44, 56, 52, p.light, 2)
    pen.oval(66, 44, 76, 54, p.accent)
    pen.rect(30, 18, 62, 38, "#ffffff", 2)
    pen.rect(34, 22, 58, 28, p.accent, 1)


def receipt_printer(pen: Pen) -> None:
    p = pen.p
    pen.rect(18, 46, 82, 82, p.ink, 6)
    pen.rect(18, 46, 82, 56, p.accent, 6)
    torn_top = [(68, 14), (60, 18), (52, 14), (44, 18), (36, 14), (32, 18)]
    pen.poly([(32, 48), (68, 48), *torn_top], "#ffffff")
    for y in (24, 30, 36):
        pen.line([(38, y), (62, y)], p.light, 1.5)
    pen.oval(70, 66, 76, 72, p.light)


def barcode_scanner(pen: Pen) -> None:
    p = pen.p
    pen.poly([(20, 26), (72, 20), (78, 40), (26, 46)], p.ink)
    pen.poly([(50, 40), (64, 38), (58, 84), (44, 84)], p.ink)
    pen.poly([(72, 20), (90, 12), (92, 50), (78, 40)], p.accent)
    for i in range(6):
        pen.line([(30 + i * 6, 30), (31 + i * 6, 40)], p.light, 1.8)


def boxes(pen: Pen) -> None:
    p = pen.p
    pen.rect(14, 46, 52, 84, p.accent, 2)
    pen.rect(48, 38, 86, 84, p.ink, 2)
    pen.rect(30, 14, 68, 48, p.accent, 2)
    for x0, y0, x1 in ((14, 46, 52), (48, 38, 86), (30, 14, 68)):
        pen.rect((x0 + x1) / 2 - 3, y0, (x0 + x1) / 2 + 3, y0 + 12, p.light)


def tape(pen: Pen) -> None:
    p = pen.p
    pen.oval(16, 22, 74, 80, p.accent)
    pen.oval(32, 38, 58, 64, p.background)
    pen.ring(16, 22, 74, 80, p.ink, 3)
    pen.poly([(70, 60), (88, 66), (84, 78), (66, 70)], p.light)


def shelving(pen: Pen) -> None:
    p = pen.p
    pen.rect(18, 12, 23, 88, p.ink)
    pen.rect(77, 12, 82, 88, p.ink)
    for y in (20, 38, 56, 74):
        pen.rect(18, y, 82, y + 4, p.ink)
    pen.rect(28, 26, 44, 38, p.accent, 1)
    pen.rect(50, 44, 70, 56, p.light, 1)
    pen.rect(30, 62, 48, 74, p.accent, 1)


def pallet_jack(pen: Pen) -> None:
    p = pen.p
    pen.line([(30, 16), (40, 60)], p.ink, 4)
    pen.rect(22, 12, 40, 18, p.accent, 3)
    pen.rect(34, 58, 50, 72, p.ink, 3)
    pen.rect(36, 70, 92, 76, p.accent, 2)
    pen.oval(38, 74, 48, 84, p.ink)
    pen.oval(80, 76, 88, 84, p.ink)


def gloves(pen: Pen) -> None:
    p = pen.p
    for dx, colour in ((-12, p.accent), (12, p.ink)):
        pen.rect(34 + dx, 40, 66 + dx, 82, colour, 10)
        for i in range(4):
            x = 35 + dx + i * 7.6
            pen.rect(x, 18 + abs(1.5 - i) * 4, x + 6, 50, colour, 3)
        pen.rect(34 + dx, 74, 66 + dx, 82, p.light, 2)


def espresso(pen: Pen) -> None:
    p = pen.p
    pen.rect(20, 14, 80, 86, p.ink, 6)
    pen.rect(26, 20, 74, 34, p.accent, 3)
    pen.rect(42, 34, 58, 42, p.light, 2)
    pen.rect(40, 58, 60, 76, "#ffffff", 3)
    pen.arc(56, 62, 66, 72, 270, 90, "#ffffff", 2.5)
    pen.rect(26, 78, 74, 82, p.light, 1)


def coffee_beans(pen: Pen) -> None:
    p = pen.p
    pen.poly([(28, 20), (72, 20), (80, 86), (20, 86)], p.accent)
    pen.rect(26, 14, 74, 24, p.ink, 2)
    pen.oval(38, 44, 62, 68, p.ink)
    pen.arc(44, 46, 56, 66, 300, 60, p.light, 2)


def water_jug(pen: Pen) -> None:
    p = pen.p
    pen.poly([(30, 20), (66, 20), (70, 84), (26, 84)], p.light)
    pen.poly([(29, 46), (67.8, 46), (70, 84), (26, 84)], p.accent)
    pen.arc(58, 30, 84, 64, 270, 90, p.ink, 5)
    pen.rect(28, 16, 68, 24, p.ink, 3)
    pen.poly([(24, 16), (34, 16), (30, 26)], p.ink)


def first_aid(pen: Pen) -> None:
    p = pen.p
    pen.rect(16, 30, 84, 82, p.accent, 8)
    pen.rect(38, 20, 62, 32, p.ink, 3)
    pen.rect(44, 42, 56, 72, "#ffffff", 2)
    pen.rect(35, 51, 65, 63, "#ffffff", 2)


def extinguisher(pen: Pen) -> None:
    p = pen.p
    pen.rect(34, 30, 66, 88, p.accent, 12)
    pen.rect(42, 20, 58, 32, p.ink, 2)
    pen.line([(58, 24), (76, 24), (80, 44)], p.ink, 4)
    pen.line([(42, 22), (30, 14)], p.ink, 4)
    pen.rect(38, 50, 62, 66, "#ffffff", 3)


def surge_protector(pen: Pen) -> None:
    p = pen.p
    pen.rect(8, 38, 92, 62, p.ink, 8)
    for i in range(4):
        x = 16 + i * 15
        pen.oval(x, 43, x + 11, 57, p.light)
        pen.dots(x + 3.5, 50, 2, 4, 1.1, p.ink)
    pen.oval(80, 46, 86, 52, p.accent)


def router(pen: Pen) -> None:
    p = pen.p
    pen.rect(12, 50, 88, 76, p.ink, 8)
    for x in (22, 42, 62, 80):
        pen.line([(x, 52), (x - 4 if x < 50 else x + 4, 16)], p.ink, 4)
    pen.dots(26, 63, 5, 8, 2.2, p.accent)


def network_switch(pen: Pen) -> None:
    p = pen.p
    pen.rect(8, 36, 92, 64, p.ink, 5)
    for i in range(8):
        x = 14 + i * 9
        pen.rect(x, 44, x + 7, 54, p.light, 1)
        pen.oval(x + 2, 57, x + 5, 60, p.accent)


def shredder(pen: Pen) -> None:
    p = pen.p
    pen.rect(18, 40, 82, 88, p.accent, 5)
    pen.rect(16, 30, 84, 42, p.ink, 4)
    pen.rect(34, 10, 66, 32, "#ffffff", 1)
    for x in range(36, 66, 6):
        pen.rect(x, 44, x + 3, 64, "#ffffff", 1)


PICTOGRAMS: dict[str, Callable[[Pen], None]] = {
    "Aeron Office Chair": chair,
    "Standing Desk 140x70": desk,
    "Laptop Stand": laptop_stand,
    "LED Desk Lamp": lamp,
    "Cable Management Tray": tray,
    "Ergonomic Footrest": footrest,
    "Whiteboard 120x90": whiteboard,
    '27" 4K Monitor': monitor,
    "Mechanical Keyboard (Brown switches)": keyboard,
    "Wireless Mouse": mouse,
    "USB-C Docking Station": dock,
    "Portable SSD 1 TB": ssd,
    "Noise-Cancelling Headphones": headphones,
    "Conference Speakerphone": speakerphone,
    "HD Webcam 1080p": webcam,
    "A4 Copy Paper (5 reams)": paper,
    "Gel Pens (12 pack)": pens,
    "Hardcover Notebook A5": notebook,
    "Whiteboard Markers (8 colours)": markers,
    "Document Shredder": shredder,
    "Label Printer": label_printer,
    "Shipping Boxes Medium (25)": boxes,
    "Packing Tape (6 rolls)": tape,
    "Barcode Scanner": barcode_scanner,
    "Thermal Receipt Printer": receipt_printer,
    "Shelving Unit 5-tier": shelving,
    "Pallet Jack": pallet_jack,
    "Espresso Machine": espresso,
    "Coffee Beans 1 kg": coffee_beans,
    "Water Filter Jug": water_jug,
    "Safety Gloves (10 pairs)": gloves,
    "First Aid Kit": first_aid,
    "Fire Extinguisher 2 kg": extinguisher,
    "Surge Protector 8-way": surge_protector,
    "Wi-Fi 6 Router": router,
    "Network Switch 8-port": network_switch,
}
