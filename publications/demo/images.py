"""The demo's images: abstract compositions drawn with Pillow, as JPEG bytes.

Every random choice comes from the generator the caller passes, so a seeded
generator draws the same pictures on every run.
"""

import io
import random

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]


def mix(a: RGB, b: RGB, t: float = 0.5) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def shade(colour: RGB, factor: float) -> RGB:
    """Lighter towards white (factor > 0) or darker towards black."""
    target = (255, 255, 255) if factor > 0 else (0, 0, 0)
    return mix(colour, target, abs(factor))


def draw_artwork(
    rng: random.Random, size: tuple[int, int], color_a: RGB, color_b: RGB, shape: str
) -> bytes:
    """An abstract JPEG: a two-colour gradient under translucent shapes
    ("circles", "bands" or "blocks")."""
    width, height = size
    seed = Image.new("RGB", (2, 2))
    seed.putdata(
        [color_a, mix(color_a, color_b, 0.4), mix(color_a, color_b, 0.6), color_b]
    )
    image = seed.resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(rng.randint(3, 6)):
        tone = shade(rng.choice((color_a, color_b)), rng.choice((-0.35, 0.3, 0.55)))
        fill = (*tone, rng.randint(70, 150))
        if shape == "circles":
            radius = rng.uniform(0.08, 0.3) * width
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        elif shape == "bands":
            x = rng.uniform(-0.3, 1.0) * width
            band = rng.uniform(0.05, 0.2) * width
            draw.polygon(
                [
                    (x, height),
                    (x + band, height),
                    (x + band + 0.5 * width, 0),
                    (x + 0.5 * width, 0),
                ],
                fill=fill,
            )
        else:
            x, y = rng.uniform(0, 0.7) * width, rng.uniform(0, 0.7) * height
            draw.rectangle(
                (
                    x,
                    y,
                    x + rng.uniform(0.2, 0.5) * width,
                    y + rng.uniform(0.1, 0.3) * height,
                ),
                fill=fill,
            )
    return jpeg(image)


def draw_portrait(rng: random.Random, color_a: RGB, color_b: RGB) -> bytes:
    """A square placeholder portrait: a silhouette on a soft gradient."""
    size = 480
    seed = Image.new("RGB", (1, 2))
    seed.putdata([shade(color_a, 0.6), shade(color_b, 0.3)])
    image = seed.resize((size, size), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    body = shade(color_a, -0.3)
    draw.ellipse((0.14 * size, 0.64 * size, 0.86 * size, 1.3 * size), fill=body)
    offset = rng.uniform(-0.02, 0.02) * size
    draw.ellipse(
        (0.33 * size + offset, 0.2 * size, 0.67 * size + offset, 0.6 * size),
        fill=shade(body, 0.25),
    )
    return jpeg(image)


def draw_cover(rng: random.Random, color_a: RGB, color_b: RGB) -> bytes:
    """A portrait-format cover: artwork with a plain title band."""
    image = Image.open(
        io.BytesIO(draw_artwork(rng, (600, 850), color_a, color_b, "blocks"))
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 600, 760), fill=(250, 248, 244))
    draw.rectangle((40, 600, 360, 614), fill=color_a)
    draw.rectangle((40, 640, 480, 650), fill=shade(color_a, 0.5))
    return jpeg(image)


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=72)
    return buffer.getvalue()
