"""QR codes as PNG or SVG with segno (pure Python)."""

import io

import segno


def png(data, scale=6):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def svg(data, scale=4):
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def scalable_svg(data):
    """An SVG that fills its box (a viewBox, no fixed size), dark on white whatever the page's colours."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=4, border=3, xmldecl=False, svgns=True, omitsize=True, light="#fff"
    )
    return buffer.getvalue().decode()
