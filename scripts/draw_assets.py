"""Draw the project's own pictures into assets/: the favicon, the logo and one picture per demo
product (loaded with the demo data). Deterministic; run again after changing a drawing:

    .venv/bin/python -m scripts.draw_assets
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from oms_app.core.config import PROJECT_ROOT
from oms_app.services.demo_catalogue import DEMO_CATEGORIES, DEMO_PICTURES, demo_picture
from scripts.pictograms import PICTOGRAMS, Palette, Pen

ASSETS = PROJECT_ROOT / "assets"
PICTURE_SIZE = 800
SUPERSAMPLE = 2  # drawn twice as large, then scaled down: smooth edges without antialiasing
BRAND = "#4f46e5"  # the UI's indigo accent

PALETTES = {
    "Furniture": Palette("#f3ece2", "#5b4636", "#c98b4e", "#e9d3b8"),
    "Computing": Palette("#e8eefb", "#25324d", "#4f7cf0", "#b9cbf5"),
    "Audio & Video": Palette("#f1e9f7", "#3b2748", "#a35ad1", "#dbc3ec"),
    "Office Supplies": Palette("#fdf5dc", "#3d3a2c", "#e0a526", "#f4de9c"),
    "Shipping & Warehouse": Palette("#f6ede4", "#4a3a2c", "#d08a47", "#ecd2b4"),
    "Break Room": Palette("#efe8e3", "#3e2b22", "#9a6a4f", "#dcc6b8"),
    "Safety": Palette("#fbe9e7", "#3c2a2a", "#d8412f", "#f2c1ba"),
    "Networking & Power": Palette("#e4f4ef", "#21413a", "#2f9e82", "#b4e2d5"),
}


def product_picture(name: str, palette: Palette) -> Image.Image:
    size = PICTURE_SIZE * SUPERSAMPLE
    image = Image.new("RGB", (size, size), palette.background)
    draw = ImageDraw.Draw(image)
    # A soft floor for the object to stand on.
    draw.ellipse((size * 0.14, size * 0.8, size * 0.86, size * 0.92), fill=palette.light)
    # The pictogram's 100x100 box takes the middle 80% of the picture.
    inner = round(size * 0.8)
    layer = Image.new("RGBA", (inner, inner), (0, 0, 0, 0))
    PICTOGRAMS[name](Pen(ImageDraw.Draw(layer), inner, palette))
    offset = (size - inner) // 2
    image.paste(layer, (offset, offset - round(size * 0.03)), layer)
    return image.resize((PICTURE_SIZE, PICTURE_SIZE), Image.Resampling.LANCZOS)


def logo(size: int) -> Image.Image:
    """A parcel on the brand colour: the same mark at every size."""
    big = size * 4
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = Pen(ImageDraw.Draw(image), big, Palette(BRAND, "#ffffff", "#c7d2fe", "#ffffff"))
    pen.rect(0, 0, 100, 100, BRAND, 22)
    pen.poly([(50, 18), (80, 33), (50, 48), (20, 33)], "#ffffff")
    pen.poly([(20, 38), (47, 52), (47, 84), (20, 70)], "#c7d2fe")
    pen.poly([(53, 52), (80, 38), (80, 70), (53, 84)], "#e0e7ff")
    pen.poly([(32, 27), (38, 24), (68, 39), (62, 42)], "#a5b4fc")  # the tape
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    DEMO_PICTURES.mkdir(exist_ok=True)
    logo(512).save(ASSETS / "logo.png", optimize=True)
    logo(256).save(ASSETS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    for category, names in DEMO_CATEGORIES.items():
        for name in names:
            picture = product_picture(name, PALETTES[category])
            picture.save(demo_picture(name), "WEBP", quality=90, method=6)
    print(f"drew the logo, the favicon and {sum(map(len, DEMO_CATEGORIES.values()))} pictures")


if __name__ == "__main__":
    main()
