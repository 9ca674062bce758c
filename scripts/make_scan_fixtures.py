"""Make the scanned fixtures: our own PDF fixtures printed, stamped and scanned.

Run from the repository root:

    .venv/bin/python scripts/make_scan_fixtures.py

Each source PDF (the two seeds and two synthetic bulletins, all with a text
layer) is rendered with pypdfium2 at 150 and 300 dpi, then "scanned": a red
seal is stamped over part of the signature (multiplied, so the text below
stays visible as on paper), the page turned by a small angle, and mild
grey noise added. Output, in `fixtures/scans/`:

* `<name>_<dpi>dpi.pdf` — image-only PDFs (one JPEG per page, no text
  layer), the text-layer PDF's twins for the accuracy check: all four at
  150 dpi, the seeds at 300 dpi;
* a few single bulletin pages as image files (`.png`, `.jpg`), the way
  offices attach a photographed or scanned page to an article;
* `fixtures/bad/synthetic_scan_blank.pdf`: a scanned blank sheet (paper
  noise, dust, no text), which OCR finds nothing on.

Everything is seeded, so a re-run gives the same pixels. Needs only the
project's own dependencies (pypdfium2, Pillow, numpy, pdfplumber; reportlab
from the test extra writes the PDFs).
"""

from __future__ import annotations

import io
import math
import re
import sys
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageChops, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
PDF_DIR = ROOT / "fixtures" / "pdf"
SCAN_DIR = ROOT / "fixtures" / "scans"

SOURCES = [
    "000_a18ab1c51e121e01",
    "004_ecd57e6128c53c86",
    "synthetic_ruled_groups_no_repeat",
    "synthetic_unruled_side_by_side",
]
# (source, dpi) pairs scanned. A 300-dpi page of text costs ~300 KB even as a
# low-quality JPEG, so only the seeds are kept at 300 dpi: the repository
# stays a few MB.
SCANS = [(name, 150) for name in SOURCES] + [(name, 300) for name in SOURCES[:2]]
# (source, 1-based page, dpi, image format): single pages kept as image files.
IMAGE_PAGES = [
    ("000_a18ab1c51e121e01", 2, 300, "jpg"),
    ("synthetic_unruled_side_by_side", 1, 150, "png"),
]
# Low JPEG qualities keep the repository small (a 300-dpi page is ~200 KB);
# OCR reads through the artefacts, which is part of what is being tested.
JPEG_QUALITY = {100: 40, 150: 40, 300: 25}
NOISE_SIGMA = 3.0  # grey levels of Gaussian noise
SPECKS = 0.0005  # share of pixels turned into dust specks
_SIGNATURE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def signature_spot(pdf_path: Path) -> tuple[int, float, float] | None:
    """Given a text-layer PDF, return (0-based page, x, y in points) of the
    centre of its signature (the last line that is only a date), or None."""
    spot = None
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            for line in page.extract_text_lines():
                text = line["text"].replace(" ", "")
                if _SIGNATURE_DATE.match(text):
                    spot = (index, (line["x0"] + line["x1"]) / 2, line["top"])
    return spot


def stamp(size: int) -> Image.Image:
    """Given a diameter in pixels, return an RGB seal: a red ring and star on white."""
    seal = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(seal)
    red = (205, 30, 35)
    ring = max(3, size // 22)
    draw.ellipse([ring, ring, size - ring, size - ring], outline=red, width=ring)
    cx = cy = size / 2
    outer, inner = size * 0.2, size * 0.08
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    return seal


def scan_page(image: Image.Image, dpi: int, rng: np.random.Generator, seal_at: tuple[float, float] | None) -> Image.Image:
    """Given a rendered page (RGB), return it stamped (if seal_at, in points),
    turned by a small angle and with mild noise, as a scanner would return it."""
    if seal_at is not None:
        size = int(1.6 * dpi)  # a 4 cm seal
        x = int(seal_at[0] * dpi / 72 - size * 0.65)
        y = int(seal_at[1] * dpi / 72 - size * 0.55)
        layer = Image.new("RGB", image.size, "white")
        layer.paste(stamp(size), (x, y))
        image = ImageChops.multiply(image, layer)
    angle = float(rng.uniform(0.3, 0.8)) * (1 if rng.random() < 0.5 else -1)
    image = image.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor="white")
    pixels = np.asarray(image, dtype=np.float32).copy()
    specks = rng.random(pixels.shape[:2]) < SPECKS
    pixels[specks] = rng.uniform(60.0, 160.0, size=int(specks.sum()))[:, None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def add_noise(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Given a scanned page, return it with mild Gaussian sensor noise (JPEG pages only:
    lossless PNG would store every noisy pixel)."""
    pixels = np.asarray(image, dtype=np.float32)
    noise = rng.normal(0.0, NOISE_SIGMA, size=pixels.shape[:2])[:, :, None]
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def render_scans(name: str, dpi: int) -> list[Image.Image]:
    """Given a source fixture name and a resolution, return its scanned pages."""
    path = PDF_DIR / f"{name}.pdf"
    rng = np.random.default_rng([dpi, sum(map(ord, name))])
    spot = signature_spot(path)
    pages = []
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            page.close()
            seal_at = (spot[1], spot[2]) if spot and spot[0] == index else None
            pages.append(scan_page(image, dpi, rng, seal_at))
    finally:
        pdf.close()
    return pages


def jpeg_bytes(image: Image.Image, quality: int, rng: np.random.Generator) -> bytes:
    out = io.BytesIO()
    add_noise(image, rng).save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def save_image_pdf(pages: list[Image.Image], dpi: int, path: Path, rng: np.random.Generator) -> None:
    """Given scanned pages, write an image-only PDF: each page one JPEG, embedded
    as is (reportlab passes JPEG data through), and no text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1, pageCompression=0)
    for page in pages:
        width, height = page.width * 72 / dpi, page.height * 72 / dpi
        canvas.setPageSize((width, height))
        canvas.drawImage(ImageReader(io.BytesIO(jpeg_bytes(page, JPEG_QUALITY[dpi], rng))), 0, 0, width, height)
        canvas.showPage()
    canvas.save()


def blank_scan(path: Path, dpi: int = 100) -> None:
    """Write an image-only PDF of one blank A4 sheet as a scanner returns it."""
    rng = np.random.default_rng(11)
    sheet = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), (246, 244, 240))
    save_image_pdf([scan_page(sheet, dpi, rng, None)], dpi, path, rng)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


def main() -> None:
    SCAN_DIR.mkdir(parents=True, exist_ok=True)
    blank_scan(ROOT / "fixtures" / "bad" / "synthetic_scan_blank.pdf")
    for name, dpi in SCANS:
        pages = render_scans(name, dpi)
        rng = np.random.default_rng([dpi, 7])
        target = SCAN_DIR / f"{name}_{dpi}dpi.pdf"
        save_image_pdf(pages, dpi, target, rng)
        print(f"{target.relative_to(ROOT)}: {len(pages)} pages, {target.stat().st_size:,} bytes")
        for source, page_no, page_dpi, fmt in IMAGE_PAGES:
            if (source, page_dpi) == (name, dpi):
                save_image_page(pages[page_no - 1], dpi, fmt, SCAN_DIR / f"{name}_p{page_no}_{dpi}dpi.{fmt}", rng)


def save_image_page(page: Image.Image, dpi: int, fmt: str, path: Path, rng: np.random.Generator) -> None:
    """Given one scanned page, write it as a JPEG (with noise) or an 8-colour PNG."""
    if fmt == "png":
        page.quantize(8, dither=Image.Dither.NONE).save(path, "PNG", optimize=True, dpi=(dpi, dpi))
    else:
        path.write_bytes(jpeg_bytes(page, JPEG_QUALITY[dpi], rng))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    sys.exit(main())
