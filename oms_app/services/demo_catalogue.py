"""The demo catalogue: realistic products for a fresh install and for trying the app out, in
categories, each with a picture the project drew itself (`python -m scripts.draw_assets`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from oms_app.core.config import PROJECT_ROOT
from oms_app.services.categories import slugify

DEMO_PICTURES = PROJECT_ROOT / "assets" / "demo"

# (name, description, price, stock)
DEMO_PRODUCTS: list[tuple[str, str, Decimal, int]] = [
    (
        "Aeron Office Chair",
        "Ergonomic mesh office chair with adjustable lumbar support.",
        Decimal("1249.00"),
        8,
    ),
    (
        "Standing Desk 140x70",
        "Electric height-adjustable desk with memory presets.",
        Decimal("549.00"),
        12,
    ),
    (
        '27" 4K Monitor',
        "IPS panel, USB-C with 90 W power delivery, factory calibrated.",
        Decimal("429.99"),
        25,
    ),
    (
        "Mechanical Keyboard (Brown switches)",
        "Tenkeyless, hot-swappable switches, PBT keycaps.",
        Decimal("119.00"),
        40,
    ),
    (
        "Wireless Mouse",
        "Silent clicks, 70-day battery, Bluetooth and USB receiver.",
        Decimal("39.90"),
        120,
    ),
    (
        "USB-C Docking Station",
        "Dual HDMI, 2.5 GbE, SD reader and 100 W pass-through charging.",
        Decimal("189.00"),
        30,
    ),
    (
        "Noise-Cancelling Headphones",
        "Over-ear, 30 h battery, multipoint Bluetooth.",
        Decimal("299.00"),
        35,
    ),
    (
        "Conference Speakerphone",
        "360° microphone array for rooms up to six people.",
        Decimal("149.50"),
        15,
    ),
    (
        "HD Webcam 1080p",
        "Autofocus webcam with privacy shutter and stereo mics.",
        Decimal("69.00"),
        60,
    ),
    ("Laptop Stand", "Aluminium stand raising the screen to eye level.", Decimal("45.00"), 80),
    (
        "LED Desk Lamp",
        "Dimmable, adjustable colour temperature, USB charging port.",
        Decimal("59.00"),
        45,
    ),
    (
        "Cable Management Tray",
        "Under-desk steel tray that hides power strips and cables.",
        Decimal("24.99"),
        100,
    ),
    ("A4 Copy Paper (5 reams)", "80 g/m², 2,500 sheets, FSC certified.", Decimal("27.50"), 200),
    ("Gel Pens (12 pack)", "0.5 mm black gel pens with quick-drying ink.", Decimal("8.99"), 300),
    ("Hardcover Notebook A5", "Dotted pages, 192 sheets, lay-flat binding.", Decimal("14.00"), 150),
    (
        "Whiteboard 120x90",
        "Magnetic, low-glare surface with aluminium frame.",
        Decimal("89.00"),
        10,
    ),
    ("Whiteboard Markers (8 colours)", "Low-odour, chisel tip, dry-erase.", Decimal("11.49"), 180),
    (
        "Label Printer",
        "Thermal label printer for shipping and address labels.",
        Decimal("99.00"),
        20,
    ),
    (
        "Shipping Boxes Medium (25)",
        "Double-wall cardboard boxes, 40x30x20 cm.",
        Decimal("32.00"),
        90,
    ),
    ("Packing Tape (6 rolls)", "Clear polypropylene tape, 48 mm x 66 m.", Decimal("12.90"), 140),
    ("Barcode Scanner", "Wireless 1D/2D scanner with charging cradle.", Decimal("129.00"), 18),
    ("Thermal Receipt Printer", "80 mm, Ethernet and USB, auto-cutter.", Decimal("179.00"), 9),
    (
        "Shelving Unit 5-tier",
        "Galvanised steel shelving, 180x90x40 cm, 875 kg load.",
        Decimal("119.99"),
        14,
    ),
    ("Pallet Jack", "2,500 kg manual pallet truck with polyurethane wheels.", Decimal("389.00"), 4),
    ("Safety Gloves (10 pairs)", "Nitrile-coated work gloves, size L.", Decimal("19.90"), 75),
    ("Espresso Machine", "15-bar pump espresso machine with steam wand.", Decimal("249.00"), 7),
    (
        "Coffee Beans 1 kg",
        "Medium roast, single-origin arabica from Colombia.",
        Decimal("24.00"),
        60,
    ),
    (
        "Water Filter Jug",
        "2.4 L jug with a 150 L activated-carbon cartridge.",
        Decimal("29.95"),
        50,
    ),
    ("First Aid Kit", "Workplace kit for up to 25 people, wall-mountable.", Decimal("42.00"), 22),
    ("Fire Extinguisher 2 kg", "ABC dry powder with wall bracket.", Decimal("54.00"), 16),
    (
        "Surge Protector 8-way",
        "Eight sockets, two USB ports, 3,500 J protection.",
        Decimal("34.99"),
        70,
    ),
    (
        "Portable SSD 1 TB",
        "USB 3.2 Gen 2, up to 1,050 MB/s, shock resistant.",
        Decimal("109.00"),
        55,
    ),
    ("Wi-Fi 6 Router", "Dual-band AX3000 router with four gigabit ports.", Decimal("139.00"), 0),
    (
        "Network Switch 8-port",
        "Unmanaged gigabit switch, fanless metal case.",
        Decimal("29.00"),
        65,
    ),
    ("Ergonomic Footrest", "Tilting footrest with massage surface.", Decimal("36.50"), 3),
    ("Document Shredder", "Cross-cut, 12 sheets, 22 L bin, P-4 security.", Decimal("159.00"), 11),
]

# Every demo product's category, by product name.
DEMO_CATEGORIES: dict[str, list[str]] = {
    "Furniture": [
        "Aeron Office Chair",
        "Standing Desk 140x70",
        "Laptop Stand",
        "LED Desk Lamp",
        "Cable Management Tray",
        "Ergonomic Footrest",
        "Whiteboard 120x90",
    ],
    "Computing": [
        '27" 4K Monitor',
        "Mechanical Keyboard (Brown switches)",
        "Wireless Mouse",
        "USB-C Docking Station",
        "Portable SSD 1 TB",
    ],
    "Audio & Video": ["Noise-Cancelling Headphones", "Conference Speakerphone", "HD Webcam 1080p"],
    "Office Supplies": [
        "A4 Copy Paper (5 reams)",
        "Gel Pens (12 pack)",
        "Hardcover Notebook A5",
        "Whiteboard Markers (8 colours)",
        "Document Shredder",
    ],
    "Shipping & Warehouse": [
        "Label Printer",
        "Shipping Boxes Medium (25)",
        "Packing Tape (6 rolls)",
        "Barcode Scanner",
        "Thermal Receipt Printer",
        "Shelving Unit 5-tier",
        "Pallet Jack",
    ],
    "Break Room": ["Espresso Machine", "Coffee Beans 1 kg", "Water Filter Jug"],
    "Safety": ["Safety Gloves (10 pairs)", "First Aid Kit", "Fire Extinguisher 2 kg"],
    "Networking & Power": ["Surge Protector 8-way", "Wi-Fi 6 Router", "Network Switch 8-port"],
}

DEMO_SHOPPER = ("Demo Shopper", "shopper@example.com", "shopper-demo-1")


def demo_picture(product_name: str) -> Path:
    return DEMO_PICTURES / f"{slugify(product_name)}.webp"
